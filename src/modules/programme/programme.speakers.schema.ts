/**
 * Speaker profiles: one per speaker of the published programme, found by the speaker's identity in sessions (their
 * account, else their folded Latin name; see `personKey`). The secretariat's editor owns the names, honorific, title
 * and organisation (copied from the sessions at each publication); the speaker owns the biography, the photo and the
 * confirmation, edited through a signed link sent to them.
 */
import { sql } from 'drizzle-orm';
import { check, customType, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { Localized } from '../../platform/i18n/localized.js';
import { people } from '../accounts/accounts.schema.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const SPEAKER_STATES = ['not_invited', 'invited', 'confirmed', 'declined'] as const;
export type SpeakerState = (typeof SPEAKER_STATES)[number];

export const speakerProfiles = pgTable(
  'speaker_profiles',
  {
    id: serial('id').primaryKey(),
    /** The public address: /{lc}/speakers/{slug}; never changes once made. */
    slug: text('slug').notNull().unique(),
    /** `id:<person>` for a speaker with an account, else `name:<folded Latin name>` (as sessions name them). */
    speakerKey: text('speaker_key').notNull().unique(),
    personId: text('person_id').references(() => people.id, { onDelete: 'set null' }),
    honorific: text('honorific').notNull().default(''),
    /** As the speaker writes it, in their own script. */
    name: text('name').notNull(),
    /** In Latin letters (null when the same). */
    nameLatin: text('name_latin'),
    givenName: text('given_name').notNull().default(''),
    familyName: text('family_name').notNull().default(''),
    givenNameLatin: text('given_name_latin').notNull().default(''),
    familyNameLatin: text('family_name_latin').notNull().default(''),
    country: text('country'),
    /** The title or function shown with the name, per language. */
    title: jsonb('title').$type<Localized>().notNull().default({}),
    organization: text('organization').notNull().default(''),
    /** Written by the speaker, per language; `bioLang` is the language they wrote first (the original). */
    bio: jsonb('bio').$type<Localized>().notNull().default({}),
    bioLang: text('bio_lang'),
    /** Re-encoded JPEG (no metadata), at most 600 × 800. */
    photo: bytea('photo'),
    photoSha256: text('photo_sha256'),
    photoWidth: integer('photo_width'),
    photoHeight: integer('photo_height'),
    /** Where the invitation goes (never shown publicly) and in which language. */
    email: text('email'),
    locale: text('locale'),
    state: text('state').$type<SpeakerState>().notNull().default('not_invited'),
    stateAt: timestamp('state_at', { withTimezone: true }),
    /** The current link's nonce: sending a new invitation replaces it, so the older link stops working. */
    linkNonce: text('link_nonce'),
    linkExpiresAt: timestamp('link_expires_at', { withTimezone: true }),
    invitedAt: timestamp('invited_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('speaker_profiles_state_check', sql`${t.state} in ('not_invited', 'invited', 'confirmed', 'declined')`),
    check(
      'speaker_profiles_bio_lang_check',
      sql`${t.bioLang} is null or ${t.bioLang} in ('ar','zh','en','fr','ru','es')`,
    ),
  ],
);
