/**
 * Bounces reported back. Every letter, reminder and message goes out with its own envelope sender (VERP):
 * `<local>+<delivery>.<attempt>-<check>@<domain>` from the configured bounce address, the check an HMAC under the
 * platform's signing key (a forged report cannot name a delivery). The receiving side returns delivery-status
 * notifications (RFC 3464, `multipart/report; report-type=delivery-status`) to that address; `importBounces` reads them
 * from a Maildir (`new/` and `cur/`) or a folder of `.eml` files and marks the delivery each one names `bounced`, with
 * the diagnostic code. Reading a folder again changes nothing: a delivery already bounced stays as it is, and a report
 * about an earlier attempt (the delivery was sent again since) is stale.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { authorize } from '../../platform/permissions.js';
import { signingKey } from '../../platform/signing.js';
import { letterDeliveries } from './letters.schema.js';

type WCtx = Ctx & { db: Db };

const check = (key: Buffer, id: number, attempt: number) =>
  createHmac('sha256', key).update(`bounce.${id}.${attempt}`).digest('hex').slice(0, 12);

function parts(base: string): { local: string; domain: string } {
  const at = base.lastIndexOf('@');
  return { local: base.slice(0, at), domain: base.slice(at + 1) };
}

/** The envelope sender of one attempt of one delivery: `bounces+42.1-3f9c0a1b2c3d@itu.int`. */
export function bounceAddressOf(base: string, key: Buffer, deliveryId: number, attempt: number): string {
  const { local, domain } = parts(base);
  return `${local}+${deliveryId}.${attempt}-${check(key, deliveryId, attempt)}@${domain}`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every delivery (and attempt) named by a valid bounce address in a text, in order of appearance. */
export function findBounceAddresses(base: string, key: Buffer, text: string): { id: number; attempt: number }[] {
  const { local, domain } = parts(base);
  const re = new RegExp(`${escapeRe(local)}\\+(\\d{1,10})\\.(\\d{1,4})-([0-9a-f]{12})@${escapeRe(domain)}`, 'gi');
  const out: { id: number; attempt: number }[] = [];
  for (const m of text.matchAll(re)) {
    const id = Number(m[1]);
    const attempt = Number(m[2]);
    const want = Buffer.from(check(key, id, attempt));
    const got = Buffer.from(m[3].toLowerCase());
    if (want.length === got.length && timingSafeEqual(want, got) && !out.some((x) => x.id === id))
      out.push({ id, attempt });
  }
  return out;
}

export type DsnRecipient = {
  finalRecipient?: string;
  originalRecipient?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
};

/** The fields of a delivery-status body: blocks of `Name: value` lines (folded lines joined), names lower-cased. */
export function parseStatusFields(body: string): Record<string, string>[] {
  return body
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split(/\n\s*\n/)
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const m = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line.trim());
        if (m && !(m[1].toLowerCase() in fields)) fields[m[1].toLowerCase()] = m[2].trim();
      }
      return fields;
    })
    .filter((f) => Object.keys(f).length > 0);
}

/** `rfc822; someone@example.org` → `someone@example.org`. */
const address = (v: string | undefined) =>
  v
    ?.replace(/^[^;]*;\s*/, '')
    .replace(/^<|>$/g, '')
    .trim()
    .toLowerCase() || undefined;

type Part = { type: string; params: Record<string, string>; body: string };

/** A header block's fields (folded lines joined), names lower-cased; the first of a repeated name. */
function headerFields(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/.exec(line);
    if (m && !(m[1].toLowerCase() in out)) out[m[1].toLowerCase()] = m[2].trim();
  }
  return out;
}

/** `multipart/report; report-type=delivery-status; boundary="x"` → the type and its parameters. */
function contentType(v: string | undefined): { type: string; params: Record<string, string> } {
  const [type, ...rest] = (v ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(p);
    if (m) params[m[1].toLowerCase()] = m[2];
  }
  return { type: type.trim().toLowerCase(), params };
}

/** The leaf parts of a MIME message, their bodies decoded (base64, quoted-printable) as UTF-8 text. */
function mimeParts(raw: string, depth = 0): Part[] {
  const cut = /\r?\n\r?\n/.exec(raw);
  const head = cut ? raw.slice(0, cut.index) : raw;
  const body = cut ? raw.slice(cut.index + cut[0].length) : '';
  const h = headerFields(head);
  const { type, params } = contentType(h['content-type']);
  if (type.startsWith('multipart/') && params.boundary && depth < 5) {
    const sep = `--${params.boundary}`;
    const chunks = body.split(new RegExp(`\\r?\\n?${escapeRe(sep)}(?:--)?[ \\t]*(?:\\r?\\n|$)`));
    return [{ type, params, body: '' }, ...chunks.slice(1).flatMap((c) => (c.trim() ? mimeParts(c, depth + 1) : []))];
  }
  const cte = (h['content-transfer-encoding'] ?? '').toLowerCase();
  const text =
    cte === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : cte === 'quoted-printable'
        ? Buffer.from(
            body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, x) => String.fromCharCode(parseInt(x, 16))),
            'latin1',
          ).toString('utf8')
        : body;
  return [{ type, params, body: text }];
}

