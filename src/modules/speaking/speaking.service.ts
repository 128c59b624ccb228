/**
 * Speaking requests at the High-Level Track. A focal point (for their administration), another stakeholder (through
 * their own account, for their organization) or the secretariat (on an entity's behalf) submits one request per
 * entity per kind until the deadline; the secretariat reviews, assigns accepted speakers to sessions, orders them by
 * protocol (moving one by hand, with a reason) and exports the lists. Every change is audited in its transaction;
 * e-mails leave through the outbox.
 */
import { publishEvent } from '../../platform/domain-events.js';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { prepared } from '../../db/prepared.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { formatDateTime, formatTimeRange, formatDay, genevaDate } from '../../platform/i18n/format.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { authorize, can, isVerifiedMemberOf, personOf, verifiedEntityOf } from '../../platform/permissions.js';
import { translate } from '../../platform/i18n/messages.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { sessions } from '../programme/programme.schema.js';
import type { DecisionInput, EditInput, QueueQuery, SubmitInput } from './speaking.input.js';
import * as q from './speaking.queries.js';
import {
  checkEligible,
  checkSessionFits,
  DEFAULT_TIME_LIMIT,
  kindsFor,
  isBeforeDeadline,
  orderSpeakers,
  sessionTiming,
  transition,
  type Rank,
} from './speaking.rules.js';
import { speakingLatePermits, speakingRequests, speakingSessionSettings, speakingSettings } from './speaking.schema.js';
import { scheduleReminders } from './speaking.jobs.js';
import { latinName, titledName } from '../../platform/i18n/names.js';

type WCtx = Ctx & { db: Db };
type Entity = typeof entities.$inferSelect;
const base = (ctx: Ctx) => ctx.baseUrl ?? 'http://localhost:3000';

/** The event speaking requests are made for, with its settings. Throws `event_not_found`, `speaking_not_open`. */
export async function getSpeakingEvent(db: DbOrTx, slug: string) {
  const [event] = await db.select().from(events).where(eq(events.slug, slug));
  if (!event) throw new DomainError('event_not_found', 404, { slug });
  const settings = await q.getSettings(db, event.id);
  if (!settings) throw new DomainError('speaking_not_open', 404, { slug });
  return { event, settings };
}

async function getEntityRow(db: DbOrTx, id: number): Promise<Entity> {
  const [e] = await db.select().from(entities).where(eq(entities.id, id));
  if (!e || e.mergedInto != null) throw new DomainError('entity_not_found', 404);
  return e;
}

/**
 * May the actor act for this entity's speaking requests? The secretariat (speaking.review) for any; a focal point for
 * their own (recorded as "acting for"); a verified member of a stakeholder that is not a Member State for their own
 * organization (a claimed organisation grants nothing: `isVerifiedMemberOf`).
 */
function mayActFor(ctx: Ctx, entity: Pick<Entity, 'id' | 'kind'>): boolean {
  if (can(ctx.actor, 'speaking.review')) return true;
  if (can(ctx.actor, 'entity.act', { entityId: entity.id })) {
    authorize(ctx, 'entity.act', { entityId: entity.id });
    return true;
  }
  return entity.kind !== 'member_state' && isVerifiedMemberOf(ctx.actor, entity.id);
}

function authorizeFor(ctx: Ctx, entity: Entity) {
  if (!mayActFor(ctx, entity)) {
    if (ctx.actor.kind === 'anonymous') throw new DomainError('unauthenticated', 401);
    throw new DomainError('forbidden', 403);
  }
}

/** The entities whose requests the actor may act on, and sees on their own page and in the API alike. */
export async function entitiesOf(ctx: Ctx): Promise<number[]> {
  const me = personOf(ctx);
  const member = verifiedEntityOf(me);
  const ids = [...new Set([...me.focalPointOf, ...(member != null ? [member] : [])])];
  if (!ids.length) return [];
  const rows = await ctx.db
    .select({ id: entities.id, kind: entities.kind })
    .from(entities)
    .where(inArray(entities.id, ids));
  return rows.filter((e) => me.focalPointOf.includes(e.id) || mayActFor(ctx, e)).map((e) => e.id);
}

