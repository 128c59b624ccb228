/**
 * Messages over the JSON API, through the real app, a real database and a real SMTP server: a draft written, its
 * recipients previewed, a test to oneself, the message sent once and received, who got what; refused without
 * `letters.send`; every change audited; OpenAPI describes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { client, createPerson, type Client, type TestPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { auditLog } from '../../platform/platform.schema.js';
import { events } from '../events/index.js';
import { registrations } from '../registration/index.js';
import { letterDeliveries } from './letters.schema.js';
import { lettersHandlers } from './letters.sending.js';

describe('messages over the JSON API', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let sec: Client;
  let secPerson: TestPerson;
  let other: Client;
  const delegates: TestPerson[] = [];
  const work = () =>
    runDueJobs(t.database.db, t.clock, {
      ...lettersHandlers(
        t.database.db,
        t.clock,
        mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <wsis@itu.int>' }, 'memory://')['mail.send'],
        'https://convene.example',
      ),
    });
  const call = (c: Client | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    c
      ? c.inject({
          method,
          url,
          ...(method === 'POST' ? { payload: (payload ?? {}) as Record<string, unknown> } : {}),
          headers: { 'x-csrf-token': c.csrf },
        })
      : t.app.inject({
          method,
          url,
          ...(method === 'POST' ? { payload: (payload ?? {}) as Record<string, unknown> } : {}),
        });
  let eventId: number;
  const draft = () => ({
    subject: { en: 'Visa support letters', ru: 'Письма о визовой поддержке' },
    body: { en: 'Ask for yours before 15 May.', ru: 'Запросите письмо до 15 мая.' },
    originalLanguage: 'en',
    source: 'event_participants',
    target: String(eventId),
    variant: 'in_person',
  });

  before(async () => {
    t = await buildTestApp();
    smtp = await startSmtpSink();
    [{ id: eventId }] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    secPerson = await createPerson(t, { role: 'staff', capabilities: ['letters.send'], locale: 'ru' });
    sec = await client(t, secPerson);
    other = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    for (const [locale, mode] of [
      ['ru', 'in_person'],
      ['en', 'in_person'],
      ['fr', 'remote'],
    ] as const) {
      const p = await createPerson(t, { locale });
      delegates.push(p);
      await t.database.db.insert(registrations).values({
        personId: p.id,
        eventId,
        mode,
        state: 'approved',
        registeredBy: 'test',
        submittedAt: t.clock.now(),
        updatedAt: t.clock.now(),
      });
    }
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('refuses everything to anyone without letters.send', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/messages'],
      ['POST', '/api/v1/messages'],
      ['GET', '/api/v1/messages/1'],
      ['GET', '/api/v1/messages/1/preview'],
      ['POST', '/api/v1/messages/1/test'],
      ['POST', '/api/v1/messages/1/send'],
      ['GET', '/api/v1/messages/1/deliveries'],
    ] as const) {
      assert.equal((await call(undefined, method, url, draft())).statusCode, 401, `${method} ${url} anonymous`);
      assert.equal((await call(other, method, url, draft())).statusCode, 403, `${method} ${url} without letters.send`);
    }
    assert.equal(await t.database.db.$count(letterDeliveries), 0);
  });

  it('writes a draft, previews it, tests it, sends it once; the recipients get it in their language', async () => {
    const created = await call(sec, 'POST', '/api/v1/messages', draft());
    assert.equal(created.statusCode, 201, created.body);
    const m = created.json();
    assert.equal(m.state, 'draft');
    assert.equal(m.audience.source, 'event_participants');
    assert.equal(await t.database.db.$count(letterDeliveries), 0, 'a draft sends nothing');

    const preview = await call(sec, 'GET', `/api/v1/messages/${m.id}/preview`);
    assert.equal(preview.statusCode, 200, preview.body);
    const pv = preview.json();
    assert.equal(pv.recipients, 2, 'the two approved in person, not the remote one');
    assert.deepEqual(
      pv.sample.map((r: { email: string }) => r.email).sort(),
      [delegates[0].email, delegates[1].email].sort(),
    );
    assert.equal(pv.texts.find((x: { locale: string }) => x.locale === 'ru').subject, 'Письма о визовой поддержке');
    assert.equal(pv.texts.find((x: { locale: string }) => x.locale === 'fr').lang, 'en');

    const test = await call(sec, 'POST', `/api/v1/messages/${m.id}/test`);
    assert.equal(test.statusCode, 200, test.body);
    assert.equal(test.json().to, secPerson.email);
    await work();
    assert.deepEqual(
      smtp.received.map((x) => [(x.to as { text: string }).text, x.subject]),
      [[secPerson.email, 'Письма о визовой поддержке']],
    );

    const sent = await call(sec, 'POST', `/api/v1/messages/${m.id}/send`);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().queued, 2);
    assert.equal(sent.json().message.state, 'sent');
    const again = await call(sec, 'POST', `/api/v1/messages/${m.id}/send`);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'message_already_sent');
    await work();
    const got = (p: TestPerson) =>
      smtp.received.filter((x) => (x.to as { text: string }).text.includes(p.email)).map((x) => x.subject);
    assert.deepEqual(got(delegates[0]), ['Письма о визовой поддержке']);
    assert.deepEqual(got(delegates[1]), ['Visa support letters']);
    assert.deepEqual(got(delegates[2]), [], 'remote: not in the audience');
    assert.equal(smtp.received.length, 3);

    const ds = (await call(sec, 'GET', `/api/v1/messages/${m.id}/deliveries`)).json().deliveries;
    assert.deepEqual(
      ds.map((d: { email: string; locale: string; state: string }) => [d.email, d.locale, d.state]).sort(),
      [
        [delegates[0].email, 'ru', 'sent'],
        [delegates[1].email, 'en', 'sent'],
      ].sort(),
    );
    const list = (await call(sec, 'GET', '/api/v1/messages')).json().messages;
    const mine = list.find((x: { id: number }) => x.id === m.id);
    assert.deepEqual(mine.deliveries, { sent: 2 });
    assert.ok(
      list.some((x: { test: boolean }) => x.test),
      'the test is kept too',
    );

    const audits = await t.database.db
      .select({ action: auditLog.action, actor: auditLog.actor })
      .from(auditLog)
      .where(
        and(
          inArray(auditLog.action, ['letters.message_created', 'letters.message_tested', 'letters.message_sent']),
          eq(auditLog.actor, secPerson.id),
        ),
      );
    assert.deepEqual(audits.map((a) => a.action).sort(), [
      'letters.message_created',
      'letters.message_sent',
      'letters.message_tested',
    ]);
  });

  it('refuses a draft with an unknown event or without its original, and says so', async () => {
    const bad = await call(sec, 'POST', '/api/v1/messages', { ...draft(), target: '999999' });
    assert.equal(bad.statusCode, 404);
    assert.equal(bad.json().code, 'message_audience_not_found');
    const noOriginal = await call(sec, 'POST', '/api/v1/messages', { ...draft(), originalLanguage: 'fr' });
    assert.equal(noOriginal.json().code, 'letter_original_missing');
    const unknown = await call(sec, 'POST', '/api/v1/messages', { ...draft(), source: 'everyone_on_earth' });
    assert.equal(unknown.statusCode, 400);
    assert.equal((await call(sec, 'GET', '/api/v1/messages/999999')).statusCode, 404);
  });

  it('is described in OpenAPI under letters', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const p of ['/api/v1/messages', '/api/v1/messages/{message}/preview', '/api/v1/messages/{message}/send'])
      assert.ok(spec.paths[p], p);
    assert.deepEqual(spec.paths['/api/v1/messages'].post.tags, ['letters']);
  });
});
