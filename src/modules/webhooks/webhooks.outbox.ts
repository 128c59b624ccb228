/**
 * The webhooks outbox: a published event becomes one message and one delivery per active subscription to its type,
 * each with its `webhooks.deliver` job, in ONE statement inside the publishing transaction. Events nobody subscribed
 * to cost nothing but a look at a per-process set of subscribed types, refreshed at most once a second (and at once
 * when this process changes a subscription), so the door scan's hot path stays as it was.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { DomainEvent } from '../../platform/domain-events.js';

/** Attempts per delivery: with the queue's backoff (30 s, 2 min, 8 min, 32 min, then hourly) about four hours. */
export const MAX_ATTEMPTS = 8;
const TTL_MS = 1000;

let subscribed: { types: Set<string>; at: number } | undefined;

/** Forgets the set of subscribed types (after a change to subscriptions in this process). */
export function forgetSubscribedTypes(): void {
  subscribed = undefined;
}

const rowsOf = <T>(res: unknown): T[] => (res as { rows: T[] }).rows;

async function subscribedTypes(tx: DbOrTx): Promise<Set<string>> {
  const now = Date.now();
  if (subscribed && now - subscribed.at < TTL_MS) return subscribed.types;
  const res = await tx.execute(
    sql`select distinct unnest(event_types) as type from webhook_subscriptions where active`,
  );
  subscribed = { types: new Set(rowsOf<{ type: string }>(res).map((r) => r.type)), at: now };
  return subscribed.types;
}

export const newMessageId = () => `msg_${randomBytes(15).toString('base64url')}`;

export async function enqueueDeliveries(tx: DbOrTx, e: DomainEvent): Promise<void> {
  if (!(await subscribedTypes(tx)).has(e.type)) return;
  const at = e.occurredAt.toISOString();
  await tx.execute(sql`
    with m as (
      insert into webhook_messages (id, type, data, occurred_at)
      select ${newMessageId()}, ${e.type}, ${JSON.stringify(e.data)}::jsonb, ${at}
      where exists (select 1 from webhook_subscriptions where active and ${e.type} = any(event_types))
      returning id),
    d as (
      insert into webhook_deliveries (subscription_id, message_id, created_at)
      select s.id, m.id, ${at} from webhook_subscriptions s cross join m
      where s.active and ${e.type} = any(s.event_types)
      returning id)
    insert into jobs (kind, payload, run_at, created_at, max_attempts)
    select 'webhooks.deliver', jsonb_build_object('deliveryId', d.id), ${at}, ${at}, ${MAX_ATTEMPTS} from d`);
}

/** Enqueues one more delivery of a stored message to a subscription (a replay, or the test message). */
export async function enqueueDelivery(
  tx: DbOrTx,
  now: Date,
  subscriptionId: number,
  messageId: string,
  replayOf: number | null,
): Promise<number> {
  const at = now.toISOString();
  const res = await tx.execute(sql`
    with d as (
      insert into webhook_deliveries (subscription_id, message_id, replay_of, created_at)
      values (${subscriptionId}, ${messageId}, ${replayOf}, ${at}) returning id),
    j as (
      insert into jobs (kind, payload, run_at, created_at, max_attempts)
      select 'webhooks.deliver', jsonb_build_object('deliveryId', d.id), ${at}, ${at}, ${MAX_ATTEMPTS} from d)
    select id from d`);
  return rowsOf<{ id: number }>(res)[0].id;
}
