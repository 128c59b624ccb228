/**
 * E-mail through the outbox. `enqueueMail` writes a `mail.send` job in the deciding transaction (a rolled-back
 * decision sends nothing); the worker renders the message in the recipient's language (plain text and HTML, UTF-8)
 * and hands it to nodemailer: over SMTP when SMTP_URL is set, otherwise as an .eml file under `<data>/outbox`
 * (in memory for `memory://`), listed on the administrators' outbox page.
 * Date, Message-ID, MIME boundaries and file name derive from the job, so a retried job produces the same message.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import QRCode from 'qrcode';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Config } from '../../config.js';
import type { DbOrTx } from '../../db/client.js';
import { enqueue, enqueueMany, type JobHandler, type JobHandlers } from '../jobs.js';
import { escapeHtml, ORGANISER_LOGO_CID, renderMail, type MailAttachment, type MailMessage } from './render.js';
import { lastOrganiser, organiserForEvent } from '../organiser.js';

export {
  escapeHtml,
  MailTemplateError,
  renderMail,
  type MailAttachment,
  type MailMessage,
  type MailParams,
  type Rendered,
} from './render.js';

/** The payload of a `mail.send` job: the message, and when it was decided (the message's Date). */
type MailJob = MailMessage & { queuedAt?: string };

/**
 * Enqueues a message in the caller's transaction. The template is rendered once here, so a missing template or
 * parameter fails the deciding operation (and its tests) rather than a job later.
 */
export async function enqueueMail(tx: DbOrTx, now: Date, msg: MailMessage): Promise<number> {
  return enqueue(tx, now, 'mail.send', mailPayload(now, msg));
}

/** Several messages of one decision in ONE insert. */
export async function enqueueMails(tx: DbOrTx, now: Date, msgs: MailMessage[]): Promise<number[]> {
  return enqueueMany(
    tx,
    now,
    msgs.map((m) => ({ kind: 'mail.send', payload: mailPayload(now, m) })),
  );
}

function mailPayload(now: Date, msg: MailMessage): MailJob {
  renderMail(msg);
  const payload: MailJob = {
    to: msg.to,
    locale: msg.locale,
    template: msg.template,
    params: msg.params,
    queuedAt: now.toISOString(),
  };
  if (msg.attachments?.length) payload.attachments = msg.attachments;
  if (msg.eventId != null) payload.eventId = msg.eventId;
  if (msg.envelopeFrom) payload.envelopeFrom = msg.envelopeFrom;
  return payload;
}

function readPayload(payload: Record<string, unknown>): MailJob {
  const { to, locale, template, params, queuedAt, attachments, eventId, envelopeFrom } = payload;
  if (
    typeof to !== 'string' ||
    typeof locale !== 'string' ||
    typeof template !== 'string' ||
    !params ||
    typeof params !== 'object'
  )
    throw new Error('mail.send: malformed payload');
  return {
    to,
    locale: locale as MailMessage['locale'],
    template,
    params: params as MailMessage['params'],
    queuedAt: typeof queuedAt === 'string' ? queuedAt : undefined,
    eventId: typeof eventId === 'number' ? eventId : undefined,
    attachments: Array.isArray(attachments) ? (attachments as MailAttachment[]) : undefined,
    envelopeFrom: typeof envelopeFrom === 'string' && envelopeFrom ? envelopeFrom : undefined,
  };
}

/** A QR code attachment's picture: 220 px, quiet zone 2, error correction M (read by the badge desk's camera). */
export const qrPng = (text: string): Promise<Buffer> =>
  QRCode.toBuffer(text, { type: 'png', width: 220, margin: 2, errorCorrectionLevel: 'M' });

/** `20260501T080000Z`: sorts by time, safe in any file system. */
const stamp = (d: Date | undefined) =>
  d
    ? d
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')
    : '00000000T000000Z';

/** `<stamp>-<job id>.eml`: one name per job, newest last in name order. */
export const outboxFileName = (queuedAt: Date | undefined, jobId: number) =>
  `${stamp(queuedAt)}-${String(jobId).padStart(10, '0')}.eml`;

/** Messages kept in memory when the data folder is `memory://` (tests, throw-away runs); the newest `MEMORY_LIMIT`. */
export const memoryOutbox: { file: string; raw: Buffer }[] = [];
const MEMORY_LIMIT = 1000;

const outboxDir = (dataDir: string) => path.join(dataDir, 'outbox');

