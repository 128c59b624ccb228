import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { people } from '../accounts/accounts.schema.js';

/**
 * A person's badge: one live badge per person (partial unique index); revoking it and issuing a new one gives a new
 * token, and the old one stops working at the doors. The token is signed and carries no personal data.
 */
export const badges = pgTable(
  'badges',
  {
    id: serial('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    /** `CVB1.<nonce>.<mac>`: what the QR holds. */
    token: text('token').notNull(),
    category: text('category').notNull(),
    /** Names, latin names, e-mail and reference folded (lower case, no accents) for the badge desk's search. */
    searchKey: text('search_key').notNull().default(''),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    printCount: integer('print_count').notNull().default(0),
    lastPrintedAt: timestamp('last_printed_at', { withTimezone: true }),
    idCheckedAt: timestamp('id_checked_at', { withTimezone: true }),
    idCheckedBy: text('id_checked_by'),
    collectedAt: timestamp('collected_at', { withTimezone: true }),
    collectedBy: text('collected_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    uniqueIndex('badges_token_uniq').on(t.token),
    uniqueIndex('badges_live_uniq').on(t.personId).where(sql`${t.revokedAt} is null`),
    index('badges_person_idx').on(t.personId),
    // The desk's search: `search_key LIKE '%word%'` for every word typed, answered from trigrams at any size.
    index('badges_search_trgm_idx').using('gin', sql`${t.searchKey} gin_trgm_ops`),
    check('badges_print_count_check', sql`${t.printCount} >= 0`),
  ],
);

/**
 * Live badges (not revoked) per category, moved by triggers on `badges` in the transaction of every insert, update
 * and delete (migration 0021), so "badges issued" costs one tiny read at any number of badges.
 */
export const badgeTallies = pgTable('badge_tallies', {
  category: text('category').primaryKey(),
  live: integer('live').notNull().default(0),
});

/** A print run: badges chosen by a filter, rendered by a job into one PDF, progress shown while it runs. */
export const badgePrintBatches = pgTable('badge_print_batches', {
  id: serial('id').primaryKey(),
  filter: text('filter').notNull(),
  size: text('size').$type<'CR80' | 'A6'>().notNull(),
  state: text('state').$type<'queued' | 'running' | 'done' | 'failed'>().notNull().default('queued'),
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  /** Badge ids in print order, fixed when the batch is made. */
  badgeIds: integer('badge_ids').array().notNull(),
  file: text('file'),
  error: text('error'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