/** Open until the deadline, or later for an entity the secretariat let in. Returns whether the request is late. */
async function checkDeadline(tx: DbOrTx, ctx: Ctx, settings: q.SpeakingSettings, entityId: number): Promise<boolean> {
  if (isBeforeDeadline(ctx.now, settings.deadline)) return false;
  if (await q.hasLatePermit(tx, settings.eventId, entityId)) return true;
  throw new DomainError('deadline_passed', 409, {
    deadline: `${formatDateTime(ctx.locale, settings.deadline)}${translate(ctx.locale, 'list.separator')}${translate(ctx.locale, 'speaking.geneva_time')}`,
  });
}

type SpeakerFields = Pick<
  q.SpeakingRequest,
  | 'speakerPersonId'
  | 'honorific'
  | 'givenName'
  | 'familyName'
  | 'givenNameLatin'
  | 'familyNameLatin'
  | 'title'
  | 'rank'
  | 'speakerEmail'
  | 'speakerLocale'
>;

/** The speaker: an existing person of the entity (their details, unless typed), or the details typed in. */
async function resolveSpeaker(tx: DbOrTx, entity: Entity, input: EditInput): Promise<SpeakerFields> {
  if (input.speakerPersonId) {
    const [p] = await tx.select().from(people).where(eq(people.id, input.speakerPersonId));
    if (!p || p.erasedAt) throw new DomainError('person_not_found', 404);
    if (p.entityId !== entity.id) throw new DomainError('speaker_other_entity', 409);
    return {
      speakerPersonId: p.id,
      honorific: input.honorific || p.honorific,
      givenName: input.givenName || p.givenName,
      familyName: input.familyName || p.familyName,
      givenNameLatin: input.givenNameLatin || p.givenNameLatin,
      familyNameLatin: input.familyNameLatin || p.familyNameLatin,
      title: input.title || p.jobTitle,
      rank: input.rank,
      speakerEmail: input.speakerEmail ?? p.email,
      speakerLocale: p.preferredLocale,
    };
  }
  if (!input.givenName && !input.familyName) throw new DomainError('speaker_required', 400);
  return {
    speakerPersonId: null,
    honorific: input.honorific,
    givenName: input.givenName,
    familyName: input.familyName,
    givenNameLatin: input.givenNameLatin,
    familyNameLatin: input.familyNameLatin,
    title: input.title,
    rank: input.rank,
    speakerEmail: input.speakerEmail ?? null,
    speakerLocale: input.speakerLocale,
  };
}

/**
 * Submits a request. Throws `deadline_passed`, `speaking_request_exists` (one live request per entity per kind, also
 * under concurrent submits), `speaking_kind_not_allowed`, `speaking_rank_not_allowed`, `speaker_other_entity`.
 */
export async function submitSpeakingRequest(
  ctx: WCtx,
  eventSlug: string,
  input: SubmitInput,
): Promise<q.SpeakingRequest> {
  personOf(ctx);
  // The event, its settings and the entity: one prepared statement, before the transaction (reads only).
  const [found] = await submitContext(ctx.db).execute({ slug: eventSlug, entityId: input.entityId });
  if (!found) throw new DomainError('event_not_found', 404, { slug: eventSlug });
  const { event, settings, entity } = found;
  if (!settings) throw new DomainError('speaking_not_open', 404, { slug: eventSlug });
  if (!entity || entity.mergedInto != null) throw new DomainError('entity_not_found', 404);
  authorizeFor(ctx, entity);
  return ctx.db.transaction(async (tx) => {
    const speaker = await resolveSpeaker(tx, entity, input);
    checkEligible(entity.kind, input.kind, speaker.rank);
    const late = await checkDeadline(tx, ctx, settings, entity.id);
    const [row] = await tx
      .insert(speakingRequests)
      .values({
        eventId: event.id,
        entityId: entity.id,
        kind: input.kind,
        state: 'submitted',
        ...speaker,
        preferredDay: input.preferredDay ?? null,
        language: input.language,
        abstract: input.abstract,
        late,
        submittedBy: personOf(ctx).id,
        submittedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const existing = await q.getLive(tx, event.id, entity.id, input.kind);
      throw new DomainError('speaking_request_exists', 409, { id: existing?.id ?? '' });
    }
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: late ? 'speaking.submitted_late' : 'speaking.submitted',
        subjectType: 'speaking_request',
        subjectId: row.id,
        after: { event: event.slug, entity: entity.id, kind: row.kind, rank: row.rank, language: row.language, late },
      },
    );
    await publishSpeaking(tx, ctx, 'speaking_request.submitted', row);
    return row;
  });
}

