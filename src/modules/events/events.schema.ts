import { sql } from 'drizzle-orm';
import { check, date, integer, jsonb, pgTable, serial, text, type AnyPgColumn } from 'drizzle-orm/pg-core';
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
