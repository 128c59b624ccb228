/** Writes one audit row in the caller's transaction: who, for whom, what, when, from where, and what changed. */
import { and, desc, eq, gte, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { auditLog } from './platform.schema.js';
import { actorLabel, type Ctx } from './context.js';

export type AuditEntry = {
  action: string;
  subjectType: string;
  subjectId: string | number;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  data?: Record<string, unknown>;
};

/** The fields whose values differ, as `{ field: [before, after] }`. */
export function diff(before: Record<string, unknown> = {}, after: Record<string, unknown> = {}) {
  const out: Record<string, [unknown, unknown]> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[k] instanceof Date ? (before[k] as Date).toISOString() : before[k];
    const b = after[k] instanceof Date ? (after[k] as Date).toISOString() : after[k];
    if (JSON.stringify(a) !== JSON.stringify(b)) out[k] = [a ?? null, b ?? null];
  }
  return out;
}

const auditRow = (ctx: Ctx, entry: AuditEntry) => ({
  at: ctx.now,
  actor: actorLabel(ctx.actor),
  actingFor: ctx.actor.kind === 'person' && ctx.actor.actingFor != null ? String(ctx.actor.actingFor) : null,
  action: entry.action,
  subjectType: entry.subjectType,
  subjectId: String(entry.subjectId),
  ip: ctx.ip ?? null,
  changes: diff(entry.before, entry.after),
  data: entry.data ?? {},
});

export async function audit(tx: DbOrTx, ctx: Ctx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(auditRow(ctx, entry));
}

/** Many audit rows of one operation in ONE insert (a bulk decision writes one statement, not one per request). */
export async function auditMany(tx: DbOrTx, ctx: Ctx, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await tx.insert(auditLog).values(entries.map((e) => auditRow(ctx, e)));
}

export type AuditFilter = {
  actor?: string;
  /** Any of these actors (people found by a search). */
  actors?: string[];
  /** Rows about any of these subjects (the subjects that concern one person). */
  subjects?: { type: string; ids: string[] }[];
  /** Keyset: rows older than this one. */
  before?: { at: Date; id: number };
  actingFor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit?: number;
};

/** The audit trail, newest first, for administrators. */
export async function listAuditEntries(db: DbOrTx, f: AuditFilter) {
  const where: SQL[] = [];
  if (f.actor) where.push(eq(auditLog.actor, f.actor));
  if (f.actors) where.push(f.actors.length ? inArray(auditLog.actor, f.actors) : sql`false`);
  if (f.subjects) {
    const any = f.subjects
      .filter((s) => s.ids.length)
      .map((s) => and(eq(auditLog.subjectType, s.type), inArray(auditLog.subjectId, s.ids)) as SQL);
    where.push(any.length ? (or(...any) as SQL) : sql`false`);
  }
  if (f.before)
    where.push(sql`(${auditLog.at}, ${auditLog.id}) < (${f.before.at.toISOString()}::timestamptz, ${f.before.id})`);
  if (f.actingFor) where.push(eq(auditLog.actingFor, f.actingFor));
  if (f.action) where.push(like(auditLog.action, `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.from) where.push(gte(auditLog.at, f.from));
  if (f.to) where.push(lt(auditLog.at, f.to));
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(f.limit ?? 200);
}
