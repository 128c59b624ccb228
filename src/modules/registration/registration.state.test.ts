import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainError } from '../../platform/errors.js';
import {
  initialState,
  isLive,
  REGISTRATION_STATES,
  transition,
  type RegistrationAction,
} from './registration.state.js';

describe('registration state machine', () => {
  it('allows exactly the declared transitions', () => {
    const allowed: Record<string, string> = {
      'pending_dfp:approve': 'approved',
      'pending_secretariat:approve': 'approved',
      'pending_dfp:approve_waitlist': 'waitlisted',
      'pending_secretariat:approve_waitlist': 'waitlisted',
      'pending_dfp:reject': 'rejected',
      'pending_secretariat:reject': 'rejected',
      'waitlisted:reject': 'rejected',
      'approved:reject': 'rejected',
      'pending_dfp:withdraw': 'withdrawn',
      'pending_secretariat:withdraw': 'withdrawn',
      'approved:withdraw': 'withdrawn',
      'waitlisted:withdraw': 'withdrawn',
      'waitlisted:promote': 'approved',
      'pending_dfp:escalate': 'pending_secretariat',
    };
    const actions: RegistrationAction[] = ['approve', 'approve_waitlist', 'reject', 'withdraw', 'promote', 'escalate'];
    for (const from of REGISTRATION_STATES) {
      for (const action of actions) {
        const key = `${from}:${action}`;
        if (allowed[key]) assert.equal(transition(from, action), allowed[key], key);
        else
          assert.throws(
            () => transition(from, action),
            (e: DomainError) => e.code === 'registration_transition_invalid' && e.params.from === from,
            key,
          );
      }
    }
  });

  it('routes a new request to its focal point, the secretariat, or straight to a decision', () => {
    assert.equal(initialState({ entityHasDfp: true, needsSecretariat: false, autoApproved: false }), 'pending_dfp');
    assert.equal(
      initialState({ entityHasDfp: false, needsSecretariat: false, autoApproved: false }),
      'pending_secretariat',
    );
    assert.equal(
      initialState({ entityHasDfp: true, needsSecretariat: true, autoApproved: false }),
      'pending_secretariat',
    );
    assert.equal(initialState({ entityHasDfp: true, needsSecretariat: false, autoApproved: true }), 'approve');
    assert.ok(isLive('waitlisted') && !isLive('withdrawn') && !isLive('rejected'));
  });
});
