/**
 * Registration as protocol wants it (issue 15 §3): no function chosen in advance, protocol categories only from the
 * focal point or the secretariat, every event's window closing when the event ends at the latest, visa requests that
 * follow the window and never count negative days, one visa letter per trip, and only the actions that can succeed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { TEST_NOW } from '../../../test/helpers/db.js';
import { authSessions, people } from '../accounts/accounts.schema.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { registrationSettings, registrations, visaRequests } from './registration.schema.js';
import { daysBefore } from './registration.visa.js';

const VISA = {
  passportName: 'Ama MENSAH',
  passportNumber: 'G1234567',
  nationality: 'GH',
  dateOfBirth: '1980-01-01',
  visaPlace: 'Embassy of Switzerland in Accra',
  letterLocale: 'en',
};

describe('registration as protocol wants it', () => {
  let t: TestApp;
  let ghana: number;
  before(async () => {
    t = await buildTestApp();
    [{ id: ghana }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
  });
  after(() => t.close());

  it('the form pre-selects no function and offers protocol categories only to the focal point', async () => {
    const p = await createPerson(t, { entityId: ghana });
    const page = await (await client(t, p)).inject({ url: '/en/register' });
    assert.equal(page.statusCode, 200);
    const select = page.body.match(/<select [^>]*name="function"[\s\S]*?<\/select>/)?.[0] ?? '';
    assert.match(select, /^<select [^>]*name="function"[^>]*><option value>Choose…<\/option>/);
    assert.doesNotMatch(select, /selected/);
    assert.doesNotMatch(page.body, /name="vipCategory"/);
    const dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    assert.match((await (await client(t, dfp)).inject({ url: '/en/register' })).body, /name="vipCategory"/);

    // Submitting without a function is refused by the form, with the field marked.
    const c = await client(t, p);
    const res = await c.inject({
      method: 'POST',
      url: '/en/register',
      form: { events: 'wsis-forum-2026', mode: 'remote', function: '' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="function-error"/);
  });

  it('a participant may not give themself a protocol category, by the page or the API; their focal point may', async () => {
    const p = await createPerson(t, { entityId: ghana });
    const c = await client(t, p);
    const page = await c.inject({
      method: 'POST',
      url: '/en/register',
      form: { events: 'wsis-forum-2026', mode: 'in_person', function: 'minister', vipCategory: 'VVIP' },
    });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /assigned by your focal point or the secretariat/);
    const byApi = await c.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: { 'x-csrf-token': c.csrf },
      payload: { events: ['wsis-forum-2026'], mode: 'in_person', function: 'minister', vipCategory: 'MIN' },
    });
    assert.equal(byApi.statusCode, 403);
    assert.equal(byApi.json().code, 'vip_category_reserved');
    assert.equal(
      (await t.database.db.select().from(registrations).where(eq(registrations.personId, p.id))).length,
      0,
      'nothing was registered',
    );

    // Registered without a category, they cannot add one by editing either; the focal point can.
    const ok = await c.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: { 'x-csrf-token': c.csrf },
      payload: { events: ['wsis-forum-2026'], mode: 'in_person', function: 'minister' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const id = ok.json().registrations[0].id;
    const edit = await c.inject({
      method: 'PATCH',
      url: `/api/v1/registrations/${id}`,
      headers: { 'x-csrf-token': c.csrf },
      payload: { vipCategory: 'MIN' },
    });
    assert.equal(edit.statusCode, 403);
    assert.equal(edit.json().code, 'vip_category_reserved');
    const dfp = await client(t, await createPerson(t, { entityId: ghana, focalPointOf: [ghana] }));
    const form = await dfp.inject({ url: `/en/registrations/${id}/edit` });
    assert.match(form.body, /name="vipCategory"/);
    const set = await dfp.inject({
      method: 'POST',
      url: `/en/registrations/${id}/edit`,
      form: { mode: 'in_person', stakeholderType: 'government', function: 'minister', vipCategory: 'MIN' },
    });
    assert.equal(set.statusCode, 303, set.body);
    const [reg] = await t.database.db.select().from(registrations).where(eq(registrations.id, id));
    assert.equal(reg.vipCategory, 'MIN');
  });

  it('every event has a seeded window that closes when the event ends; no request after it, with a clear message', async () => {
    const rows = await t.database.db
      .select({ slug: events.slug, closesAt: registrationSettings.closesAt })
      .from(events)
      .leftJoin(registrationSettings, eq(registrationSettings.eventId, events.id));
    const forum = rows.find((r) => r.slug === 'wsis-forum-2026');
    assert.equal(forum?.closesAt?.toISOString(), '2026-07-10T22:00:00.000Z', 'midnight in Geneva after 10 July');
    assert.ok(
      rows.every((r) => r.closesAt),
      'every event has a closing date',
    );

    // A secretariat cannot open it beyond the event's end.
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    const late = await admin.inject({
      method: 'PUT',
      url: '/api/v1/events/wsis-forum-2026/registration-settings',
      headers: { 'x-csrf-token': admin.csrf },
      payload: { closesAt: '2026-12-01T00:00:00+01:00' },
    });
    assert.equal(late.statusCode, 400);
    assert.equal(late.json().code, 'registration_closes_after_event');

    // In December, after the summit: refused by page and API, naming the event and the date, in each language.
    t.clock.set(new Date('2026-12-07T10:00:00+01:00'));
    try {
      const p = await createPerson(t, { entityId: ghana });
      const c = await client(t, p);
      const res = await c.inject({
        method: 'POST',
        url: '/api/v1/registrations',
        headers: { 'x-csrf-token': c.csrf },
        payload: { events: ['wsis-forum-2026'], mode: 'remote', function: 'other' },
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'registration_closed');
      const fr = await c.inject({
        method: 'POST',
        url: '/fr/register',
        form: { events: 'wsis-forum-2026', mode: 'remote', function: 'other' },
      });
      assert.equal(fr.statusCode, 409);
      assert.match(
        fr.body,
        /Les inscriptions à la manifestation Forum 2026 du Sommet mondial sur la société de l'information \(SMSI\) ont été closes le samedi, 11 juillet 2026 à 00:00\./,
      );
      // The form shows the event closed and does not offer it.
      const page = await c.inject({ url: '/en/register' });
      assert.match(page.body, /value="wsis-forum-2026"[^>]* disabled\/>/);
      assert.match(page.body, /registration closed on Saturday(,)? 11 July 2026/);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('visa requests follow the window; the day count is never negative', async () => {
    assert.equal(daysBefore(new Date('2026-12-07T10:00:00Z'), '2026-07-06'), 0);
    assert.equal(daysBefore(new Date('2026-06-15T10:00:00Z'), '2026-07-06'), 21);
    const p = await createPerson(t, { entityId: ghana });
    // The session outlives the clock's moves to June and December.
    await t.database.db
      .update(authSessions)
      .set({ expiresAt: new Date('2027-01-01T00:00:00Z') })
      .where(eq(authSessions.personId, p.id));
    const c = await client(t, p);
    const sub = await c.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: { 'x-csrf-token': c.csrf },
      payload: { events: ['wsis-forum-2026'], mode: 'in_person', function: 'other' },
    });
    const id = sub.json().registrations[0].id;
    // On 20 June, 16 days before: accepted, with the 21-day warning.
    t.clock.set(new Date('2026-06-20T10:00:00+02:00'));
    try {
      const res = await c.inject({
        method: 'POST',
        url: `/api/v1/registrations/${id}/visa`,
        headers: { 'x-csrf-token': c.csrf },
        payload: VISA,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().late, true);
      assert.equal(res.json().daysBefore, 16);
    } finally {
      t.clock.set(TEST_NOW);
    }
    await t.database.db
      .update(authSessions)
      .set({ expiresAt: new Date('2027-01-01T00:00:00Z') })
      .where(eq(authSessions.personId, p.id));
    t.clock.set(new Date('2026-12-07T10:00:00+01:00'));
    try {
      const page = await c.inject({ url: `/en/registrations/${id}/visa` });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /-\d+ days/);
      assert.match(page.body, /Registration for World Summit on the Information Society \(WSIS\) Forum 2026 closed on/);
      assert.doesNotMatch(page.body, /name="passportNumber"/, 'no form once closed');
      const res = await c.inject({
        method: 'POST',
        url: `/api/v1/registrations/${id}/visa`,
        headers: { 'x-csrf-token': c.csrf },
        payload: VISA,
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().code, 'registration_closed');
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('one visa letter per trip, prefilled from the profile, issued only once an in-person event is approved', async () => {
    const dfpPerson = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const p = await createPerson(t, { entityId: ghana });
    await t.database.db
      .update(people)
      .set({ givenNameLatin: 'Ama', familyNameLatin: 'Mensah', nationality: 'GH' })
      .where(eq(people.id, p.id));
    const c = await client(t, p);
    const sub = await c.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: { 'x-csrf-token': c.csrf },
      payload: { events: ['wsis-forum-2026', 'ai-for-good-2026'], mode: 'in_person', function: 'other' },
    });
    const [a, b] = sub.json().registrations.map((r: { id: string }) => r.id);

    const form = await c.inject({ url: `/en/registrations/${a}/visa` });
    assert.match(form.body, /name="passportName"[^>]*value="Ama MENSAH"|value="Ama MENSAH"[^>]*name="passportName"/);
    assert.match(form.body, /<option value="GH" selected>Ghana/);
    assert.match(form.body, /Information Society \(WSIS\) Forum 2026 and AI for Good Global Summit 2026/);
    const list = await c.inject({ url: '/en/registrations' });
    assert.equal(list.body.match(/\/visa"/g)?.length, 1, 'one visa link for the trip, not one per event');

    for (const id of [a, b]) {
      const res = await c.inject({
        method: 'POST',
        url: `/api/v1/registrations/${id}/visa`,
        headers: { 'x-csrf-token': c.csrf },
        payload: VISA,
      });
      assert.equal(res.statusCode, 200, res.body);
    }
    const mine = await t.database.db
      .select({ v: visaRequests })
      .from(visaRequests)
      .innerJoin(registrations, eq(visaRequests.registrationId, registrations.id))
      .where(eq(registrations.personId, p.id));
    assert.equal(mine.length, 1, 'the second event joins the same request');

    // Not approved yet: the secretariat is not offered "Issue and send", and the API refuses.
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    const vid = mine[0].v.id;
    const office = await admin.inject({ url: '/en/secretariat/registration' });
    assert.doesNotMatch(office.body, new RegExp(`/secretariat/visa/${vid}/issue`));
    assert.match(office.body, /no in-person registration of this trip is approved/);
    const early = await admin.inject({
      method: 'POST',
      url: `/api/v1/visa-requests/${vid}/issue`,
      headers: { 'x-csrf-token': admin.csrf },
    });
    assert.equal(early.json().code, 'registration_not_approved');

    // The focal point approves the second event only: the letter can be issued, and covers it.
    const dfp = await client(t, dfpPerson);
    const ok = await dfp.inject({
      method: 'POST',
      url: `/api/v1/registrations/${b}/decision`,
      headers: { 'x-csrf-token': dfp.csrf },
      payload: { decision: 'approve' },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.match(
      (await admin.inject({ url: '/en/secretariat/registration' })).body,
      new RegExp(`/secretariat/visa/${vid}/issue`),
    );
    const issued = await admin.inject({
      method: 'POST',
      url: `/api/v1/visa-requests/${vid}/issue`,
      headers: { 'x-csrf-token': admin.csrf },
    });
    assert.equal(issued.statusCode, 200, issued.body);
  });
});
