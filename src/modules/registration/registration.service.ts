/**
 * Registration and accreditation: participants ask to attend one or several events; the Designated Focal Point of
 * their entity (or the secretariat) decides; places in person are never overbooked — an approval beyond capacity puts
 * the request on the waiting list, and a freed place goes to the first waiting. Each event's places are taken under
 * a transaction-scoped advisory lock, once, after the request's row lock, in event-id order.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize, can, personOf } from '../../platform/permissions.js';
import { people } from '../accounts/accounts.schema.js';
import { events, getEvents } from '../events/index.js';
import { focalPoints } from '../entities/entities.schema.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { registrationSettings, registrations } from './registration.schema.js';
import type { DecisionInput, SettingsInput, SubmitInput } from './registration.input.js';
import * as q from './registration.queries.js';
import { initialState, transition, type RegistrationState } from './registration.state.js';

type WCtx = Ctx & { db: Db };

const base = (ctx: Ctx) => ctx.baseUrl ?? 'http://localhost:3000';
const fullName = (p: { honorific: string; givenName: string; familyName: string }) => `${p.honorific} ${p.givenName} ${p.familyName}`.trim();

async function eventName(tx: DbOrTx, eventId: number, locale: Locale) {
  const [e] = await tx.select({ name: events.name }).from(events).where(eq(events.id, eventId));
  return text(e?.name, locale);
}

/** Tells the participant what was decided, in their language (after commit, through the outbox). */
async function notifyDecision(tx: DbOrTx, ctx: Ctx, reg: q.Registration) {
  const [p] = await tx.select().from(people).where(eq(people.id, reg.personId));
  if (!p?.email) return;
  const locale = p.preferredLocale as Locale;
  await enqueueMail(tx, ctx.now, {
    to: p.email, locale, template: 'registration_decision',
    params: { name: fullName(p), event: await eventName(tx, reg.eventId, locale), state: reg.state, reason: reg.reason ?? '', link: `${base(ctx)}/${locale}/registrations` },
  });
}

/** Asks the entity's focal points to decide, each in their language. */
async function notifyFocalPoints(tx: DbOrTx, ctx: Ctx, reg: q.Registration, applicant: { honorific: string; givenName: string; familyName: string }) {
  if (reg.entityId == null) return;
  const dfps = await tx.select({ p: people }).from(focalPoints).innerJoin(people, eq(focalPoints.personId, people.id)).where(eq(focalPoints.entityId, reg.entityId));
  for (const { p } of dfps) {
    if (!p.email) continue;
    const locale = p.preferredLocale as Locale;
    await enqueueMail(tx, ctx.now, {
      to: p.email, locale, template: 'registration_request',
      params: { name: fullName(p), person: fullName(applicant), event: await eventName(tx, reg.eventId, locale), link: `${base(ctx)}/${locale}/focal-point` },
    });
  }
}
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
const CAPACITY_LOCK = 7_326_100;

