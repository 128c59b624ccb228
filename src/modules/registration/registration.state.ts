/**
 * The registration state machine, pure. A request starts awaiting its focal point (or the secretariat when its entity
 * has no DFP or its category needs the secretariat), is approved (or waits for a place), rejected or withdrawn.
 */
import { DomainError } from '../../platform/errors.js';

export const REGISTRATION_STATES = [
  'pending_dfp',
  'pending_secretariat',
  'approved',
  'waitlisted',
  'rejected',
  'withdrawn',
] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];
export const LIVE_STATES: readonly RegistrationState[] = [
  'pending_dfp',
  'pending_secretariat',
  'approved',
  'waitlisted',
];

export type RegistrationAction = 'approve' | 'approve_waitlist' | 'reject' | 'withdraw' | 'promote' | 'escalate';

const TRANSITIONS: Record<RegistrationAction, Partial<Record<RegistrationState, RegistrationState>>> = {
  /** A decision to admit, when a place is free. */
  approve: { pending_dfp: 'approved', pending_secretariat: 'approved' },
  /** A decision to admit when the event is full: the request waits for a place. */
  approve_waitlist: { pending_dfp: 'waitlisted', pending_secretariat: 'waitlisted' },
  reject: { pending_dfp: 'rejected', pending_secretariat: 'rejected', waitlisted: 'rejected', approved: 'rejected' },
  withdraw: {
    pending_dfp: 'withdrawn',
    pending_secretariat: 'withdrawn',
    approved: 'withdrawn',
    waitlisted: 'withdrawn',
  },
  /** A freed place goes to the first in the waiting list. */
  promote: { waitlisted: 'approved' },
  /** A DFP hands a request to the secretariat. */
  escalate: { pending_dfp: 'pending_secretariat' },
};

/** The next state, or `registration_transition_invalid` (409) with the state and action. */
export function transition(from: RegistrationState, action: RegistrationAction): RegistrationState {
  const to = TRANSITIONS[action][from];
  if (!to) throw new DomainError('registration_transition_invalid', 409, { from, action });
  return to;
}

export function isLive(s: RegistrationState): boolean {
  return LIVE_STATES.includes(s);
}

/** Where a new request goes first. */
export function initialState(opts: {
  entityHasDfp: boolean;
  needsSecretariat: boolean;
  autoApproved: boolean;
}): RegistrationState | 'approve' {
  if (opts.autoApproved) return 'approve';
  if (opts.needsSecretariat || !opts.entityHasDfp) return 'pending_secretariat';
  return 'pending_dfp';
}
