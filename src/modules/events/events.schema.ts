import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  date,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { Localized } from '../../platform/i18n/localized.js';

export const venues = pgTable('venues', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: jsonb('name').$type<Localized>().notNull(),
  city: jsonb('city').$type<Localized>().notNull(),
  country: text('country').notNull(),
  timeZone: text('time_zone').notNull(),
  address: text('address').notNull().default(''),
});

export const rooms = pgTable(
  'rooms',
  {
    id: serial('id').primaryKey(),
    venueId: integer('venue_id')
      .notNull()
      .references(() => venues.id),
    slug: text('slug').notNull().unique(),
    name: jsonb('name').$type<Localized>().notNull(),
    capacity: integer('capacity'),
    position: integer('position').notNull().default(0),
  },
  (t) => [check('rooms_capacity_check', sql`${t.capacity} is null or ${t.capacity} > 0`)],
);

export const EVENT_KINDS = ['forum', 'summit', 'dialogue', 'track', 'ceremony', 'roundtable'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const events = pgTable(
  'events',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    parentId: integer('parent_id').references((): AnyPgColumn => events.id),
    kind: text('kind').$type<EventKind>().notNull(),
    name: jsonb('name').$type<Localized>().notNull(),
    shortName: jsonb('short_name').$type<Localized>().notNull(),
    description: jsonb('description').$type<Localized>().notNull().default({}),
    organizers: jsonb('organizers').$type<Localized>().notNull().default({}),
    venueId: integer('venue_id')
      .notNull()
      .references(() => venues.id),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    timeZone: text('time_zone').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [
    check('events_dates_check', sql`${t.endDate} >= ${t.startDate}`),
    check('events_kind_check', sql`${t.kind} in ('forum', 'summit', 'dialogue', 'track', 'ceremony', 'roundtable')`),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

/**
 * An event's own logo, set by the secretariat (`events.identity.ts`): re-encoded PNG (platform/images.ts). Kept
 * beside the events row so that reading the events (every page) does not read the image. Without a row the
 * organiser's logo stands for the event.
 */
export const eventLogos = pgTable('event_logos', {
  eventId: integer('event_id')
    .primaryKey()
    .references(() => events.id),
  png: bytea('png').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  sha256: text('sha256').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  updatedBy: text('updated_by').notNull(),
});
