/**
 * Visa-support letters. A participant with an in-person registration asks for one (passport details, where the visa
 * will be requested); the secretariat issues it — a numbered PDF in English or French, stored and sent by e-mail — and
 * can send it again. Swiss visas take up to three weeks: a request made fewer than 21 days before the event says so.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { countryName, formatDateRange, genevaDate } from '../../platform/i18n/format.js';
import { humanIssues } from '../../platform/i18n/validation.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { greeting } from '../../platform/i18n/names.js';
import { text } from '../../platform/i18n/localized.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { authorize, can, personOf } from '../../platform/permissions.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { plausibleVisa, type VisaInput } from './registration.input.js';
import { registrationSettings, registrations, visaRequests } from './registration.schema.js';
import { assertOpen, registrationWindow } from './registration.window.js';
import { renderVisaLetter } from './registration.visa-letter.js';

/** Swiss representations may take up to three weeks to issue a Schengen visa. */
export const VISA_LEAD_DAYS = 21;
export type VisaRequest = typeof visaRequests.$inferSelect;
type WCtx = Ctx & { db: Db };

/** Whole days from `now` (a Geneva calendar day) to the event's first day; 0 once it has begun, never negative. */
export function daysBefore(now: Date, eventStart: string): number {
  const d = Math.round(
    (Date.parse(`${eventStart}T00:00:00Z`) - Date.parse(`${genevaDate(now)}T00:00:00Z`)) / 86_400_000,
  );
  return Math.max(0, d);
}

const LIVE = ['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'] as const;

/**
 * A trip: the person's live in-person registrations, earliest event first, with the visa request that covers them
 * (one letter per trip, whichever of the registrations it was asked from).
 */
export async function visaTrip(db: DbOrTx, personId: string) {
  const regs = await db
    .select({ reg: registrations, event: events })
    .from(registrations)
    .innerJoin(events, eq(registrations.eventId, events.id))
    .where(
      and(
        eq(registrations.personId, personId),
        eq(registrations.mode, 'in_person'),
        inArray(registrations.state, [...LIVE]),
      ),
    )
    .orderBy(asc(events.startDate), asc(events.id));
  const [request] = await db
    .select({ v: visaRequests })
    .from(visaRequests)
    .innerJoin(registrations, eq(visaRequests.registrationId, registrations.id))
    .where(eq(registrations.personId, personId))
    .orderBy(asc(visaRequests.id))
    .limit(1);
  return { registrations: regs, request: request?.v };
}

/** The letter's reference: `WSIS26/VISA/000042`. */
export const visaReference = (id: number) => `WSIS26/VISA/${String(id).padStart(6, '0')}`;

/**
 * The participant asks for the letter of their trip from one of their live in-person registrations (or updates the
 * details while it is not issued): one request per person covers every in-person event. Visa requests follow the
 * registration window of the event asked from. Returns the request and the days left before the trip's first event,
 * with `late` when fewer than 21 remain. Throws `registration_not_found`, `visa_needs_in_person`,
 * `visa_already_issued`, `registration_closed`.
 */
export async function requestVisaLetter(ctx: WCtx, registrationId: string, input: VisaInput) {
  const me = personOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const [reg] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for('update');
    if (!reg || (reg.personId !== me.id && !can(ctx.actor, 'registration.review')))
      throw new DomainError('registration_not_found', 404);
    if (!(LIVE as readonly string[]).includes(reg.state))
      throw new DomainError('registration_transition_invalid', 409, { from: reg.state, action: 'visa' });
    if (reg.mode !== 'in_person') throw new DomainError('visa_needs_in_person', 409);
    // One request per trip: the person's row serialises two requests made at once from two registrations.
    await tx.select({ id: people.id }).from(people).where(eq(people.id, reg.personId)).for('update');
    const [event] = await tx.select().from(events).where(eq(events.id, reg.eventId));
    const [settings] = await tx
      .select()
      .from(registrationSettings)
      .where(eq(registrationSettings.eventId, reg.eventId));
    assertOpen(registrationWindow(settings, event), ctx.now, ctx.locale, text(event.name, ctx.locale), event.slug);
    const trip = await visaTrip(tx, reg.personId);
    const existing = trip.request;
    if (existing?.state === 'issued')
      throw new DomainError('visa_already_issued', 409, { reference: existing.reference ?? '' });
    const days = daysBefore(ctx.now, trip.registrations[0]?.event.startDate ?? event.startDate);
    // The dates must be plausible for this trip; each refusal is a field's message from the one error map.
    const tripDays = {
      today: genevaDate(ctx.now),
      firstDay: trip.registrations[0]?.event.startDate ?? event.startDate,
      lastDay: trip.registrations.reduce((d, r) => (r.event.endDate > d ? r.event.endDate : d), event.endDate),
    };
    const wrong = humanIssues(
      plausibleVisa(tripDays, (iso) => formatDateRange(ctx.locale, iso, iso)),
      input,
      ctx.locale,
    );
    if (wrong.length) throw new DomainError('invalid_input', 400, {}, wrong);
    const values = {
      ...input,
      passportExpiry: input.passportExpiry ?? null,
      updatedAt: ctx.now,
    };
    const [row] = existing
      ? await tx.update(visaRequests).set(values).where(eq(visaRequests.id, existing.id)).returning()
      : await tx
          .insert(visaRequests)
          .values({ ...values, registrationId: reg.id, requestedAt: ctx.now })
          .returning();
    // Passport details are personal data: the audit keeps which fields changed, not their values.
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: existing ? 'visa.updated' : 'visa.requested',
        subjectType: 'registration',
        subjectId: row.registrationId,
        after: { visaRequest: row.id, daysBefore: days },
      },
    );
    return { request: row, daysBefore: days, late: days < VISA_LEAD_DAYS };
  });
}

