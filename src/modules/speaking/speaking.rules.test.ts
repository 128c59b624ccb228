import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainError } from '../../platform/errors.js';
import {
  checkEligible,
  checkSessionFits,
  countdown,
  kindsFor,
  DEFAULT_DEADLINE,
  isBeforeDeadline,
  orderSpeakers,
  reminderAt,
  sessionTiming,
  timeLeft,
  transition,
  type Orderable,
} from './speaking.rules.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'none';
};

describe('speaking rules', () => {
  it('the deadline is 1 May 2026 23:59:59 in Geneva summer time (UTC+2), and takes its whole last second', () => {
    assert.equal(DEFAULT_DEADLINE.toISOString(), '2026-05-01T21:59:59.000Z');
    assert.equal(isBeforeDeadline(new Date('2026-05-01T23:59:59+02:00'), DEFAULT_DEADLINE), true);
    assert.equal(isBeforeDeadline(new Date('2026-05-01T23:59:59.999+02:00'), DEFAULT_DEADLINE), true);
    assert.equal(isBeforeDeadline(new Date('2026-05-02T00:00:00+02:00'), DEFAULT_DEADLINE), false);
    assert.equal(timeLeft(new Date('2026-05-02T00:00:00+02:00'), DEFAULT_DEADLINE), 0);
    assert.deepEqual(countdown(timeLeft(new Date('2026-04-20T10:00:00+02:00'), DEFAULT_DEADLINE)), {
      days: 11,
      hours: 14,
      minutes: 0,
    });
    // Reminders in Geneva wall-clock terms: 14 and 3 days before, still 23:59:59 summer time.
    assert.equal(reminderAt(DEFAULT_DEADLINE, 14).toISOString(), '2026-04-17T21:59:59.000Z');
    assert.equal(reminderAt(DEFAULT_DEADLINE, 3).toISOString(), '2026-04-28T21:59:59.000Z');
  });

  it('orders by protocol precedence, then by time received, then by id; ties are stable and total', () => {
    const at = (s: string) => new Date(`2026-04-${s}T10:00:00+02:00`);
    const list: Orderable[] = [
      { id: 'c', rank: 'minister', submittedAt: at('10'), manualPosition: null },
      { id: 'a', rank: 'ambassador', submittedAt: at('01'), manualPosition: null },
      { id: 'e', rank: 'head_of_state', submittedAt: at('20'), manualPosition: null },
      { id: 'b', rank: 'minister', submittedAt: at('05'), manualPosition: null },
      { id: 'd', rank: 'minister', submittedAt: at('05'), manualPosition: null },
      { id: 'f', rank: 'head_of_government', submittedAt: at('02'), manualPosition: null },
      { id: 'g', rank: 'vice_president', submittedAt: at('02'), manualPosition: null },
      { id: 'h', rank: 'deputy_minister', submittedAt: at('02'), manualPosition: null },
      { id: 'i', rank: 'head_of_regulator', submittedAt: at('02'), manualPosition: null },
      { id: 'j', rank: 'other', submittedAt: at('01'), manualPosition: null },
    ];
    const ids = (l: Orderable[]) => l.map((x) => x.id).join('');
    assert.equal(ids(orderSpeakers(list)), 'efgbdchiaj');
    assert.equal(ids(orderSpeakers([...list].reverse())), 'efgbdchiaj', 'the same whatever the input order');
  });

  it('a speaker moved by hand keeps the place given; the others keep their order around them', () => {
    const at = new Date('2026-04-10T10:00:00Z');
    const list: Orderable[] = [
      { id: 'a', rank: 'head_of_state', submittedAt: at, manualPosition: null },
      { id: 'b', rank: 'minister', submittedAt: at, manualPosition: null },
      { id: 'c', rank: 'ambassador', submittedAt: at, manualPosition: 1 },
      { id: 'd', rank: 'other', submittedAt: at, manualPosition: 99 },
    ];
    assert.deepEqual(
      orderSpeakers(list).map((x) => x.id),
      ['c', 'a', 'b', 'd'],
    );
  });

  it('who may ask for what', () => {
    assert.equal(
      code(() => checkEligible('member_state', 'policy_statement', 'minister')),
      'none',
    );
    assert.equal(
      code(() => checkEligible('private_sector', 'high_level_session', 'other')),
      'none',
    );
    assert.equal(
      code(() => checkEligible('civil_society', 'policy_statement', 'other')),
      'speaking_kind_not_allowed',
    );
    assert.equal(
      code(() => checkEligible('member_state', 'regulators_roundtable', 'minister')),
      'speaking_rank_not_allowed',
    );
    assert.equal(
      code(() => checkEligible('member_state', 'regulators_roundtable', 'head_of_regulator')),
      'none',
    );
  });

  it('which sessions take which kind: the Regulators’ Roundtable’s event, then the session’s format', () => {
    assert.deepEqual(kindsFor({ eventKind: 'track', format: 'statement' }), ['policy_statement']);
    assert.deepEqual(kindsFor({ eventKind: 'track', format: 'panel' }), ['high_level_session']);
    assert.deepEqual(kindsFor({ eventKind: 'track', format: 'roundtable' }), ['ministerial_roundtable']);
    assert.deepEqual(kindsFor({ eventKind: 'roundtable', format: 'roundtable' }), ['regulators_roundtable']);
    assert.deepEqual(
      kindsFor({ eventKind: 'roundtable', format: 'statement' }),
      ['regulators_roundtable'],
      'whatever its format',
    );
    assert.deepEqual(kindsFor({ eventKind: 'track', format: 'ceremony' }), []);
    assert.equal(
      code(() => checkSessionFits('regulators_roundtable', { eventKind: 'track', format: 'roundtable' })),
      'speaking_session_mismatch',
    );
    assert.equal(
      code(() => checkSessionFits('ministerial_roundtable', { eventKind: 'track', format: 'roundtable' })),
      'none',
    );
  });

  it('states move only where allowed', () => {
    assert.equal(transition('submitted', 'accept'), 'accepted');
    assert.equal(transition('accepted', 'withdraw'), 'withdrawn');
    assert.equal(
      code(() => transition('declined', 'accept')),
      'speaking_transition_invalid',
    );
    assert.equal(
      code(() => transition('withdrawn', 'withdraw')),
      'speaking_transition_invalid',
    );
  });

  it('flags an overrun of the session', () => {
    const s = new Date('2026-07-08T14:00:00+02:00');
    const e = new Date('2026-07-08T15:30:00+02:00');
    assert.deepEqual(sessionTiming(30, 180, s, e), { total: 5400, length: 5400, overrun: false, over: 0 });
    assert.deepEqual(sessionTiming(31, 180, s, e), { total: 5580, length: 5400, overrun: true, over: 180 });
  });
});
