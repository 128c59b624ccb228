import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { createPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TEST_NOW } from '../../../test/helpers/db.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import { people } from '../accounts/index.js';
import { updateProfile } from '../accounts/accounts.service.js';
import { badges, issueMissingBadges } from '../badges/index.js';
import { catchUpCheckpointTallies, countArrivals, rebuildCheckpointTallies, scan } from '../checkin/index.js';
import { entities } from '../entities/index.js';
import { decideRegistration, registrations, submitRegistration, withdrawRegistration } from '../registration/index.js';
import { decideSpeakingRequest, submitSpeakingRequest } from '../speaking/index.js';
import { type FigureInput, getFigures } from './reports.figures.js';
import { catchUpTallies, foldTallies, rebuildTallies } from './reports.tallies.js';

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** A figure set in a comparable form: every list sorted, the moment of reading left out. */
function normal(f: Awaited<ReturnType<typeof getFigures>>) {
  const { asOf: _, ...rest } = f;
  return JSON.parse(
    JSON.stringify(rest, (_k, v) =>
      Array.isArray(v) && v.every((x) => typeof x === 'object' && x)
        ? [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
        : v,
    ),
  );
}

const DOORS_OPEN = new Date('2026-07-08T09:00:00+02:00');

describe('reports: the counters equal the counts from the rows after a random mix of writes', () => {
  let t: TestApp;
  const EVENTS = ['wsis-forum-2026', 'ai-for-good-2026', 'wsis-high-level-track-2026'];
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
  const staff = () =>
    as({ id: 'sec', role: 'staff', capabilities: ['reports.view', 'registration.review', 'speaking.review'] });

  before(async () => {
    t = await buildTestApp({ now: DOORS_OPEN }); // registration open, doors open
  });
  after(() => t?.close());

  async function compareAll(label: string) {
    for (const input of [{}, ...EVENTS.map((event) => ({ event }))] as FigureInput[]) {
      const fromCounters = await getFigures(staff(), input);
      const fromRows = await getFigures(staff(), input, 'rows');
      assert.deepEqual(normal(fromCounters), normal(fromRows), `${label}: ${input.event ?? 'every event'}`);
    }
    const arrivals = await countArrivals(t.database.db);
    const counted = await t.database.db.execute(sql`
      select checkpoint, count(*) filter (where result = 'admitted')::int as arrivals,
             count(*) filter (where conflict)::int as conflicts
      from scans group by checkpoint having count(*) filter (where result = 'admitted' or conflict) > 0
      order by checkpoint`);
    assert.deepEqual(
      arrivals.checkpoints,
      ((counted as { rows?: unknown[] }).rows ?? counted) as unknown[],
      `${label}: arrivals`,
    );
  }

  it('submits, decisions, withdrawals, admissions at the doors, speaking requests, nationality and gender changes', async () => {
    const r = rng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const ents = await t.database.db
      .select({ id: entities.id, code: entities.code })
      .from(entities)
      .where(sql`${entities.kind} = 'member_state' and ${entities.code} in ('GH', 'FR', 'CH', 'FJ', 'NP')`);
    const persons: { id: string; entityId: number | null }[] = [];
    for (let i = 0; i < 14; i++) {
      const e = r() < 0.8 ? pick(ents) : undefined;
      const p = await createPerson(t, { entityId: e?.id ?? null });
      await t.database.db
        .update(people)
        .set({ nationality: r() < 0.85 ? (e?.code ?? 'BR') : null })
        .where(eq(people.id, p.id));
      persons.push({ id: p.id, entityId: e?.id ?? null });
    }
    let moves = 0;
    for (let step = 0; step < 90; step++) {
      const p = pick(persons);
      const me = as({ id: p.id, entityId: p.entityId, entityVerified: true } as never);
      const op = r();
      try {
        if (op < 0.35) {
          await submitRegistration(me, {
            events: EVENTS.filter(() => r() < 0.5)
              .concat(pick(EVENTS))
              .filter((x, i, a) => a.indexOf(x) === i),
            mode: r() < 0.7 ? 'in_person' : 'remote',
            stakeholderType: pick(['government', 'private_sector', '']),
            function: pick(['minister', 'deputy_minister', 'ceo', 'other']),
          });
        } else {
          const regs = await t.database.db.select().from(registrations).where(eq(registrations.personId, p.id));
          if (!regs.length) continue;
          const reg = pick(regs);
          if (op < 0.65)
            await decideRegistration(staff(), reg.id, { decision: r() < 0.8 ? 'approve' : 'reject', reason: 'x' });
          else if (op < 0.75) await withdrawRegistration(me, reg.id);
          else if (op < 0.9) {
            await issueMissingBadges(t.database.db, t.clock.now());
            const [b] = await t.database.db.select().from(badges).where(eq(badges.personId, p.id));
            if (!b) continue;
            await scan(as({ id: 'door', role: 'staff', capabilities: ['checkin.scan'] }), {
              scanId: randomUUID(),
              code: b.token,
              checkpoint: `event:${pick(EVENTS)}`,
              deviceId: 'door-1',
            });
          } else if (op < 0.95 && p.entityId) {
            t.clock.set(TEST_NOW); // before the speaking requests' deadline
            const req = await submitSpeakingRequest(
              as({ id: `dfp-${p.entityId}`, focalPointOf: [p.entityId] }),
              'wsis-high-level-track-2026',
              {
                speakerPersonId: p.id,
                honorific: '',
                givenName: '',
                familyName: '',
                givenNameLatin: '',
                familyNameLatin: '',
                title: '',
                rank: 'other',
                speakerLocale: 'en',
                entityId: p.entityId,
                kind: pick(['high_level_session', 'policy_statement']),
                language: 'en',
                abstract: '',
              } as never,
            );
            if (r() < 0.6) await decideSpeakingRequest(staff(), req.id, { decision: 'accept' } as never);
            t.clock.set(DOORS_OPEN);
          } else {
            const [row] = await t.database.db.select().from(people).where(eq(people.id, p.id));
            // The nationality and the gender (given, or taken back) move the figures by country and by gender.
            const gender = row.gender == null ? 'female' : null;
            await updateProfile(me, { ...row, nationality: pick(['FR', 'NP', 'FJ', 'JP']), gender } as never);
          }
        }
        moves++;
      } catch (e) {
        t.clock.set(DOORS_OPEN);
        // A refused change (a transition not allowed, a second request of one kind) changes nothing: the counters agree.
        if (!(e instanceof Error) || !('code' in e)) throw e;
      }
      if (step % 30 === 29) await compareAll(`after step ${step + 1}`);
    }
    assert.ok(moves > 40, `most changes were made (${moves})`);
    const f = await getFigures(staff(), {});
    assert.ok(f.headline.participants > 3 && f.headline.checkedIn > 0, 'approved people and arrivals to compare');
    assert.ok(f.speaking.length > 0, 'speaking requests to compare');
    await compareAll('at the end');
  });

  it('the writes only appended their changes; folding them into the counters changes no figure', async () => {
    const pending = async () => {
      const res = await t.database.db.execute(sql`select count(*)::int as n from report_tally_deltas`);
      return Number(((res as { rows: { n: number }[] }).rows[0] ?? { n: 0 }).n);
    };
    assert.ok((await pending()) > 0, 'changes pending (no worker in tests)');
    const before = normal(await getFigures(staff(), {}));
    assert.ok((await foldTallies(t.database.db)) > 0);
    assert.equal(await pending(), 0, 'every change folded');
    assert.equal(await foldTallies(t.database.db), 0, 'nothing left to fold');
    assert.deepEqual(normal(await getFigures(staff(), {})), before);
    await compareAll('after the fold');
  });

  it('concurrent submits and decisions all succeed (none waits for a counter, none deadlocks) and the figures stay exact', async () => {
    const ents = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(sql`${entities.kind} = 'member_state' and ${entities.code} in ('GH', 'FR', 'CH')`);
    const persons = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createPerson(t, { entityId: ents[i % ents.length].id })),
    );
    const me = (p: { id: string; entityId?: number | null }) =>
      as({ id: p.id, entityId: p.entityId ?? null, entityVerified: true } as never);
    // Every submit moves the same counters (every event, each event, the state, the day and the hour).
    const submitted = await Promise.all(
      persons.map((p, i) =>
        submitRegistration(me(p), {
          events: i % 2 ? EVENTS : ['wsis-forum-2026'],
          mode: 'in_person',
          stakeholderType: 'government',
          function: 'other',
        }),
      ),
    );
    assert.equal(submitted.flatMap((r) => r.registrations).length, 10 + 10 * EVENTS.length);
    await compareAll('after 20 concurrent submits');
    const regs = submitted.flatMap((r) => r.registrations);
    const decided = await Promise.all(
      regs.map((reg, i) =>
        decideRegistration(staff(), reg.id, { decision: i % 4 ? 'approve' : 'reject', reason: 'x' }),
      ),
    );
    assert.ok(decided.every((r) => r.state === 'approved' || r.state === 'rejected' || r.state === 'waitlisted'));
    await compareAll('after concurrent decisions');
    await foldTallies(t.database.db);
    await compareAll('after the fold');
  });

  it('the rebuild makes the same counters again from the rows', async () => {
    const before = normal(await getFigures(staff(), {}));
    await foldTallies(t.database.db); // the counters to spoil hold every change
    await t.database.db.execute(sql`update report_tallies set n = n + 5`);
    await t.database.db.execute(sql`update checkpoint_tallies set arrivals = arrivals + 5`);
    assert.notDeepEqual(normal(await getFigures(staff(), {})), before, 'spoiled');
    await t.database.db.transaction(async (tx) => {
      await rebuildTallies(tx);
      await rebuildCheckpointTallies(tx);
    });
    assert.deepEqual(normal(await getFigures(staff(), {})), before);
    await compareAll('after the rebuild');
  });

  it('at the worker start, empty counters beside existing rows are made from the rows; full ones are left alone', async () => {
    const before = normal(await getFigures(staff(), {}));
    assert.equal(await catchUpTallies(t.database.db), false, 'counters present: nothing to do');
    assert.equal(await catchUpCheckpointTallies(t.database.db), false);
    await t.database.db.execute(sql`delete from report_tallies`);
    await t.database.db.execute(sql`delete from report_subjects`);
    await t.database.db.execute(sql`delete from checkpoint_tallies`);
    assert.equal((await countArrivals(t.database.db)).checkpoints.length, 0, 'emptied');
    assert.equal(await catchUpTallies(t.database.db), true);
    assert.equal(await catchUpCheckpointTallies(t.database.db), true);
    assert.deepEqual(normal(await getFigures(staff(), {})), before);
    await compareAll('after the catch-up');
  });

  it('a rolled-back change moves no counter', async () => {
    const before = normal(await getFigures(staff(), {}));
    const [pending] = await t.database.db.select().from(registrations).where(sql`${registrations.state} <> 'approved'`);
    assert.ok(pending);
    await assert.rejects(
      t.database.db.transaction(async (tx) => {
        await decideRegistration({ ...staff(), db: tx as never }, pending.id, { decision: 'approve' }).catch(() => {});
        throw new Error('roll back');
      }),
    );
    assert.deepEqual(normal(await getFigures(staff(), {})), before);
  });
});
