import { sql } from 'drizzle-orm';
import {
  check,
  customType,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
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
    /** The floor (or hall) it is on; null: not placed yet. */
    floorId: integer('floor_id').references((): AnyPgColumn => venueFloors.id, { onDelete: 'set null' }),
    /** Step-free access, hearing loops, reserved seats…, per language (public). */
    accessibility: jsonb('accessibility').$type<Localized>().notNull().default({}),
    /** Where the room is on its floor's plan, in percent of the plan's width and height from its top-left corner. */
    planX: real('plan_x'),
    planY: real('plan_y'),
    /** A retired room keeps its row (its sessions, the change log) but is offered for no new session. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    check('rooms_capacity_check', sql`${t.capacity} is null or ${t.capacity} > 0`),
    check(
      'rooms_plan_check',
      sql`(${t.planX} is null) = (${t.planY} is null) and (${t.planX} is null or (${t.planX} between 0 and 100 and ${t.planY} between 0 and 100))`,
    ),
  ],
);

/** A floor or hall of the venue, in the order visitors meet them. */
export const venueFloors = pgTable('venue_floors', {
  id: serial('id').primaryKey(),
  venueId: integer('venue_id')
    .notNull()
    .references(() => venues.id),
  slug: text('slug').notNull().unique(),
  name: jsonb('name').$type<Localized>().notNull(),
  position: integer('position').notNull().default(0),
});

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** The plan of a floor uploaded by the secretariat: an SVG as uploaded, or a re-encoded PNG or JPEG. */
export const floorPlans = pgTable(
  'floor_plans',
  {
    floorId: integer('floor_id')
      .primaryKey()
      .references(() => venueFloors.id, { onDelete: 'cascade' }),
    contentType: text('content_type').notNull(),
    bytes: bytea('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: text('sha256').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    uploadedBy: text('uploaded_by').notNull(),
  },
  (t) => [
    check('floor_plans_type_check', sql`${t.contentType} in ('image/svg+xml', 'image/png', 'image/jpeg')`),
    check('floor_plans_size_check', sql`${t.width} > 0 and ${t.height} > 0`),
  ],
);

/** A room's opening hours on one day of the week (Geneva time), where they differ from its usual hours. */
export const roomHours = pgTable(
  'room_hours',
  {
    roomId: integer('room_id')
      .notNull()
      .references(() => rooms.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    opens: text('opens').notNull(),
    closes: text('closes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.day] }), check('room_hours_order_check', sql`${t.closes} > ${t.opens}`)],
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
