/**
 * Checkpoints' opening hours, per day in Geneva time, edited by door staff (`checkin.scan`). Every scan needs them:
 * the whole (small) table is read at most every 5 seconds per process, and at once after a change made here.
 */
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { genevaDate } from '../../platform/i18n/format.js';
import { authorize } from '../../platform/permissions.js';
import { withinDays, withinHours, type EventNode, type OpeningHours } from './checkin.rules.js';
import { checkpointHours } from './checkin.schema.js';

const HOURS_MS = 5000;
const memo = new WeakMap<object, { at: number; all: Promise<Map<string, OpeningHours[]>> }>();

async function loadAll(db: DbOrTx): Promise<Map<string, OpeningHours[]>> {
  const rows = await db.select().from(checkpointHours).orderBy(checkpointHours.checkpoint, checkpointHours.day);
  const out = new Map<string, OpeningHours[]>();
  for (const r of rows)
    out.set(r.checkpoint, [...(out.get(r.checkpoint) ?? []), { day: r.day, opens: r.opens, closes: r.closes }]);
  return out;
}

/** A checkpoint's opening hours (empty: open all day on its event's days). */
export async function hoursOf(db: DbOrTx, checkpoint: string): Promise<OpeningHours[]> {
  let m = memo.get(db);
  if (!m || performance.now() - m.at > HOURS_MS) {
    const all = loadAll(db);
    m = { at: performance.now(), all };
    all.catch(() => memo.delete(db));
    memo.set(db, m);
  }
  return (await m.all).get(checkpoint) ?? [];
}

/** The Geneva days from `from` to `to` (YYYY-MM-DD), both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T12:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1))
    out.push(d.toISOString().slice(0, 10));
  return out;
}

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

/**
 * Replaces a checkpoint's opening hours (audited). Each day is given both times or neither (then it is open all day).
 * Throws `hours_invalid` (a time that is not HH:MM, one time without the other) or `hours_order` (closing not after
 * opening), with the field, and `hours_day_outside` for a day outside the checkpoint's event.
 */
export async function saveCheckpointHours(
  ctx: Ctx & { db: Db },
  checkpoint: string,
  target: EventNode,
  input: { day: string; opens: string; closes: string }[],
): Promise<OpeningHours[]> {
  authorize(ctx, 'checkin.scan');
  const days = target.days ? new Set(daysBetween(target.days.from, target.days.to)) : undefined;
  const rows: OpeningHours[] = [];
  for (const h of input) {
    const opens = h.opens.trim();
    const closes = h.closes.trim();
    if (!opens && !closes) continue;
    if (days && !days.has(h.day)) throw new DomainError('hours_day_outside', 400, { field: `opens_${h.day}` });
    if (!HHMM.test(opens) || opens === '24:00')
      throw new DomainError('hours_invalid', 400, { field: `opens_${h.day}` });
    if (!HHMM.test(closes)) throw new DomainError('hours_invalid', 400, { field: `closes_${h.day}` });
    if (closes <= opens) throw new DomainError('hours_order', 400, { field: `closes_${h.day}` });
    rows.push({ day: h.day, opens, closes });
  }
  const result = await ctx.db.transaction(async (tx) => {
    const before = await tx.select().from(checkpointHours).where(eq(checkpointHours.checkpoint, checkpoint));
    await tx.delete(checkpointHours).where(eq(checkpointHours.checkpoint, checkpoint));
    if (rows.length) await tx.insert(checkpointHours).values(rows.map((r) => ({ checkpoint, ...r })));
    await audit(tx, ctx, {
      action: 'checkin.hours_set',
      subjectType: 'checkpoint',
      subjectId: checkpoint,
      before: Object.fromEntries(before.map((b) => [b.day, `${b.opens}–${b.closes}`])),
      after: Object.fromEntries(rows.map((b) => [b.day, `${b.opens}–${b.closes}`])),
    });
    return rows;
  });
  memo.delete(ctx.db);
  return result;
}

export type OpenState =
  | { open: true; until?: string }
  | { open: false; today?: OpeningHours; reason: 'outside_event_days' | 'outside_opening_hours' };

/** Whether a checkpoint is open at an instant, and today's hours: for the door page. */
export function openState(target: EventNode, hours: readonly OpeningHours[], at: Date): OpenState {
  if (!withinDays(target, at)) return { open: false, reason: 'outside_event_days' };
  const today = hours.find((h) => h.day === genevaDate(at));
  if (withinHours(hours, at)) return { open: true, until: today?.closes };
  return { open: false, today, reason: 'outside_opening_hours' };
}