/** A submit's event (by slug), with its speaking settings and the entity asked for (by id), if they exist. */
const submitContext = (db: DbOrTx) =>
  prepared(db, 'speaking_submit_context', (d) =>
    d
      .select({ event: events, settings: speakingSettings, entity: entities })
      .from(events)
      .leftJoin(speakingSettings, eq(speakingSettings.eventId, events.id))
      .leftJoin(entities, eq(entities.id, sql.placeholder('entityId')))
      .where(eq(events.slug, sql.placeholder('slug')))
      .prepare('speaking_submit_context'),
  );

/** The webhooks' view of a speaking request: ids, kind and state (a subscriber reads the rest through the API). */
function publishSpeaking(tx: DbOrTx, ctx: Ctx, type: string, r: q.SpeakingRequest) {
  return publishEvent(tx, ctx.now, type, {
    speakingRequestId: r.id,
    eventId: r.eventId,
    entityId: r.entityId,
    kind: r.kind,
    state: r.state,
    sessionId: r.sessionId,
  });
}

/** Loads a request the actor may act on; another entity's request is not found. */
async function loadForUpdate(tx: DbOrTx, ctx: Ctx, id: string) {
  const reg = await q.getForUpdate(tx, id);
  if (!reg) throw new DomainError('speaking_request_not_found', 404);
  const entity = await getEntityRow(tx, reg.entityId);
  if (!mayActFor(ctx, entity)) throw new DomainError('speaking_request_not_found', 404);
  return { reg, entity };
}

/** Changes a request until the deadline. Throws `deadline_passed`, `speaking_request_not_editable`. */
export async function editSpeakingRequest(ctx: WCtx, id: string, input: EditInput): Promise<q.SpeakingRequest> {
  personOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { reg, entity } = await loadForUpdate(tx, ctx, id);
    if (reg.state !== 'submitted' && reg.state !== 'waitlisted')
      throw new DomainError('speaking_request_not_editable', 409, { state: reg.state });
    const settings = (await q.getSettings(tx, reg.eventId))!;
    if (!can(ctx.actor, 'speaking.review')) await checkDeadline(tx, ctx, settings, entity.id);
    const speaker = await resolveSpeaker(tx, entity, input);
    checkEligible(entity.kind, reg.kind, speaker.rank);
    const next = {
      ...speaker,
      preferredDay: input.preferredDay ?? null,
      language: input.language,
      abstract: input.abstract,
    };
    const [after] = await tx
      .update(speakingRequests)
      .set({ ...next, updatedAt: ctx.now })
      .where(eq(speakingRequests.id, id))
      .returning();
    const keys = Object.keys(next) as (keyof typeof next)[];
    const changed = keys.filter((k) => next[k] !== reg[k]);
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'speaking.edited',
        subjectType: 'speaking_request',
        subjectId: id,
        before: Object.fromEntries(changed.map((k) => [k, reg[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    );
    return after;
  });
}

/** The requester (or the secretariat) withdraws; the entity may then ask again for that kind. */
export async function withdrawSpeakingRequest(ctx: WCtx, id: string): Promise<q.SpeakingRequest> {
  personOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const { reg } = await loadForUpdate(tx, ctx, id);
    const state = transition(reg.state, 'withdraw');
    const [after] = await tx
      .update(speakingRequests)
      .set({ state, sessionId: null, manualPosition: null, updatedAt: ctx.now })
      .where(eq(speakingRequests.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'speaking.withdrawn',
        subjectType: 'speaking_request',
        subjectId: id,
        before: { state: reg.state },
        after: { state },
      },
    );
    if (reg.sessionId != null) await bumpContentVersion(tx);
    return after;
  });
}

