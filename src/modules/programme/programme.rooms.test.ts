import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client, type TestPerson } from '../../../test/helpers/actors.js';
import { multipart } from '../../../test/helpers/multipart.js';
import { auditLog } from '../../platform/platform.schema.js';
import { floorPlans, roomHours, rooms, venueFloors } from '../events/events.schema.js';
import { PLAN_MAX_BYTES } from './programme.plans.js';
import { agendaItems, roomFacilities, sessionReminders, sessions } from './programme.schema.js';

const SVG = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400" viewBox="0 0 800 400">
  <rect x="10" y="10" width="780" height="380" fill="#eef" stroke="#336"/>
  <script>alert('never')</script>
  <text x="40" y="60">Congress Centre</text>
</svg>`;

/** The room form as a browser sends it: the seeded room's values, with some changed. */
const roomForm = (o: Record<string, string | string[]> = {}) => ({
  name_en: 'Room A',
  name_fr: 'Salle A',
  name_ar: 'القاعة A',
  capacity: '500',
  floor: 'congress-centre',
  position: '1',
  opens: '08:00',
  closes: '20:00',
  ...o,
});

describe('programme: rooms, floors and the venue plan', () => {
  let t: TestApp;
  let staff: Client;
  let staffPerson: TestPerson;
  let participant: Client;
  const audits = async (action: string, subjectId: string) =>
    t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.subjectId, subjectId)));
  const conflictsPage = async () =>
    (await staff.inject({ method: 'GET', url: '/en/secretariat/programme/conflicts' })).body;
  const uploadPlan = (floor: string, file: { type: string; data: Buffer; filename?: string }) =>
    staff.inject({
      method: 'POST',
      url: `/en/secretariat/venue/floors/${floor}/plan`,
      ...multipart({ _csrf: staff.csrf }, { name: 'plan', ...file }),
    });

  before(async () => {
    t = await buildTestApp();
    staffPerson = await createPerson(t, { role: 'staff', capabilities: ['programme.edit'] });
    staff = await client(t, staffPerson);
    participant = await client(t, await createPerson(t));
  });
  after(() => t.close());

  it('lists the rooms by floor for the secretariat only, in English and Arabic', async () => {
    assert.equal((await participant.inject({ method: 'GET', url: '/en/secretariat/venue' })).statusCode, 403);
    const en = await staff.inject({ method: 'GET', url: '/en/secretariat/venue' });
    assert.equal(en.statusCode, 200);
    // The seed's floors, each with its rooms.
    assert.match(en.body, /<h2 id="floor-congress-centre">Congress Centre<\/h2>/);
    assert.match(en.body, /id="floor-hall-2"/);
    const congress = en.body.slice(en.body.indexOf('floor-congress-centre'), en.body.indexOf('floor-congress-centre-'));
    assert.match(congress, /Plenary Room C/);
    const ar = await staff.inject({ method: 'GET', url: '/ar/secretariat/venue' });
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /dir="rtl"/);
    assert.match(ar.body, /القاعات والطوابق/);
    assert.match(ar.body, /مركز المؤتمرات/);
  });

  it('creates a room with booths, hours per day and accessibility notes; audited; a bad form comes back as typed', async () => {
    const bad = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/venue/rooms/new',
      form: {
        slug: 'room-z',
        name_en: 'Room Zeta typed',
        capacity: 'many',
        opens: '09:00',
        closes: '08:00',
        'day_2026-07-07_opens': '10:00',
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="Room Zeta typed"/, 'what was typed is kept');
    assert.match(bad.body, /Write the capacity as a whole number/);
    assert.match(bad.body, /The closing time must be after the opening time/);
    assert.match(bad.body, /Give both the opening and the closing time of this day/);
    assert.equal((await t.database.db.select().from(rooms).where(eq(rooms.slug, 'room-z'))).length, 0);

    const ok = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/venue/rooms/new',
      form: {
        slug: 'room-z',
        name_en: 'Room Zeta',
        name_ar: 'القاعة زيتا',
        capacity: '120',
        floor: 'hall-2',
        booths: ['en', 'fr', 'ar'],
        opens: '08:30',
        closes: '19:00',
        'day_2026-07-07_opens': '10:00',
        'day_2026-07-07_closes': '16:00',
        access_en: 'Step-free entrance from Hall 2; hearing loop.',
        plan_x: '25.5',
        plan_y: '40',
      },
    });
    assert.equal(ok.statusCode, 303, ok.body);
    assert.equal(ok.headers.location, '/en/secretariat/venue?done=room_created');
    const [room] = await t.database.db.select().from(rooms).where(eq(rooms.slug, 'room-z'));
    assert.equal(room!.capacity, 120);
    assert.deepEqual([room!.planX, room!.planY], [25.5, 40]);
    assert.equal(room!.accessibility.en, 'Step-free entrance from Hall 2; hearing loop.');
    const [floor] = await t.database.db.select().from(venueFloors).where(eq(venueFloors.id, room!.floorId!));
    assert.equal(floor!.slug, 'hall-2');
    const [f] = await t.database.db.select().from(roomFacilities).where(eq(roomFacilities.roomId, room!.id));
    assert.deepEqual([f!.booths, f!.opens, f!.closes], [['en', 'fr', 'ar'], '08:30', '19:00']);
    const hours = await t.database.db.select().from(roomHours).where(eq(roomHours.roomId, room!.id));
    assert.deepEqual(
      hours.map((h) => [h.day, h.opens, h.closes]),
      [['2026-07-07', '10:00', '16:00']],
    );
    const [a] = await audits('programme.room_created', 'room-z');
    assert.equal(a!.actor, staffPerson.id);
    assert.deepEqual(a!.changes.capacity, [null, 120]);
    assert.deepEqual(a!.changes.booths, [null, ['en', 'fr', 'ar']]);

    const again = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/venue/rooms/new',
      form: { slug: 'room-z', name_en: 'Another' },
    });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /Another room already has this short name/);
  });

  it('a room with sessions cannot be deleted, only retired (the form says so); one without can be deleted', async () => {
    const page = await staff.inject({ method: 'GET', url: '/en/secretariat/venue/rooms/room-k' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="delete-note">4 sessions or drafts use this room: it cannot be deleted, only retired/);
    assert.ok(!page.body.includes('/rooms/room-k/delete'), 'no delete button');

    const refused = await staff.inject({ method: 'POST', url: '/en/secretariat/venue/rooms/room-k/delete', form: {} });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /it cannot be deleted, only retired/);
    assert.equal((await t.database.db.select().from(rooms).where(eq(rooms.slug, 'room-k'))).length, 1);
    assert.equal((await audits('programme.room_deleted', 'room-k')).length, 0);

    const retired = await staff.inject({ method: 'POST', url: '/en/secretariat/venue/rooms/room-k/retire', form: {} });
    assert.equal(retired.statusCode, 303);
    const [k] = await t.database.db.select().from(rooms).where(eq(rooms.slug, 'room-k'));
    assert.ok(k!.retiredAt);
    assert.equal((await audits('programme.room_retired', 'room-k')).length, 1);
    // Its sessions are listed on the conflicts page; the public list of rooms leaves it out.
    const conflicts = await conflictsPage();
    for (const code of ['WSIS-108', 'WSIS-109', 'WSIS-209', 'WSIS-508'])
      assert.match(conflicts, new RegExp(`data-kind="room_retired"><a href="/en/secretariat/programme/${code}"`));
    const api = (await t.app.inject({ url: '/api/v1/rooms' })).json() as { rooms: { slug: string }[] };
    assert.ok(!api.rooms.some((r) => r.slug === 'room-k'));
    const back = await staff.inject({ method: 'POST', url: '/en/secretariat/venue/rooms/room-k/reinstate', form: {} });
    assert.equal(back.statusCode, 303);
    assert.ok(!(await conflictsPage()).includes('room_retired'));

    // A room no session uses: deleted, with its facilities and hours.
    const z = await staff.inject({ method: 'GET', url: '/en/secretariat/venue/rooms/room-z' });
    assert.match(z.body, /No session uses this room: it can be deleted/);
    const [zr] = await t.database.db.select().from(rooms).where(eq(rooms.slug, 'room-z'));
    const del = await staff.inject({ method: 'POST', url: '/en/secretariat/venue/rooms/room-z/delete', form: {} });
    assert.equal(del.statusCode, 303);
    assert.equal((await t.database.db.select().from(rooms).where(eq(rooms.slug, 'room-z'))).length, 0);
    assert.equal((await t.database.db.select().from(roomHours).where(eq(roomHours.roomId, zr!.id))).length, 0);
    assert.equal((await audits('programme.room_deleted', 'room-z')).length, 1);
  });

  it('the conflict checks use the edited room: a capacity below a session’s, and hours that close early one day', async () => {
    const db = t.database.db;
    await db.update(sessions).set({ capacity: 400 }).where(eq(sessions.code, 'WSIS-201'));
    assert.ok(!(await conflictsPage()).includes('data-kind="capacity_above_room"'), 'Room A has 500 seats');
    const saved = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/venue/rooms/room-a',
      form: roomForm({ capacity: '300', 'day_2026-07-10_opens': '08:00', 'day_2026-07-10_closes': '15:00' }),
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const page = await conflictsPage();
    assert.match(
      page,
      /data-kind="capacity_above_room"><a href="\/en\/secretariat\/programme\/WSIS-201">WSIS-201<\/a>, more places than the room has \(300\)/,
    );
    // On 10 July Room A closes at 15:00: the sessions at 14:00–15:30 and 16:30 are outside its hours; the morning ones are not.
    for (const code of ['WSIS-503', 'WSIS-504'])
      assert.match(page, new RegExp(`data-kind="outside_venue_hours"><a href="/en/secretariat/programme/${code}"`));
    assert.ok(!page.includes('/en/secretariat/programme/WSIS-501">WSIS-501</a>, outside'));
    const [a] = await audits('programme.room_updated', 'room-a');
    assert.deepEqual(a!.changes.capacity, [500, 300]);
    assert.deepEqual(a!.changes.days, [{}, { '2026-07-10': { opens: '08:00', closes: '15:00' } }]);
    await staff.inject({ method: 'POST', url: '/en/secretariat/venue/rooms/room-a', form: roomForm() });
    assert.ok(!(await conflictsPage()).includes('capacity_above_room'));
  });

  it('a plan upload is refused when it is not an image or too large, in words and audited nowhere', async () => {
    const text = await uploadPlan('congress-centre', {
      type: 'image/svg+xml',
      data: Buffer.from('%PDF-1.7 this is not a plan'),
      filename: 'plan.svg',
    });
    assert.equal(text.statusCode, 415);
    assert.match(text.body, /The plan must be an SVG, PNG or JPEG image/);
    const big = await uploadPlan('congress-centre', {
      type: 'image/png',
      data: Buffer.alloc(PLAN_MAX_BYTES + 4096, 7),
      filename: 'huge.png',
    });
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /The plan is too large: at most 5 MB/);
    const ar = await staff.inject({
      method: 'POST',
      url: '/ar/secretariat/venue/floors/congress-centre/plan',
      ...multipart({ _csrf: staff.csrf }, { name: 'plan', type: 'text/plain', data: Buffer.from('hello') }),
    });
    assert.equal(ar.statusCode, 415);
    assert.match(ar.body, /يجب أن يكون المخطط صورة SVG أو PNG أو JPEG/);
    assert.equal((await t.database.db.select().from(floorPlans)).length, 0);
    assert.equal((await audits('programme.floor_plan_uploaded', 'congress-centre')).length, 0);
  });

  it('an SVG plan is served only as an image under a CSP that runs no script; a PNG is re-encoded', async () => {
    const up = await uploadPlan('congress-centre', {
      type: 'image/svg+xml',
      data: Buffer.from(SVG),
      filename: 'cc.svg',
    });
    assert.equal(up.statusCode, 303, up.body);
    const [plan] = await t.database.db.select().from(floorPlans);
    assert.deepEqual([plan!.contentType, plan!.width, plan!.height], ['image/svg+xml', 800, 400]);
    const [a] = await audits('programme.floor_plan_uploaded', 'congress-centre');
    assert.deepEqual(a!.changes.contentType, [null, 'image/svg+xml']);

    const floors = (await t.app.inject({ url: '/api/v1/floors' })).json() as {
      floors: { slug: string; plan: { url: string; contentType: string } | null }[];
    };
    const cc = floors.floors.find((f) => f.slug === 'congress-centre')!;
    assert.match(cc.plan!.url, /^\/venue\/plans\/congress-centre-[0-9a-f]{16}\.svg$/);
    const file = await t.app.inject({ url: cc.plan!.url });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/svg+xml');
    const csp = String(file.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /\bsandbox\b/);
    assert.ok(!/script-src/.test(csp), 'no script source is allowed (default-src none)');
    assert.equal(file.headers['x-content-type-options'], 'nosniff');

    // A PNG on another floor: decoded and re-encoded (its text chunk does not survive).
    const png = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#ddeeff' } })
      .png()
      .withMetadata({ exif: { IFD0: { Copyright: 'secret-camera-owner' } } })
      .toBuffer();
    const pup = await uploadPlan('hall-2', { type: 'image/png', data: png, filename: 'hall2.png' });
    assert.equal(pup.statusCode, 303, pup.body);
    const [hall] = await t.database.db
      .select({ p: floorPlans })
      .from(floorPlans)
      .innerJoin(venueFloors, eq(venueFloors.id, floorPlans.floorId))
      .where(eq(venueFloors.slug, 'hall-2'));
    assert.equal(hall!.p.contentType, 'image/png');
    assert.ok(!hall!.p.bytes.includes('secret-camera-owner'));
    assert.equal((await sharp(hall!.p.bytes).metadata()).format, 'png');
  });

  it('the public venue page and a session’s page show the plan with the room marked, with text and alt text', async () => {
    // Room A is on the Congress Centre (seed) and is placed on its plan.
    const placed = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/venue/rooms/room-a',
      form: roomForm({ plan_x: '30', plan_y: '55', access_en: 'Wheelchair places in the first row.' }),
    });
    assert.equal(placed.statusCode, 303, placed.body);
    const floors = (await t.app.inject({ url: '/api/v1/floors' })).json() as {
      floors: { slug: string; plan: { url: string } | null }[];
    };
    const url = floors.floors.find((f) => f.slug === 'congress-centre')!.plan!.url;

    const en = await t.app.inject({ url: '/en/venue' });
    assert.equal(en.statusCode, 200);
    const section = en.body.slice(
      en.body.indexOf('id="floor-congress-centre"'),
      en.body.indexOf('id="floor-congress-centre-extension"'),
    );
    assert.ok(section.includes(`<img src="${url}" alt="Plan of Congress Centre"`), section.slice(0, 800));
    // Room A is the second room of the floor: mark 2 at its place, and its name as text with the same number.
    assert.match(
      section,
      /<span class="plan-mark" style="left:30%;top:55%" aria-hidden="true" title="Room A">2<\/span>/,
    );
    assert.match(
      section,
      /<li id="room-room-a" class="venue-room"><h3><span class="plan-num" aria-hidden="true">2<\/span> Room A<\/h3>/,
    );
    assert.match(section, /Wheelchair places in the first row\./);
    assert.match(section, /500 seats/);

    const ar = await t.app.inject({ url: '/ar/venue' });
    assert.equal(ar.statusCode, 200);
    assert.ok(ar.body.includes(`alt="مخطط مركز المؤتمرات"`));
    assert.match(ar.body, /القاعة A/);

    const session = await t.app.inject({ url: '/en/sessions/WSIS-201' });
    assert.equal(session.statusCode, 200);
    assert.match(session.body, /<h2 id="where-title">Where<\/h2><p>Room A, Congress Centre<\/p>/);
    assert.ok(session.body.includes(`<img src="${url}" alt="Plan of Congress Centre"`));
    assert.match(session.body, /class="plan-mark plan-pin" style="left:30%;top:55%"/);
    assert.match(
      session.body,
      /<figcaption>Room A is marked with a pin on the plan of Congress Centre\.<\/figcaption>/,
    );
    assert.match(session.body, /href="\/en\/venue#room-room-a"/);

    // The API lists rooms and floors with public data only.
    const api = (await t.app.inject({ url: '/api/v1/rooms?lang=fr' })).json() as {
      rooms: Record<string, unknown>[];
    };
    const roomA = api.rooms.find((r) => r.slug === 'room-a')!;
    assert.deepEqual(
      [roomA.name, roomA.capacity, roomA.floor, roomA.plan],
      ['Salle A', 500, 'congress-centre', { x: 30, y: 55 }],
    );
    assert.deepEqual(Object.keys(roomA).sort(), [
      'accessibility',
      'capacity',
      'closes',
      'floor',
      'interpretationBooths',
      'name',
      'names',
      'opens',
      'plan',
      'slug',
    ]);
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/v1/rooms'] && doc.paths['/api/v1/floors']);
    const planFloors = (await t.app.inject({ url: '/api/v1/floors' })).body;
    assert.ok(!planFloors.includes(staffPerson.id), 'who uploaded it is not public');
  });

  it('floors: created in six languages, ordered, and deleted only when no room is on them', async () => {
    const created = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/venue/floors/new',
      form: { slug: 'level-minus-1', name_en: 'Level −1', name_fr: 'Niveau −1', name_ar: 'الطابق −1', position: '9' },
    });
    assert.equal(created.statusCode, 303, created.body);
    const [f] = await t.database.db.select().from(venueFloors).where(eq(venueFloors.slug, 'level-minus-1'));
    assert.deepEqual(f!.name, { en: 'Level −1', fr: 'Niveau −1', ar: 'الطابق −1' });
    assert.equal((await audits('programme.floor_created', 'level-minus-1')).length, 1);
    const busy = await staff.inject({ method: 'POST', url: '/en/secretariat/venue/floors/hall-2/delete', form: {} });
    assert.equal(busy.statusCode, 409);
    assert.match(busy.body, /on this floor: move them to another floor before deleting it/);
    const gone = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/venue/floors/level-minus-1/delete',
      form: {},
    });
    assert.equal(gone.statusCode, 303);
    assert.equal(
      (await t.database.db.select().from(venueFloors).where(eq(venueFloors.slug, 'level-minus-1'))).length,
      0,
    );
  });

  it('a person’s data export holds their agenda and the reminders sent to them, nobody else’s', async () => {
    const db = t.database.db;
    const me = await createPerson(t);
    const other = await createPerson(t);
    const [s] = await db.select().from(sessions).where(eq(sessions.code, 'HLT-09'));
    const now = t.clock.now();
    for (const p of [me, other])
      await db.insert(agendaItems).values({ personId: p.id, sessionId: s!.id, addedAt: now });
    await db
      .insert(sessionReminders)
      .values({ personId: me.id, sessionId: s!.id, sentAt: new Date('2026-07-08T08:00:00Z') });
    const res = await (await client(t, me)).inject({ method: 'GET', url: '/api/v1/me/export' });
    assert.equal(res.statusCode, 200);
    const data = res.json() as {
      agenda: { session: string }[];
      sessionReminders: { session: string; sentAt: string; title: Record<string, string> }[];
    };
    assert.deepEqual(
      data.sessionReminders.map((r) => [r.session, r.sentAt]),
      [['HLT-09', '2026-07-08T08:00:00.000Z']],
    );
    assert.ok(data.sessionReminders[0]!.title.en);
    assert.deepEqual(
      data.agenda.map((a) => a.session),
      ['HLT-09'],
    );
    const theirs = (await (await client(t, other)).inject({ method: 'GET', url: '/api/v1/me/export' })).json() as {
      sessionReminders: unknown[];
    };
    assert.deepEqual(theirs.sessionReminders, []);
  });
});
