/** Cross-cutting tables: the audit log, the jobs/outbox queue and the content version used by page caches. */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  customType,
  index,
  inet,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { Localized } from './i18n/localized.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Who acted: a person id, or `system` / `cli` / `anonymous`. */
    actor: text('actor').notNull(),
    /** The entity the actor acted for, when any. */
    actingFor: text('acting_for'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    ip: inet('ip'),
    /** Changed fields: `{ field: [before, after] }`. */
    changes: jsonb('changes').$type<Record<string, [unknown, unknown]>>().notNull().default({}),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_subject_idx').on(t.subjectType, t.subjectId),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actor),
  ],
);

export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    state: text('state').notNull().default('pending'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    check('jobs_state_check', sql`${t.state} in ('pending', 'done', 'failed')`),
    index('jobs_due_idx').on(t.runAt).where(sql`${t.state} = 'pending'`),
    // A person's e-mails (their page in the back office): messages by recipient address.
    index('jobs_mail_to_idx').on(sql`lower(${t.payload}->>'to')`, t.id).where(sql`${t.kind} = 'mail.send'`),
  ],
);

/** Named counters; `content` is bumped in the same transaction as every change to public data. */
export const siteState = pgTable('site_state', {
  key: text('key').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/** Settings every process shares, such as the secret that signs cookies when CONVENE_SECRET is not set. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * The organiser's identity (one row, id 1), set by the secretariat: its name and short name per language, the
 * address line of its letterheads, and its logo (re-encoded PNG, see images.ts). Without a row the defaults of
 * organiser.ts (the ITU) apply.
 */
export const organiserIdentity = pgTable(
  'organiser_identity',
  {
    id: integer('id').primaryKey().default(1),
    name: jsonb('name').$type<Localized>().notNull(),
    shortName: jsonb('short_name').$type<Localized>().notNull(),
    address: jsonb('address').$type<Localized>().notNull().default({}),
    logoPng: bytea('logo_png'),
    logoWidth: integer('logo_width'),
    logoHeight: integer('logo_height'),
    logoSha256: text('logo_sha256'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [check('organiser_identity_one_row', sql`${t.id} = 1`)],
);
