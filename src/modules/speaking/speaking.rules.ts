/**
 * The pure rules of speaking requests: kinds, ranks and their protocol precedence, who may ask for what, the states,
 * the deadline (an instant in Geneva time) and the order of a session's speakers. No database, no clock of its own.
 */
import { DomainError } from '../../platform/errors.js';
import { genevaInstant } from '../../platform/i18n/format.js';

export const KINDS = [
  'policy_statement',
  'high_level_session',
  'ministerial_roundtable',
  'regulators_roundtable',
] as const;
export type SpeakingKind = (typeof KINDS)[number];

/** Protocol precedence, highest first. */
export const RANKS = [
  'head_of_state',
  'head_of_government',
  'vice_president',
  'minister',
  'deputy_minister',
  'head_of_regulator',
  'ambassador',
  'other',
] as const;
export type Rank = (typeof RANKS)[number];
export const precedence = (r: Rank) => RANKS.indexOf(r);

export const STATES = ['submitted', 'accepted', 'declined', 'waitlisted', 'withdrawn'] as const;
export type SpeakingState = (typeof STATES)[number];
/** States that hold the entity's one request of a kind. */
export const LIVE_STATES: readonly SpeakingState[] = ['submitted', 'accepted', 'waitlisted'];

export type Decision = 'accept' | 'decline' | 'waitlist';
const TRANSITIONS: Record<SpeakingState, Partial<Record<Decision | 'withdraw', SpeakingState>>> = {
  submitted: { accept: 'accepted', decline: 'declined', waitlist: 'waitlisted', withdraw: 'withdrawn' },
  waitlisted: { accept: 'accepted', decline: 'declined', withdraw: 'withdrawn' },
  accepted: { decline: 'declined', waitlist: 'waitlisted', withdraw: 'withdrawn' },
  declined: {},
  withdrawn: {},
};

export function transition(from: SpeakingState, action: Decision | 'withdraw'): SpeakingState {
  const to = TRANSITIONS[from][action];
  if (!to) throw new DomainError('speaking_transition_invalid', 409, { from, action });
  return to;
}

/**
 * Who may ask for what: Member States every kind; other stakeholders (private sector, civil society, academia,
 * international organizations…) high-level session slots only; the Regulators' Roundtable heads of regulatory
 * authorities only. Throws `speaking_kind_not_allowed`, `speaking_rank_not_allowed`.
 */
export function checkEligible(entityKind: string, kind: SpeakingKind, rank: Rank): void {
  if (entityKind !== 'member_state' && kind !== 'high_level_session')
    throw new DomainError('speaking_kind_not_allowed', 403, { kind });
  if (kind === 'regulators_roundtable' && rank !== 'head_of_regulator')
    throw new DomainError('speaking_rank_not_allowed', 409, { kind });
}

/** What the programme says of a session: its format and the kind of the event it belongs to. */
export type SessionPlace = { format: string; eventKind: string };

/**
 * Which sessions of the High-Level Track take which kind of request, as the programme types them. The Regulators'
 * Roundtable is an event of its own (kind `roundtable`, nested in the track): its sessions take regulators only, and
 * regulators go only there. In the track itself the session's format decides: `statement` (policy statements) takes
 * policy statements, `panel` (Leaders TalkX) high-level sessions, `roundtable` the Ministerial Roundtable. Other
 * formats (the prizes ceremony) take none.
 */
const FITS: Record<SpeakingKind, (s: SessionPlace) => boolean> = {
  policy_statement: (s) => s.eventKind !== 'roundtable' && s.format === 'statement',
  high_level_session: (s) => s.eventKind !== 'roundtable' && s.format === 'panel',
  ministerial_roundtable: (s) => s.eventKind !== 'roundtable' && s.format === 'roundtable',
  regulators_roundtable: (s) => s.eventKind === 'roundtable',
};

/** The kinds of request a session takes (none for a ceremony). */
export const kindsFor = (s: SessionPlace): SpeakingKind[] => KINDS.filter((k) => FITS[k](s));

/** A request goes only to a session that takes its kind. Throws `speaking_session_mismatch`. */
export function checkSessionFits(kind: SpeakingKind, s: SessionPlace, params: Record<string, string> = {}): void {
  if (!FITS[kind](s)) throw new DomainError('speaking_session_mismatch', 409, params);
}

/** The deadline of CL-26/17: 1 May 2026, 23:59:59 in Geneva (summer time, UTC+2). */
export const DEFAULT_DEADLINE = new Date(genevaInstant('2026-05-01', '23:59').getTime() + 59_000);

/**
 * A deadline at 23:59:59 takes the whole of that second: requests are accepted while the instant, truncated to the
 * second, is not after it. At 00:00:00 the next day they are refused.
 */
export function isBeforeDeadline(now: Date, deadline: Date): boolean {
  return Math.floor(now.getTime() / 1000) * 1000 <= deadline.getTime();
}

/** Milliseconds left (0 once passed), counting the deadline's last second. */
export function timeLeft(now: Date, deadline: Date): number {
  return Math.max(0, deadline.getTime() + 1000 - now.getTime());
}

/** Whole days, hours and minutes left, for the form's countdown. */
export function countdown(ms: number): { days: number; hours: number; minutes: number } {
  const m = Math.floor(ms / 60_000);
  return { days: Math.floor(m / 1440), hours: Math.floor((m % 1440) / 60), minutes: m % 60 };
}

/** The moments of the reminders to focal points that have not submitted: 14 and 3 days before the deadline. */
export const REMINDER_DAYS = [14, 3] as const;
export const reminderAt = (deadline: Date, days: number) => new Date(deadline.getTime() - days * 86_400_000);

export type Orderable = { id: string; rank: Rank; submittedAt: Date; manualPosition: number | null };

/**
 * A session's speakers in order: by protocol precedence, then by the time the request was received (then by id, so
 * the order is total). A speaker the secretariat moved by hand keeps the position given (1-based), the others fill
 * the places around them in their natural order.
 */
export function orderSpeakers<T extends Orderable>(list: readonly T[]): T[] {
  const natural = (a: T, b: T) =>
    precedence(a.rank) - precedence(b.rank) ||
    a.submittedAt.getTime() - b.submittedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const free = list.filter((x) => x.manualPosition == null).sort(natural);
  const pinned = list
    .filter((x) => x.manualPosition != null)
    .sort((a, b) => a.manualPosition! - b.manualPosition! || natural(a, b));
  const out: T[] = [...free];
  for (const p of pinned) out.splice(Math.min(Math.max(p.manualPosition! - 1, 0), out.length), 0, p);
  return out;
}

/** Default time for one statement, in seconds. */
export const DEFAULT_TIME_LIMIT = 180;

/** The session's speaking time against its length: an overrun is flagged. */
export function sessionTiming(count: number, limitSeconds: number, startsAt: Date, endsAt: Date) {
  const total = count * limitSeconds;
  const length = Math.round((endsAt.getTime() - startsAt.getTime()) / 1000);
  return { total, length, overrun: total > length, over: Math.max(0, total - length) };
}
