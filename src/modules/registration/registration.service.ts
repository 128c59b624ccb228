/**
 * Registration and accreditation: participants ask to attend one or several events; the Designated Focal Point of
 * their entity (or the secretariat) decides; places in person are never overbooked — an approval beyond capacity puts
 * the request on the waiting list, and a freed place goes to the first waiting. Each event's places are taken under
 * transaction-scoped advisory locks, once, after the request's row lock, in event-id order (`takePlaces`: an event
 * without a capacity lets approvals run side by side; one with a capacity admits one approval at a time).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit, auditMany, type AuditEntry } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize, can, personOf } from '../../platform/permissions.js';
import { people, verifyAffiliationInTx, verifyAffiliationsInTx } from '../accounts/index.js';
import { events, getEvents } from '../events/index.js';
import { entities, focalPoints } from '../entities/index.js';
import { publishEvent, publishEvents } from '../../platform/domain-events.js';
import { enqueueMails, type MailAttachment, type MailMessage } from '../../platform/mail/mail.js';
import { sign, signingKey, signingKeyVia } from '../../platform/signing.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { comparePeople, greeting, titledName } from '../../platform/i18n/names.js';
import { FUNCTIONS } from './registration.options.js';
import { text } from '../../platform/i18n/localized.js';
import { registrationSettings, registrations, registrationTallies } from './registration.schema.js';
import type {
  BulkDecisionInput,
  DecisionInput,
  EditInput,
  OnBehalfInput,
  SettingsInput,
  SubmitInput,
  VipInput,
} from './registration.input.js';
import * as q from './registration.queries.js';
import { initialState, transition, type RegistrationState } from './registration.state.js';
import { assertOpen, eventEndsAt, registrationWindow } from './registration.window.js';
import { formatDateTime, intlTag } from '../../platform/i18n/format.js';
import { translator } from '../../platform/i18n/messages.js';

type WCtx = Ctx & { db: Db };

const base = (ctx: Ctx) => ctx.baseUrl ?? 'http://localhost:3000';

/** The names of these events, in one statement (none for those the caller knows already). */
async function eventNames(tx: DbOrTx, ids: number[], known: Map<number, unknown> = new Map()) {
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  const out = new Map(known);
  if (missing.length)
    for (const e of await tx
      .select({ id: events.id, name: events.name })
      .from(events)
      .where(inArray(events.id, missing)))
      out.set(e.id, e.name);
  return (id: number, locale: Locale) => text(out.get(id) as Parameters<typeof text>[0], locale);
}

/** The short reference a participant quotes at the badge desk: `R-` and the first eight characters of the id. */
export const registrationReference = (id: string) => `R-${id.slice(0, 8).toUpperCase()}`;

/** What the confirmation's QR code holds: the registration id, signed (no personal data). */
export const QR_PREFIX = 'CVR1';
export async function confirmationCode(db: DbOrTx, registrationId: string): Promise<string> {
  return sign(await signingKey(db), QR_PREFIX, registrationId);
}

/** The QR code of an approved registration, as an inline PNG attachment (drawn by the worker when it sends). */
async function qrAttachment(tx: DbOrTx, ctx: Ctx, reg: q.Registration): Promise<MailAttachment> {
  const reference = registrationReference(reg.id);
  const key = await signingKeyVia(tx, ctx.db);
  return {
    filename: `${reference}.png`,
    contentType: 'image/png',
    cid: `qr-${reference}`,
    alt: reference,
    qr: sign(key, QR_PREFIX, reg.id),
  };
}

/**
 * Tells the participant what was decided, in their language (after commit, through the outbox): ONE message for the
 * requests of one person decided together, naming every event; each confirmation carries its QR code. Requests put
 * on the waiting list beside confirmed ones are named in the same message. Several people decided at once (a bulk
 * decision) cost one read of the people, one of the event names and one insert of all the messages.
 */
