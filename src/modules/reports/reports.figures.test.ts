import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { buildReportWorld, type World } from '../../../test/helpers/report-world.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import { genevaDate, genevaParts } from '../../platform/i18n/format.js';
import { unGroups } from '../../platform/i18n/countries.js';
import { people } from '../accounts/index.js';
import { badges } from '../badges/index.js';
import { scans } from '../checkin/checkin.schema.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { registrations } from '../registration/index.js';
import { speakingRequests } from '../speaking/index.js';
import { getFigures, type Figures, MINISTERIAL } from './reports.figures.js';
import { labelled } from './reports.labels.js';

/** Counts by key, sorted by key: the shape both sides are compared in. */
function tally<T>(rows: T[], key: (r: T) => string | null, unique: (r: T) => string): Record<string, number> {
  const sets = new Map<string, Set<string>>();
  for (const r of rows) {
    const k = key(r) ?? '∅';
    if (!sets.has(k)) sets.set(k, new Set());
    sets.get(k)!.add(unique(r));
  }
  return Object.fromEntries([...sets].map(([k, s]) => [k, s.size] as const).sort(([a], [b]) => a.localeCompare(b)));
}
const asTally = (gs: { key: string | null; count: number }[]) =>
  Object.fromEntries(
    gs
      .filter((g) => g.count > 0)
      .map((g) => [g.key ?? '∅', g.count] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

describe('reports: every figure against a count made from the rows', () => {
  let t: TestApp;
  let world: World;
  let rows: {
    regs: (typeof registrations.$inferSelect)[];
    people: Map<string, typeof people.$inferSelect>;
    ents: Map<number, typeof entities.$inferSelect>;
    evs: Map<number, string>;
    firstScan: Map<string, Date>;
    speak: (typeof speakingRequests.$inferSelect)[];
  };
  const staff: PersonActor = {
    kind: 'person',
    id: 'reporter',
    role: 'staff',
    capabilities: ['reports.view'],
    focalPointOf: [],
    entityId: null,
    via: 'session',
  };
  const ctx = (actor = staff): Ctx => ({ ...t.ctx(), actor });

  before(async () => {
    t = await buildTestApp();
    world = await buildReportWorld(t.database.db, { people: 80 });
    const db = t.database.db;
    const allScans = await db.select().from(scans);
    const allBadges = new Map((await db.select().from(badges)).map((b) => [b.id, b.personId]));
    const evs = new Map((await db.select().from(events)).map((e) => [e.id, e.slug]));
    const firstScan = new Map<string, Date>();
    const regs = await db.select().from(registrations);
    // first admission of each person at the door of an event they hold an approved registration for (key: person|slug)
    for (const s of allScans) {
      if (s.result !== 'admitted' || s.badgeId == null) continue;
      const k = `${allBadges.get(s.badgeId)}|${s.checkpoint.replace(/^event:/, '')}`;
      if (!firstScan.has(k) || firstScan.get(k)! > s.scannedAt) firstScan.set(k, s.scannedAt);
    }
    rows = {
      regs,
      people: new Map((await db.select().from(people)).map((p) => [p.id, p])),
      ents: new Map((await db.select().from(entities)).map((e) => [e.id, e])),
      evs,
      firstScan,
      speak: await db.select().from(speakingRequests),
    };
  });
  after(async () => t?.close());

  function expected(select: (r: (typeof rows.regs)[number]) => boolean, speakSelect = (_: unknown) => true) {
    const regs = rows.regs.filter(select);
    const approved = regs.filter((r) => r.state === 'approved');
    const nat = (r: (typeof regs)[number]) => rows.people.get(r.personId)!.nationality;
    const ms = (r: (typeof regs)[number]) =>
      [...rows.ents.values()].find((e) => e.kind === 'member_state' && e.code === nat(r) && e.mergedInto == null);
    const person = (r: { personId: string }) => r.personId;
    // check-ins: per person, the earliest admission at the door of an approved registration's event
    const firsts = new Map<string, Date>();
    for (const r of approved) {
      const at = rows.firstScan.get(`${r.personId}|${rows.evs.get(r.eventId)}`);
      if (at && (!firsts.has(r.personId) || firsts.get(r.personId)! > at)) firsts.set(r.personId, at);
    }
    const dev = { ldc: new Set<string>(), lldc: new Set<string>(), sids: new Set<string>() };
    for (const r of approved) {
      const n = nat(r);
      if (!n) continue;
      const g = unGroups(n);
      if (g.ldc) dev.ldc.add(r.personId);
      if (g.lldc) dev.lldc.add(r.personId);
      if (g.sids) dev.sids.add(r.personId);
    }
    const memberStateRegs = approved.filter((r) => r.entityId && rows.ents.get(r.entityId)!.kind === 'member_state');
    return {
      participants: new Set(approved.map(person)).size,
      countries: new Set(approved.map(nat).filter(Boolean)).size,
      memberStates: new Set(memberStateRegs.map((r) => r.entityId)).size,
      memberStatesMinisterial: new Set(
        memberStateRegs.filter((r) => (MINISTERIAL as readonly string[]).includes(r.function)).map((r) => r.entityId),
      ).size,
      requests: Object.values(tally(regs, (r) => r.state, person)).reduce((a, b) => a + b, 0),
      checkedIn: firsts.size,
      byState: { ...tally(regs, (r) => r.state, person), ...(firsts.size ? { checked_in: firsts.size } : {}) },
      byMode: tally(approved, (r) => r.mode, person),
      byCountry: tally(approved, nat, person),
      byEntity: tally(approved, (r) => (r.entityId == null ? null : String(r.entityId)), person),
      byItuRegion: tally(approved, (r) => ms(r)?.ituRegion ?? null, person),
      byItudRegion: tally(approved, (r) => ms(r)?.itudRegion ?? null, person),
      byUnGroup: tally(approved, (r) => ms(r)?.unGroup ?? null, person),
      byDevelopmentGroup: Object.fromEntries(
        Object.entries(dev)
          .filter(([, s]) => s.size)
          .map(([k, s]) => [k, s.size]),
      ),
      byStakeholderType: tally(approved, (r) => r.stakeholderType || null, person),
      byFunction: tally(approved, (r) => r.function || null, person),
      byProtocol: tally(approved, (r) => r.vipCategory, person),
      // Gender where given, "not given" (null on the profile) as its own group.
      byGender: tally(approved, (r) => rows.people.get(r.personId)!.gender ?? 'not_given', person),
      registrationsPerDay: tally(
        regs,
        (r) => genevaDate(r.submittedAt),
        (r) => r.id,
      ),
      registrationsPerHour: tally(
        regs,
        (r) => genevaParts(r.submittedAt).hour,
        (r) => r.id,
      ),
      checkInsPerDay: tally(
        [...firsts],
        ([, at]) => genevaDate(at),
        ([p]) => p,
      ),
      checkInsPerHour: tally(
        [...firsts],
        ([, at]) => genevaParts(at).hour,
        ([p]) => p,
      ),
      speaking: tally(
        rows.speak.filter((s) => speakSelect(s) && select({ ...s, personId: '', submittedAt: s.submittedAt } as never)),
        (s) => `${s.kind}/${s.state}`,
        (s) => s.id,
      ),
    };
  }

  function compare(got: Figures, want: ReturnType<typeof expected>) {
    const h = got.headline;
    assert.equal(h.participants, want.participants, 'participants');
    assert.equal(h.countries, want.countries, 'countries');
    assert.equal(h.memberStates, want.memberStates, 'Member States');
    assert.equal(h.memberStatesMinisterial, want.memberStatesMinisterial, 'Member States at ministerial level');
    assert.equal(h.requests, want.requests, 'requests');
    assert.equal(h.checkedIn, want.checkedIn, 'checked in');
    for (const k of [
      'byState',
      'byMode',
      'byCountry',
      'byEntity',
      'byItuRegion',
      'byItudRegion',
      'byUnGroup',
      'byDevelopmentGroup',
      'byStakeholderType',
      'byFunction',
      'byProtocol',
      'byGender',
      'registrationsPerDay',
      'registrationsPerHour',
      'checkInsPerDay',
      'checkInsPerHour',
    ] as const)
      assert.deepEqual(asTally(got[k]), want[k], k);
    assert.deepEqual(
      asTally(got.speaking.map((s) => ({ key: `${s.kind}/${s.state}`, count: s.count }))),
      want.speaking,
      'speaking',
    );
  }

  it('the world is varied enough to test with', () => {
    const states = new Set(rows.regs.map((r) => r.state));
    assert.ok(states.size >= 5, 'several states');
    assert.ok(rows.firstScan.size > 5, 'check-ins');
    assert.ok(
      rows.regs.some((r) => rows.people.get(r.personId)!.nationality == null),
      'a nationality not given',
    );
    const genders = new Set([...rows.people.values()].map((p) => p.gender));
    assert.deepEqual([...genders].sort(), ['another', 'female', 'male', null].sort(), 'every gender, and none given');
  });

  it('by gender: every answer and “Not given” in a fixed order, zeros shown, labelled in six languages', async () => {
    const f = await getFigures(ctx(), {});
    assert.deepEqual(
      f.byGender.map((g) => g.key),
      ['female', 'male', 'another', 'not_given'],
    );
    const notGiven = new Set(
      rows.regs
        .filter((r) => r.state === 'approved' && rows.people.get(r.personId)!.gender == null)
        .map((r) => r.personId),
    ).size;
    assert.ok(notGiven > 0);
    assert.equal(f.byGender[3].count, notGiven, 'people with no gender given count under “Not given”');
    assert.equal(
      f.byGender.reduce((n, g) => n + g.count, 0),
      f.headline.participants,
      'each participant in exactly one group',
    );
    assert.deepEqual(
      labelled(f, 'byGender', 'en').map((g) => g.label),
      ['Female', 'Male', 'Another gender', 'Not given'],
    );
    assert.equal(labelled(f, 'byGender', 'fr')[3].label, 'Non indiqué');
    // A delegation's figure (counted from the rows) has the same four groups.
    const fr = world.entityIds.FR;
    const dfp: PersonActor = { ...staff, id: 'dfp', role: 'participant', capabilities: [], focalPointOf: [fr] };
    assert.deepEqual(
      (await getFigures(ctx(dfp), {})).byGender.map((g) => g.key),
      ['female', 'male', 'another', 'not_given'],
    );
  });

  it('every event, all dates', async () => {
    compare(
      await getFigures(ctx(), {}),
      expected(() => true),
    );
  });

  it('one event with its parts (the Forum and its High-Level Track)', async () => {
    const ids = new Set([world.eventIds['wsis-forum-2026'], world.eventIds['wsis-high-level-track-2026']]);
    compare(
      await getFigures(ctx(), { event: 'wsis-forum-2026' }),
      expected((r) => ids.has(r.eventId)),
    );
  });

  it('registrations submitted between two dates (Geneva days, the last one whole)', async () => {
    const from = new Date('2026-04-02T00:00:00+02:00');
    const to = new Date('2026-04-06T00:00:00+02:00');
    compare(
      await getFigures(ctx(), { from: '2026-04-02', to: '2026-04-05' }),
      expected((r) => r.submittedAt >= from && r.submittedAt < to),
    );
  });

  it('a focal point sees their own delegation only; a participant sees nothing', async () => {
    const fr = world.entityIds.FR;
    const dfp: PersonActor = { ...staff, id: 'dfp', role: 'participant', capabilities: [], focalPointOf: [fr] };
    const got = await getFigures(ctx(dfp), {});
    compare(
      got,
      expected((r) => r.entityId === fr),
    );
    assert.ok(got.headline.participants < (await getFigures(ctx(), {})).headline.participants);
    const participant: PersonActor = { ...dfp, focalPointOf: [], entityId: fr, entityVerified: true };
    await assert.rejects(getFigures(ctx(participant), {}), { code: 'forbidden' });
    await assert.rejects(getFigures({ ...t.ctx(), actor: { kind: 'anonymous' } }, {}), { code: 'unauthenticated' });
  });

  it('refuses an unknown event and a date that is not one', async () => {
    await assert.rejects(getFigures(ctx(), { event: 'nope' }), { code: 'event_not_found' });
    await assert.rejects(getFigures(ctx(), { from: 'yesterday' }), { code: 'invalid_date' });
  });
});
