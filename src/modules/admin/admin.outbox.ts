/**
 * The outgoing e-mail as the secretariat sees it: every `mail.send` job with its recipient, language, state, attempts
 * and the mail server's last answer; a message previewed as it is sent (rendered from the job, as the worker renders
 * it); one message or every failed message (of a filter) sent again as a new job, audited.
 */
import { and, desc, eq, ilike, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { renderMail, type MailMessage, type Rendered } from '../../platform/mail/mail.js';
import { authorize } from '../../platform/permissions.js';
import { jobs } from '../../platform/platform.schema.js';

const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const OutboxQuery = z.object({
  state: opt(z.enum(['pending', 'done', 'failed'])),
  /** Words of the recipient's address. */
  to: opt(z.string().max(254)),
  template: opt(z.string().regex(/^[a-z_]{1,60}$/)),
  /** Keyset cursor: the id of the last message of the previous page. */
  after: opt(z.coerce.number().int().positive()),
});
export type OutboxQuery = z.infer<typeof OutboxQuery>;

export const OUTBOX_PAGE = 50;
/** Messages carrying a sign-in credential: their link is not shown, and they are not sent again (ask for a new one). */
const CREDENTIAL_TEMPLATES = new Set(['sign_in_link', 'password_reset', 'verify_email']);

export type OutboxMessage = {
  id: number;
  to: string;
  locale: string;
  template: string;
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  maxAttempts: number;
  /** The first line of the last failure: the mail server's answer ("550 5.1.1 …"), or why it could not connect. */
  lastAnswer: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  credential: boolean;
  resentFrom: number | null;
  /** The subject as sent, in the message's language. */
  subject: string;
};

const esc = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function present(row: typeof jobs.$inferSelect): OutboxMessage {
  const p = row.payload as Record<string, unknown>;
  const template = String(p.template ?? '');
  return {
    id: row.id,
    to: String(p.to ?? ''),
    locale: String(p.locale ?? ''),
    template,
    state: row.state as OutboxMessage['state'],
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    lastAnswer: row.lastError
      ? row.lastError
          .split('\n')[0]
          .replace(/^Error:\s*/, '')
          .slice(0, 500)
      : null,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    credential: CREDENTIAL_TEMPLATES.has(template),
    resentFrom: typeof p.resentFrom === 'number' ? p.resentFrom : null,
    subject: subjectOf(p as unknown as MailMessage),
  };
}

function subjectOf(p: MailMessage): string {
  try {
    return renderMail({ locale: p.locale, template: p.template, params: p.params ?? {} }).subject;
  } catch {
    return p.template;
  }
}

function filters(q: Omit<OutboxQuery, 'after'>): SQL[] {
  const where: SQL[] = [eq(jobs.kind, 'mail.send')];
  if (q.state) where.push(eq(jobs.state, q.state));
  if (q.to) where.push(ilike(sql`${jobs.payload}->>'to'`, `%${esc(q.to)}%`));
  if (q.template) where.push(eq(sql`${jobs.payload}->>'template'`, q.template));
  return where;
}

/** A page of messages, newest first, and the cursor of the next. */
export async function listOutboxMessages(ctx: Ctx, q: OutboxQuery) {
  authorize(ctx, 'outbox.view');
  const where = filters(q);
  if (q.after) where.push(lt(jobs.id, q.after));
  const rows = await ctx.db
    .select()
    .from(jobs)
    .where(and(...where))
    .orderBy(desc(jobs.id))
    .limit(OUTBOX_PAGE + 1);
  const page = rows.slice(0, OUTBOX_PAGE).map(present);
  return { rows: page, next: rows.length > OUTBOX_PAGE ? page.at(-1)!.id : null };
}

/** The latest messages sent to these addresses (a person's, and the duplicates merged into them), newest first. */
export async function listMessagesTo(ctx: Ctx, addresses: string[], limit = 50): Promise<OutboxMessage[]> {
  authorize(ctx, 'outbox.view');
  const wanted = [...new Set(addresses.filter(Boolean).map((a) => a.toLowerCase()))];
  if (!wanted.length) return [];
  const rows = await ctx.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, 'mail.send'), inArray(sql`lower(${jobs.payload}->>'to')`, wanted)))
    .orderBy(desc(jobs.id))
    .limit(limit);
  return rows.map(present);
}

async function getMailJob(db: Ctx['db'], id: number) {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.kind, 'mail.send')));
  if (!row) throw new DomainError('message_not_found', 404);
  return row;
}

/** One message as it is sent: rendered from its job (a credential's link hidden), with its delivery record. */
export async function previewOutboxMessage(
  ctx: Ctx,
  id: number,
): Promise<{ message: OutboxMessage; rendered: Rendered; attachments: string[] }> {
  authorize(ctx, 'outbox.view');
  const row = await getMailJob(ctx.db, id);
  const message = present(row);
  const p = row.payload as unknown as MailMessage;
  const params = { ...p.params };
  if (message.credential && typeof params.link === 'string') params.link = params.link.replace(/[^/]+$/, '…');
  const rendered = renderMail({ locale: p.locale, template: p.template, params });
  return { message, rendered, attachments: (p.attachments ?? []).map((a) => a.filename) };
}

/** Sends one message again, as a new job with the same content. Throws `message_not_found`, `message_is_credential`. */
export async function resendOutboxMessage(ctx: Ctx & { db: Db }, id: number): Promise<number> {
  authorize(ctx, 'outbox.resend');
  return ctx.db.transaction(async (tx) => {
    const row = await getMailJob(tx, id);
    if (present(row).credential) throw new DomainError('message_is_credential', 409);
    const { queuedAt: _q, resentFrom: _r, ...content } = row.payload as Record<string, unknown>;
    const newId = await enqueue(tx, ctx.now, 'mail.send', {
      ...content,
      queuedAt: ctx.now.toISOString(),
      resentFrom: id,
    });
    await audit(tx, ctx, {
      action: 'outbox.resent',
      subjectType: 'message',
      subjectId: id,
      data: { to: content.to, template: content.template, job: newId },
    });
    return newId;
  });
}

/** Sends every failed message of the filter again (credentials excepted), each as a new job; returns how many. */
export async function resendFailedMessages(ctx: Ctx & { db: Db }, q: Omit<OutboxQuery, 'after' | 'state'>) {
  authorize(ctx, 'outbox.resend');
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(jobs)
      .where(
        and(
          ...filters({ ...q, state: 'failed' }),
          // Not one already sent again: a second "send all again" sends nothing twice.
          sql`not exists (select 1 from jobs again where again.kind = 'mail.send'
                and again.payload->>'resentFrom' = ${jobs.id}::text)`,
        ),
      )
      .orderBy(jobs.id)
      .limit(5000);
    let n = 0;
    for (const row of rows) {
      if (present(row).credential) continue;
      const { queuedAt: _q, resentFrom: _r, ...content } = row.payload as Record<string, unknown>;
      await enqueue(tx, ctx.now, 'mail.send', { ...content, queuedAt: ctx.now.toISOString(), resentFrom: row.id });
      n++;
    }
    await audit(tx, ctx, {
      action: 'outbox.resent_failed',
      subjectType: 'outbox',
      subjectId: 'failed',
      data: { count: n, to: q.to ?? null, template: q.template ?? null },
    });
    return n;
  });
}
