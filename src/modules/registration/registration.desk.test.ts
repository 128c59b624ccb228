/**
 * The focal point's desk: one row per person with their events, what to decide on (photo, nationality, title,
 * organisation), search and filters, pages of 50 (keyset), select-all and bulk decisions without JavaScript (a
 * refusal needs a reason), one e-mail per person decided, and the delegation view with its CSV/XLSX export.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type TestPerson } from '../../../test/helpers/actors.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import { jobs } from '../../platform/platform.schema.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { savePhoto } from './registration.photo.js';
import { registrations } from './registration.schema.js';
import { decideBulk, submitRegistration } from './registration.service.js';

describe('the focal point’s desk', () => {
  let t: TestApp;
  let ghana: number;
  let kenya: number;
  let dfp: TestPerson;
  let forum: number;
  let summit: number;
  const ghanaians: string[] = [];

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
  const mailsTo = async (email: string) =>
    (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send')))
      .map((j) => j.payload as { to: string; template: string; params: Record<string, string> })
      .filter((m) => m.to === email);

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    [{ id: ghana }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    [{ id: kenya }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'KE'));
    [{ id: forum }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
    [{ id: summit }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'ai-for-good-2026'));
    dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    // 55 people of Ghana, each asking for two events: 110 requests, 55 rows.
    const now = t.clock.now();
    const rows = await db
      .insert(people)
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          email: `delegate${i}@moc.gov.gh`,
          givenName: `Kwame${i}`,
          familyName: i === 7 ? 'Nkrumah' : `Mensah${i}`,
          honorific: i === 0 ? 'H.E.' : 'Mr',
          jobTitle: i === 0 ? 'Minister of Communications' : 'Adviser',
          nationality: i === 3 ? 'CI' : 'GH',
          entityId: ghana,
          entityVerifiedAt: now,
          entityVerifiedBy: 'test',
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning();
    ghanaians.push(...rows.map((p) => p.id));
    await db.insert(registrations).values(
      rows.flatMap((p, i) =>
        [forum, summit].map((eventId) => ({
          personId: p.id,
          eventId,
          entityId: ghana,
          mode: 'in_person' as const,
          state: 'pending_dfp' as const,
          stakeholderType: 'government',
          function: i === 0 ? 'minister' : 'technical_expert',
          registeredBy: p.id,
          submittedAt: new Date(now.getTime() - (60 - i) * 60_000),
          updatedAt: now,
        })),
      ),
    );
    const face = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#a08070' } })
      .jpeg()
      .toBuffer();
    await savePhoto(as({ id: ghanaians[0], entityId: ghana }), ghanaians[0], face, 'image/jpeg');
  });
  after(() => t.close());

  it('shows one row per person with their events, photo, nationality, title and organisation, 50 to a page', async () => {
    const c = await client(t, dfp);
    const first = await c.inject({ method: 'GET', url: '/en/focal-point' });
    assert.equal(first.statusCode, 200);
    const rows = first.body.match(/<tr>\s*<td class="select">/g) ?? [];
    assert.equal(rows.length, 50, 'a page holds 50 people');
    // One row for Kwame0 naming both events, with his photo, title, organisation and nationality.
    assert.equal(first.body.split('Kwame0 Mensah0</bdi>').length - 1, 1, 'one person, one row');
    const row0 = first.body.slice(
      first.body.indexOf('Kwame0 Mensah0</bdi>') - 2000,
      first.body.indexOf('Kwame0 Mensah0</bdi>') + 2500,
    );
    assert.match(row0, new RegExp(`src="/api/v1/people/${ghanaians[0]}/photo/thumb"`));
    assert.match(row0, /Minister of Communications/);
    assert.match(row0, /Ghana/);
    assert.match(row0, /WSIS Forum 2026/);
    assert.match(row0, /AI for Good/);
    assert.match(row0, /H\.E\./);
    assert.doesNotMatch(first.body, /One by one/);
    const next = /<a rel="next" href="([^"]+)"/.exec(first.body)?.[1].replaceAll('&amp;', '&');
    assert.ok(next, 'a link to the next page');
    const second = await c.inject({ method: 'GET', url: next });
    assert.equal((second.body.match(/<tr>\s*<td class="select">/g) ?? []).length, 5);
    assert.match(second.body, /Kwame54 Mensah54<\/bdi>/);
    assert.doesNotMatch(second.body, /Kwame0 Mensah0<\/bdi>/);
    assert.doesNotMatch(second.body, /rel="next"/);
  });

  it('searches by name and filters by nationality; "select all" ticks every row without script', async () => {
    const c = await client(t, dfp);
    const found = await c.inject({ method: 'GET', url: '/en/focal-point?q=nkrum' });
    assert.equal((found.body.match(/<tr>\s*<td class="select">/g) ?? []).length, 1);
    assert.match(found.body, /Nkrumah/);
    const ivorian = await c.inject({ method: 'GET', url: '/en/focal-point?nationality=CI' });
    assert.equal((ivorian.body.match(/<tr>\s*<td class="select">/g) ?? []).length, 1);
    assert.match(ivorian.body, /Kwame3 Mensah3<\/bdi>/);
    const all = await c.inject({ method: 'GET', url: '/en/focal-point?q=Kwame1&select=all' });
    const boxes = all.body.match(/<input type="checkbox" name="ids"[^>]*>/g) ?? [];
    assert.ok(boxes.length > 1);
    assert.ok(
      boxes.every((b) => / checked/.test(b)),
      'every box ticked',
    );
    assert.match(all.body, /href="\/en\/focal-point\?q=Kwame1&amp;select=all"/);
  });

  it('approves people in bulk without script: each told once, naming both events; a refusal needs a reason', async () => {
    const c = await client(t, dfp);
    const regsOf = (personId: string) =>
      t.database.db.select().from(registrations).where(eq(registrations.personId, personId));
    const value = async (personId: string) => (await regsOf(personId)).map((r) => r.id).join(',');
    // A refusal without a reason changes nothing.
    const noReason = await c.inject({
      method: 'POST',
      url: '/en/focal-point/bulk',
      form: { ids: await value(ghanaians[1]), decision: 'reject', back: '/en/focal-point?q=Kwame1' },
    });
    assert.equal(noReason.statusCode, 303);
    assert.match(noReason.headers.location as string, /^\/en\/focal-point\?q=Kwame1&error=reason_required$/);
    assert.ok((await regsOf(ghanaians[1])).every((r) => r.state === 'pending_dfp'));
    const page = await c.inject({ method: 'GET', url: noReason.headers.location as string });
    assert.match(page.body, /Please give a reason/);

    const res = await c.inject({
      method: 'POST',
      url: '/en/focal-point/bulk',
      form: {
        ids: [await value(ghanaians[0]), await value(ghanaians[2])],
        decision: 'approve',
        back: 'https://evil.example/',
      },
    });
    assert.equal(res.headers.location, '/en/focal-point?done=4');
    for (const id of [ghanaians[0], ghanaians[2]])
      assert.deepEqual(
        (await regsOf(id)).map((r) => r.state),
        ['approved', 'approved'],
      );
    const told = await mailsTo('delegate0@moc.gov.gh');
    assert.equal(told.length, 1, 'one message for the request, not one per event');
    assert.equal(told[0].template, 'registration_decision');
    assert.equal(told[0].params.state, 'approved');
    assert.match(told[0].params.event, /Forum 2026 and AI for Good/);
    assert.match(told[0].params.reference, /^R-[0-9A-F]{8} and R-[0-9A-F]{8}$/);

    const refusal = { ids: await value(ghanaians[1]), decision: 'reject', reason: 'Not part of the delegation' };
    // Refusing asks first: the answer is a confirmation page showing the reason; nothing is refused yet.
    const ask = await c.inject({ method: 'POST', url: '/en/focal-point/bulk', form: refusal });
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /Not part of the delegation/);
    assert.ok(!(await regsOf(ghanaians[1])).some((r) => r.state === 'rejected'), 'nothing refused before confirming');
    const refused = await c.inject({
      method: 'POST',
      url: '/en/focal-point/bulk',
      form: { ...refusal, confirmed: '1' },
    });
    assert.equal(refused.headers.location, '/en/focal-point?done=2');
    const no = await mailsTo('delegate1@moc.gov.gh');
    assert.equal(no.length, 1);
    assert.equal(no[0].params.state, 'rejected');
    assert.equal(no[0].params.reason, 'Not part of the delegation');
  });

  it('another entity’s focal point decides nothing of Ghana’s: the failures are counted', async () => {
    const kdfp = await createPerson(t, { entityId: kenya, focalPointOf: [kenya] });
    const c = await client(t, kdfp);
    const ids = (await t.database.db.select().from(registrations).where(eq(registrations.personId, ghanaians[5]))).map(
      (r) => r.id,
    );
    const res = await c.inject({
      method: 'POST',
      url: '/en/focal-point/bulk',
      form: { ids: ids.join(','), decision: 'approve' },
    });
    assert.equal(res.headers.location, '/en/focal-point?done=0&failed=2');
    const desk = await c.inject({ method: 'GET', url: '/en/focal-point' });
    assert.doesNotMatch(desk.body, /Kwame5 Mensah5<\/bdi>/, 'Ghana’s people are not on Kenya’s desk');
  });

  it('the secretariat’s reviewers see every entity’s requests on the same desk, and filter by entity', async () => {
    const kenyan = await createPerson(t, { entityId: kenya });
    await submitRegistration(as({ id: kenyan.id, entityId: kenya }), {
      events: ['wsis-forum-2026'],
      mode: 'remote',
      stakeholderType: 'government',
      function: 'technical_expert',
    });
    const staff = await createPerson(t, { role: 'staff', capabilities: ['registration.review'] });
    const c = await client(t, staff);
    const all = await c.inject({ method: 'GET', url: '/en/focal-point?q=Given' });
    assert.match(all.body, /name="entity"/, 'an entity filter for the secretariat');
    const kenyans = await c.inject({ method: 'GET', url: `/en/focal-point?entity=${kenya}` });
    assert.equal((kenyans.body.match(/<tr>\s*<td class="select">/g) ?? []).length, 1);
    assert.match(kenyans.body, /Kenya/);
    const ghanaPage = await c.inject({ method: 'GET', url: `/en/focal-point?entity=${ghana}` });
    assert.equal((ghanaPage.body.match(/<tr>\s*<td class="select">/g) ?? []).length, 50);
    // A focal point has no entity filter of others: asking for Kenya's shows nothing of it.
    const dc = await client(t, dfp);
    const none = await dc.inject({ method: 'GET', url: `/en/focal-point?entity=${kenya}` });
    assert.doesNotMatch(none.body, /name="entity"/);
    assert.equal((none.body.match(/<tr>\s*<td class="select">/g) ?? []).length, 0);
  });

  it('one e-mail per request: a participant asking for three events is told once when approved', async () => {
    const p = await createPerson(t, { entityId: ghana });
    const [{ email }] = await t.database.db.select().from(people).where(eq(people.id, p.id));
    const regs = (
      await submitRegistration(as({ id: p.id, entityId: ghana }), {
        events: ['wsis-forum-2026', 'wsis-high-level-track-2026', 'ai-for-good-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    const toDfp = await mailsTo(dfp.email);
    assert.equal(toDfp.filter((m) => m.params.person?.includes(`Given`)).length, 1, 'the focal point: one message');
    await decideBulk(as({ id: dfp.id, entityId: ghana, focalPointOf: [ghana] }), {
      ids: regs.map((r) => r.id),
      decision: 'approve',
    });
    const told = await mailsTo(email!);
    assert.equal(told.length, 1);
    assert.equal(told[0].params.event.split(',').length + told[0].params.event.split(' and ').length - 1, 3);
  });

  it('the delegation view puts the head of delegation first and exports as CSV and XLSX', async () => {
    const c = await client(t, dfp);
    await t.database.db
      .update(registrations)
      .set({ state: 'approved' })
      .where(
        and(
          inArray(registrations.personId, [ghanaians[0], ghanaians[2], ghanaians[3]]),
          eq(registrations.eventId, forum),
        ),
      );
    const page = await c.inject({ method: 'GET', url: '/en/focal-point/delegation?event=wsis-forum-2026' });
    assert.equal(page.statusCode, 200);
    const body = page.body;
    assert.ok(body.indexOf('Kwame0 Mensah0</bdi>') > 0);
    assert.ok(body.indexOf('Head of delegation') < body.indexOf('Kwame0 Mensah0</bdi>'));
    assert.ok(body.indexOf('Kwame0 Mensah0</bdi>') < body.indexOf('Kwame2 Mensah2</bdi>'), 'the minister leads');
    assert.doesNotMatch(body, /Kwame1 Mensah1<\/bdi>/, 'a refused person is not in the delegation');
    const csv = await c.inject({ method: 'GET', url: '/en/focal-point/delegation.csv?event=wsis-forum-2026' });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    assert.match(lines[0], /"event","organisation","role"/);
    assert.match(lines[1], /"head_of_delegation"/);
    assert.match(lines[1], /Kwame0/);
    assert.equal(lines.length, 1 + 4, 'three of the 55 and the participant approved for three events');
    const xlsx = await c.inject({ method: 'GET', url: '/en/focal-point/delegation.xlsx?event=wsis-forum-2026' });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    // Kenya's focal point cannot read Ghana's delegation.
    const kdfp = await createPerson(t, { entityId: kenya, focalPointOf: [kenya] });
    const kc = await client(t, kdfp);
    const other = await kc.inject({
      method: 'GET',
      url: `/en/focal-point/delegation.csv?event=wsis-forum-2026&entity=${ghana}`,
    });
    assert.equal(other.statusCode, 403);
  });
});
