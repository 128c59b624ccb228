import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * The dashboard's counters, kept in the transaction of every change that moves a figure (`reports.tallies.ts`).
 * `scope` is `all` or an event's id (the event and its parts); `dim` the figure (`state`, `nationality`, `reg_day`…);
 * `key` the group ('' for none). `n` counts distinct people for the people figures, rows for the per-day ones.
 */
export const reportTallies = pgTable(
  'report_tallies',
  {
    scope: text('scope').notNull(),
    dim: text('dim').notNull(),
    key: text('key').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.dim, t.key] })],
);

/**
 * What each subject (a person `p:<id>`, a speaking request `s:<id>`) adds to the counters now: `{ "<scope>|<dim>|<key>":
 * n }`. A change recomputes its subject's contribution from the rows and applies the difference, so a person counted
 * once in a group stays counted once however many registrations put them there.
 */
export const reportSubjects = pgTable('report_subjects', {
  subject: text('subject').primaryKey(),
  keys: jsonb('keys').$type<Record<string, number>>().notNull(),
});

/**
 * Changes to the counters not yet folded into `report_tallies`: a writing transaction only appends its differences
 * here (no shared row is touched, so concurrent writes never wait for one another), readers add them to the folded
 * counters, and the worker folds them in one statement every second (`foldTallies`). No index: the table holds about a
 * second's changes (a reader folds it when it has grown).
 */
export const reportTallyDeltas = pgTable('report_tally_deltas', {
  scope: text('scope').notNull(),
  dim: text('dim').notNull(),
  key: text('key').notNull(),
  n: integer('n').notNull(),
});
