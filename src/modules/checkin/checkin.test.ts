import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import type { DomainError } from '../../platform/errors.js';
import { people } from '../accounts/index.js';
import { badges } from '../badges/index.js';
import {
  confirmIdChecked,
  fold,
  issueMissingBadges,
  markCollected,
  revokeAndReissue,
  searchDesk,
} from '../badges/index.js';
import { entities } from '../entities/index.js';
import { sessions } from '../programme/index.js';
import {
  confirmationCode,
  decideRegistration,
  registrationReference,
  submitRegistration,
} from '../registration/index.js';
import { admits, decide, type EventNode } from './checkin.rules.js';
import { scans } from './checkin.schema.js';
import { onArrivals, FEED_INTERVAL_MS } from './checkin.arrivals-feed.js';
import { arrivalCounts, countArrivals, manifest, scan, syncScans, tokenHash } from './checkin.service.js';

const code = (c: string) => (e: DomainError) => e.code === c;

describe('door rules (pure)', () => {
  const all: EventNode[] = [
    { id: 1, slug: 'forum', parentId: null, kind: 'forum', restricted: false },
    { id: 2, slug: 'track', parentId: 1, kind: 'track', restricted: false },
    { id: 3, slug: 'roundtable', parentId: 2, kind: 'roundtable', restricted: true },
    { id: 4, slug: 'summit', parentId: null, kind: 'summit', restricted: false },
    { id: 5, slug: 'ceremony', parentId: null, kind: 'ceremony', restricted: false },
  ];
  it('a Forum registration opens the High-Level Track, not the Regulators’ Roundtable; a ceremony takes any registration', () => {
    assert.equal(admits(all, new Set([1]), all[1]), true);
    assert.equal(admits(all, new Set([1]), all[2]), false);
    assert.equal(admits(all, new Set([3]), all[2]), true, 'registered for the roundtable itself');
    assert.equal(admits(all, new Set([3]), all[1]), false, 'the roundtable does not open the whole track');
    assert.equal(admits(all, new Set([4]), all[4]), true);
    assert.equal(admits(all, new Set(), all[4]), false);
  });
  it('each refusal has its code', () => {
    assert.deepEqual(decide({ badge: undefined, registered: new Set([1]), all, target: all[0] }), {
      result: 'refused',
      reason: 'invalid_code',
    });
    assert.deepEqual(decide({ badge: { revoked: true }, registered: new Set([1]), all, target: all[0] }), {
      result: 'refused',
      reason: 'revoked',
    });
    assert.deepEqual(decide({ badge: { revoked: false }, registered: new Set([1]), all, target: all[3] }), {
      result: 'refused',
      reason: 'not_registered_for_event',
    });
    assert.deepEqual(decide({ badge: { revoked: false }, registered: new Set([1]), all, target: all[2] }), {
      result: 'refused',
      reason: 'restricted_session',
    });
    assert.deepEqual(decide({ badge: { revoked: false }, registered: new Set([1]), all, target: all[0] }), {
      result: 'admitted',
    });
  });
});