export function mailHandlers(
  config: Pick<Config, 'smtpUrl' | 'mailFrom'>,
  dataDir: string,
  /** Where the organiser's identity is read (organiser.ts); without it, the last one read or the defaults. */
  db?: DbOrTx,
): JobHandlers {
  // Timeouts well inside the job lease (10 min for a batch), so a hung server cannot make a second worker send the
  // message again. Pooled: a few connections kept open and reused for every message (no handshake per e-mail).
  let pool: Mail | undefined;
  const smtpTransport = () =>
    (pool ??= nodemailer.createTransport({
      url: config.smtpUrl,
      pool: true,
      maxConnections: MAIL_PARALLEL / 4,
      maxMessages: 1000,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    }));
  let dirMade = false;
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const domain = (config.mailFrom.match(/@([^>\s]+)/)?.[1] ?? 'convene.localhost').trim();

  const send: JobHandler = async (payload, job) => {
    const msg = readPayload(payload);
    const organiser = db ? await organiserForEvent(db, msg.eventId) : lastOrganiser();
    const r = renderMail(msg, organiser, !!organiser.logo);
    const attachments = [
      ...(await Promise.all(
        (msg.attachments ?? []).map(async (a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.qr != null ? await qrPng(a.qr) : Buffer.from(a.contentBase64 ?? '', 'base64'),
          cid: a.cid,
        })),
      )),
      ...(organiser.logo
        ? [{ filename: 'logo.png', contentType: 'image/png', content: organiser.logo.png, cid: ORGANISER_LOGO_CID }]
        : []),
    ];
    const queuedAt = msg.queuedAt && !Number.isNaN(Date.parse(msg.queuedAt)) ? new Date(msg.queuedAt) : undefined;
    // Unique across databases (job ids restart), the same for every attempt of this job.
    const messageId = `<convene.${job.id}.${queuedAt?.getTime() ?? 0}@${domain}>`;
    const mail: Mail.Options & { baseBoundary: string } = {
      from: config.mailFrom,
      to: msg.to,
      subject: r.subject,
      text: r.text,
      html: withInlineImages(r.html, msg.attachments),
      attachments: attachments.length ? attachments : undefined,
      messageId,
      date: queuedAt ?? new Date(),
      headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': r.locale },
      baseBoundary: createHash('sha256').update(messageId).digest('hex').slice(0, 24),
    };
    // A per-message bounce address: the SMTP envelope's sender (the receiving server's Return-Path).
    if (msg.envelopeFrom) mail.envelope = { from: msg.envelopeFrom, to: msg.to };
    if (config.smtpUrl) {
      await smtpTransport().sendMail(mail);
      return;
    }
    const raw = (await files.sendMail(mail)).message as Buffer;
    const file = outboxFileName(queuedAt, job.id);
    if (dataDir === 'memory://') {
      const i = memoryOutbox.findIndex((m) => m.file === file);
      if (i >= 0) memoryOutbox[i] = { file, raw };
      else memoryOutbox.push({ file, raw });
      if (memoryOutbox.length > MEMORY_LIMIT) {
        memoryOutbox.sort((a, b) => a.file.localeCompare(b.file));
        memoryOutbox.splice(0, memoryOutbox.length - MEMORY_LIMIT);
      }
      return;
    }
    const dir = outboxDir(dataDir);
    if (!dirMade) fs.mkdirSync(dir, { recursive: true });
    dirMade = true;
    const tmp = path.join(dir, `.${file}.${process.pid}.tmp`);
    await fs.promises.writeFile(tmp, raw);
    await fs.promises.rename(tmp, path.join(dir, file)); // same job, same name: a retry replaces the file, never adds one
  };
  // Messages of one claimed batch go out this many at a time (over the pool's connections, or to files).
  send.parallel = MAIL_PARALLEL;
  // The queue is empty: the pooled connections are closed (opened again with the next message).
  send.idle = () => {
    pool?.close();
    pool = undefined;
  };
  return { 'mail.send': send };
}

/** E-mails of a batch sent at once: 16, over 4 pooled SMTP connections. */
const MAIL_PARALLEL = 16;

/** Inline images (attachments with a cid) shown at the foot of the HTML part. */
function withInlineImages(html: string, attachments: MailAttachment[] | undefined): string {
  const inline = (attachments ?? []).filter((a) => a.cid);
  if (!inline.length) return html;
  const imgs = inline
    .map(
      (a) =>
        `<p><img src="cid:${escapeHtml(a.cid!)}" alt="${escapeHtml(a.alt ?? a.filename)}" width="220" height="220"></p>`,
    )
    .join('\n');
  return html.replace('</body>', `${imgs}\n</body>`);
}

export type OutboxEntry = { file: string; to: string; subject: string; date?: Date };

/** The newest messages kept locally (when no SMTP server is configured), newest first, decoded. */
export async function listOutbox(dataDir: string, limit = 200): Promise<OutboxEntry[]> {
  const dir = outboxDir(dataDir);
  const items: { file: string; read: () => Buffer }[] =
    dataDir === 'memory://'
      ? memoryOutbox.map((m) => ({ file: m.file, read: () => m.raw }))
      : fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((f) => f.endsWith('.eml') && !f.startsWith('.'))
            .map((f) => ({ file: f, read: () => fs.readFileSync(path.join(dir, f)) }))
        : [];
  const newest = items.sort((a, b) => b.file.localeCompare(a.file)).slice(0, Math.max(0, limit));
  return Promise.all(
    newest.map(async (i) => {
      const parsed = await simpleParser(i.read());
      const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).map((x) => x.text).join(', ');
      return { file: i.file, to, subject: parsed.subject ?? '', date: parsed.date };
    }),
  );
}
