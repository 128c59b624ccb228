/**
 * The WSIS 2026 Trust Fund. A contributor's focal point (or a person of a non-Member-State organization) announces a
 * pledge for their own entity; the secretariat (`pledges.manage`) records, confirms, reduces or cancels pledges and
 * records payments against them (and reversing entries for mistakes). Every change is one transaction with its audit
 * row; acknowledgement letters are created in the same transaction (one per pledge and event) and sent by a job.
 */
import { publishEvent } from '../../platform/domain-events.js';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { genevaDate } from '../../platform/i18n/format.js';
import { isLocale, type Locale } from '../../platform/i18n/locales.js';
import { enqueue } from '../../platform/jobs.js';
import { authorize, can, isVerifiedMemberOf, personOf, verifiedEntityOf } from '../../platform/permissions.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import {
  AnnounceInput,
  ConfirmInput,
  DeliveryInput,
  PaymentInput,
  ReasonInput,
  ReduceInput,
  TiersInput,
  type AnnounceInput as AnnounceIn,
  type ConfirmInput as ConfirmIn,
  type DeliveryInput as DeliveryIn,
  type PaymentInput as PaymentIn,
  type ReduceInput as ReduceIn,
  type TiersInput as TiersIn,
} from './funding.input.js';
import { BASE_CURRENCY, convert, normalizeRate, parseAmount, sum, toChf } from './funding.money.js';
import {
  fundingAcknowledgements,
  fundingDeliveries,
  fundingInstalments,
  fundingPayments,
  fundingPledges,
  fundingTiers,
  type Acknowledgement,
  type Delivery,
  type Instalment,
  type Payment,
  type Pledge,
} from './funding.schema.js';
import { nextState, requireReason } from './funding.state.js';

type WCtx = Ctx & { db: Db };
export type AnnounceBody = AnnounceIn;
export type PaymentBody = PaymentIn;
export type ReduceBody = ReduceIn;
export type DeliveryBody = DeliveryIn;
type Entity = typeof entities.$inferSelect;
export const ACK_JOB = 'funding.acknowledge';

/** Totals of a pledge in its own currency and in CHF, with what needs attention. */
export type Totals = {
  currency: string;
  pledged: number;
  received: number;
  outstanding: number;
  overpaid: number;
  /** CHF values: `pledgedChf` is null until the pledge has a rate (non-CHF pledges, before confirmation). */
  pledgedChf: number | null;
  receivedChf: number;
  outstandingChf: number | null;
  overpayment: boolean;
  currencyMismatch: boolean;
};

export type PledgeDetail = {
  pledge: Pledge;
  entity: Entity;
  instalments: Instalment[];
  payments: (Payment & { reversed: boolean })[];
  /** What was delivered of an in-kind contribution. */
  deliveries: Delivery[];
  acknowledgements: Omit<Acknowledgement, 'pdf'>[];
  totals: Totals;
};

const pledgeRate = (p: Pick<Pledge, 'currency' | 'rateToChf'>) =>
  p.currency === BASE_CURRENCY ? '1' : (p.rateToChf ?? null);

export function totalsOf(p: Pledge, payments: Pick<Payment, 'currency'>[]): Totals {
  const rate = pledgeRate(p);
  const pledgedChf = rate ? toChf(p.amountMinor, p.currency, rate) : null;
  return {
    currency: p.currency,
    pledged: p.amountMinor,
    received: p.receivedMinor,
    outstanding: Math.max(0, p.amountMinor - p.receivedMinor),
    overpaid: Math.max(0, p.receivedMinor - p.amountMinor),
    pledgedChf,
    receivedChf: p.receivedChfMinor,
    outstandingChf: pledgedChf == null ? null : Math.max(0, pledgedChf - p.receivedChfMinor),
    overpayment: p.receivedMinor > p.amountMinor,
    currencyMismatch: payments.some((x) => x.currency !== p.currency),
  };
}

