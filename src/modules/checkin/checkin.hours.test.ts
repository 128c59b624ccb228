/**
 * Checkpoints' opening hours (issue 15 §6): per day in Geneva time, enforced online (by the app's clock) and offline
 * (by when the scan was made: the server's sync and the scanner script's own rule), at the boundaries, across DST.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { client, createPerson, type TestPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import type { DomainError } from '../../platform/errors.js';
import { issueMissingBadges } from '../badges/index.js';
import { badges } from '../badges/index.js';
import { entities } from '../entities/index.js';
import { decideRegistration, submitRegistration } from '../registration/index.js';
import { saveCheckpointHours } from './checkin.hours.js';
import { decide, withinHours, type EventNode, type OpeningHours } from './checkin.rules.js';
import { manifest, resolveCheckpoint, scan, syncScans } from './checkin.service.js';

const code = (c: string) => (e: DomainError) => e.code === c;

/** The scanner script's own offline rule (assets/scan.js), taken from the file the browser runs. */
function scannerRule(): (hours: OpeningHours[], at: Date) => boolean {
  const src = fs.readFileSync(new URL('../../platform/ui/assets/scan.js', import.meta.url), 'utf8');
  const start = src.indexOf('  function genevaDay(d)');
  const end = src.indexOf('  function decideOffline(');
  assert.ok(start > 0 && end > start, 'the scanner script has its day, time and hours functions');
  return new Function(`${src.slice(start, end)}\nreturn withinHours;`)() as (h: OpeningHours[], at: Date) => boolean;
}

describe('opening hours (pure, both rules)', () => {
  const offline = scannerRule();
  const cases: [string, OpeningHours[], string, boolean][] = [
    // Summer time (CEST, UTC+2): 09:00 Geneva is 07:00 UTC.
    [
      'a minute before opening',
      [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }],
      '2026-07-08T06:59:59Z',
      false,
    ],
    ['at the opening minute', [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }], '2026-07-08T07:00:00Z', true],
    [
      'the last second before closing',
      [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }],
      '2026-07-08T15:59:59Z',
      true,
    ],
    ['at the closing minute', [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }], '2026-07-08T16:00:00Z', false],
    [
      'a day without hours is open all day',
      [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }],
      '2026-07-09T03:00:00Z',
      true,
    ],
    ['until midnight', [{ day: '2026-07-08', opens: '20:00', closes: '24:00' }], '2026-07-08T21:59:00Z', true],
    // The last Sunday of March: clocks go from 02:00 CET to 03:00 CEST.
    [
      'spring forward, before opening',
      [{ day: '2026-03-29', opens: '08:00', closes: '12:00' }],
      '2026-03-29T05:59:00Z',
      false,
    ],
    [
      'spring forward, at opening (06:00 UTC)',
      [{ day: '2026-03-29', opens: '08:00', closes: '12:00' }],
      '2026-03-29T06:00:00Z',
      true,
    ],
    // The last Sunday of October: 03:00 CEST goes back to 02:00 CET; 09:00 Geneva is 08:00 UTC.
    [
      'fall back, 08:59 Geneva',
      [{ day: '2026-10-25', opens: '09:00', closes: '18:00' }],
      '2026-10-25T07:59:00Z',
      false,
    ],
    ['fall back, 09:00 Geneva', [{ day: '2026-10-25', opens: '09:00', closes: '18:00' }], '2026-10-25T08:00:00Z', true],
    [
      'fall back, 18:00 Geneva',
      [{ day: '2026-10-25', opens: '09:00', closes: '18:00' }],
      '2026-10-25T17:00:00Z',
      false,
    ],
    // Just after midnight in Geneva is still the previous day in UTC: the Geneva day decides.
    [
      '00:30 Geneva on a day with hours',
      [{ day: '2026-07-09', opens: '00:00', closes: '01:00' }],
      '2026-07-08T22:30:00Z',
      true,
    ],
  ];
  for (const [name, hours, at, open] of cases)
    it(`${name}: ${open ? 'open' : 'closed'}, online and offline alike`, () => {
      assert.equal(withinHours(hours, new Date(at)), open, 'server rule');
      assert.equal(offline(hours, new Date(at)), open, 'scanner script rule');
    });

  it('a closed door refuses with its own reason, after the event-days rule', () => {
    const target: EventNode = {
      id: 1,
      slug: 'forum',
      parentId: null,
      kind: 'forum',
      restricted: false,
      days: { from: '2026-07-06', to: '2026-07-10' },
    };
    const hours = [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }];
    const d = (at: string) =>
      decide({ badge: { revoked: false }, registered: new Set([1]), all: [target], target, at: new Date(at), hours });
    assert.deepEqual(d('2026-07-08T06:00:00Z'), { result: 'refused', reason: 'outside_opening_hours' });
    assert.deepEqual(d('2026-07-08T08:00:00Z'), { result: 'admitted' });
    assert.deepEqual(d('2026-07-11T08:00:00Z'), { result: 'refused', reason: 'outside_event_days' });
  });
});

