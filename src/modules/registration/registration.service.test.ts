import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createPerson } from '../../../test/helpers/actors.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import type { DomainError } from '../../platform/errors.js';
import { auditLog } from '../../platform/platform.schema.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { registrations } from './registration.schema.js';
import {
  decideRegistration,
  listQueue,
  setRegistrationSettings,
  submitRegistration,
  withdrawRegistration,
} from './registration.service.js';

describe('registration services', () => {
  let t: TestApp;
  let ghana: number;
  let kenya: number;
  before(async () => {
    t = await buildTestApp();
    [{ id: ghana }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    [{ id: kenya }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'KE'));
  });
  after(() => t.close());

  const as = (actor: Partial<PersonActor> & { id: string }): Ctx & { db: Db } => ({
    db: t.database.db,
    locale: 'en',
    now: t.clock.now(),
    actor: {
      kind: 'person',
      role: 'participant',
      capabilities: [],
      focalPointOf: [],
      entityId: null,
      via: 'session',
      ...actor,
    },
  });
  const admin = () => ({ ...as({ id: 'admin', role: 'admin' }) });

  it('a delegate asks for two events at once; the request goes to their DFP; a double submit creates nothing more', async () => {
    await createPerson(t, { focalPointOf: [ghana], entityId: ghana });
    const d = await createPerson(t, { entityId: ghana });
    const ctx = as({ id: d.id, entityId: ghana });
    const first = await submitRegistration(ctx, {
      events: ['wsis-forum-2026', 'ai-for-good-2026'],
      mode: 'in_person',
      stakeholderType: 'government',
      function: 'Minister',
    });
    assert.deepEqual(
      first.registrations.map((r) => r.state),
      ['pending_dfp', 'pending_dfp'],
    );
    const again = await Promise.all(
      [1, 2, 3].map(() =>
        submitRegistration(ctx, { events: ['wsis-forum-2026'], mode: 'in_person', stakeholderType: '', function: '' }),
      ),
    );
    assert.ok(again.every((r) => r.registrations[0].id === first.registrations[0].id));
    const rows = await t.database.db.select().from(registrations).where(eq(registrations.personId, d.id));
    assert.equal(rows.length, 2);
  });

  it('without a DFP the secretariat decides; a DFP registering themself is approved at once', async () => {
    const d = await createPerson(t, { entityId: kenya });
    const [r] = (
      await submitRegistration(as({ id: d.id, entityId: kenya }), {
        events: ['wsis-forum-2026'],
        mode: 'remote',
        stakeholderType: '',
        function: '',
      })
    ).registrations;
    assert.equal(r.state, 'pending_secretariat');
    const dfp = await createPerson(t, { focalPointOf: [kenya], entityId: kenya });
    const [s] = (
      await submitRegistration(as({ id: dfp.id, entityId: kenya, focalPointOf: [kenya] }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: '',
        function: '',
      })
    ).registrations;
    assert.equal(s.state, 'approved');
  });

  it('a DFP decides only for their own entity, and sees only its queue', async () => {
    const dfpGh = await createPerson(t, { focalPointOf: [ghana], entityId: ghana });
    const d = await createPerson(t, { entityId: ghana });
    const [r] = (
      await submitRegistration(as({ id: d.id, entityId: ghana }), {
        events: ['ai-for-good-2026'],
        mode: 'remote',
        stakeholderType: '',
        function: '',
      })
    ).registrations;
    const kenyanDfp = as({ id: 'someone', focalPointOf: [kenya] });
    await assert.rejects(
      decideRegistration(kenyanDfp, r.id, { decision: 'approve' }),
      (e: DomainError) => e.code === 'forbidden',
    );
    assert.ok((await listQueue(kenyanDfp)).every((x) => x.entityId === kenya));
    const mine = as({ id: dfpGh.id, focalPointOf: [ghana] });
    assert.ok((await listQueue(mine)).some((x) => x.id === r.id));
    const rejected = await decideRegistration(mine, r.id, { decision: 'reject', reason: 'Not part of the delegation' });
    assert.equal(rejected.state, 'rejected');
    await assert.rejects(
      decideRegistration(mine, r.id, { decision: 'approve' }),
      (e: DomainError) => e.code === 'registration_transition_invalid',
    );
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, r.id), eq(auditLog.action, 'registration.rejected')));
    assert.equal(entry.actingFor, String(ghana), 'the audit says which administration the DFP acted for');
  });

  it('respects the registration window on the injected clock', async () => {
    await setRegistrationSettings(admin(), 'global-dialogue-ai-governance-2026', {
      closesAt: '2026-04-20T09:00:00+02:00',
    });
    const d = await createPerson(t);
    await assert.rejects(
      submitRegistration(as({ id: d.id }), {
        events: ['global-dialogue-ai-governance-2026'],
        mode: 'remote',
        stakeholderType: '',
        function: '',
      }),
      (e: DomainError) => e.code === 'registration_closed',
    );
  });

  it('200 concurrent approvals for 50 places: exactly 50 approved, 150 waiting; a withdrawal moves the first up', async () => {
    await setRegistrationSettings(admin(), 'regulators-roundtable-2026', { capacity: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const [p] = await t.database.db
        .insert(people)
        .values({
          email: `reg${i}@example.org`,
          givenName: 'R',
          familyName: String(i),
          createdAt: t.clock.now(),
          updatedAt: t.clock.now(),
        })
        .returning();
      const [r] = (
        await submitRegistration(as({ id: p.id }), {
          events: ['regulators-roundtable-2026'],
          mode: 'in_person',
          stakeholderType: 'government',
          function: 'head_of_regulator',
        })
      ).registrations;
      ids.push(r.id);
    }
    const results = await Promise.all(ids.map((id) => decideRegistration(admin(), id, { decision: 'approve' })));
    const count = (s: string) => results.filter((r) => r.state === s).length;
    assert.equal(count('approved'), 50);
    assert.equal(count('waitlisted'), 150);
    const approved = results.find((r) => r.state === 'approved')!;
    const owner = as({ id: approved.personId });
    await withdrawRegistration(owner, approved.id);
    const rows = await t.database.db.select().from(registrations).where(eq(registrations.eventId, approved.eventId));
    assert.equal(
      rows.filter((r) => r.state === 'approved').length,
      50,
      'the freed place was given to the waiting list',
    );
    assert.equal(rows.filter((r) => r.state === 'waitlisted').length, 149);
    await setRegistrationSettings(admin(), 'regulators-roundtable-2026', { capacity: 60 });
    const more = await t.database.db.select().from(registrations).where(eq(registrations.eventId, approved.eventId));
    assert.equal(more.filter((r) => r.state === 'approved').length, 60, 'ten more places, ten more approved');
  });
});
