import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ical, { type VEvent } from 'node-ical';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { events } from '../events/events.schema.js';
import { registrations } from '../registration/registration.schema.js';

const JOIN = 'https://meet.example.org/j/wsis-remote-42';

describe('editor pages, personal agenda, iCal feed and remote links', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let staff: Client;
  let reader: Client;
  let remote: Client;
  let readerEmail: string;
  let code = '';
  before(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp();
    staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['programme.edit'] }));
    const r = await createPerson(t, { locale: 'es' });
    readerEmail = r.email;
    reader = await client(t, r);
    const rp = await createPerson(t);
    remote = await client(t, rp);
    const [ev] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    const now = t.clock.now();
    await t.database.db.insert(registrations).values({
      personId: rp.id,
      eventId: ev!.id,
      mode: 'remote',
      state: 'approved',
      registeredBy: rp.id,
      submittedAt: now,
      updatedAt: now,
    });
  });
  after(async () => {
    await t.close();
    await sink.close();
  });
  const get = (c: Client | null, url: string) =>
    c ? c.inject({ method: 'GET', url }) : t.app.inject({ method: 'GET', url });
  const post = (c: Client, url: string, form: Record<string, string | string[]>) =>
    c.inject({ method: 'POST', url, form });
  const sendMail = () =>
    runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: sink.url, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    );

  it('the editor is for programme staff only', async () => {
    assert.equal((await get(reader, '/en/secretariat/programme')).statusCode, 403);
    const page = await get(staff, '/en/secretariat/programme');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="editor-sessions"/);
    const form = await get(staff, '/ar/secretariat/programme/new');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<html lang="ar" dir="rtl"/);
    assert.match(form.body, /name="title_ar"[^>]*dir="rtl"|dir="rtl"[^>]*name="title_ar"/);
  });

  it('a session in English and Arabic: the speaker clash is shown, overridden with a reason, then published', async () => {
    const fields = {
      event: 'wsis-forum-2026',
      room: 'room-kappa',
      day: '2026-07-06',
      start: '10:00',
      end: '10:45',
      format: 'roundtable',
      title_en: 'Digital public infrastructure roundtable',
      title_ar: 'مائدة مستديرة بشأن البنية التحتية الرقمية العامة',
      lines: ['C2', 'C7'],
      join_url: JOIN,
      sp0_given: 'Doreen',
      sp0_family: 'Bogdan-Martin',
    };
    const refused = await post(staff, '/en/secretariat/programme/new', fields);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Doreen Bogdan-Martin is in another session at the same time/);
    assert.match(refused.body, /GDAI-01/);
    assert.match(refused.body, /name="override_reason"/);
    const saved = await post(staff, '/en/secretariat/programme/new', {
      ...fields,
      override_reason: 'Recorded video message',
    });
    assert.equal(saved.statusCode, 303);
    const list = await get(staff, '/en/secretariat/programme');
    code = /href="\/en\/secretariat\/programme\/(S26-\d+)"/.exec(list.body)![1]!;
    assert.match(list.body, /Recorded video message/);
    // A draft is not public.
    assert.equal((await get(null, `/en/sessions/${code}`)).statusCode, 404);
    assert.equal((await post(staff, '/en/secretariat/programme/publish', {})).statusCode, 303);
    const pub = await get(null, `/ar/sessions/${code}`);
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /مائدة مستديرة/);
    const fr = await get(null, `/fr/sessions/${code}`);
    assert.match(
      fr.body,
      /<bdi lang="en">Digital public infrastructure roundtable<\/bdi>/,
      'a missing language falls back, marked',
    );
  });

  it('the joining link is never on public pages or the public API', async () => {
    for (const url of [
      `/en/sessions/${code}`,
      `/api/v1/sessions/${code}`,
      '/en/programme?day=2026-07-06',
      '/api/v1/events/wsis-forum-2026/sessions',
    ]) {
      const res = await get(null, url);
      assert.equal(res.statusCode, 200, url);
      assert.ok(!res.body.includes('meet.example.org'), url);
    }
  });

  it('a participant adds the session to their agenda without script; a clash is shown', async () => {
    const session = await get(null, `/en/sessions/${code}`);
    assert.match(session.body, new RegExp(`href="/en/agenda/add\\?session=${code}"`));
    const confirm = await get(reader, `/en/agenda/add?session=${code}`);
    assert.equal(confirm.statusCode, 200);
    const added = await post(reader, '/en/agenda/add', { session: code });
    assert.equal(added.statusCode, 303, added.body.slice(0, 3000));
    assert.equal((await post(reader, '/en/agenda/add', { session: 'GDAI-01' })).statusCode, 303);
    const agenda = await get(reader, '/en/agenda');
    assert.match(agenda.body, new RegExp(`At the same time as ${code}`));
    assert.ok(!agenda.body.includes(JOIN), 'not a remote participant');
    assert.equal((await post(reader, '/en/agenda/remove', { session: 'GDAI-01' })).statusCode, 303);
    assert.doesNotMatch((await get(reader, '/en/agenda')).body, /At the same time as/);
    const counts = await get(staff, '/en/secretariat/programme');
    assert.match(counts.body, new RegExp(`<td>${code}</td>(?:(?!</tr>).)*<td>1</td>`, 's'));
  });

  it('an approved remote participant sees the joining link in their agenda; an anonymous visitor is sent to sign in', async () => {
    assert.equal((await post(remote, '/en/agenda/add', { session: code })).statusCode, 303);
    const agenda = await get(remote, '/en/agenda');
    assert.ok(agenda.body.includes(`href="${JOIN}"`));
    const anon = await get(null, '/en/agenda');
    assert.notEqual(anon.statusCode, 200);
    assert.ok(!anon.body.includes(JOIN));
  });

  it('the private feed parses as iCalendar, follows a publication, and stops working when reset', async () => {
    const agenda = await get(reader, '/en/agenda');
    const feed = /value="https?:\/\/[^/"]+(\/en\/agenda\/feed\/[^"]+\/calendar\.ics)"/.exec(agenda.body)![1]!;
    const first = await get(null, feed);
    assert.equal(first.statusCode, 200);
    assert.match(String(first.headers['cache-control']), /no-store/);
    const parsed = Object.values(ical.sync.parseICS(first.body)).filter((x) => x?.type === 'VEVENT') as VEvent[];
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0]!.uid, `${code}@convene.wsis-2026`);
    assert.equal(new Date(parsed[0]!.start).toISOString(), '2026-07-06T08:00:00.000Z');

    // The secretariat moves the session and publishes: the reader gets one e-mail in Spanish, the feed follows.
    const edit = await get(staff, `/en/secretariat/programme/${code}`);
    assert.match(edit.body, /value="Digital public infrastructure roundtable"/);
    const moved = await post(staff, `/en/secretariat/programme/${code}`, {
      event: 'wsis-forum-2026',
      room: 'room-kappa',
      day: '2026-07-06',
      start: '11:30',
      end: '12:15',
      format: 'roundtable',
      title_en: 'Digital public infrastructure roundtable',
      title_ar: 'مائدة مستديرة بشأن البنية التحتية الرقمية العامة',
      lines: ['C2', 'C7'],
      join_url: JOIN,
      sp0_given: 'Doreen',
      sp0_family: 'Bogdan-Martin',
    });
    assert.equal(moved.statusCode, 303);
    sink.received.length = 0;
    assert.equal((await post(staff, '/en/secretariat/programme/publish', {})).statusCode, 303);
    await sendMail();
    const toReader = sink.received.filter((m) => m.to && JSON.stringify(m.to).includes(readerEmail));
    assert.equal(toReader.length, 1);
    assert.match(toReader[0]!.subject ?? '', /Cambios del programa/);
    assert.match(toReader[0]!.text ?? '', /Digital public infrastructure roundtable/);
    const again = ical.sync.parseICS((await get(null, feed)).body);
    const ev = Object.values(again).find((x) => x?.type === 'VEVENT') as VEvent;
    assert.equal(new Date(ev.start).toISOString(), '2026-07-06T09:30:00.000Z');

    const log = await get(null, '/en/events/wsis-forum-2026/changes');
    assert.equal(log.statusCode, 200);
    assert.match(log.body, /Digital public infrastructure roundtable<\/a>[^<]{0,20}time/);

    assert.equal((await post(reader, '/en/agenda/feed/reset', {})).statusCode, 303);
    assert.equal((await get(null, feed)).statusCode, 404);
  });
});