describe('opening hours at the doors', () => {
  let t: TestApp;
  let token: string;
  let staff: TestPerson;
  const CP = 'event:wsis-forum-2026';
  before(async () => {
    t = await buildTestApp({ now: new Date('2026-07-08T06:00:00Z') }); // 08:00 in Geneva
    const [{ id: ghana }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'GH'));
    const p = await createPerson(t, { entityId: ghana });
    const [r] = (
      await submitRegistration(as({ id: p.id, entityId: ghana }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
      decision: 'approve',
    });
    await issueMissingBadges(t.database.db, t.clock.now());
    [{ token }] = await t.database.db.select({ token: badges.token }).from(badges).where(eq(badges.personId, p.id));
    staff = await createPerson(t, { role: 'staff', capabilities: ['checkin.scan'], locale: 'ar' });
  });
  after(() => t.close());

  function as(actor: Partial<PersonActor> & { id: string }): Ctx & { db: Db } {
    return {
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
    };
  }
  const door = () => as({ id: 'door', role: 'staff', capabilities: ['checkin.scan'] });
  const scanAt = (iso: string, extra: Record<string, unknown> = {}) => {
    t.clock.set(new Date(iso));
    return scan(door(), { scanId: randomUUID(), code: token, checkpoint: CP, deviceId: 'door-1', ...extra });
  };

  it('staff set the hours; bad times are refused with a reason; others may not', async () => {
    const { target } = await resolveCheckpoint(t.database.db, CP);
    await assert.rejects(
      saveCheckpointHours(door(), CP, target, [{ day: '2026-07-08', opens: '9h', closes: '18:00' }]),
      code('hours_invalid'),
    );
    await assert.rejects(
      saveCheckpointHours(door(), CP, target, [{ day: '2026-07-08', opens: '18:00', closes: '09:00' }]),
      code('hours_order'),
    );
    await assert.rejects(
      saveCheckpointHours(door(), CP, target, [{ day: '2026-07-08', opens: '09:00', closes: '' }]),
      code('hours_invalid'),
    );
    await assert.rejects(
      saveCheckpointHours(door(), CP, target, [{ day: '2026-08-01', opens: '09:00', closes: '18:00' }]),
      code('hours_day_outside'),
    );
    await assert.rejects(
      saveCheckpointHours(as({ id: 'someone' }), CP, target, [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }]),
      code('forbidden'),
    );
    // Through the page, in the staff member's language (Arabic): the error, then the saved hours.
    const c = await client(t, staff);
    const url = `/ar/scan/hours?checkpoint=${encodeURIComponent(CP)}`;
    const page = await c.inject({ method: 'GET', url });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="opens_2026-07-06"/);
    assert.match(page.body, /name="closes_2026-07-10"/);
    const bad = await c.inject({
      method: 'POST',
      url,
      form: { 'opens_2026-07-08': '18:00', 'closes_2026-07-08': '09:00' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /يجب أن يأتي وقت الإغلاق بعد وقت الفتح/);
    assert.match(bad.body, /value="18:00"/, 'what was typed is kept');
    const ok = await c.inject({
      method: 'POST',
      url,
      form: { 'opens_2026-07-08': '09:00', 'closes_2026-07-08': '18:00' },
    });
    assert.equal(ok.statusCode, 303);
    const outsider = await client(t, await createPerson(t));
    assert.equal((await outsider.inject({ method: 'GET', url })).statusCode, 403);
  });

  it('online: refused before opening and at closing, in Geneva time by the app clock; admitted within', async () => {
    assert.equal((await scanAt('2026-07-08T06:59:59Z')).reason, 'outside_opening_hours'); // 08:59:59
    assert.equal((await scanAt('2026-07-08T16:00:00Z')).reason, 'outside_opening_hours'); // 18:00
    assert.equal((await scanAt('2026-07-09T05:00:00Z')).result, 'admitted', 'a day without hours is open all day');
  });

  it('the door page says whether the checkpoint is open now, in the door’s language', async () => {
    const c = await client(t, staff);
    const url = `/ar/scan?checkpoint=${encodeURIComponent(CP)}`;
    t.clock.set(new Date('2026-07-08T05:30:00Z')); // 07:30
    const closed = await c.inject({ method: 'GET', url });
    assert.match(closed.body, /door-closed/);
    assert.match(closed.body, /مغلق الآن: ساعات اليوم 09:00–18:00/);
    t.clock.set(new Date('2026-07-08T10:00:00Z')); // 12:00
    const open = await c.inject({ method: 'GET', url });
    assert.match(open.body, /door-open/);
    assert.match(open.body, /مفتوح الآن حتى 18:00/);
    // The scanner's strings carry the reason in the page's language for the script's offline answers.
    const ar = await c.inject({ method: 'GET', url });
    assert.match(ar.body, /"outside_opening_hours":"الباب مغلق: خارج ساعات عمل نقطة التفتيش هذه \(بتوقيت جنيف\)"/);
  });

  it('offline: the manifest carries the hours; a queued scan is decided by when it was made', async () => {
    t.clock.set(new Date('2026-07-08T10:00:00Z'));
    const m = await manifest(door(), CP);
    assert.deepEqual(m.hours, [{ day: '2026-07-08', opens: '09:00', closes: '18:00' }]);
    // Synced at noon, scanned at 08:30 this morning, before the door opened.
    const [queued] = await syncScans(door(), [
      {
        scanId: randomUUID(),
        code: token,
        checkpoint: CP,
        deviceId: 'door-offline',
        scannedAt: '2026-07-08T06:30:00Z',
        offlineResult: 'refused',
      },
    ]);
    assert.equal(queued.reason, 'outside_opening_hours');
  });
});