export { latinName };

/** Tells the requester and the speaker, each in their language. */
async function notify(tx: DbOrTx, ctx: Ctx, r: q.SpeakingRequest, template: 'speaking_decision' | 'speaking_assigned') {
  const recipients = new Map<string, Locale>();
  const [requester] = await tx.select().from(people).where(eq(people.id, r.submittedBy));
  if (requester?.email) recipients.set(requester.email, requester.preferredLocale as Locale);
  if (r.speakerEmail && !recipients.has(r.speakerEmail)) recipients.set(r.speakerEmail, r.speakerLocale as Locale);
  if (!recipients.size) return;
  const [event] = await tx.select().from(events).where(eq(events.id, r.eventId));
  const [session] = r.sessionId != null ? await tx.select().from(sessions).where(eq(sessions.id, r.sessionId)) : [];
  for (const [to, locale] of recipients) {
    const kind = translate(locale, `speaking.kind.${r.kind}`);
    const params: Record<string, string> = {
      speaker: titledName(r, locale),
      event: text(event?.name, locale),
      kind,
      state: r.state,
      reason: r.reason ?? '',
      link: `${base(ctx)}/${locale}/speaking`,
    };
    if (template === 'speaking_assigned') {
      if (!session) return;
      params.session = text(session.title, locale);
      params.when = `${formatDay(locale, genevaDate(session.startsAt))}${translate(locale, 'list.separator')}${formatTimeRange(locale, session.startsAt, session.endsAt)}`;
      params.link = `${base(ctx)}/${locale}/sessions/${session.code}`;
    }
    await enqueueMail(tx, ctx.now, { to, locale, template, params });
  }
}

/** Accepts, declines (with a reason) or waitlists. Throws `speaking_transition_invalid`, `reason_required`. */
export async function decideSpeakingRequest(ctx: WCtx, id: string, input: DecisionInput): Promise<q.SpeakingRequest> {
  authorize(ctx, 'speaking.review');
  if (input.decision === 'decline' && !input.reason) throw new DomainError('reason_required', 400);
  return ctx.db.transaction(async (tx) => {
    const reg = await q.getForUpdate(tx, id);
    if (!reg) throw new DomainError('speaking_request_not_found', 404);
    const state = transition(reg.state, input.decision);
    const leaves = state !== 'accepted';
    const [after] = await tx
      .update(speakingRequests)
      .set({
        state,
        reason: input.reason ?? null,
        decidedBy: personOf(ctx).id,
        decidedAt: ctx.now,
        updatedAt: ctx.now,
        ...(leaves ? { sessionId: null, manualPosition: null, moveReason: null } : {}),
      })
      .where(eq(speakingRequests.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: `speaking.${state}`,
        subjectType: 'speaking_request',
        subjectId: id,
        before: { state: reg.state },
        after: { state, reason: after.reason },
      },
    );
    if (reg.sessionId != null) await bumpContentVersion(tx);
    await publishSpeaking(tx, ctx, 'speaking_request.decided', after);
    await notify(tx, ctx, after, 'speaking_decision');
    return after;
  });
}

/** The event and the events nested in it (as the programme models the High-Level Track), each with its kind. */
async function eventTree(db: DbOrTx, eventId: number): Promise<Map<number, string>> {
  const all = await db.select({ id: events.id, parentId: events.parentId, kind: events.kind }).from(events);
  const within = new Map<number, string>();
  const root = all.find((e) => e.id === eventId);
  if (root) within.set(root.id, root.kind);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of all)
      if (e.parentId != null && within.has(e.parentId) && !within.has(e.id)) {
        within.set(e.id, e.kind);
        grew = true;
      }
  }
  return within;
}

