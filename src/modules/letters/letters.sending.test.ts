import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createTestDatabase, TEST_NOW, type TestDatabase } from '../../../test/helpers/db.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import { manualClock } from '../../platform/clock.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { jobs } from '../../platform/platform.schema.js';
import { people } from '../accounts/index.js';
import { entities, entityContacts, focalPoints, saveEntityContact } from '../entities/index.js';
import { letterDeliveries } from './letters.schema.js';
import * as send from './letters.sending.js';
import * as svc from './letters.service.js';
import { draft } from '../../../test/helpers/letters.js';

async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  assert.fail('expected a DomainError');
}

const staff: Actor = {
  kind: 'person',
  id: 'p-secretariat',
  role: 'staff',
  capabilities: ['letters.send', 'entities.manage'],
  focalPointOf: [],
  entityId: null,
  via: 'session',
};
const admin: Actor = { ...staff, role: 'admin', capabilities: [] } as Actor;

/** An SMTP server that refuses one address with a permanent error, as a real one does. */
async function refusingSmtp(refuse: string): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(addr, _s, cb) {
      if (addr.address === refuse) {
        const e = new Error(`5.1.1 <${refuse}>: Recipient address rejected: User unknown`) as Error & {
          responseCode: number;
        };
        e.responseCode = 550;
        return cb(e);
      }
      cb();
    },
    onData(stream, _s, cb) {
      simpleParser(stream).then((m) => {
        received.push(m);
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('sending letters', () => {
  let database: TestDatabase;
  let ctx: Ctx & { db: TestDatabase['db'] };
  let sink: SmtpSink;
  const clock = manualClock(TEST_NOW);
  let regionA: { id: number; code: string | null }[];
  before(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink();
    ctx = { db: database.db, actor: staff, locale: 'en', now: TEST_NOW };
    regionA = await database.db
      .select({ id: entities.id, code: entities.code })
      .from(entities)
      .where(and(eq(entities.kind, 'member_state'), eq(entities.ituRegion, 'A')))
      .orderBy(entities.code);
  });
  after(async () => {
    await sink.close();
    await database.close();
  });
  const handlers = (url: string) =>
    send.lettersHandlers(
      database.db,
      clock,
      mailHandlers({ smtpUrl: url, mailFrom: 'WSIS <wsis@itu.int>' }, 'memory://')['mail.send'],
      'https://convene.example',
    );

  it('resolves focal points and contacts of the addressed entities, one per address, in their language', async () => {
    const actx = { ...ctx, actor: admin };
    const [ar, br, ch] = ['AR', 'BR', 'CH'].map((c) => regionA.find((e) => e.code === c)?.id ?? -1);
    assert.ok(ar > 0 && br > 0);
    await saveEntityContact(actx, ar, {
      role: 'ministry',
      email: 'Ministro@Example.AR',
      name: 'Ministerio',
      locale: 'es',
    });
    await saveEntityContact(actx, br, { role: 'mission', email: 'missao@example.br', locale: 'en' });
    const [chId] = await database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'CH'));
    await saveEntityContact(actx, chId.id, { role: 'mission', email: 'mission@example.ch', locale: 'fr' });
    void ch;
    const [p] = await database.db
      .insert(people)
      .values({
        email: 'dfp@example.ar',
        givenName: 'Ana',
        familyName: 'Pérez',
        preferredLocale: 'es',
        role: 'participant',
        createdAt: TEST_NOW,
        updatedAt: TEST_NOW,
      })
      .returning();
    await database.db
      .insert(focalPoints)
      .values({ entityId: ar, personId: p.id, appointedAt: TEST_NOW, appointedBy: 'test' });
    // The same address as a contact too: one message.
    await saveEntityContact(actx, ar, { role: 'other', email: 'dfp@example.ar', locale: 'en' });

    const all = await send.resolveRecipients(database.db, ['member_states']);
    assert.ok(all.some((r) => r.email === 'mission@example.ch'));
    const a = await send.resolveRecipients(database.db, ['ministers', 'member_states'], { ituRegion: 'A' });
    assert.deepEqual(a.map((r) => [r.email, r.locale]).sort(), [
      ['dfp@example.ar', 'es'],
      ['ministro@example.ar', 'es'],
      ['missao@example.br', 'en'],
    ]);
    assert.deepEqual(await send.resolveRecipients(database.db, ['academia']), []);
  });

  it('queues one message per recipient with the letter; the worker sends each in its language with the PDF', async () => {
    const l = await svc.createLetter(
      ctx,
      draft({
        body: { en: 'Dear Sir/Madam,\n\nEnglish text.', es: 'Señora/Señor:\n\nTexto.' },
        subject: { en: 'Practical information', es: 'Información práctica' },
      }),
    );
    assert.equal(await codeOf(() => send.sendLetter(ctx, l.id, { ituRegion: 'A' })), 'letter_not_approved');
    await svc.approveLetter(ctx, l.id);
    assert.equal(
      await codeOf(() => send.sendLetter({ ...ctx, actor: { ...staff, capabilities: [] } as Actor }, l.id)),
      'forbidden',
    );
    const { queued, letter } = await send.sendLetter(ctx, l.id, { ituRegion: 'A' });
    assert.equal(queued, 3);
    assert.equal(letter.state, 'sent');
    assert.equal(await codeOf(() => send.sendLetter(ctx, l.id)), 'letter_already_sent');
    const ds = await send.listDeliveries(ctx, l.id);
    assert.deepEqual(
      ds.map((d) => d.state),
      ['queued', 'queued', 'queued'],
    );

    assert.equal(await runDueJobs(database.db, clock, handlers(sink.url)), 3);
    const after = await send.listDeliveries(ctx, l.id);
    assert.deepEqual(
      after.map((d) => d.state),
      ['sent', 'sent', 'sent'],
    );
    const byTo = new Map(
      sink.received.map((m) => [String((m.to as { value: { address: string }[] }).value[0].address), m]),
    );
    const es = byTo.get('ministro@example.ar')!;
    assert.equal(es.subject, `${l.reference}: Información práctica`);
    assert.equal(es.headers.get('content-language'), 'es');
    assert.match(es.text ?? '', /https:\/\/convene\.example\/es\/letters\/CL-26-\d+/);
    assert.equal(es.attachments[0].contentType, 'application/pdf');
    assert.equal(es.attachments[0].content.subarray(0, 5).toString(), '%PDF-');
    assert.equal(byTo.get('dfp@example.ar')!.headers.get('content-language'), 'es');
    assert.equal(byTo.get('missao@example.br')!.subject, `${l.reference}: Practical information`);
    // A job run again sends nothing twice.
    await database.db.update(jobs).set({ state: 'pending', runAt: TEST_NOW }).where(eq(jobs.kind, 'letters.deliver'));
    await runDueJobs(database.db, clock, handlers(sink.url));
    assert.equal(sink.received.length, 3);
  });

  it('records the SMTP answer of a failed delivery, resends failures, and marks reported bounces', async () => {
    const refusing = await refusingSmtp('missao@example.br');
    try {
      const l = await svc.createLetter(ctx, draft());
      await svc.approveLetter(ctx, l.id);
      await send.sendLetter(ctx, l.id, { ituRegion: 'A' });
      await runDueJobs(database.db, clock, handlers(refusing.url));
      const ds = await send.listDeliveries(ctx, l.id);
      const failed = ds.filter((d) => d.state === 'failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0].email, 'missao@example.br');
      assert.match(failed[0].error ?? '', /550.*User unknown/);
      assert.equal(ds.filter((d) => d.state === 'sent').length, 2);

      assert.equal(await send.resendFailed(ctx, l.id), 1);
      const before = sink.received.length;
      await runDueJobs(database.db, clock, handlers(sink.url));
      assert.equal(sink.received.length, before + 1);
      assert.deepEqual((await send.listDeliveries(ctx, l.id, { state: 'failed' })).length, 0);
      const b = await send.recordBounce(ctx, l.id, 'MISSAO@example.br', '550 mailbox full');
      assert.equal(b?.state, 'bounced');
      assert.equal(await send.resendFailed(ctx, l.id), 1, 'a bounced delivery is resent too');
    } finally {
      await refusing.close();
    }
  });

  it('reminds chosen Member States at most once a day per address', async () => {
    const seeded = await svc.getPublishedLetter(ctx, 'CL-26/17');
    const ar = regionA.find((e) => e.code === 'AR')!.id;
    const r1 = await send.sendReminders(ctx, seeded.id, { entityIds: [ar] });
    assert.deepEqual(r1, { queued: 2, skipped: 0 });
    const r2 = await send.sendReminders({ ...ctx, now: new Date(TEST_NOW.getTime() + 23 * 3600_000) }, seeded.id, {
      ituRegion: 'A',
    });
    assert.deepEqual(r2, { queued: 1, skipped: 2 }, 'Argentina was reminded less than a day ago; Brazil was not');
    const r3 = await send.sendReminders({ ...ctx, now: new Date(TEST_NOW.getTime() + 25 * 3600_000) }, seeded.id, {
      entityIds: [ar],
    });
    assert.deepEqual(r3, { queued: 2, skipped: 0 });
    await runDueJobs(database.db, clock, handlers(sink.url));
    const reminder = sink.received.find((m) => m.subject?.startsWith('Recordatorio: CL-26/17'));
    assert.ok(reminder, 'a reminder in Spanish');
    const rows = await database.db
      .select()
      .from(letterDeliveries)
      .where(and(eq(letterDeliveries.letterId, seeded.id), eq(letterDeliveries.kind, 'reminder')));
    assert.equal(rows.length, 5);
  });

  it('queues 2,000 recipients in one transaction', async () => {
    const ms = await database.db.select({ id: entities.id }).from(entities).where(eq(entities.kind, 'member_state'));
    const values = Array.from({ length: 2000 }, (_, i) => ({
      entityId: ms[i % ms.length].id,
      role: 'ministry' as const,
      email: `bulk${i}@example.org`,
      locale: (['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const)[i % 6],
      createdAt: TEST_NOW,
    }));
    for (let i = 0; i < values.length; i += 500)
      await database.db.insert(entityContacts).values(values.slice(i, i + 500));
    const l = await svc.createLetter(ctx, draft());
    await svc.approveLetter(ctx, l.id);
    const pending = () =>
      database.db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.kind, 'letters.deliver'), eq(jobs.state, 'pending')));
    const pendingBefore = (await pending()).length;
    const t0 = performance.now();
    const { queued } = await send.sendLetter({ ...ctx, actor: admin }, l.id);
    const ms2 = performance.now() - t0;
    console.error(`queued ${queued} in ${ms2.toFixed(0)} ms on ${database.name}`);
    assert.ok(queued >= 2000);
    assert.equal((await pending()).length - pendingBefore, queued);
    const ds = await database.db
      .select({ id: letterDeliveries.id })
      .from(letterDeliveries)
      .where(and(eq(letterDeliveries.letterId, l.id), inArray(letterDeliveries.state, ['queued'])));
    assert.equal(ds.length, queued);
  });
});
