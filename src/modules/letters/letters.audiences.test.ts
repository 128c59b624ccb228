/**
 * Messages to audiences other modules offer, over HTTP on a real database and a real SMTP server: the approved
 * participants of an event (in person, remote or both) and the speakers of a session — the right people and only them,
 * each once, in their language (else the original); the preview names the first recipients; the record of who got
 * what. Also the focal points of a region without the organizations' registered addresses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { client, createPerson, type Client, type TestPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { people } from '../accounts/index.js';
import { entities, saveEntityContact } from '../entities/index.js';
import { events } from '../events/index.js';
import { sessions, sessionSpeakers } from '../programme/index.js';
import { registrations } from '../registration/index.js';
import { letterDeliveries, letterMessages } from './letters.schema.js';
import { lettersHandlers } from './letters.sending.js';

describe('messages to participants of an event and speakers of a session', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let staff: Client;
  const ev: Record<string, number> = {};
  const p: Record<string, TestPerson> = {};
  const work = () =>
    runDueJobs(t.database.db, t.clock, {
      ...lettersHandlers(
        t.database.db,
        t.clock,
        mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <wsis@itu.int>' }, 'memory://')['mail.send'],
        'https://convene.example',
        'bounces@itu.int',
      ),
    });
  const to = (email: string) => smtp.received.filter((m) => (m.to as { text: string }).text.includes(email));
  const text = {
    originalLanguage: 'en',
    subject_en: 'Your badge is ready',
    body_en: 'Collect it at the Palexpo desk.',
    subject_fr: 'Votre badge est prêt',
    body_fr: 'Retirez-le au guichet de Palexpo.',
    subject_ar: 'شارتك جاهزة',
    body_ar: 'استلمها من مكتب باليكسبو.',
  };
  const post = (form: Record<string, string | string[]>) =>
    staff.inject({ method: 'POST', url: '/en/secretariat/messages', form: { ...text, ...form } });
  const register = async (who: TestPerson, eventId: number, mode: 'in_person' | 'remote', state: string) =>
    t.database.db.insert(registrations).values({
      personId: who.id,
      eventId,
      mode,
      state: state as 'approved',
      registeredBy: 'test',
      submittedAt: t.clock.now(),
      updatedAt: t.clock.now(),
    });

  before(async () => {
    t = await buildTestApp();
    smtp = await startSmtpSink();
    for (const e of await t.database.db.select().from(events)) ev[e.slug] = e.id;
    staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['letters.send'] }));
    p.inPersonFr = await createPerson(t, { locale: 'fr' });
    p.remoteEs = await createPerson(t, { locale: 'es' });
    p.pendingAr = await createPerson(t, { locale: 'ar' });
    p.otherEventZh = await createPerson(t, { locale: 'zh' });
    p.erasedRu = await createPerson(t, { locale: 'ru' });
    const wsis = ev['wsis-forum-2026'];
    await register(p.inPersonFr, wsis, 'in_person', 'approved');
    await register(p.remoteEs, wsis, 'remote', 'approved');
    await register(p.pendingAr, wsis, 'in_person', 'pending_secretariat');
    await register(p.otherEventZh, ev['ai-for-good-2026'], 'in_person', 'approved');
    await register(p.erasedRu, wsis, 'in_person', 'approved');
    await t.database.db.update(people).set({ erasedAt: t.clock.now() }).where(eq(people.id, p.erasedRu.id));
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('previews the approved participants of an event (count, first recipients, languages), in person or remote', async () => {
    const all = await post({
      intent: 'preview',
      source: 'event_participants',
      target_event_participants: String(ev['wsis-forum-2026']),
    });
    assert.equal(all.statusCode, 200, all.body);
    assert.match(all.body, /id="preview-audience"><bdi>World Summit on the Information Society \(WSIS\) Forum 2026/);
    assert.match(all.body, /id="preview-count">2 recipients/);
    const list = /<ul id="preview-recipients"[\s\S]*?<\/ul>/.exec(all.body)?.[0] ?? '';
    assert.match(list, new RegExp(p.inPersonFr.email.replace('.', '\\.')));
    assert.match(list, new RegExp(p.remoteEs.email.replace('.', '\\.')));
    for (const x of [p.pendingAr, p.otherEventZh, p.erasedRu]) assert.ok(!list.includes(x.email), x.email);
    assert.match(list, /data-locale="fr"[\s\S]*French/);
    // The form keeps the choice.
    assert.match(all.body, /name="source" value="event_participants" checked/);
    const remote = await post({
      intent: 'preview',
      source: 'event_participants',
      target_event_participants: String(ev['wsis-forum-2026']),
      variant_event_participants: 'remote',
    });
    assert.match(remote.body, /id="preview-count">1 recipient/);
    assert.match(remote.body, new RegExp(p.remoteEs.email.replace('.', '\\.')));
    assert.equal(await t.database.db.$count(letterDeliveries), 0, 'a preview sends nothing');
  });

  it('sends to the approved participants only, each once, in their language or the original; records who got what', async () => {
    const res = await post({
      intent: 'send',
      source: 'event_participants',
      target_event_participants: String(ev['wsis-forum-2026']),
    });
    assert.equal(res.statusCode, 303, res.body);
    const id = Number(/\/secretariat\/messages\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    await work();
    await work(); // nothing left: nobody gets it twice
    assert.deepEqual(
      to(p.inPersonFr.email).map((m) => m.subject),
      ['Votre badge est prêt'],
    );
    assert.deepEqual(
      to(p.remoteEs.email).map((m) => m.subject),
      ['Your badge is ready'], // no Spanish version: the English original
    );
    for (const x of [p.pendingAr, p.otherEventZh, p.erasedRu]) assert.equal(to(x.email).length, 0, x.email);
    assert.equal(smtp.received.length, 2);
    const ds = await t.database.db
      .select()
      .from(letterDeliveries)
      .where(eq(letterDeliveries.messageId, id))
      .orderBy(asc(letterDeliveries.email));
    assert.deepEqual(
      ds.map((d) => [d.email, d.locale, d.state]).sort(),
      [
        [p.inPersonFr.email, 'fr', 'sent'],
        [p.remoteEs.email, 'es', 'sent'],
      ].sort(),
    );
    const page = await staff.inject({ url: `/en/secretariat/messages/${id}` });
    assert.match(page.body, /id="message-audience">Audience: Approved participants of an event: <bdi>World Summit/);
    assert.match(page.body, new RegExp(`data-state="sent"[\\s\\S]*${p.inPersonFr.email.replace('.', '\\.')}`));
    const [m] = await t.database.db.select().from(letterMessages).where(eq(letterMessages.id, id));
    assert.equal(m.audience.source, 'event_participants');
    assert.ok(m.sentAt);
  });

  it('sends to the speakers of a session with an account, once each, in their language; counts those without an address', async () => {
    const [s] = await t.database.db.select().from(sessions).where(eq(sessions.code, 'GDAI-02'));
    const [other] = await t.database.db.select().from(sessions).where(eq(sessions.code, 'WSIS-101'));
    const rows = await t.database.db
      .select()
      .from(sessionSpeakers)
      .where(eq(sessionSpeakers.sessionId, s.id))
      .orderBy(asc(sessionSpeakers.position));
    assert.ok(rows.length >= 4, 'GDAI-02 has four speakers in the seed');
    p.speakerAr = await createPerson(t, { locale: 'ar' });
    p.moderatorEn = await createPerson(t, { locale: 'en' });
    p.otherSessionFr = await createPerson(t, { locale: 'fr' });
    const link = (sessionId: number, position: number, personId: string, kind: 'speaker' | 'moderator' = 'speaker') =>
      t.database.db
        .update(sessionSpeakers)
        .set({ personId, kind })
        .where(and(eq(sessionSpeakers.sessionId, sessionId), eq(sessionSpeakers.position, position)));
    await link(s.id, rows[0].position, p.speakerAr.id);
    await link(s.id, rows[1].position, p.moderatorEn.id, 'moderator');
    await link(s.id, rows[2].position, p.speakerAr.id); // listed twice: one message
    const [first] = await t.database.db
      .select()
      .from(sessionSpeakers)
      .where(eq(sessionSpeakers.sessionId, other.id))
      .orderBy(asc(sessionSpeakers.position));
    await link(other.id, first.position, p.otherSessionFr.id);
    const unlinked = rows.length - 3;

    const preview = await post({ intent: 'preview', source: 'session_speakers', target_session_speakers: 'gdai-02' });
    assert.equal(preview.statusCode, 200, preview.body);
    assert.match(preview.body, /id="preview-audience"><bdi>GDAI-02 · /);
    assert.match(preview.body, /id="preview-count">2 recipients/);
    assert.match(
      preview.body,
      new RegExp(`id="preview-unreachable">${unlinked} ${unlinked === 1 ? 'person has' : 'people have'} no e-mail`),
    );
    const mods = await post({
      intent: 'preview',
      source: 'session_speakers',
      target_session_speakers: 'GDAI-02',
      variant_session_speakers: 'moderator',
    });
    assert.match(mods.body, /id="preview-count">1 recipient/);

    const before = smtp.received.length;
    const res = await post({ intent: 'send', source: 'session_speakers', target_session_speakers: 'GDAI-02' });
    assert.equal(res.statusCode, 303, res.body);
    await work();
    assert.deepEqual(
      to(p.speakerAr.email).map((m) => [m.subject, m.headers.get('content-language')]),
      [['شارتك جاهزة', 'ar']],
    );
    assert.match(to(p.speakerAr.email)[0].text ?? '', /استلمها من مكتب باليكسبو/);
    assert.deepEqual(
      to(p.moderatorEn.email).map((m) => m.subject),
      ['Your badge is ready'],
    );
    assert.equal(to(p.otherSessionFr.email).length, 0);
    assert.equal(smtp.received.length - before, 2);
  });

  it('refuses an unknown session or event with the form kept, and an audience left unchosen', async () => {
    const res = await post({ intent: 'preview', source: 'session_speakers', target_session_speakers: 'NOPE-999' });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /There is no such event or session: check what you chose\./);
    assert.match(res.body, /value="NOPE-999"/);
    assert.match(res.body, /value="Your badge is ready"/);
    const none = await post({ intent: 'preview', source: 'event_participants' });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose who the message goes to\./);
    const fr = await staff.inject({
      method: 'POST',
      url: '/fr/secretariat/messages',
      form: { ...text, intent: 'preview', source: 'session_speakers', target_session_speakers: 'NOPE-999' },
    });
    assert.match(fr.body, /Cette manifestation ou cette séance n’existe pas/);
  });

  it('reaches only the focal points of a region when asked, not the organizations’ registered addresses', async () => {
    const [ch] = await t.database.db
      .select()
      .from(entities)
      .where(inArray(entities.code, ['CH']));
    const fp = await createPerson(t, { focalPointOf: [ch.id], locale: 'fr' });
    const admin = {
      ...t.ctx(),
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
    await saveEntityContact(admin, ch.id, { role: 'mission', email: 'mission@example.ch', locale: 'fr' });
    const base = { intent: 'preview', source: 'entities', audiences: 'member_states', ituRegion: 'B', unGroup: 'weog' };
    const both = await post(base);
    assert.match(both.body, /mission@example\.ch/);
    assert.match(both.body, new RegExp(fp.email.replace('.', '\\.')));
    const only = await post({ ...base, focalPointsOnly: '1' });
    assert.doesNotMatch(only.body, /id="preview-recipients"[\s\S]*mission@example\.ch/);
    assert.match(only.body, new RegExp(fp.email.replace('.', '\\.')));
    assert.match(only.body, /name="focalPointsOnly" value="1" checked/);
  });

  it('is for letters.send only', async () => {
    const other = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    const res = await other.inject({
      method: 'POST',
      url: '/en/secretariat/messages',
      form: { ...text, intent: 'preview', source: 'event_participants', target_event_participants: '1' },
    });
    assert.equal(res.statusCode, 403);
  });
});