/**
 * Puts an accepted speaker into a session that fits the request (or takes them out with `null`): a session of the
 * request's event or of an event nested in it (`session_not_in_event`) that takes the request's kind
 * (`speaking_session_mismatch`, see `kindsFor`).
 */
export async function assignSpeakingRequest(
  ctx: WCtx,
  id: string,
  sessionCode: string | null,
): Promise<q.SpeakingRequest> {
  authorize(ctx, 'speaking.review');
  return ctx.db.transaction(async (tx) => {
    const reg = await q.getForUpdate(tx, id);
    if (!reg) throw new DomainError('speaking_request_not_found', 404);
    if (reg.state !== 'accepted') throw new DomainError('speaking_request_not_accepted', 409);
    let sessionId: number | null = null;
    if (sessionCode) {
      const s = await q.getSessionByCode(tx, sessionCode);
      if (!s) throw new DomainError('session_not_found', 404, { code: sessionCode });
      const eventKind = (await eventTree(tx, reg.eventId)).get(s.eventId);
      if (eventKind === undefined) throw new DomainError('session_not_in_event', 409, { code: sessionCode });
      checkSessionFits(
        reg.kind,
        { format: s.format, eventKind },
        { code: sessionCode, kind: reg.kind, kindName: translate(ctx.locale, `speaking.kind.${reg.kind}`) },
      );
      sessionId = s.id;
    }
    const [after] = await tx
      .update(speakingRequests)
      .set({ sessionId, manualPosition: null, moveReason: null, updatedAt: ctx.now })
      .where(eq(speakingRequests.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'speaking.assigned',
        subjectType: 'speaking_request',
        subjectId: id,
        before: { sessionId: reg.sessionId },
        after: { sessionId, session: sessionCode },
      },
    );
    await bumpContentVersion(tx);
    await publishSpeaking(tx, ctx, 'speaking_request.assigned', after);
    if (sessionId != null && sessionId !== reg.sessionId) await notify(tx, ctx, after, 'speaking_assigned');
    return after;
  });
}

/** Moves a speaker to a place in their session's list, by hand, with a reason (audited). */
export async function moveSpeaker(ctx: WCtx, id: string, position: number, reason: string): Promise<q.SpeakingRequest> {
  authorize(ctx, 'speaking.review');
  return ctx.db.transaction(async (tx) => {
    const reg = await q.getForUpdate(tx, id);
    if (!reg) throw new DomainError('speaking_request_not_found', 404);
    if (reg.state !== 'accepted' || reg.sessionId == null) throw new DomainError('speaking_request_not_assigned', 409);
    const before =
      orderSpeakers((await q.list(tx, { sessionId: reg.sessionId, state: 'accepted' })).map((x) => x.r)).findIndex(
        (x) => x.id === id,
      ) + 1;
    const [after] = await tx
      .update(speakingRequests)
      .set({ manualPosition: position, moveReason: reason, updatedAt: ctx.now })
      .where(eq(speakingRequests.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'speaking.moved',
        subjectType: 'speaking_request',
        subjectId: id,
        before: { position: before },
        after: { position },
        data: { reason },
      },
    );
    await bumpContentVersion(tx);
    return after;
  });
}

/** The time for each statement in a session (seconds). */
export async function setSessionTimeLimit(ctx: WCtx, code: string, seconds: number) {
  authorize(ctx, 'speaking.review');
  return ctx.db.transaction(async (tx) => {
    const s = await q.getSessionByCode(tx, code);
    if (!s) throw new DomainError('session_not_found', 404, { code });
    const before = await q.getSessionTimeLimit(tx, s.id);
    const values = { sessionId: s.id, timeLimit: seconds, updatedAt: ctx.now };
    await tx
      .insert(speakingSessionSettings)
      .values(values)
      .onConflictDoUpdate({ target: speakingSessionSettings.sessionId, set: values });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'speaking.time_limit_set',
        subjectType: 'session',
        subjectId: code,
        before: { timeLimit: before ?? null },
        after: { timeLimit: seconds },
      },
    );
  });
}

