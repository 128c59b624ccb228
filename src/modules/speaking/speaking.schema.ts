import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { people } from '../accounts/accounts.schema.js';
import { entities } from '../entities/entities.schema.js';
import { events } from '../events/events.schema.js';
import { sessions } from '../programme/programme.schema.js';
import type { Rank, SpeakingKind, SpeakingState } from './speaking.rules.js';

/** Per event (the High-Level Track): when speaking requests close, and the default time for one statement. */
export const speakingSettings = pgTable(
  'speaking_settings',
  {
    eventId: integer('event_id')
      .primaryKey()
      .references(() => events.id),
    /** An instant; shown and set in Geneva time. */
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    defaultTimeLimit: integer('default_time_limit').notNull().default(180),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('speaking_settings_limit_check', sql`${t.defaultTimeLimit} between 30 and 3600`)],
);

/** The secretariat lets one entity submit or edit after the deadline. */
export const speakingLatePermits = pgTable(
  'speaking_late_permits',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    grantedBy: text('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    reason: text('reason').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.entityId] })],
);

/** A session of the High-Level Track: the time for each statement (default: the event's). */
export const speakingSessionSettings = pgTable(
  'speaking_session_settings',
  {
    sessionId: integer('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    timeLimit: integer('time_limit').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('speaking_session_settings_limit_check', sql`${t.timeLimit} between 30 and 3600`)],
);

export const speakingRequests = pgTable(
  'speaking_requests',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    kind: text('kind').$type<SpeakingKind>().notNull(),
    state: text('state').$type<SpeakingState>().notNull().default('submitted'),
    /** The speaker: a person of the entity with an account, or only named here (a minister without an account). */
    speakerPersonId: text('speaker_person_id').references(() => people.id),
    honorific: text('honorific').notNull().default(''),
    /** Names in the speaker's own script, and in Latin letters for lists. */
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    givenNameLatin: text('given_name_latin').notNull().default(''),
    familyNameLatin: text('family_name_latin').notNull().default(''),
    /** Title or function as written, e.g. "Minister of Communications and Information Technology". */
    title: text('title').notNull().default(''),
    rank: text('rank').$type<Rank>().notNull(),
    speakerEmail: text('speaker_email'),
    speakerLocale: text('speaker_locale').notNull().default('en'),
    preferredDay: text('preferred_day'),
    /** Language of delivery: interpretation is planned from it. */
    language: text('language').notNull(),
    abstract: text('abstract').notNull().default(''),
    reason: text('reason'),
    sessionId: integer('session_id').references(() => sessions.id),
    /** Set when the secretariat moved the speaker by hand (1-based place in the session's list). */
    manualPosition: integer('manual_position'),
    moveReason: text('move_reason'),
    late: boolean('late').notNull().default(false),
    submittedBy: text('submitted_by').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check(
      'speaking_requests_kind_check',
      sql`${t.kind} in ('policy_statement', 'high_level_session', 'ministerial_roundtable', 'regulators_roundtable')`,
    ),
    check(
      'speaking_requests_state_check',
      sql`${t.state} in ('submitted', 'accepted', 'declined', 'waitlisted', 'withdrawn')`,
    ),
    check(
      'speaking_requests_rank_check',
      sql`${t.rank} in ('head_of_state', 'head_of_government', 'vice_president', 'minister', 'deputy_minister', 'head_of_regulator', 'ambassador', 'other')`,
    ),
    check('speaking_requests_language_check', sql`${t.language} in ('ar', 'zh', 'en', 'fr', 'ru', 'es')`),
    check('speaking_requests_speaker_locale_check', sql`${t.speakerLocale} in ('ar', 'zh', 'en', 'fr', 'ru', 'es')`),
    check('speaking_requests_session_check', sql`${t.sessionId} is null or ${t.state} = 'accepted'`),
    /** One live request per entity per kind per event. */
    uniqueIndex('speaking_requests_live_uniq')
      .on(t.eventId, t.entityId, t.kind)
      .where(sql`${t.state} in ('submitted', 'accepted', 'waitlisted')`),
    index('speaking_requests_event_state_idx').on(t.eventId, t.state),
    index('speaking_requests_session_idx').on(t.sessionId),
  ],
);

/** Reminders scheduled (one job per event, days and deadline) and sent (one message per person): each once. */
export const speakingReminders = pgTable(
  'speaking_reminders',
  {
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    days: integer('days').notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    /** '' for the scheduled job itself; a person id for each message sent. */
    personId: text('person_id').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.days, t.deadline, t.personId] })],
);
