/**
 * Delivering one message to one subscription, as the Standard Webhooks conventions say (standardwebhooks.com): a JSON
 * body `{ type, timestamp, data }` and the headers `webhook-id` (the message's id, the same on every retry, for the
 * receiver to drop duplicates), `webhook-timestamp` (seconds, wall-clock time of this attempt) and
 * `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the subscription's secret).
 * Every attempt is logged with its status and time. A failure is retried by the queue with backoff; after
 * `DISABLE_AFTER` failed attempts in a row the subscription is disabled and the administrators are told by e-mail.
 */
import { createHmac } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { JobHandlers } from '../../platform/jobs.js';
import { isLocale } from '../../platform/i18n/locales.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { people } from '../accounts/accounts.schema.js';
import { forgetSubscribedTypes, MAX_ATTEMPTS } from './webhooks.outbox.js';
import { webhookAttempts, webhookDeliveries, webhookMessages, webhookSubscriptions } from './webhooks.schema.js';

/** Failed attempts in a row after which a subscription is disabled. */
export const DISABLE_AFTER = 10;
const TIMEOUT_MS = 10_000;
const RESPONSE_KEPT = 1000;

/** `v1,<base64>`: the signature of one attempt. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export const messageBody = (m: { type: string; occurredAt: Date; data: Record<string, unknown> }) =>
  JSON.stringify({ type: m.type, timestamp: m.occurredAt.toISOString(), data: m.data });

type Outcome = { status: number | null; durationMs: number; error: string | null; response: string | null };

async function post(url: string, headers: Record<string, string>, body: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = (await res.text()).slice(0, RESPONSE_KEPT);
    const durationMs = Math.round(performance.now() - started);
    const ok = res.status >= 200 && res.status < 300;
    return { status: res.status, durationMs, error: ok ? null : `HTTP ${res.status}`, response: text };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const reason =
      err.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : (err.cause?.code ?? err.message);
    return { status: null, durationMs: Math.round(performance.now() - started), error: reason, response: null };
  }
}

async function load(db: DbOrTx, deliveryId: number) {
  const [row] = await db
    .select({ d: webhookDeliveries, s: webhookSubscriptions, m: webhookMessages })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookDeliveries.messageId))
    .where(eq(webhookDeliveries.id, deliveryId));
  return row;
}

async function notifyAdmins(tx: DbOrTx, now: Date, sub: { id: number; url: string }, publicUrl: string) {
  const admins = await tx
    .select({ email: people.email, locale: people.preferredLocale })
    .from(people)
    .where(and(eq(people.role, 'admin'), isNull(people.erasedAt)));
  for (const a of admins) {
    if (!a.email) continue;
    const locale = isLocale(a.locale) ? a.locale : 'en';
    await enqueueMail(tx, now, {
      to: a.email,
      locale,
      template: 'webhook_disabled',
      params: { url: sub.url, failures: DISABLE_AFTER, link: `${publicUrl}/${locale}/admin/webhooks/${sub.id}` },
    });
  }
}

/** One attempt of one delivery; throws to have the queue retry it later. */
export async function attemptDelivery(
  db: Db,
  clock: Clock,
  publicUrl: string,
  deliveryId: number,
  attempt: number,
): Promise<void> {
  const row = await load(db, deliveryId);
  if (row?.d.state !== 'pending') return;
  const { d, s, m } = row;
  if (!s.active) {
    await db
      .update(webhookDeliveries)
      .set({ state: 'failed', finishedAt: clock.now() })
      .where(eq(webhookDeliveries.id, d.id));
    return;
  }
  const body = messageBody(m);
  // Wall-clock seconds, whatever the app's clock says (a rehearsal runs in July): receivers check it against theirs.
  const timestamp = Math.floor(Date.now() / 1000);
  const outcome = await post(
    s.url,
    {
      'content-type': 'application/json',
      'user-agent': 'Convene-Webhooks/1',
      'webhook-id': m.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': sign(s.secret, m.id, timestamp, body),
    },
    body,
  );
  const now = clock.now();
  const ok = outcome.error === null;
  const last = attempt >= MAX_ATTEMPTS;
  await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({ deliveryId: d.id, attemptedAt: now, ...outcome });
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        ...(ok
          ? { state: 'succeeded' as const, finishedAt: now }
          : last
            ? { state: 'failed' as const, finishedAt: now }
            : {}),
      })
      .where(eq(webhookDeliveries.id, d.id));
    if (ok) {
      await tx.update(webhookSubscriptions).set({ consecutiveFailures: 0 }).where(eq(webhookSubscriptions.id, s.id));
      return;
    }
    const [after] = await tx
      .update(webhookSubscriptions)
      .set({ consecutiveFailures: sql`${webhookSubscriptions.consecutiveFailures} + 1` })
      .where(eq(webhookSubscriptions.id, s.id))
      .returning({ failures: webhookSubscriptions.consecutiveFailures, active: webhookSubscriptions.active });
    if (after.active && after.failures >= DISABLE_AFTER) {
      await tx
        .update(webhookSubscriptions)
        .set({ active: false, disabledReason: 'failures', updatedAt: now })
        .where(eq(webhookSubscriptions.id, s.id));
      await audit(
        tx,
        { db: tx, actor: { kind: 'system', name: 'webhooks' }, locale: 'en', now },
        {
          action: 'webhook.disabled',
          subjectType: 'webhook_subscription',
          subjectId: s.id,
          data: { failures: after.failures },
        },
      );
      await notifyAdmins(tx, now, s, publicUrl);
      forgetSubscribedTypes();
    }
  });
  if (!ok && !last) throw new Error(`webhook delivery ${d.id} to ${s.url}: ${outcome.error}`);
}

export function webhookHandlers(db: Db, clock: Clock, publicUrl: string): JobHandlers {
  return {
    'webhooks.deliver': (payload, job) =>
      attemptDelivery(db, clock, publicUrl, Number(payload.deliveryId), job.attempts),
  };
}
