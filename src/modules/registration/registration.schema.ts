import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { people } from '../accounts/accounts.schema.js';
import { entities } from '../entities/entities.schema.js';
import { events } from '../events/events.schema.js';
import type { RegistrationState } from './registration.state.js';

/** Per event: when registration is open and how many may attend in person. */
export const registrationSettings = pgTable(
  'registration_settings',
  {
    eventId: integer('event_id')
      .primaryKey()
      .references(() => events.id),
    opensAt: timestamp('opens_at', { withTimezone: true }),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    /** Places in person; null is unlimited. Remote participation has no limit. */
    capacity: integer('capacity'),
    /** Protocol categories (VVIP, MIN, …) whose requests the secretariat decides. */
    secretariatCategories: text('secretariat_categories').array().notNull().default(sql`'{}'::text[]`),
    /** Functions that may register (empty: any). The Regulators' Roundtable admits heads of regulatory authorities. */
    eligibleFunctions: text('eligible_functions').array().notNull().default(sql`'{}'::text[]`),
    /** By invitation: every request goes to the secretariat. */
    invitationOnly: boolean('invitation_only').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('registration_settings_capacity_check', sql`${t.capacity} is null or ${t.capacity} >= 0`)],
);

export const registrations = pgTable(
  'registrations',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    entityId: integer('entity_id').references(() => entities.id),
    mode: text('mode').$type<'in_person' | 'remote'>().notNull(),
    state: text('state').$type<RegistrationState>().notNull(),
    stakeholderType: text('stakeholder_type').notNull().default(''),
    function: text('function').notNull().default(''),
    vipCategory: text('vip_category'),
    reason: text('reason'),
    /** May the person be named in the official List of Participants: yes unless they objected when registering. */
    listed: boolean('listed').notNull().default(true),
    /** Who registered the request: the person, or a DFP on behalf of a VIP. */
    registeredBy: text('registered_by').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check(
      'registrations_state_check',
      sql`${t.state} in ('pending_dfp', 'pending_secretariat', 'approved', 'waitlisted', 'rejected', 'withdrawn')`,
    ),
    check('registrations_mode_check', sql`${t.mode} in ('in_person', 'remote')`),
    /** One live registration per person per event. */
    uniqueIndex('registrations_live_uniq')
      .on(t.personId, t.eventId)
      .where(sql`${t.state} in ('pending_dfp', 'pending_secretariat', 'approved', 'waitlisted')`),
    // The queues read a state's requests of an event oldest first, a page at a time: straight from this index.
    index('registrations_event_state_idx').on(t.eventId, t.state, t.submittedAt, t.id),
    index('registrations_entity_state_idx').on(t.entityId, t.state),
    /** The reports' exports read registrations a page at a time in submission order, and a person's by person. */
    index('registrations_submitted_idx').on(t.submittedAt, t.id),
    index('registrations_person_idx').on(t.personId),
  ],
);

/**
 * Registrations per event, entity, state and VIP category ('' for none), moved by triggers on `registrations` in the
 * transaction of every insert, update and delete (migration 0021): the Member State tracker reads its delegate counts
 * here, at the same cost for 1,000 or 200,000 participants. Registrations without an entity are not counted.
 */
export const registrationTallies = pgTable(
  'registration_tallies',
  {
    eventId: integer('event_id').notNull(),
    entityId: integer('entity_id').notNull(),
    state: text('state').notNull(),
    vipCategory: text('vip_category').notNull().default(''),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.entityId, t.state, t.vipCategory] })],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** The badge photo of a person: re-encoded JPEG (no metadata), at most 600 × 800. */
export const personPhotos = pgTable('person_photos', {
  personId: text('person_id')
    .primaryKey()
    .references(() => people.id),
  jpeg: bytea('jpeg').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  sha256: text('sha256').notNull(),
  uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  /** A 96 × 128 WebP made from the JPEG, for lists (the desk, the delegation); null until made (see the backfill). */
  thumb: bytea('thumb'),
});

/** A request for a visa-support letter, and the letter once issued (reference, PDF). One per registration. */
export const visaRequests = pgTable(
  'visa_requests',
  {
    id: serial('id').primaryKey(),
    registrationId: text('registration_id')
      .notNull()
      .references(() => registrations.id),
    passportName: text('passport_name').notNull(),
    passportNumber: text('passport_number').notNull(),
    passportExpiry: text('passport_expiry'),
    nationality: text('nationality').notNull(),
    dateOfBirth: text('date_of_birth').notNull(),
    visaPlace: text('visa_place').notNull(),
    letterLocale: text('letter_locale').$type<'en' | 'fr'>().notNull().default('en'),
    state: text('state').$type<'requested' | 'issued'>().notNull().default('requested'),
    reference: text('reference'),
    pdf: bytea('pdf'),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    issuedBy: text('issued_by'),
    sentCount: integer('sent_count').notNull().default(0),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('visa_requests_registration_uniq').on(t.registrationId),
    uniqueIndex('visa_requests_reference_uniq').on(t.reference),
    check('visa_requests_state_check', sql`${t.state} in ('requested', 'issued')`),
    check('visa_requests_locale_check', sql`${t.letterLocale} in ('en', 'fr')`),
  ],
);
