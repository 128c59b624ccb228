import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { Localized } from '../../platform/i18n/localized.js';
import { people } from '../accounts/accounts.schema.js';

export const ENTITY_KINDS = [
  'member_state',
  'sector_member',
  'associate',
  'academia',
  'un_system',
  'intl_org',
  'civil_society',
  'private_sector',
  'media',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export const ITU_REGIONS = ['A', 'B', 'C', 'D', 'E'] as const;
export const ITUD_REGIONS = ['africa', 'americas', 'arab-states', 'asia-pacific', 'cis', 'europe'] as const;
export const UN_GROUPS = ['african', 'asia-pacific', 'eastern-european', 'grulac', 'weog'] as const;

/** Administrations of Member States and the other organisations participants come from. */
export const entities = pgTable(
  'entities',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').$type<EntityKind>().notNull(),
    /** ISO 3166-1 alpha-2 for Member States; an optional reference for others. */
    code: text('code'),
    name: jsonb('name').$type<Localized>().notNull(),
    country: text('country'),
    ituRegion: text('itu_region'),
    itudRegion: text('itud_region'),
    unGroup: text('un_group'),
    /** Set when merged into another entity: the row stays for history, people and DFPs move. */
    mergedInto: integer('merged_into').references((): AnyPgColumn => entities.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check(
      'entities_kind_check',
      sql`${t.kind} in ('member_state', 'sector_member', 'associate', 'academia', 'un_system', 'intl_org', 'civil_society', 'private_sector', 'media')`,
    ),
    check('entities_itu_region_check', sql`${t.ituRegion} is null or ${t.ituRegion} in ('A', 'B', 'C', 'D', 'E')`),
    check('entities_member_state_code_check', sql`${t.kind} <> 'member_state' or ${t.code} ~ '^[A-Z]{2}$'`),
    uniqueIndex('entities_kind_code_uniq')
      .on(t.kind, t.code)
      .where(sql`${t.code} is not null and ${t.mergedInto} is null`),
    index('entities_kind_idx').on(t.kind),
  ],
);

/** Designated Focal Points: people who act for an entity (approve its registrations). */
export const focalPoints = pgTable(
  'focal_points',
  {
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    appointedAt: timestamp('appointed_at', { withTimezone: true }).notNull(),
    appointedBy: text('appointed_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.entityId, t.personId] }), index('focal_points_person_idx').on(t.personId)],
);

export const CONTACT_ROLES = ['ministry', 'mission', 'regulator', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** Official addresses of an entity (its ministry, its permanent mission…): circular letters go to them. */
export const entityContacts = pgTable(
  'entity_contacts',
  {
    id: serial('id').primaryKey(),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    role: text('role').$type<ContactRole>().notNull(),
    name: text('name').notNull().default(''),
    email: text('email').notNull(),
    /** The language letters are sent in. */
    locale: text('locale').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('entity_contacts_role_check', sql`${t.role} in ('ministry', 'mission', 'regulator', 'other')`),
    check('entity_contacts_locale_check', sql`${t.locale} in ('ar', 'zh', 'en', 'fr', 'ru', 'es')`),
    uniqueIndex('entity_contacts_entity_email_uniq').on(t.entityId, t.email),
  ],
);