async function notifyDecision(tx: DbOrTx, ctx: Ctx, regs: q.Registration[]) {
  await notifyDecisions(tx, ctx, regs.length ? [regs] : []);
}
async function notifyDecisions(tx: DbOrTx, ctx: Ctx, groups: q.Registration[][]) {
  groups = groups.filter((g) => g.length);
  if (!groups.length) return;
  const found = await tx
    .select()
    .from(people)
    .where(inArray(people.id, [...new Set(groups.map((g) => g[0].personId))]));
  const byId = new Map(found.map((p) => [p.id, p]));
  const nameOf = await eventNames(
    tx,
    groups.flatMap((g) => g.map((r) => r.eventId)),
  );
  const messages: MailMessage[] = [];
  for (const regs of groups) {
    const p = byId.get(regs[0].personId);
    if (!p?.email) continue;
    const locale = p.preferredLocale as Locale;
    const t = translator(locale);
    const list = new Intl.ListFormat(intlTag(locale), { type: 'conjunction' });
    const names = (rs: q.Registration[]) => list.format(rs.map((r) => nameOf(r.eventId, locale)));
    const approved = regs.filter((r) => r.state === 'approved');
    const waitlisted = regs.filter((r) => r.state === 'waitlisted');
    const state = approved.length ? 'approved' : waitlisted.length ? 'waitlisted' : regs[0].state;
    const main = state === 'approved' ? approved : state === 'waitlisted' ? waitlisted : regs;
    const attachments = approved.length ? await Promise.all(approved.map((r) => qrAttachment(tx, ctx, r))) : undefined;
    const reasons = [...new Set(regs.map((r) => r.reason ?? '').filter(Boolean))];
    messages.push({
      to: p.email,
      locale,
      template: 'registration_decision',
      params: {
        greeting: greeting(p, locale),
        event: names(main),
        state,
        mode: regs[0].mode,
        reference: list.format(main.map((r) => registrationReference(r.id))),
        also:
          state === 'approved' && waitlisted.length
            ? t('registration.mail.also_waitlisted', { event: names(waitlisted) })
            : '',
        reason: reasons.join('\n'),
        link: `${base(ctx)}/${locale}/registrations`,
      },
      attachments,
      // The event it is about: its own logo heads the message (the first, when it names several).
      eventId: main[0]?.eventId,
    });
  }
  await enqueueMails(tx, ctx.now, messages);
}

/** The focal points of an entity, with their addresses and languages. */
function focalPointsOf(tx: DbOrTx, entityId: number) {
  return tx
    .select({ p: people })
    .from(focalPoints)
    .innerJoin(people, eq(focalPoints.personId, people.id))
    .where(eq(focalPoints.entityId, entityId));
}

/**
 * Asks the entity's focal points to decide, each in their language: one message per request, naming every event it
 * asks for (never one per event), all in one insert.
 */
async function notifyFocalPoints(
  tx: DbOrTx,
  ctx: Ctx,
  regs: q.Registration[],
  applicant: { honorific: string; givenName: string; familyName: string },
  dfps: { p: typeof people.$inferSelect }[],
  known: Map<number, unknown>,
) {
  const reg = regs[0];
  if (!reg || reg.entityId == null) return;
  const nameOf = await eventNames(
    tx,
    regs.map((r) => r.eventId),
    known,
  );
  const messages: MailMessage[] = [];
  for (const { p } of dfps) {
    if (!p.email) continue;
    const locale = p.preferredLocale as Locale;
    messages.push({
      to: p.email,
      locale,
      template: 'registration_request',
      params: {
        greeting: greeting(p, locale),
        person: titledName(applicant, locale),
        event: regs.map((r) => nameOf(r.eventId, locale)).join(' · '),
        link: `${base(ctx)}/${locale}/focal-point`,
      },
    });
  }
  await enqueueMails(tx, ctx.now, messages);
}
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
const CAPACITY_LOCK = 7_326_100;
const SETTINGS_LOCK = 7_326_101;

/** Takes the places lock of an event until the transaction ends (one admission, promotion or change at a time). */
async function lockPlaces(tx: DbOrTx, eventId: number) {
  await tx.execute(sql`select pg_advisory_xact_lock(${CAPACITY_LOCK}, ${eventId})`);
}

/**
 * The places an approval may take at an event, until the transaction ends. An event without a capacity has places
 * for everyone: its approvals take the settings lock SHARED (no approval waits for another; a change of the settings
 * waits for them, and approvals after it see the capacity it set). An event with a capacity takes the places lock
 * too (one approval at a time counts and takes a place): never overbooked. Two statements without a capacity, four
 * with one. Locks are taken settings before places, as `setRegistrationSettings` takes them.
 */