/**
 * A delivery-status notification read: whether it is one (a `message/delivery-status` part, as RFC 3464 puts in a
 * `multipart/report`), and its recipients' fields. Anything else (an out-of-office reply, spam) has no recipients.
 */
export function readDsn(raw: Buffer): { report: boolean; recipients: DsnRecipient[] } {
  const part = mimeParts(raw.toString('utf8')).find((p) => /^message\/(global-)?delivery-status$/.test(p.type));
  if (!part) return { report: false, recipients: [] };
  const recipients = parseStatusFields(part.body)
    .filter((f) => f['final-recipient'] || f['original-recipient'])
    .map((f) => ({
      finalRecipient: address(f['final-recipient']),
      originalRecipient: address(f['original-recipient']),
      action: f.action?.toLowerCase(),
      status: f.status,
      diagnostic: f['diagnostic-code']?.replace(/^\s*[a-z-]+\s*;\s*/i, '').trim(),
    }));
  return { report: true, recipients };
}

/** What a bounce says, as kept on the delivery: the diagnostic code, with the status when the code does not name it. */
export function bounceText(r: DsnRecipient): string {
  const status = r.status?.trim();
  const diag = r.diagnostic?.trim();
  const text = diag ? (status && !diag.includes(status) ? `${status} ${diag}` : diag) : (status ?? 'failed');
  return text.slice(0, 2000);
}

export type BounceOutcome = 'bounced' | 'already' | 'stale' | 'unmatched' | 'not_a_bounce';

export type BounceReport = {
  files: number;
  counts: Record<BounceOutcome, number>;
  results: { file: string; outcome: BounceOutcome; delivery?: number; error?: string }[];
};

/** The message files of a Maildir (`new/`, `cur/`) or of a folder (`.eml`), in name order. */
export function bounceFiles(folder: string): string[] {
  const maildir = ['new', 'cur'].filter((d) => fs.existsSync(path.join(folder, d)));
  const dirs = maildir.length ? maildir.map((d) => path.join(folder, d)) : [folder];
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((f) => f.isFile() && !f.name.startsWith('.') && (maildir.length > 0 || /\.eml$/i.test(f.name)))
      .map((f) => path.join(dir, f.name))
      .sort(),
  );
}

/** One report applied to the delivery it names, in one transaction with its audit row. */
async function applyReport(
  ctx: WCtx,
  tx: DbOrTx,
  named: { id: number; attempt: number },
  dsn: DsnRecipient[],
  file: string,
): Promise<{ outcome: BounceOutcome; delivery?: number; error?: string }> {
  const [d] = await tx.select().from(letterDeliveries).where(eq(letterDeliveries.id, named.id)).for('update');
  if (!d) return { outcome: 'unmatched' };
  const failed = dsn.filter((r) => r.action === 'failed' || (!r.action && r.status?.startsWith('5')));
  const mine =
    failed.find((r) => r.finalRecipient === d.email || r.originalRecipient === d.email) ??
    (failed.length === 1 ? failed[0] : undefined);
  if (!mine) return { outcome: 'not_a_bounce', delivery: d.id };
  if (d.state === 'bounced') return { outcome: 'already', delivery: d.id, error: d.error ?? undefined };
  // The report is about an earlier attempt (the delivery was sent again since), or the message never left.
  if (d.state !== 'sent' || d.attempts !== named.attempt) return { outcome: 'stale', delivery: d.id };
  const error = bounceText(mine);
  await tx.update(letterDeliveries).set({ state: 'bounced', error }).where(eq(letterDeliveries.id, d.id));
  await audit(tx, ctx, {
    action: 'letters.bounced',
    subjectType: d.messageId != null ? 'message' : 'letter',
    subjectId: d.messageId ?? d.letterId!,
    before: { state: d.state },
    after: { state: 'bounced' },
    data: { delivery: d.id, email: d.email, status: mine.status, diagnostic: error, report: path.basename(file) },
  });
  return { outcome: 'bounced', delivery: d.id, error };
}

/**
 * Reads the delivery-status notifications of a Maildir or a folder of .eml files and marks the deliveries they name
 * bounced (letters.send; the command line acts as the system). Idempotent: reading the same reports again changes
 * nothing. Files are only read, never moved.
 */
export async function importBounces(ctx: WCtx, folder: string, bounceAddress: string): Promise<BounceReport> {
  authorize(ctx, 'letters.send');
  const key = await signingKey(ctx.db);
  const counts: Record<BounceOutcome, number> = { bounced: 0, already: 0, stale: 0, unmatched: 0, not_a_bounce: 0 };
  const results: BounceReport['results'] = [];
  const files = bounceFiles(folder);
  for (const file of files) {
    const raw = fs.readFileSync(file);
    const dsn = readDsn(raw);
    let r: { outcome: BounceOutcome; delivery?: number; error?: string };
    if (!dsn.report) r = { outcome: 'not_a_bounce' };
    else {
      // The address the report came back to (its To / Delivered-To), else the original message's Return-Path inside.
      const named = findBounceAddresses(bounceAddress, key, raw.toString('latin1'))[0];
      r = named
        ? await ctx.db.transaction((tx) => applyReport(ctx, tx, named, dsn.recipients, file))
        : { outcome: 'unmatched' };
    }
    counts[r.outcome]++;
    results.push({ file: path.relative(folder, file), ...r });
  }
  return { files: files.length, counts, results };
}