/** The visa request of each of the person's registrations. */
export async function myVisaRequests(ctx: Ctx): Promise<Map<string, VisaRequest>> {
  const rows = await ctx.db
    .select({ v: visaRequests })
    .from(visaRequests)
    .innerJoin(registrations, eq(visaRequests.registrationId, registrations.id))
    .where(eq(registrations.personId, personOf(ctx).id));
  return new Map(rows.map((r) => [r.v.registrationId, r.v]));
}

/** The secretariat's list: letters to issue first, then issued ones. */
export async function listVisaRequests(ctx: Ctx, f: { state?: 'requested' | 'issued' } = {}) {
  authorize(ctx, 'registration.review');
  return ctx.db
    .select({
      v: visaRequests,
      reg: registrations,
      person: { id: people.id, givenName: people.givenName, familyName: people.familyName, email: people.email },
    })
    .from(visaRequests)
    .innerJoin(registrations, eq(visaRequests.registrationId, registrations.id))
    .innerJoin(people, eq(registrations.personId, people.id))
    .where(f.state ? eq(visaRequests.state, f.state) : undefined)
    .orderBy(asc(visaRequests.state), asc(visaRequests.requestedAt));
}

/** The people among these whose trip has an approved in-person event: their letter can be issued. */
export async function peopleWithApprovedTrip(ctx: Ctx, personIds: string[]): Promise<Set<string>> {
  if (!personIds.length) return new Set();
  const rows = await ctx.db
    .selectDistinct({ personId: registrations.personId })
    .from(registrations)
    .where(
      and(
        inArray(registrations.personId, personIds),
        eq(registrations.mode, 'in_person'),
        eq(registrations.state, 'approved'),
      ),
    );
  return new Set(rows.map((r) => r.personId));
}

/**
 * Issues the letter: a reference, the PDF (stored), and an e-mail to the participant with it attached.
 * Only for an approved registration. Throws `visa_request_not_found`, `registration_not_approved`, `visa_already_issued`.
 */
export async function issueVisaLetter(ctx: WCtx, id: number): Promise<VisaRequest> {
  authorize(ctx, 'registration.review');
  return ctx.db.transaction(async (tx) => {
    const [v] = await tx.select().from(visaRequests).where(eq(visaRequests.id, id)).for('update');
    if (!v) throw new DomainError('visa_request_not_found', 404);
    if (v.state === 'issued') throw new DomainError('visa_already_issued', 409, { reference: v.reference ?? '' });
    const [reg] = await tx.select().from(registrations).where(eq(registrations.id, v.registrationId));
    // The letter covers the trip: it can be issued once any of its in-person events is approved.
    const trip = await visaTrip(tx, reg.personId);
    if (!trip.registrations.some((r) => r.reg.state === 'approved'))
      throw new DomainError('registration_not_approved', 409);
    const reference = visaReference(v.id);
    const pdf = await renderLetter(tx as unknown as Db, { ...v, reference, issuedAt: ctx.now });
    const [after] = await tx
      .update(visaRequests)
      .set({
        state: 'issued',
        reference,
        pdf,
        issuedAt: ctx.now,
        issuedBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system',
        sentCount: 1,
        updatedAt: ctx.now,
      })
      .where(eq(visaRequests.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'visa.issued',
        subjectType: 'registration',
        subjectId: v.registrationId,
        before: { state: 'requested' },
        after: { state: 'issued', reference },
      },
    );
    await mailLetter(tx as unknown as Db, ctx, after, reg.personId);
    return after;
  });
}

