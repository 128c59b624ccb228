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
} from 'drizzle-orm/pg-core';
import { people } from '../accounts/accounts.schema.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { events, rooms } from '../events/events.schema.js';

export type SessionRestrictions = {
  inPersonOnly?: boolean;
  invitationOnly?: boolean;
  /** The language the session is held in. */
  language?: string;
  /** Languages interpreted into (each needs a booth in the room). */
  interpretation?: string[];
};

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
    /** Places in the session (at most the room's); null: the room's. */
    capacity: integer('capacity'),
    restrictions: jsonb('restrictions').$type<SessionRestrictions>().notNull().default({}),
    /** Cancelled sessions stay (for the change log and agendas) but leave the public programme. */
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** For approved remote participants of the event only; never on public pages or the public API. */
    joinUrl: text('join_url'),
    webcastUrl: text('webcast_url'),
    /** The UN Sustainable Development Goals the session serves (1–17). */
    sdgs: integer('sdgs').array().notNull().default(sql`'{}'::integer[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('sessions_times_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('sessions_sdgs_check', sql`${t.sdgs} <@ array[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]`),
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
    /** A speaker with an account (their name is composed from it); null: typed in by the secretariat. */
    personId: text('person_id').references(() => people.id, { onDelete: 'set null' }),
    kind: text('kind').$type<'speaker' | 'moderator'>().notNull().default('speaker'),
    honorific: text('honorific').notNull().default(''),
    /** The name's parts (the composer orders them; null for rows written before parts were kept). */
    givenName: text('given_name'),
    familyName: text('family_name'),
    givenNameLatin: text('given_name_latin'),
    familyNameLatin: text('family_name_latin'),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.position] })],
);

/** What the secretariat sees in a room: interpretation booths and the hours the venue keeps it open (Geneva time). */
export const roomFacilities = pgTable('room_facilities', {
  roomId: integer('room_id')
    .primaryKey()
    .references(() => rooms.id, { onDelete: 'cascade' }),
  booths: text('booths').array().notNull().default(sql`'{}'::text[]`),
  opens: text('opens').notNull().default('08:00'),
  closes: text('closes').notNull().default('20:00'),
});

/** A speaker or moderator as the editor holds them until publication. */
export type DraftSpeaker = {
  kind: 'speaker' | 'moderator';
  personId: string | null;
  givenName: string;
  familyName: string;
  givenNameLatin: string;
  familyNameLatin: string;
  honorific: string;
  title: string;
  /** The title in every language it is written in (absent in drafts saved before it was kept): `title` is one of them. */
  role?: Localized;
  organization: string;
  /** ISO country (orders a Latin-script Vietnamese or Hungarian name family first). */
  country?: string | null;
};

/** A session as edited, not yet public. */
export type DraftData = {
  eventId: number;
  trackId: number | null;
  roomId: number | null;
  startsAt: string;
  endsAt: string;
  title: Localized;
  description: Localized;
  format: string;
  actionLines: string[];
  /** Absent in drafts saved before SDGs were kept. */
  sdgs?: number[];
  capacity: number | null;
  restrictions: SessionRestrictions;
  speakers: DraftSpeaker[];
  joinUrl: string | null;
  webcastUrl: string | null;
  cancelled: boolean;
};

/** Edits waiting for publication: one per session (a new session has no `session_id` yet). */
export const sessionDrafts = pgTable(
  'session_drafts',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    sessionId: integer('session_id').references(() => sessions.id, { onDelete: 'cascade' }),
    data: jsonb('data').$type<DraftData>().notNull(),
    /** Why the secretariat saved it despite its conflicts (audited). */
    overrideReason: text('override_reason'),
    updatedBy: text('updated_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('session_drafts_code_idx').on(t.code)],
);

/** One publication of the programme. */
export const programmeVersions = pgTable('programme_versions', {
  id: serial('id').primaryKey(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  publishedBy: text('published_by').notNull(),
});

/** What one publication changed, per session (the public change log of each event). */
export const programmeChanges = pgTable(
  'programme_changes',
  {
    versionId: integer('version_id')
      .notNull()
      .references(() => programmeVersions.id, { onDelete: 'cascade' }),
    sessionCode: text('session_code').notNull(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    kind: text('kind').$type<'added' | 'changed' | 'cancelled'>().notNull(),
    fields: text('fields').array().notNull(),
    title: jsonb('title').$type<Localized>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.versionId, t.sessionCode] }),
    index('programme_changes_event_idx').on(t.eventId),
    check('programme_changes_kind_check', sql`${t.kind} in ('added', 'changed', 'cancelled')`),
  ],
);

/** A participant's personal agenda. */
export const agendaItems = pgTable(
  'agenda_items',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.sessionId] }), index('agenda_items_session_idx').on(t.sessionId)],
);

/** The secret in the address of a person's agenda feed (shown to them on their agenda page); resetting replaces it. */
export const agendaFeeds = pgTable('agenda_feeds', {
  personId: text('person_id')
    .primaryKey()
    .references(() => people.id, { onDelete: 'cascade' }),
  token: text('token').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** A reminder e-mail sent to a remote participant before a session of their agenda: at most one per person per session. */
export const sessionReminders = pgTable(
  'session_reminders',
  {
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.sessionId] })],
);
