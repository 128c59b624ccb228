import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { manualClock } from '../clock.js';
import { runDueJobs } from '../jobs.js';
import { jobs } from '../platform.schema.js';
import { enqueueMail, listOutbox, mailHandlers } from './mail.js';

describe('e-mail through the outbox', () => {
  let database: TestDatabase;
  let server: SMTPServer;
  let port: number;
  const received: ParsedMail[] = [];
  let refuse = false;
  const clock = manualClock(new Date('2026-05-01T08:00:00Z'));

  before(async () => {
    database = await createTestDatabase({ seed: false });
    const { runMigrations } = await import('../../db/migrate.js');
    await runMigrations(database);
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(_address, _session, cb) {
        cb(refuse ? Object.assign(new Error('451 mailbox busy'), { responseCode: 451 }) : undefined);
      },
      onData(stream, _session, cb) {
        simpleParser(stream).then((m) => {
          received.push(m);
          cb();
        }, cb);
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await database.close();
  });

  const smtpConfig = () => ({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'WSIS Forum 2026 <no-reply@wsis.test>' });

  it('delivers over SMTP in the recipient’s language, Arabic subject intact, HTML escaped and right-to-left', async () => {
    await database.db.transaction((tx) =>
      enqueueMail(tx, clock.now(), { to: 'minister@example.org', locale: 'ar', template: 'verify_email', params: { name: 'ليلى <b>&"', link: 'https://convene.test/ar/verify/abc' } }),
    );
    assert.equal(await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://')), 1);
    const m = received.at(-1)!;
    const { translate } = await import('../i18n/messages.js');
    assert.equal(m.subject, translate('ar', 'mail.verify_email.subject'));
    assert.match(m.subject!, /[\u0600-\u06FF]/);
    assert.equal((m.to as { text: string }).text, 'minister@example.org');
    assert.match(m.from!.text, /no-reply@wsis\.test/);
    assert.ok(m.text!.includes('https://convene.test/ar/verify/abc'));
    assert.ok(m.text!.includes('ليلى <b>&"'), 'plain text keeps the name as typed');
    assert.match(String(m.html), /<html lang="ar" dir="rtl">/);
    assert.ok(!String(m.html).includes('<b>&'), 'the name is escaped in HTML');
    assert.ok(String(m.html).includes('&lt;b&gt;&amp;&quot;'));
    assert.ok(String(m.html).includes('<a href="https://convene.test/ar/verify/abc">'));
  });

  it('never sends what a rolled-back transaction decided', async () => {
    const before = received.length;
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await enqueueMail(tx, clock.now(), { to: 'x@example.org', locale: 'en', template: 'sign_in_link', params: { name: 'X', link: 'https://l', minutes: 30 } });
        throw new Error('no');
      }),
    );
    await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://'));
    assert.equal(received.length, before);
  });

  it('retries when the server refuses, and delivers once it accepts', async () => {
    refuse = true;
    const id = await enqueueMail(database.db, clock.now(), { to: 'dfp@example.org', locale: 'fr', template: 'password_reset', params: { name: 'Amélie', link: 'https://convene.test/fr/password/reset/x', minutes: 30 } });
    await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://'));
    let [job] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    assert.equal(job.state, 'pending');
    assert.match(job.lastError ?? '', /451/);
    refuse = false;
    clock.advance(60_000);
    const before = received.length;
    await runDueJobs(database.db, clock, mailHandlers(smtpConfig(), 'memory://'));
    [job] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    assert.equal(job.state, 'done');
    assert.equal(received.length, before + 1);
    assert.match(received.at(-1)!.subject!, /mot de passe/i);
  });

  it('without SMTP, writes one .eml per message to the outbox folder, listed for administrators', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-outbox-'));
    const id = await enqueueMail(database.db, clock.now(), { to: 'secretariat@example.org', locale: 'zh', template: 'account_erased', params: { name: '张伟' } });
    const handlers = mailHandlers({ mailFrom: 'WSIS <no-reply@wsis.test>' }, dir);
    await runDueJobs(database.db, clock, handlers);
    // the same job run again (a retry after a crash) overwrites its file
    await handlers['mail.send']({ to: 'secretariat@example.org', locale: 'zh', template: 'account_erased', params: { name: '张伟' } }, { id, attempts: 2 });
    const files = fs.readdirSync(path.join(dir, 'outbox'));
    assert.equal(files.length, 1);
    const [entry] = await listOutbox(dir);
    assert.equal(entry.to, 'secretariat@example.org');
    const { translate } = await import('../i18n/messages.js');
    assert.equal(entry.subject, translate('zh', 'mail.account_erased.subject'));
  });
});
