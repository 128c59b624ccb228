import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../test/helpers/app.js';
import { createTestDatabase, TEST_NOW } from '../../test/helpers/db.js';
import type { Db } from '../db/client.js';
import { badges } from '../modules/badges/badges.schema.js';
import { scans } from '../modules/checkin/checkin.schema.js';
import { events } from '../modules/events/events.schema.js';
import { sessionSpeakers, sessions, tracks } from '../modules/programme/programme.schema.js';
import { registrations, registrationSettings } from '../modules/registration/registration.schema.js';
import { REGISTRATION_STATES } from '../modules/registration/registration.state.js';
import { speakingRequests } from '../modules/speaking/speaking.schema.js';
import { apiTokens, people } from '../modules/accounts/accounts.schema.js';
import { POOLS, poolFor } from './names.js';
import { DEMO_CHECKPOINT, demoEmail, demoToken, seedDemo, type DemoReport } from './generate.js';

const N = 300;
const SEED = 7;

/** What two runs must agree on: every person's names and every registration's state. */
async function fingerprint(db: Db) {
  const ps = await db.execute(
    sql`select email, given_name, family_name, given_name_latin, family_name_latin, nationality, function, entity_id from people where email like '%@demo.convene.test' order by email`,
  );
  const rs = await db.execute(
    sql`select r.id, p.email, r.event_id, r.mode, r.state, r.function from registrations r join people p on p.id = r.person_id where p.email like 'p%@demo.convene.test' order by r.id`,
  );
  const ss = await db.execute(sql`select code, room_id, starts_at, title from sessions order by code`);
  const rows = (x: unknown) => ((x as { rows?: unknown[] }).rows ?? x) as unknown[];
  return JSON.stringify([rows(ps), rows(rs), rows(ss)]);
}

