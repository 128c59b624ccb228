/**
 * The life of a pledge, as pure functions. announced → confirmed (agreement signed) → partially_paid → paid; a pledge
 * not fully paid may be cancelled (before any money arrived) or reduced (never below what was received), each with a
 * reason. Payments and reversals move it between confirmed, partially_paid and paid by what was received. Anything
 * else is refused with a stable code.
 */
import { DomainError } from '../../platform/errors.js';

export const PLEDGE_STATES = ['announced', 'confirmed', 'partially_paid', 'paid', 'cancelled'] as const;
export type PledgeState = (typeof PLEDGE_STATES)[number];

export const PURPOSES = ['general', 'wsis_prizes', 'ldc_fellowships', 'session', 'partner_package'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const COMMITMENT_FORMS = ['announcement', 'letter', 'agreement'] as const;
export type CommitmentForm = (typeof COMMITMENT_FORMS)[number];

/** How a contributor agreed to be named: not at all, by name, or by name with the amount. */
export const RECOGNITION = ['none', 'name', 'name_and_amount'] as const;
export type Recognition = (typeof RECOGNITION)[number];

export const PLEDGE_KINDS = ['cash', 'in_kind'] as const;
export type PledgeKind = (typeof PLEDGE_KINDS)[number];

export type PledgeMove = 'confirm' | 'pay' | 'deliver' | 'reverse' | 'reduce' | 'cancel';

const invalid = (from: PledgeState, move: PledgeMove) =>
  new DomainError('pledge_transition_invalid', 409, { from, move });

/** The state after money received changes (a payment or a reversal), from what is now received against what is pledged. */
export function stateByReceived(pledged: number, received: number): 'confirmed' | 'partially_paid' | 'paid' {
  if (received <= 0) return 'confirmed';
  return received >= pledged ? 'paid' : 'partially_paid';
}

/** Checks that `move` makes sense from `from`; throws the move's own code otherwise. */
export function assertMove(from: PledgeState, move: PledgeMove, p: { kind: PledgeKind; received: number }): void {
  switch (move) {
    case 'confirm':
      if (from !== 'announced') throw invalid(from, move);
      return;
    case 'pay':
      if (p.kind === 'in_kind') throw new DomainError('pledge_in_kind', 409);
      if (from === 'announced') throw new DomainError('pledge_not_confirmed', 409);
      if (from === 'cancelled') throw invalid(from, move);
      return; // a payment on a paid pledge is recorded and flagged as overpayment
    case 'deliver':
      if (p.kind !== 'in_kind') throw new DomainError('pledge_not_in_kind', 409);
      if (from === 'announced') throw new DomainError('pledge_not_confirmed', 409);
      if (from === 'cancelled' || from === 'paid') throw invalid(from, move);
      return;
    case 'reverse':
      if (from === 'announced' || from === 'cancelled') throw invalid(from, move);
      return;
    case 'reduce':
      if (from === 'paid' || from === 'cancelled') throw invalid(from, move);
      return;
    case 'cancel':
      if (from === 'paid' || from === 'cancelled') throw invalid(from, move);
      if (p.received > 0) throw new DomainError('pledge_has_payments', 409);
      return;
  }
}

/** The state after a move, given the (new) amounts. */
export function nextState(
  from: PledgeState,
  move: PledgeMove,
  p: { kind: PledgeKind; pledged: number; received: number },
): PledgeState {
  assertMove(from, move, p);
  switch (move) {
    case 'confirm':
      return 'confirmed';
    case 'cancel':
      return 'cancelled';
    case 'reduce':
      return from === 'announced' ? 'announced' : stateByReceived(p.pledged, p.received);
    default:
      return stateByReceived(p.pledged, p.received);
  }
}

/** A reason is required to cancel or reduce: non-empty after trimming. */
export function requireReason(reason: string | undefined | null): string {
  const r = (reason ?? '').trim();
  if (!r) throw new DomainError('reason_required', 400);
  return r;
}
