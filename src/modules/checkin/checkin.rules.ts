/**
 * Who gets through a door, pure: the same rules run on the server and, through the manifest, decide offline.
 * A checkpoint is an event (`event:<slug>`) or one of its sessions (`session:<code>`).
 */
import { genevaDate } from '../../platform/i18n/format.js';

export const REFUSALS = [
  'invalid_code',
  'revoked',
  'outside_event_days',
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

export type Decision = { result: 'admitted' } | { result: 'refused'; reason: Refusal };

/** The answer for a badge at a checkpoint (before the once-per-checkpoint rule, which the database keeps). */
export function decide(input: {
  badge?: { revoked: boolean };
  registered: ReadonlySet<number>;
  all: EventNode[];
  target: EventNode;
  /** When the badge is shown: outside the event's days it is refused. */
  at?: Date;
}): Decision {
  if (!input.badge) return { result: 'refused', reason: 'invalid_code' };
  if (input.badge.revoked) return { result: 'refused', reason: 'revoked' };
  if (!admits(input.all, input.registered, input.target))
    return { result: 'refused', reason: input.target.restricted ? 'restricted_session' : 'not_registered_for_event' };
  if (input.at && !withinDays(input.target, input.at)) return { result: 'refused', reason: 'outside_event_days' };
  return { result: 'admitted' };
}
