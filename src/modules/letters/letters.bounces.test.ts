/**
 * Bounces reported back, on a real database and a real SMTP server: each letter and message goes out with its own
 * envelope sender (VERP); delivery-status notifications as mail servers write them (Postfix, Exchange), read from a
 * Maildir and from a folder of .eml files, mark the deliveries they name bounced with the diagnostic code — once,
 * whatever the number of readings; warnings, auto-replies and forged reports change nothing; a report about an earlier
 * attempt is stale. The letter's page, the tracker and the API show the bounce.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { draft } from '../../../test/helpers/letters.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import type { Ctx } from '../../platform/context.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { auditLog } from '../../platform/platform.schema.js';
import type { Db } from '../../db/client.js';
import { entities, saveEntityContact } from '../entities/index.js';
import { importBounces, readDsn, bounceText } from './letters.bounces.js';
import { letterDeliveries } from './letters.schema.js';
import * as send from './letters.sending.js';
import * as msg from './letters.messages.js';
import * as svc from './letters.service.js';

const BOUNCES = 'bounces@itu.int';
const FIXTURES = path.resolve('test/fixtures/bounces');

/** A fixture as a mail server wrote it, about one delivery: CRLF line ends, the envelope sender and recipient filled in. */
function fixture(name: string, verp: string, rcpt: string): string {
  return fs
    .readFileSync(path.join(FIXTURES, name), 'utf8')
    .replaceAll('{{VERP}}', verp)
    .replaceAll('{{RCPT_DOMAIN}}', rcpt.split('@')[1])
    .replaceAll('{{RCPT}}', rcpt)
    .replace(/\r?\n/g, '\r\n');
}

