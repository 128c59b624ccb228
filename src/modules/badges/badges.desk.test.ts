import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TEST_NOW } from '../../../test/helpers/db.js';
import { client, createPerson, type Client, type TestPerson } from '../../../test/helpers/actors.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import { runDueJobs } from '../../platform/jobs.js';
import { auditLog } from '../../platform/platform.schema.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { decideRegistration, savePhoto, submitRegistration } from '../registration/index.js';
import { decideSpeakingRequest, submitSpeakingRequest } from '../speaking/index.js';
import { badgePrintBatches, badges } from './badges.schema.js';
import { badgeColours, badgeFilesDir, badgeJobHandlers, badgeViews, DEFAULT_COLOURS } from './badges.print.js';

const pdfPages = (buf: Buffer) => {
  const f = path.join(os.tmpdir(), `badge-test-${randomUUID()}.pdf`);
  fs.writeFileSync(f, buf);
  try {
    return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [f], { encoding: 'utf8' }))![1]);
  } finally {
    fs.rmSync(f);
  }
};

const DOORS_OPEN = new Date('2026-07-08T09:00:00+02:00');

describe('badge desk, printing and scanner pages', () => {
  let t: TestApp;
  let desk: Client;
  let door: Client;
  let reports: Client;
  let participant: Client;
  const people3: { id: string; regId: string; person: TestPerson }[] = [];

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

  before(async () => {
    t = await buildTestApp({ now: DOORS_OPEN }); // a badge opens doors only on its event's days
    const [{ id: kenya }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'KE'));
    const names = [
      {
        givenName: 'Zoë',
        familyName: 'Łukasiewicz-Öhman',
        givenNameLatin: 'Zoe',
        familyNameLatin: 'Lukasiewicz-Ohman',
      },
      { givenName: 'محمد', familyName: 'الحسيني', givenNameLatin: 'Mohamed', familyNameLatin: 'Al-Husseini' },
      { givenName: '小明', familyName: '王', givenNameLatin: 'Xiaoming', familyNameLatin: 'Wang' },
    ];
    for (const n of names) {
      const p = await createPerson(t, { entityId: kenya });
      await t.database.db
        .update(people)
        .set({ ...n, honorific: 'Dr' })
        .where(eq(people.id, p.id));
      const me = as({ id: p.id, entityId: kenya });
      const [r] = (
        await submitRegistration(me, {
          events: ['wsis-forum-2026'],
          mode: 'in_person',
          stakeholderType: 'government',
          function: 'technical_expert',
        })
      ).registrations;
      await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
        decision: 'approve',
      });
      people3.push({ id: p.id, regId: r.id, person: p });
    }
    const jpeg = await sharp({
      create: { width: 300, height: 400, channels: 3, background: { r: 40, g: 120, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    await savePhoto(as({ id: people3[0].id, entityId: kenya }), people3[0].id, jpeg, 'image/jpeg');
    desk = await client(t, await createPerson(t, { role: 'staff', capabilities: ['badges.print'] }));
    door = await client(t, await createPerson(t, { role: 'staff', capabilities: ['checkin.scan'] }));
    reports = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    participant = await client(t, await createPerson(t));
  });
  after(() => t.close());

  const post = (c: Client, url: string, payload: unknown) =>
    c.inject({ method: 'POST', url, payload: payload as object, headers: { 'x-csrf-token': c.csrf } });

  it('the desk finds a person by name in any script, accents and case folded, and shows the photo only to badge and door staff', async () => {
    for (const q of ['lukasiewicz ohman', 'ZOE', 'الحسيني', '王', 'mohamed al-husseini']) {
      const res = await desk.inject({ method: 'GET', url: `/en/badge-desk?q=${encodeURIComponent(q)}` });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /1 badge found/, q);
    }
    const page = await desk.inject({ method: 'GET', url: `/ar/badge-desk?q=${encodeURIComponent('Łukasiewicz')}` });
    assert.match(page.body, /dir="rtl"/);
    assert.match(page.body, /Łukasiewicz-Öhman/);
    // The photo's alternative text: the page's language, the name's own script.
    assert.match(page.body, /alt="صورة [^"]*Łukasiewicz-Öhman[^"]*"/);
    const id = Number(/data-badge="(\d+)"/.exec(page.body)![1]);
    assert.match(page.body, new RegExp(`/api/v1/badges/${id}/photo`));
    const photo = await desk.inject({ method: 'GET', url: `/api/v1/badges/${id}/photo` });
    assert.equal(photo.statusCode, 200);
    assert.equal(photo.headers['content-type'], 'image/jpeg');
    assert.equal(
      (await door.inject({ method: 'GET', url: `/api/v1/badges/${id}/photo` })).statusCode,
      200,
      'door staff compare the face',
    );
    assert.equal((await participant.inject({ method: 'GET', url: `/api/v1/badges/${id}/photo` })).statusCode, 403);
    const noPhoto = (await desk.inject({ method: 'GET', url: `/api/v1/badges?q=${encodeURIComponent('王')}` })).json()
      .badges[0].id;
    assert.equal(
      (await desk.inject({ method: 'GET', url: `/api/v1/badges/${noPhoto}/photo` })).json().code,
      'photo_not_found',
    );
  });

  it('hands a badge over only after the ID check; prints count; reissuing stops the old QR at the door', async () => {
    const [card] = (await desk.inject({ method: 'GET', url: '/api/v1/badges?q=Zoe' })).json().badges;
    const early = await desk.inject({ method: 'POST', url: `/en/badge-desk/${card.id}/collect?q=Zoe`, form: {} });
    assert.equal(early.statusCode, 303);
    assert.match(early.headers.location as string, /error=badge_id_not_checked/);
    const shown = await desk.inject({ method: 'GET', url: early.headers.location as string });
    assert.match(shown.body, /Check a photo ID before handing the badge over/);
    assert.match(
      (await desk.inject({ method: 'POST', url: `/en/badge-desk/${card.id}/id-check?q=Zoe`, form: {} })).headers
        .location as string,
      /done=id_checked/,
    );
    assert.match(
      (await desk.inject({ method: 'POST', url: `/en/badge-desk/${card.id}/collect?q=Zoe`, form: {} })).headers
        .location as string,
      /done=collected/,
    );
    const again = await post(desk, `/api/v1/badges/${card.id}/collect`, {});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'badge_already_collected');

    const pdf = await desk.inject({ method: 'GET', url: `/api/v1/badges/${card.id}/pdf?size=A6` });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdfPages(pdf.rawPayload), 1);
    await desk.inject({ method: 'GET', url: `/api/v1/badges/${card.id}/pdf` });
    assert.equal((await desk.inject({ method: 'GET', url: `/api/v1/badges/${card.id}` })).json().printCount, 2);
    const printed = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'badge.printed'), eq(auditLog.subjectId, String(card.id))));
    assert.deepEqual(
      printed.map((a) => (a.data as { reprints: number[] }).reprints),
      [[], [card.id]],
      'the second print is recorded as a reprint',
    );

    const [{ token: oldToken }] = await t.database.db
      .select({ token: badges.token })
      .from(badges)
      .where(eq(badges.id, card.id));
    const reissued = await desk.inject({
      method: 'POST',
      url: `/fr/badge-desk/${card.id}/reissue?q=Zoe`,
      form: { reason: 'perdu' },
    });
    assert.match(reissued.headers.location as string, /done=reissued/);
    const [live] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, card.person.id), isNull(badges.revokedAt)));
    assert.notEqual(live.token, oldToken);
    const scanOld = await post(door, '/api/v1/checkin/scan', {
      scanId: randomUUID(),
      code: oldToken,
      checkpoint: 'event:wsis-forum-2026',
      deviceId: 'gate-a',
    });
    assert.equal(scanOld.json().reason, 'revoked');
    const scanNew = await post(door, '/api/v1/checkin/scan', {
      scanId: randomUUID(),
      code: live.token,
      checkpoint: 'event:wsis-forum-2026',
      deviceId: 'gate-a',
    });
    assert.equal(scanNew.json().result, 'admitted');
  });

  it('prints a batch chosen by filter as one PDF made by a job, with progress, and counts the prints', async () => {
    const none = await post(desk, '/api/v1/badge-batches', { filter: { category: 'Media' } });
    assert.equal(none.statusCode, 422);
    assert.equal(none.json().code, 'batch_empty');
    const emptyPage = await desk.inject({
      method: 'POST',
      url: '/es/badge-desk/batches',
      form: { category: 'Media', size: 'CR80' },
    });
    assert.equal(emptyPage.statusCode, 422);
    assert.match(emptyPage.body, /Ninguna acreditación corresponde/);

    const made = await post(desk, '/api/v1/badge-batches', {
      filter: { event: 'wsis-forum-2026', notPrinted: true },
      size: 'CR80',
    });
    assert.equal(made.statusCode, 201);
    const batch = made.json();
    assert.equal(batch.state, 'queued');
    assert.equal(
      batch.total,
      3,
      'the three live badges: none printed yet (the one printed at the desk was revoked and replaced)',
    );
    const page = await desk.inject({ method: 'GET', url: '/en/badge-desk/batches' });
    assert.match(page.body, /<progress max="3" value="0"/);
    assert.match(page.body, /src="\/assets\/batches\.js"/, 'the page follows a running batch');

    await runDueJobs(t.database.db, t.clock, badgeJobHandlers(t.database.db, t.clock, 'memory://'));
    const done = (await desk.inject({ method: 'GET', url: `/api/v1/badge-batches/${batch.id}` })).json();
    assert.equal(done.state, 'done');
    assert.equal(done.done, 3);
    const file = await desk.inject({ method: 'GET', url: done.pdf });
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.equal(pdfPages(file.rawPayload), 3);
    const counts = await t.database.db
      .select({ printCount: badges.printCount })
      .from(badges)
      .where(isNull(badges.revokedAt));
    assert.deepEqual(counts.map((c) => c.printCount).sort(), [1, 1, 1]);
    const [row] = await t.database.db.select().from(badgePrintBatches).where(eq(badgePrintBatches.id, batch.id));
    fs.rmSync(path.join(badgeFilesDir('memory://'), row.file!));
    assert.equal(
      (await participant.inject({ method: 'GET', url: `/api/v1/badge-batches/${batch.id}` })).statusCode,
      403,
    );
  });

  it('a delegate accepted as a speaker gets the Speaker band on a badge not yet printed; a printed one keeps its band', async (test) => {
    t.clock.set(TEST_NOW); // speaking requests are made before their deadline
    test.after(() => t.clock.set(DOORS_OPEN));
    const [{ id: kenya }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'KE'));
    const dfp = as({ id: 'dfp-ke', focalPointOf: [kenya] });
    const req = await submitSpeakingRequest(dfp, 'wsis-high-level-track-2026', {
      speakerPersonId: people3[2].id,
      honorific: '',
      givenName: '',
      familyName: '',
      givenNameLatin: '',
      familyNameLatin: '',
      title: '',
      rank: 'other',
      speakerLocale: 'en',
      entityId: kenya,
      kind: 'high_level_session',
      language: 'zh',
      abstract: '',
    } as never);
    await decideSpeakingRequest(as({ id: 'sec', role: 'staff', capabilities: ['speaking.review'] }), req.id, {
      decision: 'accept',
    });
    const [before] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, people3[2].id), isNull(badges.revokedAt)));
    assert.equal(before.category, 'Delegate');
    assert.equal(before.printCount, 1, 'printed in the batch above');
    assert.equal((await desk.inject({ method: 'GET', url: `/api/v1/badges/${before.id}/pdf` })).statusCode, 200);
    assert.equal(
      (await t.database.db.select().from(badges).where(eq(badges.id, before.id)))[0].category,
      'Delegate',
      'a printed badge keeps its band',
    );
    const fresh = (await post(desk, `/api/v1/badges/${before.id}/reissue`, { reason: 'speaker band' })).json();
    assert.equal(fresh.category, 'Delegate');
    assert.equal((await desk.inject({ method: 'GET', url: `/api/v1/badges/${fresh.id}/pdf` })).statusCode, 200);
    assert.equal((await t.database.db.select().from(badges).where(eq(badges.id, fresh.id)))[0].category, 'Speaker');
  });

  it('the secretariat sets the band colours of an event; its batches use them, other events keep the default', async () => {
    const colours = { ...DEFAULT_COLOURS, VIP: '#aa0000', Delegate: '#00aa00' };
    const saved = await desk.inject({ method: 'POST', url: '/en/badge-desk/colours/wsis-forum-2026', form: colours });
    assert.equal(saved.statusCode, 303);
    assert.equal((await badgeColours(t.database.db, 'wsis-forum-2026')).Delegate, '#00aa00');
    assert.equal((await badgeColours(t.database.db, 'ai-for-good-2026')).Delegate, DEFAULT_COLOURS.Delegate);
    const [b] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, people3[1].id), isNull(badges.revokedAt)));
    const views = [];
    for await (const view of badgeViews(t.database.db, [b.id], await badgeColours(t.database.db, 'wsis-forum-2026')))
      views.push(view);
    assert.deepEqual(
      [views[0].category, views[0].colour, views[0].name, views[0].nameLatin, views[0].country],
      ['Delegate', '#00aa00', 'محمد الحسيني', 'Mohamed Al-Husseini', ''],
    );
    assert.match(views[0].reference, /^R-[0-9A-F]{8}$/);
    assert.equal(views[0].entity, 'Kenya', 'the administration names the country');
    const bad = await desk.inject({
      method: 'POST',
      url: '/ru/badge-desk/colours/wsis-forum-2026',
      form: { ...colours, VIP: 'red; background:url(x)' },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal((await badgeColours(t.database.db, 'wsis-forum-2026')).VIP, '#aa0000', 'nothing changed');
    assert.equal(
      (
        await desk.inject({
          method: 'PUT',
          url: '/api/v1/badge-colours/nowhere',
          payload: colours,
          headers: { 'x-csrf-token': desk.csrf },
        })
      ).json().code,
      'event_not_found',
    );
    assert.equal(
      (
        await participant.inject({
          method: 'PUT',
          url: '/api/v1/badge-colours/default',
          payload: colours,
          headers: { 'x-csrf-token': participant.csrf },
        })
      ).statusCode,
      403,
    );
  });

  it('the scanner answers a typed code without its script; arrivals are counted once and sent as a snapshot or a stream', async () => {
    const choose = await door.inject({ method: 'GET', url: '/ar/scan' });
    assert.equal(choose.statusCode, 200);
    assert.match(choose.body, /value="session:HLT-01"/);
    const page = await door.inject({ method: 'GET', url: '/ar/scan?checkpoint=event:wsis-forum-2026' });
    assert.match(page.body, /id="scan-strings"/);
    assert.match(page.body, /src="\/assets\/scan\.js"/);
    const [b] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, people3[1].id), isNull(badges.revokedAt)));
    const ok = await door.inject({
      method: 'POST',
      url: '/en/scan?checkpoint=event:wsis-forum-2026',
      form: { code: b.token },
    });
    assert.match(ok.body, /scan-admitted/);
    assert.match(ok.body, /محمد الحسيني/);
    const twice = await door.inject({
      method: 'POST',
      url: '/fr/scan?checkpoint=event:wsis-forum-2026',
      form: { code: b.token },
    });
    assert.match(twice.body, /Déjà entré ici/);
    const bad = await door.inject({
      method: 'POST',
      url: '/en/scan?checkpoint=event:nowhere',
      form: { code: b.token },
    });
    assert.equal(bad.statusCode, 404);

    const snap = (await reports.inject({ method: 'GET', url: '/api/v1/checkin/arrivals/stream' })).json();
    const forum = snap.checkpoints.find((c: { checkpoint: string }) => c.checkpoint === 'event:wsis-forum-2026');
    assert.equal(forum.arrivals, 2, 'Zoë (new badge) and Mohamed; Mohamed’s second scan does not count');
    const arrivals = await reports.inject({ method: 'GET', url: '/zh/arrivals' });
    assert.match(arrivals.body, /data-checkpoint="event:wsis-forum-2026"/);
    assert.equal((await participant.inject({ method: 'GET', url: '/en/arrivals' })).statusCode, 403);

    // The stream itself, over a real socket: the counts arrive when a scan lands.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ac = new AbortController();
    const res = await fetch(`${address}/api/v1/checkin/arrivals/stream`, {
      headers: { accept: 'text/event-stream', cookie: `cvn_session=${(await createSession()).token}` },
      signal: ac.signal,
    });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (re: RegExp) => {
      while (!re.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil(/"arrivals":2/);
    const [c] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, people3[2].id), isNull(badges.revokedAt)));
    await post(door, '/api/v1/checkin/scan', {
      scanId: randomUUID(),
      code: c.token,
      checkpoint: 'event:wsis-forum-2026',
      deviceId: 'gate-b',
    });
    await readUntil(/"arrivals":3/);
    ac.abort();
  });

  it('the desk finds a person by the name they changed to, not the old one; an erased person is not found and their badge stops at the door', async () => {
    const found = async (q: string) =>
      (await desk.inject({ method: 'GET', url: `/api/v1/badges?q=${encodeURIComponent(q)}` })).json().badges.length;
    assert.equal(await found('Xiaoming Wang'), 1);
    const wang = await client(t, people3[2].person);
    const saved = await wang.inject({
      method: 'POST',
      url: '/zh/account',
      form: {
        givenName: '小明',
        familyName: '李',
        givenNameLatin: 'Xiaoming',
        familyNameLatin: 'Li',
        preferredLocale: 'zh',
      },
    });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual(
      [await found('Xiaoming Li'), await found('李'), await found('Xiaoming Wang'), await found('王')],
      [1, 1, 0, 0],
    );

    const [mohamed] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, people3[1].id), isNull(badges.revokedAt)));
    assert.equal(await found('Husseini'), 1);
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    assert.equal((await post(admin, `/api/v1/people/${people3[1].id}/erase`, {})).statusCode, 204);
    assert.deepEqual(
      [await found('Husseini'), await found('الحسيني'), await found(people3[1].person.email)],
      [0, 0, 0],
    );
    const [after] = await t.database.db.select().from(badges).where(eq(badges.id, mohamed.id));
    assert.deepEqual([after.searchKey, after.revokedReason], ['', 'erased']);
    const atDoor = await post(door, '/api/v1/checkin/scan', {
      scanId: randomUUID(),
      code: mohamed.token,
      checkpoint: 'event:opening-ceremony-2026',
      deviceId: 'gate-c',
    });
    assert.equal(atDoor.json().reason, 'revoked');
  });

  it('the arrivals count every live badge, from counters that follow issuing, reissuing, revoking and a rolled-back change', async () => {
    const live = async () =>
      (await t.database.db.select({ id: badges.id }).from(badges).where(isNull(badges.revokedAt))).length;
    const shown = async () => {
      const res = await reports.inject({ method: 'GET', url: '/api/v1/checkin/arrivals' });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().badgesIssued as number;
    };
    const start = await live();
    assert.ok(start >= 2, 'the people above hold live badges');
    assert.equal(await shown(), start);
    // A reissue revokes one and issues one: the count holds.
    const [zoe] = await t.database.db
      .select()
      .from(badges)
      .where(and(eq(badges.personId, people3[0].id), isNull(badges.revokedAt)));
    assert.equal((await post(desk, `/api/v1/badges/${zoe.id}/reissue`, { reason: 'lost' })).statusCode, 200);
    assert.deepEqual([await live(), await shown()], [start, start]);
    // A new approval issues a badge (the desk's name search issues missing ones).
    const [{ id: kenya }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'KE'));
    const p = await createPerson(t, { entityId: kenya });
    const [r] = (
      await submitRegistration(as({ id: p.id, entityId: kenya }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
      decision: 'approve',
    });
    const issued = await desk.inject({ method: 'GET', url: `/api/v1/badges?q=R-${r.id.slice(0, 8).toUpperCase()}` });
    assert.equal(issued.json().badges.length, 1);
    assert.deepEqual([await live(), await shown()], [start + 1, start + 1]);
    // Revoking every badge in one statement, then rolling back, moves nothing.
    await assert.rejects(
      t.database.db.transaction(async (tx) => {
        await tx
          .update(badges)
          .set({ revokedAt: t.clock.now(), revokedReason: 'test' })
          .where(isNull(badges.revokedAt));
        throw new Error('changed my mind');
      }),
    );
    assert.equal(await shown(), start + 1);
    // Revoked in one statement for real: none live.
    await t.database.db
      .update(badges)
      .set({ revokedAt: t.clock.now(), revokedReason: 'test' })
      .where(isNull(badges.revokedAt));
    assert.deepEqual([await live(), await shown()], [0, 0]);
  });

  async function createSession() {
    const p = await createPerson(t, { role: 'staff', capabilities: ['reports.view'] });
    return { token: p.sessionToken };
  }
});
