/**
 * Who gets through a door, pure: the same rules run on the server and, through the manifest, decide offline.
 * A checkpoint is an event (`event:<slug>`) or one of its sessions (`session:<code>`).
 */
import { genevaDate, genevaParts } from '../../platform/i18n/format.js';

export const REFUSALS = [
  'invalid_code',
  'revoked',
  'outside_event_days',
  'outside_opening_hours',
  'not_registered_for_event',
  'restricted_session',
  'already_checked_in',
] as const;
export type Refusal = (typeof REFUSALS)[number];

export type EventNode = {
  id: number;
  slug: string;
  parentId: number | null;
  kind: string;
  restricted: boolean;
  /** The event's days (YYYY-MM-DD, Geneva): a badge opens its doors only then. */
  days?: { from: string; to: string };
};

/** Whether an instant falls on one of the event's days, in Geneva. */
export function withinDays(target: EventNode, at: Date): boolean {
  if (!target.days) return true;
  const d = genevaDate(at);
  return d >= target.days.from && d <= target.days.to;
}

/**
 * Whether a person registered (approved, in person) for `registered` may enter `target`: their own events; events
 * nested under one of them unless restricted (the Regulators' Roundtable); a ceremony with any registration.
 */
export function admits(all: EventNode[], registered: ReadonlySet<number>, target: EventNode): boolean {
  if (registered.has(target.id)) return true;
  if (target.restricted) return false;
  if (target.kind === 'ceremony') return registered.size > 0;
  for (let e = target; e.parentId != null; ) {
    const parent = all.find((x) => x.id === e.parentId);
    if (!parent) break;
    if (registered.has(parent.id)) return true;
    e = parent;
  }
  return false;
}

/** A checkpoint's opening hours on one day, Geneva wall-clock (`HH:MM`; opening included, closing excluded). */
export type OpeningHours = { day: string; opens: string; closes: string };

/** The Geneva wall-clock time of an instant, `HH:MM`. */
export function genevaTime(at: Date): string {
  const p = genevaParts(at);
  return `${p.hour}:${p.minute}`;
}

/**
 * Whether a checkpoint is open at an instant: a day without hours is open all day (the event's days still apply);
 * a day with hours is open from the opening minute up to, not including, the closing minute, in Geneva time.
 */
export function withinHours(hours: readonly OpeningHours[] | undefined, at: Date): boolean {
  const today = hours?.find((h) => h.day === genevaDate(at));
  if (!today) return true;
  const hm = genevaTime(at);
  return hm >= today.opens && hm < today.closes;
}

export type Decision = { result: 'admitted' } | { result: 'refused'; reason: Refusal };

/** The answer for a badge at a checkpoint (before the once-per-checkpoint rule, which the database keeps). */
export function decide(input: {
  badge?: { revoked: boolean };
  registered: ReadonlySet<number>;
  all: EventNode[];
  target: EventNode;
  /** When the badge is shown: outside the event's days, or the checkpoint's opening hours, it is refused. */
  at?: Date;
  hours?: readonly OpeningHours[];
}): Decision {
  if (!input.badge) return { result: 'refused', reason: 'invalid_code' };
  if (input.badge.revoked) return { result: 'refused', reason: 'revoked' };
  if (!admits(input.all, input.registered, input.target))
    return { result: 'refused', reason: input.target.restricted ? 'restricted_session' : 'not_registered_for_event' };
  if (input.at && !withinDays(input.target, input.at)) return { result: 'refused', reason: 'outside_event_days' };
  if (input.at && !withinHours(input.hours, input.at)) return { result: 'refused', reason: 'outside_opening_hours' };
  return { result: 'admitted' };
}