describe('badges and door scanning', () => {
  let t: TestApp;
  let ghana: number;
  let personId: string;
  let regId: string;
  let token: string;
  before(async () => {
    t = await buildTestApp({ now: new Date('2026-07-08T09:00:00+02:00') }); // the doors open on the event's days
    [{ id: ghana }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    const p = await createPerson(t, { entityId: ghana });
    personId = p.id;
    await t.database.db
      .update(people)
      .set({ givenName: 'Jérôme', familyName: 'Ñúñez-Åberg', givenNameLatin: 'Jerome', familyNameLatin: 'Nunez-Aberg' })
      .where(eq(people.id, p.id));
    const me = as({ id: p.id, entityId: ghana });
    const [r] = (
      await submitRegistration(me, {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    regId = r.id;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
      decision: 'approve',
    });
    assert.equal(await issueMissingBadges(t.database.db, t.clock.now()), 1);
    [{ token }] = await t.database.db.select({ token: badges.token }).from(badges).where(eq(badges.personId, p.id));
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
  const door = (device = 'door-1') => ({
    ctx: as({ id: `scanner-${device}`, role: 'staff', capabilities: ['checkin.scan'] }),
    device,
  });
  const desk = () => as({ id: 'desk', role: 'staff', capabilities: ['badges.print'] });
  const at = (checkpoint: string, c = token, device = 'door-1', extra = {}) =>
    scan(door(device).ctx, { scanId: randomUUID(), code: c, checkpoint, deviceId: device, ...extra });

  it('the token is signed, random and holds no personal data; a forged or altered one is refused', async () => {
    assert.match(token, /^CVB1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}$/);
    assert.ok(!token.includes(personId) && !/jerome|ghana/i.test(token));
    const forged = token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.deepEqual(
      [
        (await at('event:wsis-forum-2026', forged)).reason,
        (await at('event:wsis-forum-2026', 'CVB1.aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbb')).reason,
      ],
      ['invalid_code', 'invalid_code'],
    );
  });

  it('admits once per checkpoint; the second scan says when and where; the same scan sent twice counts once', async () => {
    const scanId = randomUUID();
    const first = await scan(door().ctx, {
      scanId,
      code: token,
      checkpoint: 'event:wsis-forum-2026',
      deviceId: 'door-1',
    });
    assert.equal(first.result, 'admitted');
    assert.equal(first.person?.nameLatin, 'Jerome Nunez-Aberg');
    const replay = await scan(door().ctx, {
      scanId,
      code: token,
      checkpoint: 'event:wsis-forum-2026',
      deviceId: 'door-1',
    });
    assert.deepEqual(replay, first);
    const again = await at('event:wsis-forum-2026', token, 'door-2');
    assert.equal(again.reason, 'already_checked_in');
    assert.equal(again.previous?.deviceId, 'door-1');
    assert.equal((await t.database.db.select().from(scans).where(eq(scans.id, scanId))).length, 1);
    // The High-Level Track is part of the Forum; AI for Good and the Regulators' Roundtable are not this badge's.
    assert.equal((await at('event:wsis-high-level-track-2026')).result, 'admitted');
    assert.equal((await at('event:ai-for-good-2026')).reason, 'not_registered_for_event');
    assert.equal((await at('event:regulators-roundtable-2026')).reason, 'restricted_session');
    await assert.rejects(at('event:nowhere'), code('checkpoint_not_found'));
    await assert.rejects(
      scan(desk(), { scanId: randomUUID(), code: token, checkpoint: 'event:wsis-forum-2026', deviceId: 'x' }),
      code('forbidden'),
    );
  });

  it('ten doors scanning one badge at the same moment admit it once; the nine others say which door admitted it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => at('event:opening-ceremony-2026', token, `gate-${i}`)),
    );
    const admitted = answers.flatMap((a, i) => (a.result === 'admitted' ? [`gate-${i}`] : []));
    assert.equal(admitted.length, 1);
    const stored = await t.database.db.select().from(scans).where(eq(scans.checkpoint, 'event:opening-ceremony-2026'));
    assert.equal(stored.length, 10);
    const admission = stored.find((s) => s.result === 'admitted')!;
    assert.equal(admission.deviceId, admitted[0]);
    for (const a of answers.filter((x) => x.result === 'refused')) {
      assert.equal(a.reason, 'already_checked_in');
      assert.deepEqual(a.previous, {
        at: admission.scannedAt.toISOString(),
        checkpoint: 'event:opening-ceremony-2026',
        deviceId: admitted[0],
      });
    }
  });

  it('a revoked badge is refused; its replacement works', async () => {
    const [b] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, personId), isNull(badges.revokedAt)));
    const fresh = await revokeAndReissue(desk(), b.id, 'lost');
    assert.notEqual(fresh.token, b.token);
    assert.equal((await at('event:opening-ceremony-2026', b.token)).reason, 'revoked');
    assert.equal((await at('event:opening-ceremony-2026', fresh.token)).result, 'admitted');
    token = fresh.token;
  });

  it('offline scans sync once each; a badge admitted offline by one door and online by another is one arrival and a reported conflict', async () => {
    const online = await at('event:ai-for-good-2026');
    assert.equal(online.reason, 'not_registered_for_event');
    const cp = 'event:wsis-high-level-track-2026';
    const p2 = await createPerson(t, { entityId: ghana });
    const [r2] = (
      await submitRegistration(as({ id: p2.id, entityId: ghana }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: '',
        function: '',
      })
    ).registrations;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r2.id, {
      decision: 'approve',
    });
    await issueMissingBadges(t.database.db, t.clock.now());
    const [{ token: t2 }] = await t.database.db
      .select({ token: badges.token })
      .from(badges)
      .where(eq(badges.personId, p2.id));
    assert.equal((await at(cp, t2, 'door-online')).result, 'admitted');
    const queue = [
      {
        scanId: randomUUID(),
        code: t2,
        checkpoint: cp,
        deviceId: 'door-offline',
        scannedAt: '2026-07-08T07:01:00Z',
        offlineResult: 'admitted' as const,
      },
      {
        scanId: randomUUID(),
        code: 'not a badge',
        checkpoint: cp,
        deviceId: 'door-offline',
        scannedAt: '2026-07-08T07:02:00Z',
        offlineResult: 'refused' as const,
      },
    ];
    const synced = await syncScans(door('door-offline').ctx, queue);
    assert.deepEqual(
      synced.map((s) => [s.result, s.reason, !!s.conflict]),
      [
        ['refused', 'already_checked_in', true],
        ['refused', 'invalid_code', false],
      ],
    );
    const again = await syncScans(door('door-offline').ctx, queue);
    assert.deepEqual(again, synced);
    assert.equal((await t.database.db.select().from(scans).where(eq(scans.deviceId, 'door-offline'))).length, 2);
    const counts = await arrivalCounts(as({ id: 'boss', role: 'staff', capabilities: ['reports.view'] }));
    const hlt = counts.checkpoints.find((c) => c.checkpoint === cp)!;
    assert.deepEqual([hlt.arrivals, hlt.conflicts], [2, 1]);
  });

  it('the offline manifest holds token hashes and the answer each badge gets, never a token', async () => {
    const m = await manifest(door().ctx, 'event:wsis-forum-2026');
    const body = JSON.stringify(m);
    assert.ok(!body.includes('CVB1.'));
    const mine = m.entries.find((e) => e.h === tokenHash(token))!;
    assert.equal(mine.s, 'ok', 'the replacement badge has not been scanned at the Forum door');
    assert.ok(m.entries.some((e) => e.s === 'revoked'));
  });

  it('the badge desk finds a person by name in any case and accent, by reference and by the confirmation QR; hands over after an ID check', async () => {
    assert.equal(fold('Ñúñez-Åberg  JÉRÔME'), 'nunez-aberg jerome');
    const byName = await searchDesk(desk(), 'nunez jerome');
    assert.equal(byName[0]?.person.id, personId);
    assert.equal((await searchDesk(desk(), 'ÑÚÑEZ'))[0]?.person.id, personId);
    assert.equal((await searchDesk(desk(), registrationReference(regId)))[0]?.person.id, personId);
    assert.equal((await searchDesk(desk(), await confirmationCode(t.database.db, regId)))[0]?.person.id, personId);
    assert.deepEqual(await searchDesk(desk(), 'nobody-here'), []);
    await assert.rejects(searchDesk(door().ctx, 'jerome'), code('forbidden'));
    const b = byName[0].badge;
    await assert.rejects(markCollected(desk(), b.id), code('badge_id_not_checked'));
    await confirmIdChecked(desk(), b.id);
    const done = await markCollected(desk(), b.id);
    assert.ok(done.collectedAt);
    await assert.rejects(markCollected(desk(), b.id), code('badge_already_collected'));
  });
  it('live arrivals: a burst of admissions reaches every open page at most once a second, with every arrival counted', async () => {
    const codes = (await t.database.db.select({ code: sessions.code }).from(sessions))
      .map((x) => x.code)
      .filter((c) => /^WSIS-\d+$/.test(c))
      .slice(0, 20);
    const pages: Awaited<ReturnType<typeof countArrivals>>[][] = [[], []];
    const stops = pages.map((got) => onArrivals(t.database.db, (c) => got.push(c)));
    try {
      const started = Date.now();
      const answers = await Promise.all(codes.map((c) => at(`session:${c}`)));
      const seconds = Math.ceil((Date.now() - started) / FEED_INTERVAL_MS);
      const admitted = answers.filter((a) => a.result === 'admitted').length;
      assert.ok(admitted >= 10, `${admitted} admissions`);
      const want = await countArrivals(t.database.db);
      await new Promise((r) => setTimeout(r, FEED_INTERVAL_MS * 2.5));
      for (const got of pages) {
        // one count per second of scanning (and one for the last), not one per admission
        assert.ok(
          got.length >= 1 && got.length <= seconds + 1 && got.length < admitted,
          `${got.length} updates for ${admitted} admissions in ${seconds} s`,
        );
        assert.deepEqual(got.at(-1), want);
      }
    } finally {
      for (const stop of stops) stop();
    }
  });

  it('the reference printed under the QR, typed by hand, is checked like the QR; lower case too', async () => {
    const p = await createPerson(t, { entityId: ghana });
    const [r] = (
      await submitRegistration(as({ id: p.id, entityId: ghana }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: '',
        function: 'other',
      })
    ).registrations;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
      decision: 'approve',
    });
    const reference = registrationReference(r.id);
    const typed = await at('event:wsis-forum-2026', reference);
    assert.equal(typed.result, 'admitted', JSON.stringify(typed));
    assert.equal(typed.person?.id, p.id);
    const [b] = await t.database.db.select().from(badges).where(eq(badges.personId, p.id));
    // The QR of the same badge now finds it admitted; and the reference in lower case is the same badge.
    assert.equal((await at('event:wsis-forum-2026', b.token, 'door-2')).reason, 'already_checked_in');
    assert.equal((await at('event:wsis-forum-2026', reference.toLowerCase(), 'door-3')).reason, 'already_checked_in');
    assert.equal((await at('event:wsis-forum-2026', 'R-00000000')).reason, 'invalid_code');
    // Offline, the manifest carries the reference's hash (never the reference) so the scanner can check it too.
    const m = await manifest(door().ctx, 'event:wsis-forum-2026');
    const entry = m.entries.find((e) => e.h === tokenHash(b.token));
    assert.ok(entry?.r.includes(tokenHash(reference)));
    assert.ok(!JSON.stringify(m).includes(reference));
    assert.deepEqual(m.days, { from: '2026-07-06', to: '2026-07-10' });
  });

  it("a badge is admitted only on its event's days, online by the server's clock and offline by the time of the scan", async () => {
    const p = await createPerson(t, { entityId: ghana });
    const [r] = (
      await submitRegistration(as({ id: p.id, entityId: ghana }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: '',
        function: 'other',
      })
    ).registrations;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
      decision: 'approve',
    });
    await issueMissingBadges(t.database.db, t.clock.now());
    const [b] = await t.database.db.select().from(badges).where(eq(badges.personId, p.id));
    const now = t.clock.now();
    t.clock.set(new Date('2026-06-10T10:00:00+02:00'));
    try {
      // 10 June, a month before: refused, whatever the device says.
      const early = await at('event:wsis-forum-2026', b.token, 'door-1', { scannedAt: '2026-07-08T08:00:00Z' });
      assert.equal(early.reason, 'outside_event_days');
      t.clock.set(new Date('2026-07-11T00:30:00+02:00')); // the night after the last day
      assert.equal((await at('event:wsis-forum-2026', b.token)).reason, 'outside_event_days');
    } finally {
      t.clock.set(now);
    }
    // A scan made offline on 5 July and synced during the event is decided by when it was made.
    const [synced] = await syncScans(door().ctx, [
      {
        scanId: randomUUID(),
        code: b.token,
        checkpoint: 'event:wsis-forum-2026',
        deviceId: 'door-9',
        scannedAt: '2026-07-05T10:00:00Z',
        offlineResult: 'refused',
      },
    ]);
    assert.equal(synced.reason, 'outside_event_days');
    assert.equal((await at('event:wsis-forum-2026', b.token)).result, 'admitted');
    assert.equal(
      decide({
        badge: { revoked: false },
        registered: new Set([1]),
        all: [
          {
            id: 1,
            slug: 'e',
            parentId: null,
            kind: 'forum',
            restricted: false,
            days: { from: '2026-07-06', to: '2026-07-10' },
          },
        ],
        target: {
          id: 1,
          slug: 'e',
          parentId: null,
          kind: 'forum',
          restricted: false,
          days: { from: '2026-07-06', to: '2026-07-10' },
        },
        at: new Date('2026-07-05T21:59:00Z'), // 23:59 in Geneva, the day before
      }).result,
      'refused',
    );
  });

  it('times at the doors are Geneva time on a 24-hour clock in every language, and follow the rehearsal clock', async () => {
    const at1430 = new Date('2026-07-08T12:30:00Z');
    for (const l of ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const) {
      const s = formatDateTime(l, at1430);
      assert.match(s, /14[:.]30/, `${l}: ${s}`);
      assert.doesNotMatch(s, /\b(AM|PM)\b|[صم]\s*$|下午/, `${l}: ${s}`);
    }
    const staff = await createPerson(t, { role: 'staff', capabilities: ['checkin.scan', 'reports.view'] });
    const c = await client(t, staff);
    const page = await c.inject({ url: '/en/scan?checkpoint=event:wsis-forum-2026' });
    assert.match(page.body, new RegExp(`data-now="${t.clock.now().toISOString()}"`));
    const arrivals = await c.inject({ url: '/ar/arrivals' });
    assert.match(arrivals.body, new RegExp(`data-now="${t.clock.now().toISOString()}"`));
  });
});
