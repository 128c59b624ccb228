import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import type { Localized } from '../../platform/i18n/localized.js';
import { events, rooms } from '../events/events.schema.js';

export const tracks = pgTable('tracks', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: jsonb('name').$type<Localized>().notNull(),
  position: integer('position').notNull().default(0),
});

/** The eleven WSIS Action Lines, C1–C11. */
export const actionLines = pgTable(
  'action_lines',
  {
    code: text('code').primaryKey(),
    name: jsonb('name').$type<Localized>().notNull(),
    facilitators: text('facilitators').notNull().default(''),
    position: integer('position').notNull(),
  },
  (t) => [check('action_lines_code_check', sql`${t.code} ~ '^C([1-9]|1[01])$'`)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    trackId: integer('track_id').references(() => tracks.id),
    roomId: integer('room_id').references(() => rooms.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
    description: jsonb('description').$type<Localized>().notNull().default({}),
    format: text('format').notNull().default('panel'),
    /** Lower-cased titles, descriptions and speaker names in every language, for text search. */
    searchText: text('search_text').notNull().default(''),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('sessions_times_check', sql`${t.endsAt} > ${t.startsAt}`),
    index('sessions_starts_at_idx').on(t.startsAt),
    index('sessions_event_idx').on(t.eventId),
    index('sessions_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const sessionActionLines = pgTable(
  'session_action_lines',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    actionLine: text('action_line')
      .notNull()
      .references(() => actionLines.code),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.actionLine] }),
    index('session_action_lines_line_idx').on(t.actionLine),
  ],
);

export const sessionSpeakers = pgTable(
  'session_speakers',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** As the speaker writes it, in their own script. */
    name: text('name').notNull(),
    /** In Latin letters, for badges and lists. */
    nameLatin: text('name_latin'),
    role: jsonb('role').$type<Localized>().notNull().default({}),
    organization: text('organization').notNull().default(''),
    country: text('country'),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.position] })],
);