/** Moves the deadline of an event and schedules its reminders (14 and 3 days before, each sent once). */
export async function setSpeakingDeadline(ctx: WCtx, eventSlug: string, deadline: Date) {
  authorize(ctx, 'speaking.review');
  return ctx.db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.slug, eventSlug));
    if (!event) throw new DomainError('event_not_found', 404, { slug: eventSlug });
    const before = await q.getSettings(tx, event.id);
    const values = {
      eventId: event.id,
      deadline,
      defaultTimeLimit: before?.defaultTimeLimit ?? DEFAULT_TIME_LIMIT,
      updatedAt: ctx.now,
    };
    const [after] = await tx
      .insert(speakingSettings)
      .values(values)
      .onConflictDoUpdate({ target: speakingSettings.eventId, set: values })
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'speaking.deadline_set',
        subjectType: 'event',
        subjectId: eventSlug,
        before: { deadline: before?.deadline ?? null },
        after: { deadline },
      },
    );
    await scheduleReminders(tx, ctx.now, event.id, deadline);
    return after;
  });
}

/** Lets one entity submit or edit after the deadline (audited). */
export async function grantLatePermit(ctx: WCtx, eventSlug: string, entityId: number, reason: string) {
  authorize(ctx, 'speaking.review');
  return ctx.db.transaction(async (tx) => {
    const { event } = await getSpeakingEvent(tx, eventSlug);
    const entity = await getEntityRow(tx, entityId);
    await tx
      .insert(speakingLatePermits)
      .values({ eventId: event.id, entityId: entity.id, grantedBy: personOf(ctx).id, grantedAt: ctx.now, reason })
      .onConflictDoNothing();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'speaking.late_permitted',
        subjectType: 'entity',
        subjectId: entity.id,
        after: { event: event.slug },
        data: { reason },
      },
    );
  });
}

/** The actor's own entities' requests. */
export async function listMySpeakingRequests(ctx: Ctx, eventSlug: string) {
  const { event } = await getSpeakingEvent(ctx.db, eventSlug);
  return q.list(ctx.db, { eventId: event.id, entityIds: await entitiesOf(ctx) });
}

/** The secretariat's queue, filtered by kind, region (ITU), rank and state. */
export async function listSpeakingQueue(ctx: Ctx, eventSlug: string, f: QueueQuery = {}) {
  authorize(ctx, 'speaking.review');
  const { event } = await getSpeakingEvent(ctx.db, eventSlug);
  return q.list(ctx.db, { eventId: event.id, ...f });
}

/** The entities the actor may submit for, and the people of each (to pick a speaker). */
export async function speakingEntitiesOf(ctx: Ctx) {
  // The secretariat submits on any entity's behalf (typing the speaker's details).
  if (can(ctx.actor, 'speaking.review')) {
    const all = await ctx.db.select().from(entities).where(isNull(entities.mergedInto));
    const own = new Set(await entitiesOf(ctx));
    const ppl = own.size
      ? await ctx.db
          .select()
          .from(people)
          .where(inArray(people.entityId, [...own]))
      : [];
    return all
      .map((e) => ({ entity: e, people: ppl.filter((p) => p.entityId === e.id && !p.erasedAt) }))
      .sort((a, b) => text(a.entity.name, ctx.locale).localeCompare(text(b.entity.name, ctx.locale), ctx.locale));
  }
  const ids = await entitiesOf(ctx);
  if (!ids.length) return [];
  const rows = await ctx.db.select().from(entities).where(inArray(entities.id, ids));
  const ppl = await ctx.db
    .select()
    .from(people)
    .where(and(inArray(people.entityId, ids)));
  return rows
    .filter((e) => mayActFor(ctx, e))
    .map((e) => ({ entity: e, people: ppl.filter((p) => p.entityId === e.id && !p.erasedAt) }));
}

export type ListedSpeaker = q.RequestWithEntity & { position: number };

