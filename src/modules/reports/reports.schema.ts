import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

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
 * The List of Participants as made by the worker (`reports.lop-editions.ts`): one edition per event (or `week`) ×
 * language × provisional/final. `state`, `done` and `total` are those of the latest run (rows done of total, written as
 * the job goes); `pdf`, `xlsx` and `dated` those of the last finished one, kept while a new one is made. `job_id` is
 * the queued job, so a request while one runs starts no second one (and one whose job is gone does not block).
 */
export const reportLopEditions = pgTable(
  'report_lop_editions',
  {
    id: serial('id').primaryKey(),
    /** An event's slug, or `week` for the whole week. */
    scope: text('scope').notNull(),
    locale: text('locale').notNull(),
    edition: text('edition').$type<'provisional' | 'final'>().notNull(),
    state: text('state').$type<'queued' | 'running' | 'done' | 'failed'>().notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    jobId: bigint('job_id', { mode: 'number' }),
    error: text('error'),
    pdf: bytea('pdf'),
    xlsx: bytea('xlsx'),
    /** The date printed on the finished edition (Geneva, YYYY-MM-DD). */
    dated: text('dated'),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('report_lop_editions_uniq').on(t.scope, t.locale, t.edition),
    check('report_lop_editions_state_check', sql`${t.state} in ('queued', 'running', 'done', 'failed')`),
    check('report_lop_editions_edition_check', sql`${t.edition} in ('provisional', 'final')`),
  ],
);

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