describe('bounces reported back', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let sec: Client;
  let ctx: Ctx & { db: Db };
  let letterId: number;
  let messageId: number;
  const ids: Record<string, number> = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bounces-'));
  const work = () =>
    runDueJobs(t.database.db, t.clock, {
      ...send.lettersHandlers(
        t.database.db,
        t.clock,
        mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <wsis@itu.int>' }, 'memory://')['mail.send'],
        'https://convene.example',
        BOUNCES,
      ),
    });
  /** The envelope sender the SMTP server saw for the newest attempt of a delivery. */
  const envelopeFor = (d: { id: number }) =>
    smtp.received
      .map((m) => m.envelope?.from ?? '')
      .filter((f) => f.startsWith(`bounces+${d.id}.`))
      .at(-1) ?? '';
  const delivery = async (email: string, kind: 'letter' | 'message') =>
    (
      await t.database.db
        .select()
        .from(letterDeliveries)
        .where(and(eq(letterDeliveries.email, email), eq(letterDeliveries.kind, kind)))
    )[0];
  const cli = { actor: { kind: 'system' as const, name: 'cli' } };

  before(async () => {
    t = await buildTestApp();
    smtp = await startSmtpSink();
    const rows = await t.database.db
      .select({ id: entities.id, code: entities.code })
      .from(entities)
      .where(inArray(entities.code, ['AR', 'BR', 'CH']));
    for (const r of rows) ids[r.code!] = r.id;
    const me = await createPerson(t, { role: 'staff', capabilities: ['letters.send', 'entities.manage'] });
    sec = await client(t, me);
    ctx = {
      ...t.ctx(),
      actor: {
        kind: 'person',
        id: me.id,
        role: 'staff',
        capabilities: ['letters.send', 'entities.manage'],
        focalPointOf: [],
        entityId: null,
        via: 'session',
      },
    } as Ctx & { db: Db };
    const admin = { ...ctx, actor: { ...ctx.actor, role: 'admin' } } as Ctx & { db: Db };
    await saveEntityContact(admin, ids.AR, { role: 'ministry', email: 'despacho@mrecic.example.ar', locale: 'es' });
    await saveEntityContact(admin, ids.BR, { role: 'mission', email: 'delbrasgen@itamaraty.example.br', locale: 'en' });
    await saveEntityContact(admin, ids.CH, { role: 'mission', email: 'gen.vertretung@eda.example.ch', locale: 'fr' });
    const l = await svc.createLetter(ctx, draft());
    await svc.approveLetter(ctx, l.id);
    await send.sendLetter(ctx, l.id, { entityIds: [ids.AR, ids.BR, ids.CH] });
    letterId = l.id;
    messageId = (
      await msg.sendMessage(ctx, {
        subject: { en: 'Registration closes on 1 June' },
        body: { en: 'Dear colleagues,\nplease register your delegation.' },
        originalLanguage: 'en',
        audiences: ['member_states'],
        unGroup: 'grulac',
        itudRegion: 'americas',
      } as msg.MessageInput)
    ).messageId;
    await work();
  });
  after(async () => {
    await t.close();
    await smtp.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('sends each delivery with its own envelope sender under the bounce address', async () => {
    const ar = await delivery('despacho@mrecic.example.ar', 'letter');
    assert.equal(ar.state, 'sent');
    const envelope = envelopeFor(ar);
    assert.deepEqual(smtp.received.find((m) => m.envelope?.from === envelope)?.envelope?.to, [ar.email]);
    assert.match(envelope, new RegExp(`^bounces\\+${ar.id}\\.1-[0-9a-f]{12}@itu\\.int$`));
    const senders = new Set(smtp.received.map((m) => m.envelope?.from));
    assert.equal(senders.size, smtp.received.length, 'one envelope sender per message');
    // The From the recipient sees is unchanged.
    assert.match(smtp.received[0].from?.text ?? '', /wsis@itu\.int/);
  });

  it('reads a Postfix and an Exchange report from a Maildir: those deliveries bounced, with the diagnostic code', async () => {
    const maildir = path.join(tmp, 'Maildir');
    for (const d of ['new', 'cur', 'tmp']) fs.mkdirSync(path.join(maildir, d), { recursive: true });
    const ar = 'despacho@mrecic.example.ar';
    const br = 'delbrasgen@itamaraty.example.br';
    const arMsg = envelopeFor(await delivery(ar, 'message'));
    const arLetter = envelopeFor(await delivery(ar, 'letter'));
    const brLetter = envelopeFor(await delivery(br, 'letter'));
    assert.ok(arMsg && arLetter && brLetter && arMsg !== arLetter);
    const write = (dir: string, name: string, text: string) => fs.writeFileSync(path.join(maildir, dir, name), text);
    write('new', '1776755647.M1P1.mail', fixture('postfix-user-unknown.eml', arLetter, ar));
    write('cur', '1776756613.M2P1.mail:2,S', fixture('exchange-mailbox-full.eml', arMsg, ar));
    write('new', '1776770047.M3P1.mail', fixture('delayed.eml', brLetter, br));
    write('new', '1776755700.M4P1.mail', fixture('out-of-office.eml', brLetter, br));
    // A forged report: a real delivery's id with a made-up check.
    const forged = brLetter.replace(/-[0-9a-f]{12}@/, '-0123456789ab@');
    write('new', '1776755800.M5P1.mail', fixture('postfix-user-unknown.eml', forged, br));
    write('tmp', '1776755900.M6P1.mail', fixture('postfix-user-unknown.eml', brLetter, br)); // not delivered yet

    const r = await importBounces({ ...t.ctx(), ...cli }, maildir, BOUNCES);
    assert.equal(r.files, 5);
    assert.deepEqual(r.counts, { bounced: 2, already: 0, stale: 0, unmatched: 1, not_a_bounce: 2 });
    const letter = await delivery(ar, 'letter');
    assert.equal(letter.state, 'bounced');
    assert.equal(
      letter.error,
      '550 5.1.1 <despacho@mrecic.example.ar>: Recipient address rejected: User unknown in virtual mailbox table',
    );
    const message = await delivery(ar, 'message');
    assert.equal(message.state, 'bounced');
    assert.match(message.error ?? '', /^554 5\.2\.2 mailbox full;STOREDRV/);
    assert.equal((await delivery(br, 'letter')).state, 'sent', 'a warning, an auto-reply and a forgery change nothing');
    assert.equal((await delivery(br, 'message')).state, 'sent');

    // Read again: nothing changes, nothing is audited twice.
    const again = await importBounces({ ...t.ctx(), ...cli }, maildir, BOUNCES);
    assert.deepEqual(again.counts, { bounced: 0, already: 2, stale: 0, unmatched: 1, not_a_bounce: 2 });
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'letters.bounced'));
    assert.equal(audits.length, 2);
    assert.deepEqual(audits.map((a) => a.subjectType).sort(), ['letter', 'message']);
  });

  it('shows the bounce on the letter’s page, in the tracker, its export and the API', async () => {
    const page = await sec.inject({ url: `/en/secretariat/letters/${letterId}` });
    assert.match(page.body, /<li dir="ltr" data-state="bounced">despacho@mrecic\.example\.ar \(bounced\): 550 5\.1\.1/);
    const tracker = await sec.inject({ url: '/en/letters/CL-26-18/responses?unGroup=grulac' });
    assert.equal(tracker.statusCode, 200);
    assert.match(tracker.body, /<tr data-code="AR">[\s\S]*?<td data-delivered="bounced">no \(bounced\)<\/td>/);
    assert.match(tracker.body, /<tr data-code="BR">[\s\S]*?<td data-delivered="yes">/);
    const csv = await sec.inject({ url: '/en/letters/CL-26-18/responses.csv?unGroup=grulac' });
    assert.match(csv.body, /"AR","Argentina","[A-E]","americas","grulac","[A-Z ]*","bounced"/);
    const api = (await sec.inject({ url: `/api/v1/letters/${letterId}/deliveries?state=bounced` })).json();
    assert.deepEqual(
      api.deliveries.map((d: { email: string; error: string }) => [d.email, d.error.slice(0, 9)]),
      [['despacho@mrecic.example.ar', '550 5.1.1']],
    );
    const tr = (await sec.inject({ url: '/api/v1/letters/CL-26-18/tracker?unGroup=grulac' })).json();
    assert.equal(tr.rows.find((r: { code: string }) => r.code === 'AR').bounced, true);
    const msgPage = await sec.inject({ url: `/en/secretariat/messages/${messageId}` });
    assert.match(
      msgPage.body,
      /data-state="bounced"[\s\S]*?despacho@mrecic\.example\.ar[\s\S]*?554 5\.2\.2 mailbox full/,
    );
  });

  it('takes a folder of .eml files too, and leaves a delivery sent again after its report (stale)', async () => {
    const folder = path.join(tmp, 'eml');
    fs.mkdirSync(folder);
    const ar = 'despacho@mrecic.example.ar';
    const ch = 'gen.vertretung@eda.example.ch';
    const oldArLetter = envelopeFor(await delivery(ar, 'letter'));
    // The bounced letter is sent again (a new attempt, a new envelope sender), and this time it is accepted.
    assert.equal(await send.resendFailed(ctx, letterId), 1);
    await work();
    const resent = await delivery(ar, 'letter');
    assert.equal(resent.state, 'sent');
    assert.equal(resent.attempts, 2);
    assert.match(envelopeFor(resent), new RegExp(`^bounces\\+${resent.id}\\.2-`));
    fs.writeFileSync(path.join(folder, 'old-report.eml'), fixture('postfix-user-unknown.eml', oldArLetter, ar));
    fs.writeFileSync(
      path.join(folder, 'ch.eml'),
      fixture('exchange-mailbox-full.eml', envelopeFor(await delivery(ch, 'letter')), ch),
    );
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a message');
    const r = await importBounces({ ...t.ctx(), ...cli }, folder, BOUNCES);
    assert.equal(r.files, 2, 'only the .eml files');
    assert.deepEqual(r.counts, { bounced: 1, already: 0, stale: 1, unmatched: 0, not_a_bounce: 0 });
    assert.equal((await delivery(ar, 'letter')).state, 'sent', 'the report was about the first attempt');
    const chd = await delivery(ch, 'letter');
    assert.equal(chd.state, 'bounced');
    assert.match(chd.error ?? '', /554 5\.2\.2/);
  });

  it('reads the fields of a report as RFC 3464 writes them', async () => {
    const raw = Buffer.from(fixture('delayed.eml', 'bounces+1.1-000000000000@itu.int', 'a@example.org'));
    const dsn = await readDsn(raw);
    assert.equal(dsn.report, true);
    assert.deepEqual(dsn.recipients, [
      {
        finalRecipient: 'a@example.org',
        originalRecipient: 'a@example.org',
        action: 'delayed',
        status: '4.4.1',
        diagnostic: 'connect to mx.example.org[203.0.113.26]:25: Connection timed out',
      },
    ]);
    assert.equal(bounceText({ status: '5.1.1' }), '5.1.1');
    assert.equal(
      bounceText({ status: '5.0.0', diagnostic: '550 Mailbox unavailable' }),
      '5.0.0 550 Mailbox unavailable',
    );
    const ooo = await readDsn(Buffer.from(fixture('out-of-office.eml', 'x@itu.int', 'a@example.org')));
    assert.deepEqual(ooo, { report: false, recipients: [] });
  });

  it('is for letters.send (the command line acts as the system)', async () => {
    const participant = { ...t.ctx(), actor: { kind: 'anonymous' as const } } as Ctx & { db: Db };
    await assert.rejects(importBounces(participant, tmp, BOUNCES), /unauthenticated/);
  });
});
