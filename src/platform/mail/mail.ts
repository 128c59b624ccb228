/**
 * E-mail through the outbox. `enqueueMail` writes a `mail.send` job in the deciding transaction; the worker renders
 * the message in the recipient's language (plain text and HTML, UTF-8) and hands it to nodemailer: over SMTP when
 * SMTP_URL is set, otherwise as an .eml file under `<data>/outbox` (listed on the administrators' outbox page).
 * The Message-ID and the file name derive from the job id, so a retried job never makes a second, different message.
 */
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import type { DbOrTx } from '../../db/client.js';
import type { Config } from '../../config.js';
import { enqueue, type JobHandlers } from '../jobs.js';
import { direction, isLocale, type Locale } from '../i18n/locales.js';
import { translate } from '../i18n/messages.js';

export type MailMessage = { to: string; locale: Locale; template: string; params: Record<string, string | number> };

export async function enqueueMail(tx: DbOrTx, now: Date, msg: MailMessage): Promise<number> {
  return enqueue(tx, now, 'mail.send', msg as unknown as Record<string, unknown>);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export type Rendered = { subject: string; text: string; html: string };

/** The message in the recipient's language: plain text, and HTML with every parameter escaped. */
export function renderMail(msg: MailMessage): Rendered {
  const locale = isLocale(msg.locale) ? msg.locale : 'en';
  const subject = translate(locale, `mail.${msg.template}.subject`, msg.params);
  const text = translate(locale, `mail.${msg.template}.body`, msg.params);
  // HTML from the same message, formatted with escaped parameters; the link becomes an anchor.
  const link = typeof msg.params.link === 'string' ? msg.params.link : undefined;
  const safe = Object.fromEntries(Object.entries(msg.params).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
  if (link) safe.link = `\u0000LINK\u0000`;
  const bodyHtml = translate(locale, `mail.${msg.template}.body`, safe)
    .split(/\n{2,}/)
    .map((para) => `<p>${para.replace(/\n/g, '<br>')}</p>`)
    .join('\n')
    .replace('\u0000LINK\u0000', link ? `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>` : '');
  const html = `<!doctype html><html lang="${locale}" dir="${direction(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif;line-height:1.5">${bodyHtml}</body></html>`;
  return { subject, text, html };
}

/** Messages kept in memory when the data folder is `memory://` (tests, throw-away runs). */
export const memoryOutbox: { file: string; raw: Buffer }[] = [];

function outboxDir(dataDir: string) {
  return path.join(dataDir, 'outbox');
}

export function mailHandlers(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, dataDir: string): JobHandlers {
  const smtp = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  const files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const domain = (config.mailFrom.match(/@([^>\s]+)/)?.[1] ?? 'convene.localhost').trim();
  return {
    'mail.send': async (payload, job) => {
      const msg = payload as unknown as MailMessage;
      const r = renderMail(msg);
      const mail = { from: config.mailFrom, to: msg.to, subject: r.subject, text: r.text, html: r.html, messageId: `<job-${job.id}@${domain}>`, date: new Date() };
      if (smtp) {
        await smtp.sendMail(mail);
        return;
      }
      const out = await files.sendMail(mail);
      const raw = out.message as Buffer;
      const file = `job-${String(job.id).padStart(8, '0')}.eml`;
      if (dataDir === 'memory://') {
        const i = memoryOutbox.findIndex((m) => m.file === file);
        if (i >= 0) memoryOutbox[i] = { file, raw };
        else memoryOutbox.push({ file, raw });
        return;
      }
      fs.mkdirSync(outboxDir(dataDir), { recursive: true });
      const tmp = path.join(outboxDir(dataDir), `.${file}.tmp`);
      fs.writeFileSync(tmp, raw);
      fs.renameSync(tmp, path.join(outboxDir(dataDir), file)); // same job, same file: a retry overwrites
    },
  };
}

export type OutboxEntry = { file: string; to: string; subject: string; date?: Date };

/** The newest messages kept locally (when no SMTP server is configured). */
export async function listOutbox(dataDir: string, limit = 200): Promise<OutboxEntry[]> {
  const items =
    dataDir === 'memory://'
      ? memoryOutbox.map((m) => ({ file: m.file, read: () => m.raw }))
      : fs.existsSync(outboxDir(dataDir))
        ? fs.readdirSync(outboxDir(dataDir)).filter((f) => f.endsWith('.eml')).map((f) => ({ file: f, read: () => fs.readFileSync(path.join(outboxDir(dataDir), f)) }))
        : [];
  const newest = items.sort((a, b) => b.file.localeCompare(a.file)).slice(0, limit);
  return Promise.all(
    newest.map(async (i) => {
      const parsed = await simpleParser(i.read());
      const to = Array.isArray(parsed.to) ? parsed.to.map((x) => x.text).join(', ') : (parsed.to?.text ?? '');
      return { file: i.file, to, subject: parsed.subject ?? '', date: parsed.date };
    }),
  );
}