/** Sends the issued letter again (a lost e-mail, a new address). Throws `visa_not_issued`. */
export async function resendVisaLetter(ctx: WCtx, id: number): Promise<VisaRequest> {
  authorize(ctx, 'registration.review');
  return ctx.db.transaction(async (tx) => {
    const [v] = await tx.select().from(visaRequests).where(eq(visaRequests.id, id)).for('update');
    if (!v) throw new DomainError('visa_request_not_found', 404);
    if (v.state !== 'issued' || !v.pdf) throw new DomainError('visa_not_issued', 409);
    const [after] = await tx
      .update(visaRequests)
      .set({ sentCount: v.sentCount + 1, updatedAt: ctx.now })
      .where(eq(visaRequests.id, id))
      .returning();
    const [reg] = await tx
      .select({ personId: registrations.personId })
      .from(registrations)
      .where(eq(registrations.id, v.registrationId));
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'visa.resent',
        subjectType: 'registration',
        subjectId: v.registrationId,
        after: { reference: v.reference, sentCount: after.sentCount },
      },
    );
    await mailLetter(tx as unknown as Db, ctx, after, reg.personId);
    return after;
  });
}

/** The issued PDF, for its participant and the secretariat. */
export async function visaLetterPdf(ctx: Ctx, id: number): Promise<{ pdf: Buffer; reference: string }> {
  const me = personOf(ctx);
  const [row] = await ctx.db
    .select({ v: visaRequests, personId: registrations.personId })
    .from(visaRequests)
    .innerJoin(registrations, eq(visaRequests.registrationId, registrations.id))
    .where(eq(visaRequests.id, id));
  if (!row || (row.personId !== me.id && !can(ctx.actor, 'registration.review')))
    throw new DomainError('visa_request_not_found', 404);
  if (!row.v.pdf || !row.v.reference) throw new DomainError('visa_not_issued', 409);
  return { pdf: row.v.pdf, reference: row.v.reference };
}

async function renderLetter(db: Db, v: VisaRequest & { reference: string; issuedAt: Date }): Promise<Buffer> {
  const [row] = await db
    .select({ reg: registrations, event: events, entityName: entities.name })
    .from(registrations)
    .innerJoin(events, eq(registrations.eventId, events.id))
    .leftJoin(entities, eq(registrations.entityId, entities.id))
    .where(eq(registrations.id, v.registrationId));
  // Every in-person event the person is registered for goes in one letter.
  const all = await db
    .select({ event: events })
    .from(registrations)
    .innerJoin(events, eq(registrations.eventId, events.id))
    .where(
      and(
        eq(registrations.personId, row.reg.personId),
        eq(registrations.mode, 'in_person'),
        inArray(registrations.state, ['approved']),
      ),
    )
    .orderBy(asc(events.startDate));
  const locale = v.letterLocale as Locale;
  const list = all.length ? all.map((a) => a.event) : [row.event];
  return renderVisaLetter({
    reference: v.reference,
    issuedOn: v.issuedAt,
    locale: v.letterLocale,
    passportName: v.passportName,
    nationality: countryName(locale, v.nationality),
    dateOfBirth: v.dateOfBirth,
    passportNumber: v.passportNumber,
    passportExpiry: v.passportExpiry ?? undefined,
    visaPlace: v.visaPlace,
    entityName: row.entityName ? text(row.entityName, locale) : undefined,
    events: list.map((e) => ({ name: text(e.name, locale), dates: formatDateRange(locale, e.startDate, e.endDate) })),
    venue: locale === 'fr' ? 'Palexpo, Genève, Suisse' : 'Palexpo, Geneva, Switzerland',
    signatory: {
      name: locale === 'fr' ? 'Le Secrétariat' : 'The Secretariat',
      title:
        locale === 'fr'
          ? 'Secrétariat du Forum du SMSI 2026, Union internationale des télécommunications'
          : 'WSIS Forum 2026 Secretariat, International Telecommunication Union',
    },
  });
}

async function mailLetter(tx: Db, ctx: Ctx, v: VisaRequest, personId: string) {
  const [p] = await tx.select().from(people).where(eq(people.id, personId));
  if (!p?.email || !v.pdf || !v.reference) return;
  const locale = p.preferredLocale as Locale;
  await enqueueMail(tx, ctx.now, {
    to: p.email,
    locale,
    template: 'visa_letter',
    params: {
      greeting: greeting(p, locale),
      reference: v.reference,
      link: `${ctx.baseUrl ?? 'http://localhost:3000'}/${locale}/registrations`,
    },
    attachments: [
      {
        filename: `${v.reference.replace(/\//g, '-')}.pdf`,
        contentType: 'application/pdf',
        contentBase64: v.pdf.toString('base64'),
      },
    ],
  });
}
