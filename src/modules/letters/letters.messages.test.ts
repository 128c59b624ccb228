/**
 * Messages to an audience over HTTP on a real database and a real SMTP server: preview (who, in which language), a
 * test to oneself, sending to the Member States of a region that have not answered a letter, the record of who got
 * what; only `letters.send`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { people } from '../accounts/index.js';
import { entities, saveEntityContact } from '../entities/index.js';
import { events } from '../events/index.js';
import { registrations } from '../registration/index.js';
import { letterDeliveries, letterMessages } from './letters.schema.js';
import { lettersHandlers } from './letters.sending.js';
import * as svc from './letters.service.js';

describe('messages to an audience', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let staff: Client;
  let staffEmail: string;
  let letterId: number;
  const ids: Record<string, number> = {};
  const work = () =>
    runDueJobs(t.database.db, t.clock, {
      ...lettersHandlers(
        t.database.db,
        t.clock,
        mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <wsis@itu.int>' }, 'memory://')['mail.send'],
        'https://convene.example',
      ),
    });
  const form = (over: Record<string, string | string[]> = {}) => ({
    audiences: 'member_states',
    ituRegion: 'A',
    originalLanguage: 'en',
    subject_en: 'Registration closes on 1 June',
    body_en: 'Dear colleagues,\nplease register your delegation.',
    subject_es: 'La inscripción se cierra el 1 de junio',
    body_es: 'Estimados colegas:\ninscriban a su delegación.',
    ...over,
  });

  before(async () => {
    t = await buildTestApp();
    smtp = await startSmtpSink();
    const rows = await t.database.db
      .select({ id: entities.id, code: entities.code })
      .from(entities)
      .where(inArray(entities.code, ['AR', 'BR', 'CH']));
    for (const r of rows) ids[r.code!] = r.id;
    const admin = t.ctx({ actor: { kind: 'system', name: 'test' } });
    const actx = { ...admin, actor: { ...admin.actor } } as Parameters<typeof saveEntityContact>[0];
    const sysStaff = {
      ...actx,
      actor: {
        kind: 'person',
        id: 'x',
        role: 'admin',
        capabilities: [],
        focalPointOf: [],
        entityId: null,
        via: 'session',
      },
    } as Parameters<typeof saveEntityContact>[0];
    await saveEntityContact(sysStaff, ids.AR, { role: 'ministry', email: 'ministerio@example.ar', locale: 'es' });
    await saveEntityContact(sysStaff, ids.BR, { role: 'mission', email: 'missao@example.br', locale: 'en' });
    await saveEntityContact(sysStaff, ids.CH, { role: 'mission', email: 'mission@example.ch', locale: 'fr' });
    const me = await createPerson(t, { role: 'staff', capabilities: ['letters.send'], locale: 'fr' });
    staffEmail = me.email;
    staff = await client(t, me);
    letterId = (await svc.getPublishedLetter(t.ctx(), 'CL-26/17')).id;
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('previews who gets it in which language, then only the Member States that have not answered', async () => {
    const res = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/messages',
      form: form({ intent: 'preview' }),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /id="preview-count">2 recipients \(2 organizations\)/);
    assert.match(res.body, /data-locale="es"[\s\S]*La inscripción se cierra/);
    // Brazil registers a delegation: it has answered CL-26/17.
    const [wsis] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    const [p] = await t.database.db
      .insert(people)
      .values({
        email: 'delegate@example.br',
        givenName: 'D',
        familyName: 'B',
        role: 'participant',
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      })
      .returning();
    await t.database.db.insert(registrations).values({
      personId: p.id,
      eventId: wsis.id,
      entityId: ids.BR,
      mode: 'in_person',
      state: 'approved',
      registeredBy: 'test',
      submittedAt: t.clock.now(),
      updatedAt: t.clock.now(),
    });
    const only = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/messages',
      form: form({ intent: 'preview', unansweredOf: String(letterId) }),
    });
    assert.match(only.body, /id="preview-count">1 recipient \(1 organization\)/);
    assert.equal(await t.database.db.$count(letterDeliveries), 0, 'a preview sends nothing');
  });

  it('sends a test to its author only, in their language or the original', async () => {
    const res = await staff.inject({ method: 'POST', url: '/en/secretariat/messages', form: form({ intent: 'test' }) });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, new RegExp(`A test was sent to ${staffEmail.replace('.', '\\.')}`));
    await work();
    const mine = smtp.received.filter((m) => (m.to as { text: string }).text.includes(staffEmail));
    assert.equal(mine.length, 1);
    assert.equal(mine[0].subject, 'Registration closes on 1 June'); // no French version: the English original
    assert.equal(smtp.received.length, 1);
  });

  it('sends to the Member States of the region that have not answered, and records who got what', async () => {
    const res = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/messages',
      form: form({ intent: 'send', unansweredOf: String(letterId) }),
    });
    assert.equal(res.statusCode, 303, res.body);
    const id = Number(/\/secretariat\/messages\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    await work();
    const ar = smtp.received.filter((m) => (m.to as { text: string }).text.includes('ministerio@example.ar'));
    assert.equal(ar.length, 1);
    assert.equal(ar[0].subject, 'La inscripción se cierra el 1 de junio');
    assert.match(ar[0].text ?? '', /inscriban a su delegación[\s\S]*La secretaría de la CMSI/);
    assert.ok(!smtp.received.some((m) => (m.to as { text: string }).text.includes('missao@example.br')));
    assert.ok(!smtp.received.some((m) => (m.to as { text: string }).text.includes('mission@example.ch')));
    const ds = await t.database.db
      .select()
      .from(letterDeliveries)
      .where(and(eq(letterDeliveries.messageId, id), eq(letterDeliveries.kind, 'message')));
    assert.deepEqual(
      ds.map((d) => [d.email, d.locale, d.state]),
      [['ministerio@example.ar', 'es', 'sent']],
    );
    const page = await staff.inject({ method: 'GET', url: `/en/secretariat/messages/${id}` });
    assert.match(page.body, /data-state="sent"[\s\S]*ministerio@example\.ar/);
    const list = await staff.inject({ method: 'GET', url: '/en/secretariat/messages' });
    assert.match(list.body, new RegExp(`data-message="${id}"[\\s\\S]*sent: 1`));
    assert.match(list.body, /\(test\)/);
    const [m] = await t.database.db.select().from(letterMessages).where(eq(letterMessages.id, id));
    assert.equal(m.letterId, letterId);
  });

  it('refuses a message without its original, and anyone without letters.send', async () => {
    const res = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/messages',
      form: form({ intent: 'send', originalLanguage: 'fr' }),
    });
    assert.equal(res.statusCode, 400);
    const dfp = await client(t, await createPerson(t, { focalPointOf: [ids.AR], entityId: ids.AR }));
    assert.equal((await dfp.inject({ method: 'GET', url: '/en/secretariat/messages' })).statusCode, 403);
    const post = await dfp.inject({ method: 'POST', url: '/en/secretariat/messages', form: form({ intent: 'send' }) });
    assert.equal(post.statusCode, 403);
  });
});