/** Takes the places lock of an event until the transaction ends. */
async function lockPlaces(tx: DbOrTx, eventId: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(${CAPACITY_LOCK}, ${eventId})`);
}

/** Approves if a place is free (or the request is remote), else puts it on the waiting list. Call under lockPlaces. */
async function admit(tx: Tx, reg: q.Registration): Promise<RegistrationState> {
  if (reg.mode === 'remote') return transition(reg.state, 'approve');
  const settings = await q.getSettings(tx, reg.eventId);
  if (settings?.capacity == null) return transition(reg.state, 'approve');
  const taken = await q.countApprovedInPerson(tx, reg.eventId);
  return transition(reg.state, taken < settings.capacity ? 'approve' : 'approve_waitlist');
}

export type SubmitResult = { registrations: q.Registration[] };

/**
 * Registers the signed-in person for each event named. Idempotent: an event they already have a live request for
 * keeps it. Throws `event_not_found`, `registration_closed`, `registration_not_open`.
 */
export async function submitRegistration(ctx: WCtx, input: SubmitInput): Promise<SubmitResult> {
  const me = personOf(ctx);
  const all = await getEvents(ctx);
  const wanted = [...new Set(input.events)].map((slug) => {
    const e = all.find((x) => x.slug === slug);
    if (!e) throw new DomainError('event_not_found', 404, { slug });
    return e;
  }).sort((a, b) => a.id - b.id);
  return ctx.db.transaction(async (tx) => {
    const [person] = await tx.select().from(people).where(eq(people.id, me.id));
    const out: q.Registration[] = [];
    for (const event of wanted) {
      const settings = await q.getSettings(tx, event.id);
      if (settings?.opensAt && ctx.now < settings.opensAt) throw new DomainError('registration_not_open', 409, { event: event.slug });
      if (settings?.closesAt && ctx.now >= settings.closesAt) throw new DomainError('registration_closed', 409, { event: event.slug });
      const existing = await q.getLive(tx, me.id, event.id);
      if (existing) {
        out.push(existing);
        continue;
      }
      const entityId = person.entityId;
      const first = initialState({
        entityHasDfp: entityId != null && (await q.entityHasFocalPoint(tx, entityId)),
        needsSecretariat: !!input.vipCategory && (settings?.secretariatCategories ?? []).includes(input.vipCategory),
        autoApproved: entityId != null && me.focalPointOf.includes(entityId),
      });
      const [row] = await tx
        .insert(registrations)
        .values({
          personId: me.id, eventId: event.id, entityId, mode: input.mode, state: first === 'approve' ? 'pending_dfp' : first,
          stakeholderType: input.stakeholderType, function: input.function, vipCategory: input.vipCategory ?? null,
          registeredBy: me.id, submittedAt: ctx.now, updatedAt: ctx.now,
        })
        .onConflictDoNothing()
        .returning();
      if (!row) {
        out.push((await q.getLive(tx, me.id, event.id))!); // a concurrent double submit won
        continue;
      }
      let reg = row;
      if (first === 'approve') {
        // A DFP registering themself is approved at once, places permitting.
        await lockPlaces(tx, event.id);
        const state = await admit(tx, row);
        [reg] = await tx.update(registrations).set({ state, decidedBy: me.id, decidedAt: ctx.now }).where(eq(registrations.id, row.id)).returning();
      }
      await audit(tx, { ...ctx, db: tx }, { action: 'registration.submitted', subjectType: 'registration', subjectId: reg.id, after: { event: event.slug, state: reg.state, mode: reg.mode } });
      if (reg.state === 'pending_dfp') await notifyFocalPoints(tx, ctx, reg, person);
      if (reg.state === 'approved' || reg.state === 'waitlisted') await notifyDecision(tx, ctx, reg);
      out.push(reg);
    }
    return { registrations: out };
  });
}

/** Who may decide a request in this state. */
function authorizeDecision(ctx: Ctx, reg: q.Registration) {
  if (can(ctx.actor, 'registration.review')) return;
  // A DFP decides their own entity's requests; those handed to the secretariat are not theirs.
  if (reg.entityId == null || reg.state === 'pending_secretariat') authorize(ctx, 'registration.review');
  else authorize(ctx, 'entity.act', { entityId: reg.entityId });
}

/** Approves (a place, or the waiting list) or rejects. Throws `registration_not_found`, `registration_transition_invalid`. */
export async function decideRegistration(ctx: WCtx, id: string, input: DecisionInput): Promise<q.Registration> {
  return ctx.db.transaction(async (tx) => {
    const reg = await q.getForUpdate(tx, id);
    if (!reg) throw new DomainError('registration_not_found', 404);
    authorizeDecision(ctx, reg);
    let state: RegistrationState;
    if (input.decision === 'approve') {
      transition(reg.state, 'approve'); // fails fast on an illegal state
      await lockPlaces(tx, reg.eventId);
      state = await admit(tx, reg);
    } else {
      state = transition(reg.state, 'reject');
    }
    const [after] = await tx
      .update(registrations)
      .set({ state, reason: input.reason ?? null, decidedBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system', decidedAt: ctx.now, updatedAt: ctx.now })
      .where(eq(registrations.id, id))
      .returning();
    await audit(tx, { ...ctx, db: tx }, { action: `registration.${state === 'rejected' ? 'rejected' : state === 'waitlisted' ? 'waitlisted' : 'approved'}`, subjectType: 'registration', subjectId: id, before: { state: reg.state }, after: { state, reason: after.reason } });
    await notifyDecision(tx, ctx, after);
    if (reg.state === 'approved' && state === 'rejected' && reg.mode === 'in_person') await promoteNext(tx, ctx, reg.eventId);
    return after;
  });
}

/** Gives a freed place to the first waiting request, if any. Takes the places lock. */
async function promoteNext(tx: Tx, ctx: Ctx, eventId: number) {
  await lockPlaces(tx, eventId);
  const settings = await q.getSettings(tx, eventId);
  if (settings?.capacity != null && (await q.countApprovedInPerson(tx, eventId)) >= settings.capacity) return;
  const next = await q.firstWaitlisted(tx, eventId);
  if (!next) return;
  const [promoted] = await tx.update(registrations).set({ state: transition(next.state, 'promote'), updatedAt: ctx.now }).where(eq(registrations.id, next.id)).returning();
  await notifyDecision(tx, ctx, promoted);
  await audit(tx, { ...ctx, db: tx }, { action: 'registration.promoted', subjectType: 'registration', subjectId: next.id, before: { state: 'waitlisted' }, after: { state: 'approved' } });
}

/** The participant (or the secretariat) withdraws a request; a freed place moves the waiting list up. */
export async function withdrawRegistration(ctx: WCtx, id: string): Promise<q.Registration> {
  return ctx.db.transaction(async (tx) => {
    const reg = await q.getForUpdate(tx, id);
    const me = ctx.actor.kind === 'person' ? ctx.actor : undefined;
    if (!reg || (me && reg.personId !== me.id && !can(ctx.actor, 'registration.review'))) throw new DomainError('registration_not_found', 404);
    const state = transition(reg.state, 'withdraw');
    const [after] = await tx.update(registrations).set({ state, updatedAt: ctx.now }).where(eq(registrations.id, id)).returning();
    await audit(tx, { ...ctx, db: tx }, { action: 'registration.withdrawn', subjectType: 'registration', subjectId: id, before: { state: reg.state }, after: { state } });
    if (reg.state === 'approved' && reg.mode === 'in_person') await promoteNext(tx, ctx, reg.eventId);
    return after;
  });
}

export async function listMyRegistrations(ctx: Ctx) {
  return q.listFor(ctx.db, { personId: personOf(ctx).id });
}

/** A DFP's queue: requests from their own entities awaiting them. Staff with registration.review see the secretariat's. */
export async function listQueue(ctx: Ctx) {
  const me = personOf(ctx);
  if (can(ctx.actor, 'registration.review')) return q.listFor(ctx.db, { states: ['pending_secretariat', 'pending_dfp'] });
  if (!me.focalPointOf.length) throw new DomainError('forbidden', 403);
  return q.listFor(ctx.db, { entityIds: [...me.focalPointOf], states: ['pending_dfp'] });
}

/** The queue with each applicant's name and address, for the focal point's page. */
export async function listQueueWithPeople(ctx: Ctx) {
  const queue = await listQueue(ctx);
  if (!queue.length) return [];
  const rows = await ctx.db.select().from(people).where(inArray(people.id, [...new Set(queue.map((r) => r.personId))]));
  const byId = new Map(rows.map((p) => [p.id, p]));
  return queue.map((reg) => ({ reg, person: byId.get(reg.personId)! }));
}

/** The secretariat sets an event's registration window, capacity and categories it decides. */
export async function setRegistrationSettings(ctx: WCtx, eventSlug: string, input: SettingsInput) {
  authorize(ctx, 'registration.review');
  const event = (await getEvents(ctx)).find((e) => e.slug === eventSlug);
  if (!event) throw new DomainError('event_not_found', 404, { slug: eventSlug });
  return ctx.db.transaction(async (tx) => {
    const before = await q.getSettings(tx, event.id);
    const values = {
      eventId: event.id,
      opensAt: input.opensAt === undefined ? (before?.opensAt ?? null) : input.opensAt ? new Date(input.opensAt) : null,
      closesAt: input.closesAt === undefined ? (before?.closesAt ?? null) : input.closesAt ? new Date(input.closesAt) : null,
      capacity: input.capacity === undefined ? (before?.capacity ?? null) : input.capacity,
      secretariatCategories: input.secretariatCategories ?? before?.secretariatCategories ?? [],
      updatedAt: ctx.now,
    };
    const [after] = await tx.insert(registrationSettings).values(values).onConflictDoUpdate({ target: registrationSettings.eventId, set: values }).returning();
    await audit(tx, { ...ctx, db: tx }, { action: 'registration.settings_changed', subjectType: 'event', subjectId: event.slug, before: before ?? {}, after });
    // More places may let the waiting list move up.
    const freed = after.capacity == null ? Infinity : after.capacity - (await q.countApprovedInPerson(tx, event.id));
    for (let i = 0; i < freed; i++) {
      const next = await q.firstWaitlisted(tx, event.id);
      if (!next) break;
      await promoteNext(tx, ctx, event.id);
    }
    return after;
  });
}