function parse<S extends { parse(v: unknown): unknown }>(schema: S, input: unknown): ReturnType<S['parse']> {
  const r = (schema as unknown as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(input);
  if (!r.success) throw new DomainError('invalid_input', 400);
  return r.data as ReturnType<S['parse']>;
}

async function entityRow(db: DbOrTx, id: number): Promise<Entity> {
  const [e] = await db.select().from(entities).where(eq(entities.id, id));
  if (!e || e.mergedInto != null) throw new DomainError('entity_not_found', 404);
  return e;
}

/** May the actor act for this entity's pledges? The secretariat for any; its focal point; a verified member of a non-Member-State organization for their own (a claim on a profile grants nothing). */
function mayActFor(ctx: Ctx, entity: Entity): boolean {
  if (can(ctx.actor, 'pledges.manage')) return true;
  if (can(ctx.actor, 'entity.act', { entityId: entity.id })) {
    authorize(ctx, 'entity.act', { entityId: entity.id });
    return true;
  }
  return entity.kind !== 'member_state' && isVerifiedMemberOf(ctx.actor, entity.id);
}

/** The entities whose pledges the actor sees on their desk. */
export function pledgeEntitiesOf(ctx: Ctx): number[] {
  const me = personOf(ctx);
  const own = verifiedEntityOf(me);
  return [...new Set([...me.focalPointOf, ...(own != null ? [own] : [])])];
}

/** Locks the pledge's row for the rest of the transaction: every change to a pledge goes through here. */
async function lockPledge(tx: DbOrTx, id: number): Promise<Pledge> {
  const [p] = await tx.select().from(fundingPledges).where(eq(fundingPledges.id, id)).for('update');
  if (!p) throw new DomainError('pledge_not_found', 404);
  return p;
}

/** The acknowledgement of an event, created at most once (unique per pledge and event) with its sending job. */
async function acknowledge(tx: DbOrTx, ctx: Ctx, p: Pledge, event: 'confirmed' | 'paid') {
  const [ack] = await tx
    .insert(fundingAcknowledgements)
    .values({
      pledgeId: p.id,
      event,
      reference: `${p.reference}-${event === 'confirmed' ? 'C' : 'P'}`,
      locale: p.contactLocale,
      amountMinor: event === 'paid' ? p.receivedMinor : p.amountMinor,
      currency: p.currency,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: fundingAcknowledgements.id });
  if (ack) await enqueue(tx, ctx.now, ACK_JOB, { acknowledgementId: ack.id });
}

function readInstalments(rows: { dueOn: string; amount: string }[], currency: string, total: number, locale: Locale) {
  const parsed = rows.map((r) => ({ dueOn: r.dueOn, amountMinor: parseAmount(r.amount, currency, locale) }));
  if (parsed.length && sum(parsed.map((r) => r.amountMinor)) !== total)
    throw new DomainError('instalments_mismatch', 400);
  return parsed.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}

/** Announces (or, for the secretariat, records) a pledge: state `announced`. */
export async function announcePledge(ctx: WCtx, input: AnnounceIn): Promise<Pledge> {
  const i = parse(AnnounceInput, input);
  personOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const entity = await entityRow(tx, i.entityId);
    if (!mayActFor(ctx, entity)) throw new DomainError('forbidden', 403);
    const amountMinor = parseAmount(i.amount, i.currency, ctx.locale);
    if (i.kind === 'in_kind' && !i.inKindDescription) throw new DomainError('in_kind_description_required', 400);
    const schedule = readInstalments(i.instalments, i.currency, amountMinor, ctx.locale);
    if (i.eventId != null) {
      const [ev] = await tx.select({ id: events.id }).from(events).where(eq(events.id, i.eventId));
      if (!ev) throw new DomainError('event_not_found', 404);
    }
    const [{ id }] = (
      (await tx.execute(
        sql`select nextval(pg_get_serial_sequence('funding_pledges', 'id'))::int as id`,
      )) as unknown as {
        rows: { id: number }[];
      }
    ).rows;
    const [p] = await tx
      .insert(fundingPledges)
      .values({
        id,
        reference: `TF26-${String(id).padStart(4, '0')}`,
        entityId: entity.id,
        kind: i.kind,
        currency: i.currency,
        amountMinor,
        originalAmountMinor: amountMinor,
        rateToChf: i.currency === BASE_CURRENCY ? '1' : null,
        inKindDescription: i.inKindDescription,
        purpose: i.purpose,
        purposeDetail: i.purposeDetail,
        eventId: i.eventId ?? null,
        commitmentDate: i.commitmentDate ?? genevaDate(ctx.now),
        commitmentForm: i.commitmentForm,
        commitmentReference: i.commitmentReference,
        contactName: i.contactName,
        contactEmail: i.contactEmail,
        contactLocale: i.contactLocale ?? ctx.locale,
        recognition: i.recognition,
        announcedBy: personOf(ctx).id,
        announcedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    if (schedule.length)
      await tx.insert(fundingInstalments).values(schedule.map((s, n) => ({ ...s, pledgeId: p.id, seq: n + 1 })));
    await audit(tx, ctx, {
      action: 'funding.pledge_announced',
      subjectType: 'pledge',
      subjectId: p.id,
      after: { entityId: p.entityId, amountMinor, currency: p.currency, purpose: p.purpose, kind: p.kind },
    });
    return p;
  });
}

/** The secretariat confirms a pledge (agreement signed): needs a rate to CHF for a non-CHF pledge. */
export async function confirmPledge(ctx: WCtx, pledgeId: number, input: ConfirmIn): Promise<Pledge> {
  authorize(ctx, 'pledges.manage');
  const i = parse(ConfirmInput, input);
  return ctx.db.transaction(async (tx) => {
    const before = await lockPledge(tx, pledgeId);
    const state = nextState(before.state, 'confirm', {
      kind: before.kind,
      pledged: before.amountMinor,
      received: before.receivedMinor,
    });
    let rate = pledgeRate(before);
    if (i.rateToChf) rate = before.currency === BASE_CURRENCY ? '1' : normalizeRate(i.rateToChf);
    if (!rate) throw new DomainError('rate_required', 400, { currency: before.currency });
    const [p] = await tx
      .update(fundingPledges)
      .set({
        state,
        rateToChf: rate,
        commitmentForm: i.commitmentForm,
        commitmentReference: i.commitmentReference || before.commitmentReference,
        commitmentDate: i.commitmentDate ?? before.commitmentDate,
        confirmedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .where(eq(fundingPledges.id, pledgeId))
      .returning();
    await audit(tx, ctx, {
      action: 'funding.pledge_confirmed',
      subjectType: 'pledge',
      subjectId: p.id,
      before: { state: before.state, rateToChf: before.rateToChf, commitmentForm: before.commitmentForm },
      after: { state: p.state, rateToChf: p.rateToChf, commitmentForm: p.commitmentForm },
    });
    await acknowledge(tx, ctx, p, 'confirmed');
    await publishPledge(tx, ctx, 'pledge.confirmed', p);
    await bumpContentVersion(tx);
    return p;
  });
}

/** The webhooks' view of a pledge: ids, state and amounts in minor units of its currency. */
function publishPledge(tx: DbOrTx, ctx: Ctx, type: string, p: Pledge) {
  return publishEvent(tx, ctx.now, type, {
    pledgeId: p.id,
    entityId: p.entityId,
    state: p.state,
    currency: p.currency,
    amountMinor: p.amountMinor,
    receivedMinor: p.receivedMinor,
  });
}

/** Applies a change of money received to the locked pledge: new totals and state, paid-in-full acknowledgement. */
async function applyReceived(
  tx: DbOrTx,
  ctx: Ctx,
  before: Pledge,
  deltaPledge: number,
  deltaChf: number,
  move: 'pay' | 'deliver' = 'pay',
) {
  const received = before.receivedMinor + deltaPledge;
  const state = nextState(before.state, deltaPledge >= 0 ? move : 'reverse', {
    kind: before.kind,
    pledged: before.amountMinor,
    received,
  });
  const [p] = await tx
    .update(fundingPledges)
    .set({
      receivedMinor: received,
      receivedChfMinor: before.receivedChfMinor + deltaChf,
      state,
      paidAt: state === 'paid' ? (before.paidAt ?? ctx.now) : null,
      updatedAt: ctx.now,
    })
    .where(eq(fundingPledges.id, before.id))
    .returning();
  if (state === 'paid' && before.state !== 'paid') {
    await acknowledge(tx, ctx, p, 'paid');
    await publishPledge(tx, ctx, 'pledge.paid', p);
  }
  if (state !== before.state) await bumpContentVersion(tx);
  return p;
}

/**
 * Records money received against a pledge, under the pledge's row lock (two staff recording at the same moment both
 * count). The CHF value and what it counts for in the pledge's currency are computed once, rounded half to even.
 */
export async function recordPayment(
  ctx: WCtx,
  pledgeId: number,
  input: PaymentIn,
): Promise<{ payment: Payment; pledge: Pledge }> {
  authorize(ctx, 'pledges.manage');
  const i = parse(PaymentInput, input);
  return ctx.db.transaction(async (tx) => {
    const before = await lockPledge(tx, pledgeId);
    // Refuse nonsense (announced, cancelled, in kind) before reading the amount.
    nextState(before.state, 'pay', { kind: before.kind, pledged: before.amountMinor, received: before.receivedMinor });
    const amountMinor = parseAmount(i.amount, i.currency, ctx.locale);
    const rate = i.currency === BASE_CURRENCY ? '1' : normalizeRate(i.rateToChf);
    if (i.currency !== BASE_CURRENCY && rate === '1' && !input.rateToChf)
      throw new DomainError('rate_required', 400, { currency: i.currency });
    const chfMinor = toChf(amountMinor, i.currency, rate);
    const pRate = pledgeRate(before);
    let pledgeMinor = amountMinor;
    if (i.currency !== before.currency) {
      if (!pRate) throw new DomainError('rate_required', 400, { currency: before.currency });
      pledgeMinor = convert(amountMinor, { currency: i.currency, rate }, { currency: before.currency, rate: pRate });
    }
    const [payment] = await tx
      .insert(fundingPayments)
      .values({
        pledgeId,
        receivedOn: i.receivedOn,
        amountMinor,
        currency: i.currency,
        rateToChf: rate,
        chfMinor,
        pledgeMinor,
        bankReference: i.bankReference,
        note: i.note,
        recordedBy: personOf(ctx).id,
        recordedAt: ctx.now,
      })
      .returning();
    const pledge = await applyReceived(tx, ctx, before, pledgeMinor, chfMinor);
    await audit(tx, ctx, {
      action: 'funding.payment_recorded',
      subjectType: 'pledge',
      subjectId: pledgeId,
      before: { state: before.state, receivedMinor: before.receivedMinor },
      after: { state: pledge.state, receivedMinor: pledge.receivedMinor },
      data: { paymentId: payment.id, amountMinor, currency: i.currency, rateToChf: rate, chfMinor },
    });
    return { payment, pledge };
  });
}

/**
 * Records what was delivered of an in-kind contribution (date, what, its estimated value in the pledge's currency),
 * under the pledge's row lock: partly delivered, then delivered in full (state `paid`, with its acknowledgement).
 */
export async function recordDelivery(
  ctx: WCtx,
  pledgeId: number,
  input: DeliveryIn,
): Promise<{ delivery: Delivery; pledge: Pledge }> {
  authorize(ctx, 'pledges.manage');
  const i = parse(DeliveryInput, input);
  return ctx.db.transaction(async (tx) => {
    const before = await lockPledge(tx, pledgeId);
    nextState(before.state, 'deliver', {
      kind: before.kind,
      pledged: before.amountMinor,
      received: before.receivedMinor,
    });
    const valueMinor = parseAmount(i.value, before.currency, ctx.locale);
    const rate = pledgeRate(before);
    if (!rate) throw new DomainError('rate_required', 400, { currency: before.currency });
    const chfMinor = toChf(valueMinor, before.currency, rate);
    const [delivery] = await tx
      .insert(fundingDeliveries)
      .values({
        pledgeId,
        deliveredOn: i.deliveredOn,
        description: i.description,
        valueMinor,
        chfMinor,
        recordedBy: personOf(ctx).id,
        recordedAt: ctx.now,
      })
      .returning();
    const pledge = await applyReceived(tx, ctx, before, valueMinor, chfMinor, 'deliver');
    await audit(tx, ctx, {
      action: 'funding.delivery_recorded',
      subjectType: 'pledge',
      subjectId: pledgeId,
      before: { state: before.state, receivedMinor: before.receivedMinor },
      after: { state: pledge.state, receivedMinor: pledge.receivedMinor },
      data: { deliveryId: delivery.id, valueMinor, deliveredOn: i.deliveredOn, description: i.description },
    });
    return { delivery, pledge };
  });
}

/** Cancels a wrong payment with a reversing entry (the negated amounts), never by editing it. */
export async function reversePayment(ctx: WCtx, paymentId: number, input: { reason: string }) {
  authorize(ctx, 'pledges.manage');
  const { reason } = parse(ReasonInput, input);
  return ctx.db.transaction(async (tx) => {
    const [orig] = await tx.select().from(fundingPayments).where(eq(fundingPayments.id, paymentId));
    if (!orig) throw new DomainError('payment_not_found', 404);
    const before = await lockPledge(tx, orig.pledgeId);
    if (orig.reverses != null) throw new DomainError('payment_is_reversal', 409);
    const [already] = await tx.select().from(fundingPayments).where(eq(fundingPayments.reverses, orig.id));
    if (already) throw new DomainError('payment_already_reversed', 409);
    const [payment] = await tx
      .insert(fundingPayments)
      .values({
        pledgeId: orig.pledgeId,
        receivedOn: genevaDate(ctx.now),
        amountMinor: -orig.amountMinor,
        currency: orig.currency,
        rateToChf: orig.rateToChf,
        chfMinor: -orig.chfMinor,
        pledgeMinor: -orig.pledgeMinor,
        bankReference: orig.bankReference,
        note: reason,
        reverses: orig.id,
        recordedBy: personOf(ctx).id,
        recordedAt: ctx.now,
      })
      .returning();
    const pledge = await applyReceived(tx, ctx, before, -orig.pledgeMinor, -orig.chfMinor);
    await audit(tx, ctx, {
      action: 'funding.payment_reversed',
      subjectType: 'pledge',
      subjectId: pledge.id,
      before: { state: before.state, receivedMinor: before.receivedMinor },
      after: { state: pledge.state, receivedMinor: pledge.receivedMinor },
      data: { paymentId: orig.id, reversalId: payment.id, reason },
    });
    return { payment, pledge };
  });
}

/** Reduces what is pledged (never below what was received), with a reason; the instalment schedule is dropped. */
export async function reducePledge(ctx: WCtx, pledgeId: number, input: ReduceIn): Promise<Pledge> {
  authorize(ctx, 'pledges.manage');
  const i = parse(ReduceInput, input);
  const reason = requireReason(i.reason);
  return ctx.db.transaction(async (tx) => {
    const before = await lockPledge(tx, pledgeId);
    const amountMinor = parseAmount(i.amount, before.currency, ctx.locale);
    const state = nextState(before.state, 'reduce', {
      kind: before.kind,
      pledged: amountMinor,
      received: before.receivedMinor,
    });
    if (amountMinor >= before.amountMinor || amountMinor < before.receivedMinor)
      throw new DomainError('reduction_invalid', 409);
    await tx.delete(fundingInstalments).where(eq(fundingInstalments.pledgeId, pledgeId));
    const [p] = await tx
      .update(fundingPledges)
      .set({ amountMinor, state, reason, paidAt: state === 'paid' ? ctx.now : null, updatedAt: ctx.now })
      .where(eq(fundingPledges.id, pledgeId))
      .returning();
    await audit(tx, ctx, {
      action: 'funding.pledge_reduced',
      subjectType: 'pledge',
      subjectId: pledgeId,
      before: { amountMinor: before.amountMinor, state: before.state },
      after: { amountMinor, state },
      data: { reason },
    });
    if (state === 'paid') await acknowledge(tx, ctx, p, 'paid');
    await bumpContentVersion(tx);
    return p;
  });
}

/** Cancels a pledge on which nothing was received, with a reason. */
export async function cancelPledge(ctx: WCtx, pledgeId: number, input: { reason: string }): Promise<Pledge> {
  authorize(ctx, 'pledges.manage');
  const reason = requireReason(parse(ReasonInput, input).reason);
  return ctx.db.transaction(async (tx) => {
    const before = await lockPledge(tx, pledgeId);
    const state = nextState(before.state, 'cancel', {
      kind: before.kind,
      pledged: before.amountMinor,
      received: before.receivedMinor,
    });
    const [p] = await tx
      .update(fundingPledges)
      .set({ state, reason, updatedAt: ctx.now })
      .where(eq(fundingPledges.id, pledgeId))
      .returning();
    await audit(tx, ctx, {
      action: 'funding.pledge_cancelled',
      subjectType: 'pledge',
      subjectId: pledgeId,
      before: { state: before.state },
      after: { state },
      data: { reason },
    });
    await bumpContentVersion(tx);
    return p;
  });
}

/** One pledge with its schedule, payments, acknowledgements and totals: the secretariat, or the entity's own people. */
export async function getPledge(ctx: Ctx, pledgeId: number): Promise<PledgeDetail> {
  const [p] = await ctx.db.select().from(fundingPledges).where(eq(fundingPledges.id, pledgeId));
  if (!p) throw new DomainError('pledge_not_found', 404);
  const entity = await entityRow(ctx.db, p.entityId).catch(() => {
    throw new DomainError('pledge_not_found', 404);
  });
  if (!mayActFor(ctx, entity)) {
    if (ctx.actor.kind === 'anonymous') throw new DomainError('unauthenticated', 401);
    throw new DomainError('pledge_not_found', 404); // another entity's pledge is not disclosed
  }
  const [instalments, payments, deliveries, acks] = await Promise.all([
    ctx.db
      .select()
      .from(fundingInstalments)
      .where(eq(fundingInstalments.pledgeId, p.id))
      .orderBy(asc(fundingInstalments.seq)),
    ctx.db.select().from(fundingPayments).where(eq(fundingPayments.pledgeId, p.id)).orderBy(asc(fundingPayments.id)),
    ctx.db
      .select()
      .from(fundingDeliveries)
      .where(eq(fundingDeliveries.pledgeId, p.id))
      .orderBy(asc(fundingDeliveries.id)),
    ctx.db
      .select({
        id: fundingAcknowledgements.id,
        pledgeId: fundingAcknowledgements.pledgeId,
        event: fundingAcknowledgements.event,
        reference: fundingAcknowledgements.reference,
        locale: fundingAcknowledgements.locale,
        amountMinor: fundingAcknowledgements.amountMinor,
        currency: fundingAcknowledgements.currency,
        createdAt: fundingAcknowledgements.createdAt,
        mailedAt: fundingAcknowledgements.mailedAt,
        mailJobId: fundingAcknowledgements.mailJobId,
      })
      .from(fundingAcknowledgements)
      .where(eq(fundingAcknowledgements.pledgeId, p.id))
      .orderBy(asc(fundingAcknowledgements.id)),
  ]);
  const reversed = new Set(payments.map((x) => x.reverses).filter((x): x is number => x != null));
  return {
    pledge: p,
    entity,
    instalments,
    payments: payments.map((x) => ({ ...x, reversed: reversed.has(x.id) })),
    deliveries,
    acknowledgements: acks,
    totals: totalsOf(p, payments),
  };
}

export type PledgeRow = { pledge: Pledge; entity: Entity; totals: Totals };

/** Pledges with their totals: every one for the secretariat, the actor's own entities' otherwise. */
export async function listPledges(ctx: Ctx, opts: { entityId?: number } = {}): Promise<PledgeRow[]> {
  let ids: number[] | undefined;
  if (!can(ctx.actor, 'pledges.manage')) ids = pledgeEntitiesOf(ctx);
  if (opts.entityId != null) ids = ids ? ids.filter((x) => x === opts.entityId) : [opts.entityId];
  if (ids && !ids.length) return [];
  const rows = await ctx.db
    .select({ pledge: fundingPledges, entity: entities })
    .from(fundingPledges)
    .innerJoin(entities, eq(entities.id, fundingPledges.entityId))
    .where(ids ? inArray(fundingPledges.entityId, ids) : undefined)
    .orderBy(asc(fundingPledges.id));
  const mismatched = new Set(
    (
      await ctx.db
        .selectDistinct({ id: fundingPayments.pledgeId })
        .from(fundingPayments)
        .innerJoin(fundingPledges, eq(fundingPledges.id, fundingPayments.pledgeId))
        .where(sql`${fundingPayments.currency} <> ${fundingPledges.currency}`)
    ).map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    totals: totalsOf(r.pledge, mismatched.has(r.pledge.id) ? [{ currency: '' }] : []),
  }));
}

/** The acknowledgement letter of an event, as stored when it was sent (the contributor's own, or the secretariat). */
export async function getAcknowledgementPdf(ctx: Ctx, pledgeId: number, event: string): Promise<Acknowledgement> {
  await getPledge(ctx, pledgeId); // who may see the pledge may see its letters
  const [ack] = await ctx.db
    .select()
    .from(fundingAcknowledgements)
    .where(and(eq(fundingAcknowledgements.pledgeId, pledgeId), eq(fundingAcknowledgements.event, event as 'paid')));
  if (!ack?.pdf) throw new DomainError('acknowledgement_not_found', 404);
  return ack;
}

/** Replaces the recognition tiers (CHF thresholds and/or partner packages, names per language). */
export async function setTiers(ctx: WCtx, input: TiersIn) {
  authorize(ctx, 'pledges.manage');
  const i = parse(TiersInput, input);
  const rows = i.tiers.map((t) => ({
    name: t.name,
    minChfMinor: t.minChf.trim() === '0' ? 0 : parseAmount(t.minChf, BASE_CURRENCY, ctx.locale),
    package: t.package ?? '',
    updatedAt: ctx.now,
  }));
  if (
    new Set(rows.map((r) => r.minChfMinor)).size !== rows.length ||
    rows.some((r) => !Object.values(r.name).some(Boolean))
  )
    throw new DomainError('tier_invalid', 400);
  return ctx.db.transaction(async (tx) => {
    const before = await tx.select().from(fundingTiers);
    await tx.delete(fundingTiers);
    const after = rows.length ? await tx.insert(fundingTiers).values(rows).returning() : [];
    await audit(tx, ctx, {
      action: 'funding.tiers_set',
      subjectType: 'funding_tiers',
      subjectId: 'all',
      before: { tiers: before.map((t) => [t.minChfMinor, t.name, t.package]) },
      after: { tiers: after.map((t) => [t.minChfMinor, t.name, t.package]) },
    });
    await bumpContentVersion(tx);
    return after.sort((a, b) => b.minChfMinor - a.minChfMinor);
  });
}

export async function listTiers(db: DbOrTx) {
  const rows = await db.select().from(fundingTiers);
  return rows.sort((a, b) => b.minChfMinor - a.minChfMinor);
}

export const localeOr = (l: string): Locale => (isLocale(l) ? l : 'en');