describe('seed:demo at 300 participants', () => {
  let t: TestApp;
  let report: DemoReport;

  before(async () => {
    t = await buildTestApp();
    report = await seedDemo(t.database.db, { participants: N, seed: SEED, benchAccounts: 20, now: TEST_NOW });
  });
  after(async () => t?.close());

  it('has registrations in every state, counted as reported', async () => {
    const rows = await t.database.db
      .select({ state: registrations.state, n: sql<number>`count(*)::int` })
      .from(registrations)
      .groupBy(registrations.state);
    const got = Object.fromEntries(rows.map((r) => [r.state, r.n]));
    for (const s of REGISTRATION_STATES) assert.ok(got[s] > 0, `no registration ${s}`);
    assert.deepEqual(got, Object.fromEntries(Object.entries(report.registrations).filter(([, v]) => v > 0)));
  });

  it('names people in Arabic, Chinese, Cyrillic and Latin with diacritics, with Latin transliterations', async () => {
    const ps = await t.database.db.select().from(people).where(sql`${people.email} like 'p%@demo.convene.test'`);
    assert.equal(ps.length, N);
    const has = (re: RegExp) => ps.filter((p) => re.test(p.givenName + p.familyName));
    for (const [script, re] of [
      ['Arabic', /\p{Script=Arabic}/u],
      ['Chinese', /\p{Script=Han}/u],
      ['Cyrillic', /\p{Script=Cyrillic}/u],
    ] as const) {
      const xs = has(re);
      assert.ok(xs.length > 0, `no ${script} names`);
      for (const p of xs)
        assert.match(
          p.givenNameLatin + p.familyNameLatin,
          /^[A-Za-z' -]+$/,
          `${script} name without a Latin transliteration`,
        );
    }
    assert.ok(has(/[À-ɏ\u1E00-\u1EFF]/u).length > 0, 'no Latin names with diacritics');
  });

  it('draws each person’s name from their country’s pool, with a given name and honorific that fit one gender', async () => {
    const ps = await t.database.db.select().from(people).where(sql`${people.email} like '%@demo.convene.test'`);
    const byCountry = (c: string) => ps.filter((p) => p.nationality === c);
    for (const [c, re] of [
      ['JP', /[\p{Script=Han}\p{Script=Hiragana}]/u],
      ['KR', /\p{Script=Hangul}/u],
      ['CN', /\p{Script=Han}/u],
      ['RU', /\p{Script=Cyrillic}/u],
      ['SA', /\p{Script=Arabic}/u],
    ] as const) {
      assert.ok(byCountry(c).length > 0, `nobody from ${c}`);
      for (const p of byCountry(c))
        assert.match(p.givenName + p.familyName, re, `${c}: ${p.givenName} ${p.familyName}`);
    }
    let checked = 0;
    for (const p of ps) {
      const pool = poolFor(p.nationality ?? 'US');
      const given = (g: 'f' | 'm') => pool.given[g].some(([n]) => n === p.givenName);
      assert.ok(given('f') || given('m'), `${p.givenName} is not a ${p.nationality} name`);
      assert.ok(
        pool.family.concat(pool.familyF ?? []).some(([n]) => n === p.familyName),
        `${p.familyName} (${p.nationality})`,
      );
      if (p.honorific === 'Ms') assert.ok(given('f'), `Ms ${p.givenName}`);
      if (p.honorific === 'Mr') assert.ok(given('m'), `Mr ${p.givenName}`);
      if (p.honorific === 'Mr' || p.honorific === 'Ms') checked++;
      // A Russian woman carries the feminine family name ("Иванова"), a man the masculine one.
      if (pool === POOLS.cyrillic && !given('m')) assert.match(p.familyName, /а$/, `${p.givenName} ${p.familyName}`);
    }
    assert.ok(checked > 100, `${checked} people with Mr or Ms`);
    assert.ok(ps.some((p) => p.honorific === 'Ms') && ps.some((p) => p.honorific === 'H.E.'));
  });

  it('holds the High-Level Track on 8–9 July only, and writes session speakers with the one name composer', async () => {
    const [hlt] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-high-level-track-2026'));
    const [track] = await t.database.db.select().from(tracks).where(eq(tracks.slug, 'high-level'));
    const all = await t.database.db.select().from(sessions);
    const high = all.filter((s) => s.eventId === hlt.id || s.trackId === track.id);
    assert.ok(high.length > 10);
    const geneva = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/Zurich' });
    for (const s of high)
      assert.ok(['2026-07-08', '2026-07-09'].includes(geneva(s.startsAt)), `${s.code} on ${geneva(s.startsAt)}`);
    const names = (await t.database.db.select().from(sessionSpeakers)).map((s) => s.name);
    const han = names.filter((n) => /\p{Script=Han}/u.test(n));
    assert.ok(han.length > 0 && han.every((n) => !n.includes(' ')), 'Chinese names family first, without a space');
  });

  it('brings every chosen Member State (up to 169) and the 2025 category mix', async () => {
    assert.equal(report.countries, 169);
    const [{ n }] = await t.database.db
      .select({ n: sql<number>`count(distinct nationality)::int` })
      .from(people)
      .where(sql`${people.email} like 'p%@demo.convene.test'`);
    assert.equal(n, 169);
    const fns = await t.database.db
      .select({ fn: people.function, n: sql<number>`count(*)::int` })
      .from(people)
      .where(sql`${people.email} like 'p%@demo.convene.test'`)
      .groupBy(people.function);
    const by = Object.fromEntries(fns.map((f) => [f.fn, f.n]));
    for (const f of [
      'head_of_state',
      'minister',
      'head_of_regulator',
      'un_official',
      'ambassador',
      'ceo',
      'civil_society',
      'youth',
      'academia',
      'media',
    ])
      assert.ok(by[f] > 0, `no ${f}`);
    assert.ok(by.minister + by.head_of_regulator >= 7);
    // Government people belong to their Member State; focal points for most of them.
    assert.ok(
      report.focalPoints >= Math.floor(169 * 0.7) && report.focalPoints < 169,
      `${report.focalPoints} focal points`,
    );
  });

  it('respects event capacities: approved in-person requests never exceed the places', async () => {
    const caps = await t.database.db
      .select()
      .from(registrationSettings)
      .where(sql`${registrationSettings.capacity} is not null`);
    assert.ok(caps.length > 0);
    for (const c of caps) {
      const [{ n }] = await t.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(registrations)
        .where(
          and(
            eq(registrations.eventId, c.eventId),
            eq(registrations.state, 'approved'),
            eq(registrations.mode, 'in_person'),
          ),
        );
      assert.ok(n <= c.capacity!, `${n} approved for ${c.capacity} places`);
    }
  });

  it('fills the programme to 500 sessions without two sessions in one room at once', async () => {
    const all = await t.database.db.select().from(sessions);
    assert.equal(all.length, 500);
    const clash = await t.database.db.execute(
      sql`select count(*)::int as n from sessions a join sessions b on a.id < b.id and a.room_id = b.room_id and a.starts_at < b.ends_at and b.starts_at < a.ends_at`,
    );
    assert.equal(Number((((clash as { rows?: { n: number }[] }).rows ?? clash) as { n: number }[])[0].n), 0);
  });

  it('has speaking requests in each state, accepted policy statements in High-Level Track sessions', async () => {
    const [hlt] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-high-level-track-2026'));
    const rs = await t.database.db
      .select({ s: speakingRequests, eventId: sessions.eventId })
      .from(speakingRequests)
      .leftJoin(sessions, eq(sessions.id, speakingRequests.sessionId));
    assert.equal(rs.length, report.speakingRequests);
    for (const st of ['submitted', 'accepted', 'declined', 'waitlisted'])
      assert.ok(
        rs.some((r) => r.s.state === st),
        `no ${st} request`,
      );
    const placed = rs.filter((r) => r.s.state === 'accepted' && r.s.kind === 'policy_statement');
    assert.ok(placed.length > 0 && placed.every((r) => r.eventId === hlt.id));
  });

  it('issues a badge to each approved in-person participant and checks a share in at the WSIS Forum door', async () => {
    const [{ n }] = await t.database.db
      .select({ n: sql<number>`count(distinct person_id)::int` })
      .from(registrations)
      .where(and(eq(registrations.state, 'approved'), eq(registrations.mode, 'in_person')));
    const bs = await t.database.db.select().from(badges);
    assert.equal(bs.length, n);
    const ss = await t.database.db.select().from(scans);
    assert.ok(ss.length > 0 && ss.length < bs.length);
    assert.ok(ss.every((s) => s.checkpoint === DEMO_CHECKPOINT && s.result === 'admitted'));
  });

  it('gives the benchmark working accounts: a door scan, a registration and a DFP decision with the derived tokens', async () => {
    const bearer = (label: string) => ({ authorization: `Bearer ${demoToken(report.tokenSecret, label)}` });
    const [b] = await t.database.db.select().from(badges).limit(1);
    const scan = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checkin/scan',
      headers: bearer('bench-staff'),
      payload: { scanId: randomUUID(), code: b.token, checkpoint: DEMO_CHECKPOINT, deviceId: 'bench-1' },
    });
    assert.equal(scan.statusCode, 200, scan.body);
    assert.ok(['admitted', 'refused'].includes(scan.json().result));

    const [applicant] = await t.database.db
      .select()
      .from(people)
      .where(eq(people.email, demoEmail('applicant1')));
    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: bearer('applicant1'),
      payload: { events: ['wsis-forum-2026'], mode: 'in_person', function: 'other', stakeholderType: 'government' },
    });
    assert.equal(sub.statusCode, 200, sub.body);
    const reg = sub.json().registrations[0];
    assert.equal(reg.state, 'pending_dfp');

    const [dfp] = await t.database.db
      .execute(
        sql`select e.code from focal_points f join entities e on e.id = f.entity_id where f.entity_id = ${applicant.entityId}`,
      )
      .then((x) => ((x as { rows?: { code: string }[] }).rows ?? x) as { code: string }[]);
    const dec = await t.app.inject({
      method: 'POST',
      url: `/api/v1/registrations/${reg.id}/decision`,
      headers: bearer(`dfp-${dfp.code.toLowerCase()}`),
      payload: { decision: 'approve' },
    });
    assert.equal(dec.statusCode, 200, dec.body);
    assert.equal(dec.json().state, 'approved');

    const desk = await t.app.inject({
      method: 'GET',
      url: `/api/v1/badges?q=${encodeURIComponent(b.searchKey.split(' ')[0])}`,
      headers: bearer('bench-staff'),
    });
    assert.equal(desk.statusCode, 200, desk.body);
    assert.ok(desk.json().badges.length > 0);
  });

  it('refuses a database that it has already filled', async () => {
    await assert.rejects(seedDemo(t.database.db, { participants: 10, now: TEST_NOW }), /already holds demo data/);
  });

  it('derives no token from the seed or a constant: the formula of the code with a known seed opens nothing', async () => {
    assert.ok(report.tokenSecret.length >= 43, 'a 256-bit secret');
    const guessed = [
      `cvn_${createHmac('sha256', `convene-demo-${SEED}`).update('bench-admin').digest('base64url').slice(0, 40)}`,
      demoToken(`convene-demo-${SEED}`.padEnd(32, '0'), 'bench-admin'),
    ];
    for (const token of guessed) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me/tokens',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(res.statusCode, 401, res.body);
    }
    const real = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/tokens',
      headers: { authorization: `Bearer ${demoToken(report.tokenSecret, 'bench-admin')}` },
    });
    assert.equal(real.statusCode, 200, real.body);
  });

  it('is deterministic: the same seed gives the same summit, another seed another', async () => {
    const again = await createTestDatabase();
    const other = await createTestDatabase();
    try {
      const second = await seedDemo(again.db, { participants: N, seed: SEED, benchAccounts: 20, now: TEST_NOW });
      // The same data, but not the same keys: each run draws its tokens' secret.
      assert.notEqual(second.tokenSecret, report.tokenSecret);
      const hashes = async (db: Db) =>
        new Set((await db.select({ h: apiTokens.tokenHash }).from(apiTokens)).map((r) => r.h));
      const [h1, h2] = await Promise.all([hashes(t.database.db), hashes(again.db)]);
      assert.equal(h1.size, report.tokens);
      assert.equal([...h2].filter((h) => h1.has(h)).length, 0, 'no token of one run opens the other');
      await seedDemo(other.db, { participants: N, seed: SEED + 1, benchAccounts: 20, now: TEST_NOW });
      const [a, b, c] = await Promise.all([fingerprint(t.database.db), fingerprint(again.db), fingerprint(other.db)]);
      const strip = (s: string) => JSON.parse(s) as unknown[][];
      assert.deepEqual(strip(b)[0], strip(a)[0]);
      assert.deepEqual(strip(b)[1], strip(a)[1]);
      assert.deepEqual(strip(b)[2], strip(a)[2]);
      assert.notDeepEqual(strip(c)[0], strip(a)[0]);
      assert.notDeepEqual(strip(c)[1], strip(b)[1]);
    } finally {
      await again.close();
      await other.close();
    }
  });
});

describe('seed:demo on a database with real people', () => {
  it('refuses, saying why, and adds nothing', async () => {
    const database = await createTestDatabase();
    try {
      await database.db.insert(people).values({
        email: 'minister@example.gov',
        givenName: 'Amina',
        familyName: 'Diallo',
        createdAt: TEST_NOW,
        updatedAt: TEST_NOW,
      });
      await assert.rejects(
        seedDemo(database.db, { participants: 10, now: TEST_NOW }),
        /holds 1 person that seed:demo did not create: it is not a demonstration database/,
      );
      const [{ n }] = await database.db.select({ n: sql<number>`count(*)::int` }).from(people);
      const [{ k }] = await database.db.select({ k: sql<number>`count(*)::int` }).from(apiTokens);
      assert.deepEqual([n, k], [1, 0]);
    } finally {
      await database.close();
    }
  });
});