async function takePlaces(tx: DbOrTx, eventId: number): Promise<{ capacity: number | null; taken: number }> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${SETTINGS_LOCK}, ${eventId})`);
  const [set] = await tx
    .select({ capacity: registrationSettings.capacity })
    .from(registrationSettings)
    .where(eq(registrationSettings.eventId, eventId));
  if (set?.capacity == null) return { capacity: null, taken: 0 };
  await lockPlaces(tx, eventId);
  return placesOf(tx, eventId);
}

/** Approves if a place is free (or the request is remote), else puts it on the waiting list. */
async function admit(tx: Tx, reg: q.Registration): Promise<RegistrationState> {
  if (reg.mode === 'remote') return transition(reg.state, 'approve');
  const { capacity, taken } = await takePlaces(tx, reg.eventId);
  return transition(reg.state, capacity == null || taken < capacity ? 'approve' : 'approve_waitlist');
}

export type SubmitResult = { registrations: q.Registration[] };

/**
 * Registers the signed-in person for each event named. Idempotent: an event they already have a live request for
 * keeps it. Throws `event_not_found`, `registration_closed`, `registration_not_open`.
 */
export async function submitRegistration(ctx: WCtx, input: SubmitInput): Promise<SubmitResult> {
  const me = personOf(ctx);
  const wanted = await wantedEvents(ctx, input.events);
  await signingKey(ctx.db); // read once per process, outside the transaction (an approval's QR code needs it)
  return ctx.db.transaction(async (tx) => ({
    registrations: await createRegistrations(tx, ctx, me.id, wanted, input, { vip: false }),
  }));
}

type Settings = Awaited<ReturnType<typeof q.getSettings>>;

/**
 * Protocol categories (VVIP, UN, MIN…) are the protocol's call: only the entity's focal point or the secretariat set
 * them. Throws `vip_category_reserved`.
 */
export function mayAssignCategory(ctx: Ctx, entityId: number | null): boolean {
  if (can(ctx.actor, 'registration.review')) return true;
  return ctx.actor.kind === 'person' && entityId != null && ctx.actor.focalPointOf.includes(entityId);
}
function assertMayAssignCategory(ctx: Ctx, entityId: number | null) {
  if (!mayAssignCategory(ctx, entityId)) throw new DomainError('vip_category_reserved', 403);
}

/** Restricted events admit only some functions (the Regulators' Roundtable: heads of regulatory authorities). */
function checkEligible(settings: Settings, fn: string, slug: string) {
  const allowed = settings?.eligibleFunctions ?? [];
  if (allowed.length && !allowed.includes(fn)) throw new DomainError('registration_restricted', 403, { event: slug });
}

/** By invitation, or a protocol category the secretariat keeps: the secretariat decides. */
function needsSecretariat(settings: Settings, vipCategory: string | null | undefined) {
  return !!settings?.invitationOnly || (!!vipCategory && (settings?.secretariatCategories ?? []).includes(vipCategory));
}

/** Throws `registration_not_open` / `registration_closed` (with the event's name and the date) outside the window. */
function checkWindow(ctx: Ctx, settings: Settings, event: { slug: string; endDate: string; name: unknown }) {
  assertOpen(
    registrationWindow(settings, event),
    ctx.now,
    ctx.locale,
    text(event.name as Parameters<typeof text>[0], ctx.locale),
    event.slug,
  );
}

async function wantedEvents(ctx: Ctx, slugs: string[]) {
  const all = await getEvents(ctx);
  return [...new Set(slugs)]
    .map((slug) => {
      const e = all.find((x) => x.slug === slug);
      if (!e) throw new DomainError('event_not_found', 404, { slug });
      return e;
    })
    .sort((a, b) => a.id - b.id);
}

/**
 * Creates the person's requests, one per event, in the caller's transaction. A DFP registering themself, or a VIP of
 * their entity (`vip`), is approved at once (places permitting) unless the event is by invitation.
 */
async function createRegistrations(
  tx: Tx,
  ctx: Ctx,
  personId: string,
  wanted: { id: number; slug: string; endDate: string; name: unknown }[],
  input: SubmitInput,
  opts: { vip: boolean; byStaff?: boolean },
) {
  const me = personOf(ctx);
  const [person] = await tx.select().from(people).where(eq(people.id, personId));
  if (input.vipCategory) assertMayAssignCategory(ctx, person.entityId);
  const out: q.Registration[] = [];
  const asked: q.Registration[] = [];
  const decided: q.Registration[] = [];
  let dfps: Awaited<ReturnType<typeof focalPointsOf>> | undefined;
  for (const event of wanted) {
    const settings = await q.getSettings(tx, event.id);
    checkWindow(ctx, settings, event);
    checkEligible(settings, input.function, event.slug);
    // No read before the insert: a live request for this event (the partial unique index) makes it insert nothing,
    // and the one that exists is read then.
    const entityId = person.entityId;
    const byOwnDfp = entityId != null && me.focalPointOf.includes(entityId);
    if (entityId != null) dfps ??= await focalPointsOf(tx, entityId);
    const first = initialState({
      entityHasDfp: !!dfps?.length,
      needsSecretariat: needsSecretariat(settings, input.vipCategory),
      autoApproved: !!opts.byStaff || (byOwnDfp && (opts.vip || personId === me.id) && !settings?.invitationOnly),
    });
    const [row] = await tx
      .insert(registrations)
      .values({
        personId,
        eventId: event.id,
        entityId,
        mode: input.mode,
        state: first === 'approve' ? 'pending_dfp' : first,
        stakeholderType: input.stakeholderType,
        function: input.function,
        vipCategory: input.vipCategory ?? null,
        listed: input.listed ?? true,
        registeredBy: me.id,
        submittedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      out.push((await q.getLive(tx, personId, event.id))!); // asked before, or a concurrent double submit won
      continue;
    }
    let reg = row;
    if (first === 'approve' && entityId != null && !opts.byStaff)
      await verifyAffiliationInTx(tx, ctx, personId, entityId, 'registration_approved');
    if (first === 'approve') {
      const state = await admit(tx, row);
      [reg] = await tx
        .update(registrations)
        .set({ state, decidedBy: me.id, decidedAt: ctx.now })
        .where(eq(registrations.id, row.id))
        .returning();
    }
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: opts.byStaff
          ? 'registration.registered_by_staff'
          : opts.vip
            ? 'registration.vip_registered'
            : 'registration.submitted',
        subjectType: 'registration',
        subjectId: reg.id,
        after: { event: event.slug, state: reg.state, mode: reg.mode, person: personId },
      },
    );
    await publishRegistration(tx, ctx, 'registration.submitted', reg);
    if (reg.state === 'pending_dfp') asked.push(reg);
    if (reg.state === 'approved' || reg.state === 'waitlisted') decided.push(reg);
    out.push(reg);
  }
  await notifyDecision(tx, ctx, decided);
  await notifyFocalPoints(tx, ctx, asked, person, dfps ?? [], new Map(wanted.map((e) => [e.id, e.name])));
  return out;
}

/**
 * A DFP registers a VIP of their entity (a minister, a head of regulatory authority): the person is found by e-mail
 * or created (signing in later with a link sent to that address), and approved at once. Throws
 * `person_other_entity` when the address belongs to someone of another entity.
 */
export async function registerVip(
  ctx: WCtx,
  input: VipInput,
): Promise<SubmitResult & { personId: string; created: boolean }> {
  authorize(ctx, 'entity.act', { entityId: input.entityId });
  const wanted = await wantedEvents(ctx, input.events);
  return ctx.db.transaction(async (tx) => {
    let [person] = await tx.select().from(people).where(eq(people.email, input.email));
    const created = !person;
    if (person && person.entityId !== input.entityId) throw new DomainError('person_other_entity', 409);
    if (!person) {
      [person] = await tx
        .insert(people)
        .values({
          email: input.email,
          honorific: input.honorific,
          givenName: input.givenName,
          familyName: input.familyName,
          givenNameLatin: input.givenNameLatin,
          familyNameLatin: input.familyNameLatin,
          jobTitle: input.jobTitle,
          function: input.function,
          preferredLocale: input.preferredLocale,
          entityId: input.entityId,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await audit(
        tx,
        { ...ctx, db: tx },
        {
          action: 'person.created_by_dfp',
          subjectType: 'person',
          subjectId: person.id,
          after: { email: input.email, entityId: input.entityId },
        },
      );
    }
    // Added to the entity by its focal point (or the secretariat): the affiliation is verified.
    await verifyAffiliationInTx(tx, ctx, person.id, input.entityId, 'added_by_focal_point');
    const regs = await createRegistrations(tx, ctx, person.id, wanted, input, { vip: true });
    return { registrations: regs, personId: person.id, created };
  });
}

/**
 * The secretariat registers someone on their behalf: an existing person, or a new one created with the address given
 * (they sign in later with a link sent to it). The requests are marked as made by staff (`registeredBy`, the audit
 * action `registration.registered_by_staff`) and approved at once, places permitting (else the waiting list); the
 * person is told in their language. Throws `person_not_found`, `person_exists` (a new person's address is taken),
 * `entity_not_found`, and the window's errors.
 */
export async function registerOnBehalf(
  ctx: WCtx,
  input: OnBehalfInput,
): Promise<SubmitResult & { personId: string; created: boolean }> {
  authorize(ctx, 'registration.review');
  const wanted = await wantedEvents(ctx, input.events);
  return ctx.db.transaction(async (tx) => {
    let person: typeof people.$inferSelect | undefined;
    if (input.personId) {
      [person] = await tx.select().from(people).where(eq(people.id, input.personId));
      if (!person || person.erasedAt) throw new DomainError('person_not_found', 404);
    } else {
      const [taken] = await tx
        .select({ id: people.id })
        .from(people)
        .where(eq(people.email, input.email ?? ''));
      if (taken) throw new DomainError('person_exists', 409);
      if (input.entityId != null) {
        const [e] = await tx.select({ id: entities.id }).from(entities).where(eq(entities.id, input.entityId));
        if (!e) throw new DomainError('entity_not_found', 400);
      }
      [person] = await tx
        .insert(people)
        .values({
          email: input.email,
          honorific: input.honorific,
          givenName: input.givenName,
          familyName: input.familyName,
          givenNameLatin: input.givenNameLatin,
          familyNameLatin: input.familyNameLatin,
          jobTitle: input.jobTitle,
          function: input.function,
          preferredLocale: input.preferredLocale,
          entityId: input.entityId ?? null,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await audit(
        tx,
        { ...ctx, db: tx },
        {
          action: 'person.created_by_staff',
          subjectType: 'person',
          subjectId: person.id,
          after: { email: input.email, entityId: input.entityId ?? null },
        },
      );
    }
    const regs = await createRegistrations(tx, ctx, person.id, wanted, input, { vip: false, byStaff: true });
    return { registrations: regs, personId: person.id, created: !input.personId };
  });
}

/**
 * The participant changes a request still awaiting a decision. A protocol category the secretariat keeps hands it to
 * the secretariat. Throws `registration_not_editable` once decided.
 */
export async function editRegistration(ctx: WCtx, id: string, input: EditInput): Promise<q.Registration> {
  const me = personOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const reg = await q.getForUpdate(tx, id);
    if (!reg || (reg.personId !== me.id && !mayAssignCategory(ctx, reg.entityId)))
      throw new DomainError('registration_not_found', 404);
    if (reg.state !== 'pending_dfp' && reg.state !== 'pending_secretariat')
      throw new DomainError('registration_not_editable', 409, { state: reg.state });
    if (input.vipCategory !== undefined && input.vipCategory !== reg.vipCategory)
      assertMayAssignCategory(ctx, reg.entityId);
    const settings = await q.getSettings(tx, reg.eventId);
    const [event] = await tx.select().from(events).where(eq(events.id, reg.eventId));
    checkWindow(ctx, settings, event);
    const next = {
      mode: input.mode ?? reg.mode,
      stakeholderType: input.stakeholderType ?? reg.stakeholderType,
      function: input.function ?? reg.function,
      vipCategory: input.vipCategory === undefined ? reg.vipCategory : input.vipCategory,
    };
    checkEligible(settings, next.function, String(reg.eventId));
    const state =
      reg.state === 'pending_dfp' && needsSecretariat(settings, next.vipCategory)
        ? transition(reg.state, 'escalate')
        : reg.state;
    const [after] = await tx
      .update(registrations)
      .set({ ...next, state, updatedAt: ctx.now })
      .where(eq(registrations.id, id))
      .returning();
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== reg[k]);
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'registration.edited',
        subjectType: 'registration',
        subjectId: id,
        before: Object.fromEntries(changed.map((k) => [k, reg[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    );
    return after;
  });
}

export type DecisionResult = { id: string; ok: boolean; state?: RegistrationState; code?: string };

/**
 * Decides many requests in ONE transaction: every row is locked first, then each event's places once, in event order
 * (as everywhere); the requests of one person are told in one message naming every event. A request that cannot be
 * decided (decided meanwhile, not the DFP's) is reported and does not stop the rest.
 */
export async function decideBulk(ctx: WCtx, input: BulkDecisionInput): Promise<DecisionResult[]> {
  return (await decideMany(ctx, [...new Set(input.ids)], input)).results;
}

/** The webhooks' view of a registration: ids and states only (a subscriber reads the rest through the API). */
function publishRegistration(tx: Tx, ctx: Ctx, type: string, r: q.Registration) {
  return publishEvent(tx, ctx.now, type, registrationEventData(r));
}
const registrationEventData = (r: q.Registration) => ({
  registrationId: r.id,
  personId: r.personId,
  eventId: r.eventId,
  entityId: r.entityId,
  state: r.state,
  mode: r.mode,
});

/** Who may decide a request in this state. */
function authorizeDecision(ctx: Ctx, reg: q.Registration) {
  if (can(ctx.actor, 'registration.review')) return;
  // A DFP decides their own entity's requests; those handed to the secretariat are not theirs.
  if (reg.entityId == null || reg.state === 'pending_secretariat') authorize(ctx, 'registration.review');
  else authorize(ctx, 'entity.act', { entityId: reg.entityId });
}

/** Approves (a place, or the waiting list) or rejects. Throws `registration_not_found`, `registration_transition_invalid`. */
export async function decideRegistration(ctx: WCtx, id: string, input: DecisionInput): Promise<q.Registration> {
  const failures: DomainError[] = [];
  const { results, rows } = await decideMany(ctx, [id], input, failures);
  if (!results[0].ok) throw failures[0] ?? new DomainError('registration_not_found', 404);
  return rows.get(id)!;
}

/** An event's capacity and the in-person places taken, in one statement. Call under lockPlaces (takePlaces). */
async function placesOf(tx: DbOrTx, eventId: number): Promise<{ capacity: number | null; taken: number }> {
  const res = await tx.execute(sql`
    select s.capacity,
      case when s.capacity is null then 0 else (select count(*) from ${registrations} r
        where r.event_id = ${eventId} and r.state = 'approved' and r.mode = 'in_person') end as taken
    from (select 1) one left join ${registrationSettings} s on s.event_id = ${eventId}`);
  const row = (res as unknown as { rows: { capacity: number | null; taken: number | string }[] }).rows[0];
  return { capacity: row?.capacity ?? null, taken: Number(row?.taken ?? 0) };
}

/**
 * Decides requests in one transaction: every row is locked first (in event order), then each event's places once, in
 * event order. The rows decided alike are updated in one statement, the audit rows and the e-mails are one insert
 * each. Requests that may not be decided are left as they are and reported.
 */
async function decideMany(
  ctx: WCtx,
  ids: string[],
  input: DecisionInput,
  failures: DomainError[] = [],
): Promise<{ results: DecisionResult[]; rows: Map<string, q.Registration> }> {
  if (!ids.length) return { results: [], rows: new Map() };
  if (input.decision === 'approve') await signingKey(ctx.db); // once per process, outside the transaction
  return ctx.db.transaction(async (tx) => {
    const locked = await tx
      .select()
      .from(registrations)
      .where(inArray(registrations.id, ids))
      .orderBy(registrations.eventId, registrations.id)
      .for('update');
    const results = new Map<string, DecisionResult>();
    const places = new Map<number, { capacity: number | null; taken: number }>();
    const byState = new Map<RegistrationState, q.Registration[]>();
    for (const reg of locked) {
      let state: RegistrationState;
      try {
        authorizeDecision(ctx, reg);
        if (input.decision === 'approve') {
          transition(reg.state, 'approve'); // fails fast on an illegal state
          if (reg.mode === 'remote') state = transition(reg.state, 'approve');
          else {
            let p = places.get(reg.eventId);
            if (!p) {
              p = await takePlaces(tx, reg.eventId);
              places.set(reg.eventId, p);
            }
            state = transition(reg.state, p.capacity == null || p.taken < p.capacity ? 'approve' : 'approve_waitlist');
            if (state === 'approved') p.taken++;
          }
        } else {
          state = transition(reg.state, 'reject');
        }
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        failures.push(e);
        results.set(reg.id, { id: reg.id, ok: false, code: e.code });
        continue;
      }
      byState.set(state, [...(byState.get(state) ?? []), reg]);
      results.set(reg.id, { id: reg.id, ok: true, state });
    }
    const audits: AuditEntry[] = [];
    const rows = new Map<string, q.Registration>();
    let promote: number[] = [];
    for (const [state, regs] of byState) {
      const updated = await tx
        .update(registrations)
        .set({
          state,
          reason: input.reason ?? null,
          decidedBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system',
          decidedAt: ctx.now,
          updatedAt: ctx.now,
        })
        .where(
          inArray(
            registrations.id,
            regs.map((r) => r.id),
          ),
        )
        .returning();
      for (const after of updated) rows.set(after.id, after);
      for (const reg of regs)
        audits.push({
          action: `registration.${state === 'rejected' ? 'rejected' : state === 'waitlisted' ? 'waitlisted' : 'approved'}`,
          subjectType: 'registration',
          subjectId: reg.id,
          before: { state: reg.state },
          after: { state, reason: input.reason ?? null },
        });
    }
    // A focal point admitting people for their entity vouches for their affiliation with it.
    const vouched = new Map<number, string[]>();
    for (const [state, regs] of byState)
      for (const reg of regs)
        if (
          state !== 'rejected' &&
          reg.entityId != null &&
          ctx.actor.kind === 'person' &&
          ctx.actor.focalPointOf.includes(reg.entityId)
        )
          vouched.set(reg.entityId, [...(vouched.get(reg.entityId) ?? []), reg.personId]);
    for (const [entityId, personIds] of vouched)
      audits.push(
        ...(await verifyAffiliationsInTx(tx, ctx, [...new Set(personIds)], entityId, 'registration_approved')),
      );
    await auditMany(tx, { ...ctx, db: tx }, audits);
    const decided: q.Registration[] = [];
    for (const reg of locked) {
      const after = rows.get(reg.id);
      if (!after) continue;
      if (reg.state === 'approved' && after.state === 'rejected' && reg.mode === 'in_person') promote.push(reg.eventId);
      decided.push(after);
    }
    // One publication for them all: the report counters refresh the people decided in one statement.
    await publishEvents(
      tx,
      ctx.now,
      decided.map((r) => ({ type: 'registration.decided', data: registrationEventData(r) })),
    );
    const byPerson = new Map<string, q.Registration[]>();
    for (const r of decided) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
    await notifyDecisions(tx, ctx, [...byPerson.values()]);
    promote = [...new Set(promote)].sort((a, b) => a - b);
    for (const eventId of promote) await promoteNext(tx, ctx, eventId);
    return {
      results: ids.map((id) => {
        const r = results.get(id);
        if (r) return r;
        failures.push(new DomainError('registration_not_found', 404));
        return { id, ok: false, code: 'registration_not_found' };
      }),
      rows,
    };
  });
}

/** Gives a freed place to the first waiting request, if any. Takes the places lock. */
async function promoteNext(tx: Tx, ctx: Ctx, eventId: number) {
  await lockPlaces(tx, eventId);
  const { capacity, taken } = await placesOf(tx, eventId);
  if (capacity != null && taken >= capacity) return;
  const next = await q.firstWaitlisted(tx, eventId);
  if (!next) return;
  const [promoted] = await tx
    .update(registrations)
    .set({ state: transition(next.state, 'promote'), updatedAt: ctx.now })
    .where(eq(registrations.id, next.id))
    .returning();
  await notifyDecision(tx, ctx, [promoted]);
  await publishRegistration(tx, ctx, 'registration.decided', promoted);
  await audit(
    tx,
    { ...ctx, db: tx },
    {
      action: 'registration.promoted',
      subjectType: 'registration',
      subjectId: next.id,
      before: { state: 'waitlisted' },
      after: { state: 'approved' },
    },
  );
}

/** The participant (or the secretariat) withdraws a request; a freed place moves the waiting list up. */
export async function withdrawRegistration(ctx: WCtx, id: string): Promise<q.Registration> {
  return ctx.db.transaction(async (tx) => {
    const reg = await q.getForUpdate(tx, id);
    const me = ctx.actor.kind === 'person' ? ctx.actor : undefined;
    if (!reg || (me && reg.personId !== me.id && !can(ctx.actor, 'registration.review')))
      throw new DomainError('registration_not_found', 404);
    const state = transition(reg.state, 'withdraw');
    const [after] = await tx
      .update(registrations)
      .set({ state, updatedAt: ctx.now })
      .where(eq(registrations.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'registration.withdrawn',
        subjectType: 'registration',
        subjectId: id,
        before: { state: reg.state },
        after: { state },
      },
    );
    await publishRegistration(tx, ctx, 'registration.withdrawn', after);
    if (reg.state === 'approved' && reg.mode === 'in_person') await promoteNext(tx, ctx, reg.eventId);
    return after;
  });
}

export async function listMyRegistrations(ctx: Ctx) {
  return q.listFor(ctx.db, { personId: personOf(ctx).id });
}

/** A DFP's queue: requests from their own entities awaiting them. Staff with registration.review see the secretariat's. */
export async function listQueue(ctx: Ctx, f: q.QueueFilter = {}) {
  const me = personOf(ctx);
  const states = f.state ? [f.state] : undefined;
  if (can(ctx.actor, 'registration.review'))
    return q.listFor(ctx.db, { ...f, states: states ?? ['pending_secretariat', 'pending_dfp'] });
  if (!me.focalPointOf.length) throw new DomainError('forbidden', 403);
  // A DFP sees their entities' requests: by default those awaiting them, or any state they filter by.
  return q.listFor(ctx.db, { ...f, entityIds: [...me.focalPointOf], states: states ?? ['pending_dfp'] });
}

/** The queue with each applicant's name and address, for the focal point's page. */
export async function listQueueWithPeople(ctx: Ctx, f: q.QueueFilter = {}) {
  const queue = await listQueue(ctx, f);
  if (!queue.length) return [];
  const rows = await ctx.db
    .select()
    .from(people)
    .where(inArray(people.id, [...new Set(queue.map((r) => r.personId))]));
  const byId = new Map(rows.map((p) => [p.id, p]));
  return queue.map((reg) => ({ reg, person: byId.get(reg.personId)! }));
}

/** The secretariat sets an event's registration window, capacity and categories it decides. */
export async function setRegistrationSettings(ctx: WCtx, eventSlug: string, input: SettingsInput) {
  authorize(ctx, 'registration.review');
  const event = (await getEvents(ctx)).find((e) => e.slug === eventSlug);
  if (!event) throw new DomainError('event_not_found', 404, { slug: eventSlug });
  return ctx.db.transaction(async (tx) => {
    // Every approval at the event waits, and sees the capacity set here after (takePlaces).
    await tx.execute(
      sql`select pg_advisory_xact_lock(${SETTINGS_LOCK}, ${event.id}), pg_advisory_xact_lock(${CAPACITY_LOCK}, ${event.id})`,
    );
    const before = await q.getSettings(tx, event.id);
    const values = {
      eventId: event.id,
      opensAt: input.opensAt === undefined ? (before?.opensAt ?? null) : input.opensAt ? new Date(input.opensAt) : null,
      closesAt:
        input.closesAt === undefined ? (before?.closesAt ?? null) : input.closesAt ? new Date(input.closesAt) : null,
      capacity: input.capacity === undefined ? (before?.capacity ?? null) : input.capacity,
      secretariatCategories: input.secretariatCategories ?? before?.secretariatCategories ?? [],
      eligibleFunctions: input.eligibleFunctions ?? before?.eligibleFunctions ?? [],
      invitationOnly: input.invitationOnly ?? before?.invitationOnly ?? false,
      updatedAt: ctx.now,
    };
    // Registration closes when the event ends at the latest.
    const end = eventEndsAt(event.endDate);
    if (values.closesAt && values.closesAt > end)
      throw new DomainError('registration_closes_after_event', 400, { date: formatDateTime(ctx.locale, end) });
    const [after] = await tx
      .insert(registrationSettings)
      .values(values)
      .onConflictDoUpdate({ target: registrationSettings.eventId, set: values })
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'registration.settings_changed',
        subjectType: 'event',
        subjectId: event.slug,
        before: before ?? {},
        after,
      },
    );
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

/** Each event's registration window in force (set, and closing when the event ends at the latest). */
export async function registrationWindows(ctx: Ctx, list: { id: number; endDate: string }[]) {
  const rows = list.length
    ? await ctx.db
        .select()
        .from(registrationSettings)
        .where(
          inArray(
            registrationSettings.eventId,
            list.map((e) => e.id),
          ),
        )
    : [];
  return new Map(
    list.map((e) => [
      e.id,
      registrationWindow(
        rows.find((r) => r.eventId === e.id),
        e,
      ),
    ]),
  );
}

/** What a desk can filter by. */
export type DeskQuery = Omit<q.DeskFilter, 'states' | 'entityIds'> & { state?: RegistrationState; entityId?: number };

/**
 * The focal point's desk: one row per person, with their requests matching the filter. A DFP sees their entities'
 * requests (by default those awaiting them); staff with registration.review see every entity's (by default those
 * awaiting a decision).
 */
export async function deskQueue(ctx: Ctx, f: DeskQuery) {
  const me = personOf(ctx);
  const states: RegistrationState[] = f.state ? [f.state] : ['pending_dfp', 'pending_secretariat'];
  if (can(ctx.actor, 'registration.review'))
    return q.deskPage(ctx.db, { ...f, states, entityIds: f.entityId ? [f.entityId] : undefined });
  if (!me.focalPointOf.length) throw new DomainError('forbidden', 403);
  const mine = [...me.focalPointOf].filter((id) => !f.entityId || id === f.entityId);
  return q.deskPage(ctx.db, { ...f, states: f.state ? [f.state] : ['pending_dfp'], entityIds: mine });
}

/**
 * An entity's delegation to an event: the approved members (with `states`, others too), the head of delegation
 * first — the highest function in protocol order (head of State, minister, deputy minister…), then by name.
 */
export async function delegationOf(
  ctx: Ctx,
  entityId: number,
  eventId: number,
  states: RegistrationState[] = ['approved'],
) {
  if (!can(ctx.actor, 'registration.review')) authorize(ctx, 'entity.act', { entityId });
  const rows = await q.delegation(ctx.db, entityId, eventId, states);
  const rank = (fn: string) => {
    const i = (FUNCTIONS as readonly string[]).indexOf(fn);
    return i < 0 ? FUNCTIONS.length : i;
  };
  const byName = comparePeople(ctx.locale);
  return rows.sort(
    (a, b) =>
      Number(b.reg.state === 'approved') - Number(a.reg.state === 'approved') ||
      rank(a.reg.function) - rank(b.reg.function) ||
      byName(a.person, b.person),
  );
}

/**
 * Makes the registrations per event, entity, state and VIP category (`registration_tallies`, kept by triggers) again
 * from the registrations (the operator's `reports:rebuild`). Returns the counters made.
 */
export async function rebuildRegistrationTallies(tx: DbOrTx): Promise<number> {
  await tx.execute(sql`delete from registration_tallies`);
  await tx.execute(sql`
    insert into registration_tallies (event_id, entity_id, state, vip_category, n)
    select event_id, entity_id, state, coalesce(vip_category, ''), count(*)::int
    from registrations where entity_id is not null group by 1, 2, 3, 4`);
  return tx.$count(registrationTallies);
}