/** A session's speakers' list in order, with its time limit and whether the statements overrun the session. */
export async function getSpeakersList(ctx: Ctx, code: string) {
  authorize(ctx, 'speaking.review');
  const s = await q.getSessionByCode(ctx.db, code);
  if (!s) throw new DomainError('session_not_found', 404, { code });
  const rows = await q.list(ctx.db, { sessionId: s.id, state: 'accepted' });
  const ordered = orderSpeakers(rows.map((x) => ({ ...x.r, x }))).map((o, i) => ({ ...o.x, position: i + 1 }));
  const [event] = await ctx.db.select().from(events).where(eq(events.id, s.eventId));
  const limit = (await q.getSessionTimeLimit(ctx.db, s.id)) ?? (await eventDefaultLimit(ctx.db, s.eventId));
  return {
    session: s,
    event,
    timeLimit: limit,
    speakers: ordered,
    timing: sessionTiming(ordered.length, limit, s.startsAt, s.endsAt),
  };
}

async function eventDefaultLimit(db: DbOrTx, eventId: number): Promise<number> {
  // The session's own event, else the nearest parent with speaking settings.
  let id: number | null = eventId;
  while (id != null) {
    const st = await q.getSettings(db, id);
    if (st) return st.defaultTimeLimit;
    const [e] = await db.select({ parentId: events.parentId }).from(events).where(eq(events.id, id));
    id = e?.parentId ?? null;
  }
  return DEFAULT_TIME_LIMIT;
}

/** The language a title is most likely written in, from its script (Latin-script titles count as English). */
const scriptLocale = (s: string): Locale =>
  /[\u0600-\u06ff]/.test(s) ? 'ar' : /[\u3400-\u9fff]/.test(s) ? 'zh' : /[\u0400-\u04ff]/.test(s) ? 'ru' : 'en';

/** For the programme: accepted speakers of these sessions in order, shaped like the programme's speakers. */
export async function acceptedSpeakers(db: DbOrTx, sessionIds: number[]) {
  const rows = await q.acceptedIn(db, sessionIds);
  const out = new Map<
    number,
    {
      sessionId: number;
      position: number;
      name: string;
      nameLatin: string | null;
      role: Localized;
      organization: string;
      country: string | null;
    }[]
  >();
  for (const sid of new Set(rows.map((r) => r.r.sessionId!))) {
    const ordered = orderSpeakers(rows.filter((r) => r.r.sessionId === sid).map((x) => ({ ...x.r, x })));
    out.set(
      sid,
      ordered.map((o, i) => ({
        sessionId: sid,
        position: 1000 + i,
        name: titledName(o, 'en'),
        nameLatin: latinName(o) || null,
        role: o.title ? { [scriptLocale(o.title)]: o.title } : {},
        organization: o.x.entity.kind === 'member_state' ? '' : text(o.x.entity.name, 'en'),
        country: o.x.entity.kind === 'member_state' ? o.x.entity.code : null,
      })),
    );
  }
  return out;
}

export type { Rank };

/**
 * The sessions of the event and of the events nested in it, in time order, to assign speakers to; each with the
 * kinds of request it takes (`kindsFor`: none for a ceremony).
 */
export async function listTrackSessions(ctx: Ctx, eventSlug: string) {
  const { event } = await getSpeakingEvent(ctx.db, eventSlug);
  const tree = await eventTree(ctx.db, event.id);
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(inArray(sessions.eventId, [...tree.keys()]))
    .orderBy(sessions.startsAt, sessions.code);
  return rows.map((s) => ({ ...s, kinds: kindsFor({ format: s.format, eventKind: tree.get(s.eventId)! }) }));
}

/** Entities for the secretariat's late-permit form: those with a focal point or a request. */
export async function listEntitiesForPermits(ctx: Ctx) {
  authorize(ctx, 'speaking.review');
  return ctx.db
    .select({ id: entities.id, name: entities.name, kind: entities.kind })
    .from(entities)
    .where(eq(entities.kind, 'member_state'))
    .orderBy(entities.code);
}
