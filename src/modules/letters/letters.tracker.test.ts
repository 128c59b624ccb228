import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { createTestDatabase, TEST_NOW, type TestDatabase } from '../../../test/helpers/db.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { people } from '../accounts/index.js';
import { entities, focalPoints } from '../entities/index.js';
import { events } from '../events/index.js';
import { registrations } from '../registration/index.js';
import { letterDeliveries } from './letters.schema.js';
import * as svc from './letters.service.js';
import { getTracker, registerTrackerColumn, responseState, unanswered } from './letters.tracker.js';

async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  assert.fail('expected a DomainError');
}

const person = (over: Partial<Extract<Actor, { kind: 'person' }>> = {}): Actor => ({
  kind: 'person',
  id: 'p1',
  role: 'staff',
  capabilities: ['letters.send'],
  focalPointOf: [],
  entityId: null,
  via: 'session',
  ...over,
});

describe('response tracker', () => {
  let database: TestDatabase;
  let ctx: Ctx;
  const id: Record<string, number> = {};
  let letterId: number;
  before(async () => {
    database = await createTestDatabase();
    ctx = { db: database.db, actor: person(), locale: 'en', now: TEST_NOW };
    const rows = await database.db
      .select({ id: entities.id, code: entities.code })
      .from(entities)
      .where(inArray(entities.code, ['CH', 'FR', 'SN', 'BR']));
    for (const r of rows) id[r.code!] = r.id;
    letterId = (await svc.getPublishedLetter(ctx, 'CL-26/17')).id;
    const [wsis] = await database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    const mk = async (email: string) =>
      (
        await database.db
          .insert(people)
          .values({
            email,
            givenName: 'G',
            familyName: 'F',
            role: 'participant',
            createdAt: TEST_NOW,
            updatedAt: TEST_NOW,
          })
          .returning()
      )[0].id;
    const reg = async (entity: number, state: string, vip: string | null) =>
      database.db.insert(registrations).values({
        personId: await mk(`${Math.random().toString(36).slice(2)}@example.org`),
        eventId: wsis.id,
        entityId: entity,
        mode: 'in_person',
        state: state as 'approved',
        vipCategory: vip,
        registeredBy: 'test',
        submittedAt: TEST_NOW,
        updatedAt: TEST_NOW,
      });
    await reg(id.CH, 'approved', 'MIN');
    await reg(id.CH, 'pending_dfp', null);
    await reg(id.SN, 'approved', 'AMB');
    await reg(id.SN, 'rejected', 'MIN'); // refused: counts for nothing
    await database.db
      .insert(focalPoints)
      .values({ entityId: id.FR, personId: await mk('dfp@example.fr'), appointedAt: TEST_NOW, appointedBy: 't' });
    await database.db.insert(letterDeliveries).values({
      letterId,
      entityId: id.CH,
      email: 'mission@example.ch',
      locale: 'fr',
      state: 'sent',
      queuedAt: TEST_NOW,
      sentAt: TEST_NOW,
    });
  });
  after(() => database.close());

  it('gives every Member State its row and the headline counts', async () => {
    const t = await getTracker(ctx, letterId);
    assert.equal(t.rows.length, 194);
    const ch = t.rows.find((r) => r.code === 'CH')!;
    assert.deepEqual(
      [ch.delivered, ch.focalPoint, ch.delegates, ch.delegatesByState, ch.headLevel, ch.lastContact?.toISOString()],
      [true, false, 2, { approved: 1, pending_dfp: 1 }, 'MIN', TEST_NOW.toISOString()],
    );
    const sn = t.rows.find((r) => r.code === 'SN')!;
    assert.deepEqual([sn.delegates, sn.headLevel], [1, 'AMB']);
    assert.equal(t.rows.find((r) => r.code === 'FR')!.focalPoint, true);
    assert.deepEqual(t.totals, {
      memberStates: 194,
      delivered: 1,
      focalPoints: 1,
      registered: 2,
      ministerial: 1,
      speaking: 0,
    });
    assert.ok(!unanswered(t).includes(id.CH));
    assert.ok(unanswered(t).includes(id.FR));
  });

  it('gives each Member State its furthest answer for the map: none, focal point, delegates, speaking, pledge', async () => {
    const t = await getTracker(ctx, letterId, { ituRegion: 'B' });
    const state = (code: string) => responseState(t.rows.find((r) => r.code === code)!);
    assert.equal(state('CH'), 'registered');
    assert.equal(state('FR'), 'focal_point');
    assert.equal(state('DE'), 'none');
    const row = t.rows.find((r) => r.code === 'DE')!;
    assert.equal(responseState({ ...row, speaking: { withdrawn: 1 } }), 'none', 'a withdrawn request is no answer');
    assert.equal(responseState({ ...row, focalPoint: true, speaking: { submitted: 1 } }), 'speaking');
    assert.equal(responseState({ ...row, delegates: 3, extra: { pledge: 'pledged' } }), 'pledge');
  });

  it('filters by ITU region, ITU-D region and UN group', async () => {
    const b = await getTracker(ctx, letterId, { ituRegion: 'B' });
    assert.ok(b.rows.every((r) => r.ituRegion === 'B'));
    assert.ok(b.rows.some((r) => r.code === 'CH'));
    assert.ok(!b.rows.some((r) => r.code === 'SN'));
    const africa = await getTracker(ctx, letterId, { itudRegion: 'africa' });
    assert.ok(africa.rows.some((r) => r.code === 'SN'));
    const grulac = await getTracker(ctx, letterId, { unGroup: 'grulac' });
    assert.ok(grulac.rows.some((r) => r.code === 'BR') && grulac.rows.every((r) => r.unGroup === 'grulac'));
  });

  it('filters by the UN lists (LDC, LLDC, SIDS) and marks each row with its lists', async () => {
    const sizes: Record<string, number> = {};
    for (const special of ['ldc', 'lldc', 'sids'] as const) {
      const t = await getTracker(ctx, letterId, { special });
      sizes[special] = t.rows.length;
      assert.ok(
        t.rows.every((r) => r.special.includes(special)),
        special,
      );
      assert.equal(t.totals.memberStates, t.rows.length);
    }
    assert.deepEqual(sizes, { ldc: 45, lldc: 32, sids: 37 }); // un-country-names.csv
    const ldc = await getTracker(ctx, letterId, { special: 'ldc', itudRegion: 'africa' });
    assert.ok(ldc.rows.some((r) => r.code === 'SN'));
    assert.ok(!ldc.rows.some((r) => r.code === 'CH' || r.code === 'BR'));
    const all = await getTracker(ctx, letterId);
    assert.deepEqual(all.rows.find((r) => r.code === 'CH')!.special, []);
    assert.deepEqual(all.rows.find((r) => r.code === 'SN')!.special, ['ldc']);
    // Reminders reach the same Member States: the filter applies to recipients too.
    const { resolveRecipients } = await import('./letters.sending.js');
    const rec = await resolveRecipients(database.db, ['member_states'], { special: 'sids' });
    const sids = new Set((await getTracker(ctx, letterId, { special: 'sids' })).rows.map((r) => r.entityId));
    assert.ok(rec.every((r) => r.entityId != null && sids.has(r.entityId)));
  });

  it("shows a focal point their own Member State's row only; others are refused", async () => {
    const fp = await getTracker(
      { ...ctx, actor: person({ role: 'participant', capabilities: [], focalPointOf: [id.CH] }) },
      letterId,
    );
    assert.deepEqual(
      fp.rows.map((r) => r.code),
      ['CH'],
    );
    assert.equal(fp.totals.memberStates, 1);
    assert.equal(
      await codeOf(() => getTracker({ ...ctx, actor: person({ role: 'participant', capabilities: [] }) }, letterId)),
      'forbidden',
    );
    assert.equal(
      await codeOf(() => getTracker({ ...ctx, actor: person({ capabilities: ['speaking.review'] }) }, letterId)),
      'forbidden',
    );
    assert.equal(await codeOf(() => getTracker({ ...ctx, actor: { kind: 'anonymous' } }, letterId)), 'unauthenticated');
    const reports = await getTracker({ ...ctx, actor: person({ capabilities: ['reports.view'] }) }, letterId);
    assert.equal(reports.rows.length, 194);
  });

  it('takes columns from other modules', async () => {
    registerTrackerColumn({
      key: 'pledge',
      header: (l) => (l === 'fr' ? 'Contribution' : 'Pledge'),
      load: async (_db, s) => new Map(s.entityIds.filter((e) => e === id.CH).map((e) => [e, 'pledged'])),
    });
    const t = await getTracker({ ...ctx, locale: 'fr' }, letterId, { ituRegion: 'B' });
    assert.deepEqual(t.columns, [{ key: 'pledge', header: 'Contribution' }]);
    assert.equal(t.rows.find((r) => r.code === 'CH')!.extra.pledge, 'pledged');
    assert.equal(t.rows.find((r) => r.code === 'FR')!.extra.pledge, null);
    // A column without `format` shows its value as it is; one with it, in words.
    assert.equal(t.rows.find((r) => r.code === 'CH')!.extraText.pledge, 'pledged');
    registerTrackerColumn({
      key: 'pledge',
      header: () => 'Pledge',
      load: async (_db, s) => new Map(s.entityIds.filter((e) => e === id.CH).map((e) => [e, 'paid'])),
      format: (v, l) => (l === 'fr' ? `payé (${v})` : String(v)),
    });
    const f = await getTracker({ ...ctx, locale: 'fr' }, letterId, { ituRegion: 'B' });
    assert.equal(f.rows.find((r) => r.code === 'CH')!.extraText.pledge, 'payé (paid)');
    assert.equal(f.rows.find((r) => r.code === 'FR')!.extraText.pledge, null);
  });

  it('counts delegates from counters that follow every write to registrations; a rolled-back write moves nothing', async () => {
    const [wsis] = await database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    const row = async (code: string) => {
      const r = (await getTracker(ctx, letterId)).rows.find((x) => x.code === code)!;
      return { delegates: r.delegates, byState: r.delegatesByState, head: r.headLevel };
    };
    // What the tracker must say: counted from the rows themselves.
    const counted = async (entity: number) => {
      const rs = await database.db.select().from(registrations).where(eq(registrations.entityId, entity));
      const byState: Record<string, number> = {};
      for (const r of rs)
        if (['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'].includes(r.state))
          byState[r.state] = (byState[r.state] ?? 0) + 1;
      return byState;
    };
    const before = await row('BR');
    assert.deepEqual(before, { delegates: 0, byState: {}, head: null });
    const [p1, p2, p3] = await database.db
      .insert(people)
      .values(
        [1, 2, 3].map((i) => ({
          email: `tally${i}@example.br`,
          givenName: 'G',
          familyName: 'F',
          role: 'participant' as const,
          createdAt: TEST_NOW,
          updatedAt: TEST_NOW,
        })),
      )
      .returning();
    const base = {
      eventId: wsis.id,
      mode: 'in_person' as const,
      registeredBy: 'test',
      submittedAt: TEST_NOW,
      updatedAt: TEST_NOW,
    };
    // Several rows in one statement.
    const made = await database.db
      .insert(registrations)
      .values([
        { ...base, personId: p1.id, entityId: id.BR, state: 'pending_dfp' },
        { ...base, personId: p2.id, entityId: id.BR, state: 'approved', vipCategory: 'DMIN' },
      ])
      .returning();
    assert.deepEqual(await row('BR'), { delegates: 2, byState: { pending_dfp: 1, approved: 1 }, head: 'DMIN' });
    // A decision and a protocol category.
    await database.db
      .update(registrations)
      .set({ state: 'approved', vipCategory: 'MIN' })
      .where(eq(registrations.id, made[0].id));
    assert.deepEqual(await row('BR'), { delegates: 2, byState: { approved: 2 }, head: 'MIN' });
    assert.deepEqual((await row('BR')).byState, await counted(id.BR));
    // A transaction that fails after its insert leaves the counts as they were.
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await tx.insert(registrations).values({ ...base, personId: p3.id, entityId: id.BR, state: 'approved' });
        throw new Error('changed my mind');
      }),
    );
    assert.deepEqual((await row('BR')).delegates, 2);
    // Moved to another Member State, withdrawn, deleted.
    const frBefore = (await row('FR')).delegates;
    await database.db.update(registrations).set({ entityId: id.FR }).where(eq(registrations.id, made[1].id));
    assert.deepEqual(await row('BR'), { delegates: 1, byState: { approved: 1 }, head: 'MIN' });
    assert.equal((await row('FR')).delegates, frBefore + 1);
    await database.db.update(registrations).set({ state: 'withdrawn' }).where(eq(registrations.id, made[0].id));
    assert.deepEqual(await row('BR'), { delegates: 0, byState: {}, head: null });
    await database.db.delete(registrations).where(
      inArray(
        registrations.id,
        made.map((r) => r.id),
      ),
    );
    assert.equal((await row('FR')).delegates, frBefore);
    assert.deepEqual(await counted(id.BR), {});
  });
});
