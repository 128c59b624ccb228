/** Subscriptions, their deliveries and replays: administrators only (`webhooks.manage`), audited. */
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { eventCatalogue } from '../../platform/domain-events.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { authorize } from '../../platform/permissions.js';
import type { SubscriptionInput, SubscriptionPatch } from './webhooks.input.js';
import { enqueueDelivery, forgetSubscribedTypes, newMessageId } from './webhooks.outbox.js';
import {
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookSubscription,
  webhookAttempts,
  webhookDeliveries,
  webhookMessages,
  webhookSubscriptions,
} from './webhooks.schema.js';

type WCtx = Ctx & { db: Db };

export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** A subscription as shown: the secret only when just created or rotated. */
export type Subscription = Omit<WebhookSubscription, 'secret'>;
const withoutSecret = ({ secret: _, ...s }: WebhookSubscription): Subscription => s;

export async function listSubscriptions(ctx: Ctx): Promise<Subscription[]> {
  authorize(ctx, 'webhooks.manage');
  const rows = await ctx.db.select().from(webhookSubscriptions).orderBy(webhookSubscriptions.id);
  return rows.map(withoutSecret);
}

export async function getSubscription(ctx: Ctx, id: number): Promise<Subscription> {
  authorize(ctx, 'webhooks.manage');
  const [row] = await ctx.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  if (!row) throw notFound('webhook_not_found');
  return withoutSecret(row);
}

export async function createSubscription(
  ctx: WCtx,
  input: SubscriptionInput,
): Promise<Subscription & { secret: string }> {
  authorize(ctx, 'webhooks.manage');
  const row = await ctx.db.transaction(async (tx) => {
    const [s] = await tx
      .insert(webhookSubscriptions)
      .values({
        url: input.url,
        description: input.description ?? '',
        eventTypes: [...new Set(input.eventTypes)],
        secret: newSecret(),
        createdBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system',
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await audit(tx, ctx, {
      action: 'webhook.created',
      subjectType: 'webhook_subscription',
      subjectId: s.id,
      after: { url: s.url, eventTypes: s.eventTypes },
    });
    return s;
  });
  forgetSubscribedTypes();
  return { ...withoutSecret(row), secret: row.secret };
}

export async function updateSubscription(ctx: WCtx, id: number, patch: SubscriptionPatch): Promise<Subscription> {
  authorize(ctx, 'webhooks.manage');
  const row = await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).for('update');
    if (!before) throw notFound('webhook_not_found');
    const values: Partial<WebhookSubscription> = { updatedAt: ctx.now };
    if (patch.url !== undefined) values.url = patch.url;
    if (patch.description !== undefined) values.description = patch.description;
    if (patch.eventTypes !== undefined) values.eventTypes = [...new Set(patch.eventTypes)];
    if (patch.active !== undefined && patch.active !== before.active) {
      values.active = patch.active;
      // Enabling again starts a new count; disabling by hand says so.
      values.disabledReason = patch.active ? null : 'manual';
      if (patch.active) values.consecutiveFailures = 0;
    }
    const [after] = await tx
      .update(webhookSubscriptions)
      .set(values)
      .where(eq(webhookSubscriptions.id, id))
      .returning();
    const view = (s: WebhookSubscription) => ({
      url: s.url,
      eventTypes: s.eventTypes,
      active: s.active,
      description: s.description,
    });
    await audit(tx, ctx, {
      action: 'webhook.updated',
      subjectType: 'webhook_subscription',
      subjectId: id,
      before: view(before),
      after: view(after),
    });
    return after;
  });
  forgetSubscribedTypes();
  return withoutSecret(row);
}

export async function rotateSecret(ctx: WCtx, id: number): Promise<{ secret: string }> {
  authorize(ctx, 'webhooks.manage');
  const secret = newSecret();
  await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .update(webhookSubscriptions)
      .set({ secret, updatedAt: ctx.now })
      .where(eq(webhookSubscriptions.id, id))
      .returning({ id: webhookSubscriptions.id });
    if (!rows.length) throw notFound('webhook_not_found');
    await audit(tx, ctx, { action: 'webhook.secret_rotated', subjectType: 'webhook_subscription', subjectId: id });
  });
  return { secret };
}

export async function deleteSubscription(ctx: WCtx, id: number): Promise<void> {
  authorize(ctx, 'webhooks.manage');
  await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .delete(webhookSubscriptions)
      .where(eq(webhookSubscriptions.id, id))
      .returning({ url: webhookSubscriptions.url });
    if (!rows.length) throw notFound('webhook_not_found');
    await audit(tx, ctx, {
      action: 'webhook.deleted',
      subjectType: 'webhook_subscription',
      subjectId: id,
      before: { url: rows[0].url },
    });
  });
  forgetSubscribedTypes();
}

export type DeliveryView = WebhookDelivery & { type: string; attemptsLog: WebhookAttempt[] };

/** The newest deliveries of a subscription (50 at a time, `before` an id), each with its attempts. */
export async function listDeliveries(
  ctx: Ctx,
  subscriptionId: number,
  opts: { before?: number; limit?: number } = {},
): Promise<DeliveryView[]> {
  await getSubscription(ctx, subscriptionId);
  const where = [eq(webhookDeliveries.subscriptionId, subscriptionId)];
  if (opts.before) where.push(lt(webhookDeliveries.id, opts.before));
  const rows = await ctx.db
    .select({ d: webhookDeliveries, type: webhookMessages.type })
    .from(webhookDeliveries)
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookDeliveries.messageId))
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.id))
    .limit(Math.min(opts.limit ?? 50, 200));
  const ids = rows.map((r) => r.d.id);
  const attempts = ids.length
    ? await ctx.db
        .select()
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, ids))
        .orderBy(webhookAttempts.id)
    : [];
  return rows.map((r) => ({ ...r.d, type: r.type, attemptsLog: attempts.filter((a) => a.deliveryId === r.d.id) }));
}

/** Sends a finished delivery's message again, as a new delivery (same `webhook-id`: receivers may drop it). */
export async function replayDelivery(ctx: WCtx, subscriptionId: number, deliveryId: number): Promise<number> {
  authorize(ctx, 'webhooks.manage');
  return ctx.db.transaction(async (tx) => {
    const [d] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, subscriptionId)));
    if (!d) throw notFound('webhook_delivery_not_found');
    if (d.state === 'pending') throw new DomainError('webhook_delivery_pending', 409);
    const id = await enqueueDelivery(tx, ctx.now, subscriptionId, d.messageId, d.id);
    await audit(tx, ctx, {
      action: 'webhook.replayed',
      subjectType: 'webhook_subscription',
      subjectId: subscriptionId,
      data: { delivery: deliveryId, replay: id },
    });
    return id;
  });
}

/** A `webhook.test` message to one subscription, whatever it subscribed to: to check the receiver and its signature. */
export async function sendTestMessage(ctx: WCtx, subscriptionId: number): Promise<number> {
  const sub = await getSubscription(ctx, subscriptionId);
  return ctx.db.transaction(async (tx) => {
    const [m] = await tx
      .insert(webhookMessages)
      .values({ id: newMessageId(), type: 'webhook.test', data: { subscriptionId: sub.id }, occurredAt: ctx.now })
      .returning({ id: webhookMessages.id });
    return enqueueDelivery(tx, ctx.now, sub.id, m.id, null);
  });
}

export const catalogue = () => eventCatalogue();
