/** Writes one audit row in the caller's transaction: who, for whom, what, when, from where, and what changed. */
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

export async function audit(tx: DbOrTx, ctx: Ctx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    at: ctx.now,
    actor: actorLabel(ctx.actor),
    actingFor: ctx.actor.kind === 'person' ? (ctx.actor.actingFor ?? null) : null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: String(entry.subjectId),
    ip: ctx.ip ?? null,
    changes: diff(entry.before, entry.after),
    data: entry.data ?? {},
  });
}
