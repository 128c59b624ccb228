import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  inet,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { entities } from '../entities/entities.schema.js';

export const ROLES = ['admin', 'staff', 'participant'] as const;
export type Role = (typeof ROLES)[number];
/** The genders a profile may give (optional; none given is null). */
export const GENDERS = ['female', 'male', 'another'] as const;
export type Gender = (typeof GENDERS)[number];

/**
 * What the secretariat's people search looks in: e-mail and both spellings of the names, one text. A trigram index on
 * it answers `ILIKE '%word%'` without reading every person.
 */
export const personSearchText = (t: {
  email: AnyPgColumn;
  givenName: AnyPgColumn;
  familyName: AnyPgColumn;
  givenNameLatin: AnyPgColumn;
  familyNameLatin: AnyPgColumn;
}) =>
  sql`(coalesce(${t.email}, '') || ' ' || ${t.givenName} || ' ' || ${t.familyName} || ' ' || ${t.givenNameLatin} || ' ' || ${t.familyNameLatin})`;

/**
 * How people are sorted on both databases: family name (Latin letters when given, else as written), then given name,
 * under ICU's root collation ("al-Hashimi", "Ångström", "Bach", "Ñúñez", "Zhao"; never code-point order). PGlite has
 * only the root ICU collation; pages sort the rows they show again with the reader's language (names.ts).
 */
export const personSortFamily = (t: { familyName: AnyPgColumn; familyNameLatin: AnyPgColumn }) =>
  sql`(coalesce(nullif(${t.familyNameLatin}, ''), ${t.familyName}) collate "und-x-icu")`;
export const personSortGiven = (t: { givenName: AnyPgColumn; givenNameLatin: AnyPgColumn }) =>
  sql`(coalesce(nullif(${t.givenNameLatin}, ''), ${t.givenName}) collate "und-x-icu")`;

export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    /** Lower-cased; null once erased. */
    email: text('email'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    passwordHash: text('password_hash'),
    /** Names as the person writes them, in their own script. */
    givenName: text('given_name').notNull().default(''),
    familyName: text('family_name').notNull().default(''),
    /** The same in Latin letters, for badges and lists. */
    givenNameLatin: text('given_name_latin').notNull().default(''),
    familyNameLatin: text('family_name_latin').notNull().default(''),
    /** 'given_first', 'family_first', or '' for the default of the name's script and the nationality. */
    nameOrder: text('name_order').notNull().default(''),
    honorific: text('honorific').notNull().default(''),
    jobTitle: text('job_title').notNull().default(''),
    preferredLocale: text('preferred_locale').notNull().default('en'),
    nationality: text('nationality'),
    /**
     * Optional, for the statistics only (`GENDERS`); null when not given. Never on public pages, badges or lists; in the
     * person's data export; emptied on erasure.
     */
    gender: text('gender'),
    /** The organisation the person says they belong to: a claim, until verified (see `verifiedEntityOf`). */
    entityId: integer('entity_id').references(() => entities.id),
    /** When the claim was verified (a focal point's approval, added by a focal point or the secretariat, confirmed). */
    entityVerifiedAt: timestamp('entity_verified_at', { withTimezone: true }),
    /** Who verified it (a person's id, or `system:…`). */
    entityVerifiedBy: text('entity_verified_by'),
    function: text('function').notNull().default(''),
    role: text('role').$type<Role>().notNull().default('participant'),
    capabilities: text('capabilities').array().notNull().default(sql`'{}'::text[]`),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    erasureRequestedAt: timestamp('erasure_requested_at', { withTimezone: true }),
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    /**
     * A duplicate merged into another person (`mergePeople`): everything it held moved there; the row stays as a
     * tombstone that cannot sign in, and its e-mail address leads to the person it was merged into.
     */
    mergedInto: text('merged_into').references((): AnyPgColumn => people.id),
    mergedAt: timestamp('merged_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('people_email_uniq').on(t.email).where(sql`${t.email} is not null`),
    check('people_role_check', sql`${t.role} in ('admin', 'staff', 'participant')`),
    check('people_name_order_check', sql`${t.nameOrder} in ('', 'given_first', 'family_first')`),
    check('people_gender_check', sql`${t.gender} in ('female', 'male', 'another')`),
    check('people_locale_check', sql`${t.preferredLocale} in ('ar', 'zh', 'en', 'fr', 'ru', 'es')`),
    index('people_entity_idx').on(t.entityId),
    index('people_merged_into_idx').on(t.mergedInto).where(sql`${t.mergedInto} is not null`),
    index('people_sort_idx').on(personSortFamily(t), personSortGiven(t)),
    index('people_search_trgm_idx').using('gin', sql`${personSearchText(t)} gin_trgm_ops`),
  ],
);

/**
 * The live person an address leads to: its owner, or the person a merged duplicate with that address went into
 * (`mergePeople` keeps the duplicate's address on its tombstone). For a `select … from people`.
 */
export const personAtEmail = (email: string) =>
  sql`(${people.email} = ${email} or ${people.id} = (select m.merged_into from people m where m.email = ${email})) and ${people.mergedInto} is null and ${people.erasedAt} is null`;

/** Server-side sessions; the cookie holds a random token, the table its SHA-256. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: inet('ip'),
    userAgent: text('user_agent').notNull().default(''),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('auth_sessions_person_idx').on(t.personId)],
);

/**
 * A staff account's identity at the organisation's OpenID Connect provider (issuer + subject), linked on the first
 * single sign-on by the verified e-mail address; later sign-ons find the person by it, whatever the address becomes.
 */
export const personIdentities = pgTable(
  'person_identities',
  {
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('person_identities_issuer_subject_uniq').on(t.issuer, t.subject),
    index('person_identities_person_idx').on(t.personId),
  ],
);

/** E-mail verification, sign-in links and password resets: single use, short-lived, stored hashed. */
export const oneTimeTokens = pgTable(
  'one_time_tokens',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<'verify' | 'sign_in' | 'reset'>().notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    check('one_time_tokens_kind_check', sql`${t.kind} in ('verify', 'sign_in', 'reset')`),
    index('one_time_tokens_person_idx').on(t.personId),
  ],
);

/** Personal API tokens (`Authorization: Bearer cvn_…`), shown once, stored hashed. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The first characters, to recognise a token in lists. */
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_person_idx').on(t.personId)],
);

/** Counters for rate limits (per account, per address), shared by every process through the database. */
export const throttles = pgTable('throttles', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});
