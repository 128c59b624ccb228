import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { badges } from '../badges/badges.schema.js';

/**
 * Every scan at a door, once: the scanner names each scan with its own id (a retried or re-synced scan is the same
 * row). A badge is admitted once per checkpoint (partial unique index); later scans there are `already_checked_in`.
 */
export const scans = pgTable(
  'scans',
  {
    id: text('id').primaryKey(),
    badgeId: integer('badge_id').references(() => badges.id),
    /** `event:<slug>` or `session:<code>`. */
    checkpoint: text('checkpoint').notNull(),
    deviceId: text('device_id').notNull(),
    result: text('result').$type<'admitted' | 'refused'>().notNull(),
    reason: text('reason'),
    /** The scanner decided offline and its answer differs from the server's (another device admitted first). */
    conflict: boolean('conflict').notNull().default(false),
    offline: boolean('offline').notNull().default(false),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    scannedBy: text('scanned_by').notNull(),
  },
  (t) => [
    uniqueIndex('scans_admitted_uniq').on(t.badgeId, t.checkpoint).where(sql`${t.result} = 'admitted'`),
    index('scans_checkpoint_idx').on(t.checkpoint, t.result),
    /** The arrivals export reads admissions a page at a time in the order of the scans. */
    index('scans_admitted_at_idx').on(t.scannedAt, t.id).where(sql`${t.result} = 'admitted'`),
    check('scans_result_check', sql`${t.result} in ('admitted', 'refused')`),
  ],
);

/**
 * Arrivals and conflicts per checkpoint, moved by each stored scan right after its insert, so the arrivals page costs
 * the same at any number of scans. `rebuildCheckpointTallies` makes them again from the scans.
 */
export const checkpointTallies = pgTable('checkpoint_tallies', {
  checkpoint: text('checkpoint').primaryKey(),
  arrivals: integer('arrivals').notNull().default(0),
  conflicts: integer('conflicts').notNull().default(0),
});

/**
 * A checkpoint's opening hours, per day, in Geneva time (`HH:MM`, opening included, closing excluded, `24:00` for
 * midnight). A day without a row is open all day (on its event's days: the days rule still applies).
 */
export const checkpointHours = pgTable(
  'checkpoint_hours',
  {
    checkpoint: text('checkpoint').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    opens: text('opens').notNull(),
    closes: text('closes').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.checkpoint, t.day] }),
    check(
      'checkpoint_hours_format',
      sql`${t.opens} ~ '^[0-2][0-9]:[0-5][0-9]$' and ${t.closes} ~ '^[0-2][0-9]:[0-5][0-9]$'`,
    ),
    check('checkpoint_hours_order', sql`${t.opens} < ${t.closes}`),
  ],
);
