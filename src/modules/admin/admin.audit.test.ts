/**
 * The audit log in words and the outgoing e-mail: each entry reads as a sentence in the reader's language (names
 * through the composer, events by name), filters by who acted and whom it concerns, keyset pages; messages previewed
 * as sent, with the mail server's answer, and sent again (one, or every failed one) as new, audited jobs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, desc, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type TestPerson } from '../../../test/helpers/actors.js';
import { startSmtpSink } from '../../../test/helpers/smtp.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import { enqueue, runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { decideBulk, registrations } from '../registration/index.js';

describe('the audit log in words', () => {
  let t: TestApp;
  let admin: TestPerson;
  let dfp: TestPerson;
  let li: TestPerson;
  let ghana: number;
  let regId: string;
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
    t = await buildTestApp();
    const db = t.database.db;
    [{ id: ghana }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    const [{ id: forum }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
    admin = await createPerson(t, { role: 'admin' });
    dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    li = await createPerson(t, { entityId: ghana });
    await db.update(people).set({ givenName: 'Amina', familyName: 'Diallo' }).where(eq(people.id, dfp.id));
    await db
      .update(people)
      .set({ givenName: '伟', familyName: '李', givenNameLatin: 'Wei', familyNameLatin: 'Li', nationality: 'CN' })
      .where(eq(people.id, li.id));
    const now = t.clock.now();
    [{ id: regId }] = await db
      .insert(registrations)
      .values({
        personId: li.id,
        eventId: forum,
        entityId: ghana,
        mode: 'in_person',
        state: 'pending_dfp',
        stakeholderType: 'government',
        function: 'technical_expert',
        registeredBy: li.id,
        submittedAt: now,
        updatedAt: now,
      })
      .returning({ id: registrations.id });
    await decideBulk(as({ id: dfp.id, entityId: ghana, focalPointOf: [ghana] }), { ids: [regId], decision: 'approve' });
  });
  after(() => t.close());

  it('reads each entry as a sentence in the reader’s language, the record folded beneath', async () => {
    const c = await client(t, admin);
    const en = await c.inject({ method: 'GET', url: '/en/admin/audit' });
    assert.equal(en.statusCode, 200);
    assert.match(en.body, /Amina Diallo approved the registration of 李伟 for WSIS Forum 2026/);
    assert.match(en.body, /<details class="audit-raw">/);
    assert.ok(en.body.includes(`registration:${regId}`), 'the raw record stays available');
    const fr = await c.inject({ method: 'GET', url: '/fr/admin/audit' });
    assert.match(fr.body, /Amina Diallo a approuvé l’inscription de 李伟 au Forum du SMSI 2026/);
    const ar = await c.inject({ method: 'GET', url: '/ar/admin/audit' });
    assert.match(ar.body, /وافق \u2068Amina Diallo\u2069 على تسجيل \u2068李伟\u2069 في/);
    // An action no module words still reads as a sentence naming who acted.
    await t.database.db.insert(auditLog).values({
      at: t.clock.now(),
      actor: admin.id,
      action: 'nobody.worded_this',
      subjectType: 'thing',
      subjectId: '42',
    });
    const generic = await c.inject({ method: 'GET', url: '/en/admin/audit?action=nobody.worded_this' });
    assert.match(generic.body, /Given\d+ Family\d+: “nobody\.worded_this” on thing 42/);
  });

  it('filters by who acted and by whom it concerns, by name, and pages by keyset', async () => {
    const c = await client(t, admin);
    const byAmina = await c.inject({ method: 'GET', url: '/en/admin/audit?actor=Amina' });
    assert.match(byAmina.body, /approved the registration of 李伟/);
    const byOther = await c.inject({ method: 'GET', url: `/en/admin/audit?actor=${admin.id}&action=registration` });
    assert.doesNotMatch(byOther.body, /approved the registration/);
    // "About Li Wei" finds the decision on his registration (a subject of the registration module).
    const aboutLi = await c.inject({ method: 'GET', url: '/en/admin/audit?about=Wei' });
    assert.match(aboutLi.body, /approved the registration of 李伟/);
    const aboutAmina = await c.inject({ method: 'GET', url: `/en/admin/audit?about=${dfp.id}` });
    assert.doesNotMatch(aboutAmina.body, /approved the registration/);
    // 60 more entries: a page holds 50, the next page the rest, no entry twice.
    await t.database.db.insert(auditLog).values(
      Array.from({ length: 60 }, (_, i) => ({
        at: new Date(t.clock.now().getTime() - i * 1000),
        actor: 'system',
        action: 'paging.test',
        subjectType: 'thing',
        subjectId: String(i),
      })),
    );
    const api = await c.inject({ method: 'GET', url: '/api/v1/audit?action=paging.test' });
    const first = api.json() as { entries: { id: number; sentence: string }[]; next: string };
    assert.equal(first.entries.length, 50);
    assert.match(first.entries[0].sentence, /^The system: “paging\.test” on thing 0$/);
    const second = (
      await c.inject({ method: 'GET', url: `/api/v1/audit?action=paging.test&after=${first.next}` })
    ).json();
    assert.equal(second.entries.length, 10);
    assert.equal(second.next, null);
    const ids = new Set([...first.entries, ...second.entries].map((e: { id: number }) => e.id));
    assert.equal(ids.size, 60);
    const page = await c.inject({ method: 'GET', url: '/en/admin/audit?action=paging.test' });
    assert.match(page.body, /rel="next" href="\/en\/admin\/audit\?action=paging\.test&amp;after=\d+\.\d+"/);
    assert.equal((await c.inject({ method: 'GET', url: '/en/admin/audit?after=x' })).statusCode, 400);
    assert.equal((await c.inject({ method: 'GET', url: '/en/admin/audit?from=yesterday' })).statusCode, 400);
    const future = await c.inject({ method: 'GET', url: '/en/admin/audit?from=2027-01-01' });
    assert.doesNotMatch(future.body, /audit-sentence/);
    const today = await c.inject({ method: 'GET', url: '/en/admin/audit?from=2026-04-20&to=2026-04-20&actor=Amina' });
    assert.match(today.body, /approved the registration of 李伟/);
    const byId = (await c.inject({ method: 'GET', url: `/api/v1/audit?about=${li.id}&action=registration` })).json();
    assert.equal(byId.entries[0].subjectId, regId);
    const self = await client(t, li);
    assert.equal((await self.inject({ method: 'GET', url: '/en/admin/audit' })).statusCode, 403);
    assert.equal((await self.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode, 403);
  });
});

describe('the outgoing e-mail', () => {
  let t: TestApp;
  let admin: TestPerson;
  let refusing: SMTPServer;
  let refusingUrl: string;
  before(async () => {
    t = await buildTestApp();
    admin = await createPerson(t, { role: 'admin' });
    // A real mail server that refuses the recipient, as a mistyped address is refused.
    refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(_addr, _s, cb) {
        cb(Object.assign(new Error('5.1.1 <nobody@moc.gov.gh>: Recipient address rejected'), { responseCode: 550 }));
      },
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
    refusingUrl = `smtp://127.0.0.1:${(refusing.server.address() as { port: number }).port}`;
  });
  after(async () => {
    await new Promise<void>((r) => refusing.close(() => r()));
    await t.close();
  });

  const queue = (to: string, locale: 'en' | 'ar', template = 'registration_decision') =>
    enqueue(
      t.database.db,
      t.clock.now(),
      'mail.send',
      {
        to,
        locale,
        template,
        params: {
          greeting: 'Dear Ms Mensah,',
          state: 'approved',
          event: 'WSIS Forum 2026',
          reference: 'R-95F941F7',
          also: '',
          reason: '',
          link: 'https://convene.test/en/registrations',
        },
        queuedAt: t.clock.now().toISOString(),
      },
      { maxAttempts: 1 },
    );

  it('previews a message as sent, with its state and the mail server’s answer, and sends it again', async () => {
    const id = await queue('nobody@moc.gov.gh', 'en');
    await runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: refusingUrl, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    );
    const c = await client(t, admin);
    const list = await c.inject({ method: 'GET', url: '/en/admin/outbox?state=failed' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /nobody@moc\.gov\.gh/);
    assert.match(list.body, /Your registration is confirmed · WSIS Forum 2026/);
    const preview = await c.inject({ method: 'GET', url: `/en/admin/outbox/${id}` });
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /Failed · 1 attempt of 1/);
    assert.match(preview.body, /550 5\.1\.1 &lt;nobody@moc\.gov\.gh>: Recipient address rejected/);
    assert.match(preview.body, /Reference: R-95F941F7/);
    assert.match(preview.body, /English/);
    const html = await c.inject({ method: 'GET', url: `/en/admin/outbox/${id}/html` });
    assert.match(html.body, /<a href="https:\/\/convene\.test\/en\/registrations"/);
    assert.match(String(html.headers['content-security-policy']), /default-src 'none'/);

    const again = await c.inject({ method: 'POST', url: `/en/admin/outbox/${id}/resend`, form: {} });
    assert.equal(again.statusCode, 303);
    const sink = await startSmtpSink();
    try {
      await runDueJobs(
        t.database.db,
        t.clock,
        mailHandlers({ smtpUrl: sink.url, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
      );
      assert.equal(sink.received.length, 1);
      assert.equal(sink.received[0].subject, 'Your registration is confirmed · WSIS Forum 2026');
    } finally {
      await sink.close();
    }
    const [row] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'outbox.resent'))
      .orderBy(desc(auditLog.id));
    assert.equal(row.subjectId, String(id));
    assert.equal(row.actor, admin.id);
    const log = await c.inject({ method: 'GET', url: '/en/admin/audit?action=outbox' });
    assert.match(log.body, new RegExp(`Given\\d+ Family\\d+ sent message no\\. ${id} again`));
  });

  it('sends every failed message of a filter again, once; a sign-in link is neither shown nor sent again', async () => {
    const a = await queue('first@moc.gov.gh', 'ar');
    const b = await queue('second@moc.gov.gh', 'en');
    const other = await queue('third@example.org', 'en');
    const link = await enqueue(
      t.database.db,
      t.clock.now(),
      'mail.send',
      {
        to: 'key@moc.gov.gh',
        locale: 'en',
        template: 'sign_in_link',
        params: { link: 'https://convene.test/en/sign-in/SECRET-TOKEN' },
      },
      { maxAttempts: 1 },
    );
    await runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: refusingUrl, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    );
    const c = await client(t, admin);
    const preview = await c.inject({ method: 'GET', url: `/en/admin/outbox/${link}` });
    assert.doesNotMatch(preview.body, /SECRET-TOKEN/);
    assert.doesNotMatch(preview.body, new RegExp(`/admin/outbox/${link}/resend`));
    const refused = await c.inject({ method: 'POST', url: `/en/admin/outbox/${link}/resend`, form: {} });
    assert.equal(refused.statusCode, 409);
    const arPreview = await c.inject({ method: 'GET', url: `/ar/admin/outbox/${a}` });
    assert.match(arPreview.body, /dir="rtl" lang="ar"/);

    const res = await c.inject({
      method: 'POST',
      url: '/en/admin/outbox/resend-failed',
      form: { to: 'moc.gov.gh' },
    });
    assert.equal(res.statusCode, 303);
    const resent = async () =>
      (
        await t.database.db
          .select()
          .from(jobs)
          .where(and(eq(jobs.kind, 'mail.send'), eq(jobs.state, 'pending')))
      )
        .map((j) => (j.payload as { resentFrom?: number }).resentFrom)
        .filter((x): x is number => typeof x === 'number')
        .sort((x, y) => x - y);
    const firstIds = await resent();
    assert.ok(firstIds.includes(a) && firstIds.includes(b), 'both failed messages of the filter');
    assert.ok(!firstIds.includes(other), 'not another recipient’s');
    assert.ok(!firstIds.includes(link), 'not a sign-in link');
    await c.inject({ method: 'POST', url: '/en/admin/outbox/resend-failed', form: { to: 'moc.gov.gh' } });
    assert.deepEqual(await resent(), firstIds, 'a second request sends nothing twice');
    const page = await c.inject({ method: 'GET', url: res.headers.location as string });
    assert.match(page.body, /messages will be sent again|message will be sent again/);
    // Not for participants.
    const p = await client(t, await createPerson(t));
    assert.equal((await p.inject({ method: 'GET', url: `/en/admin/outbox/${a}` })).statusCode, 403);
  });
});
