/**
 * Sending a letter: recipients resolved from its audiences (each entity's focal points and registered contacts), one
 * delivery row and one `letters.deliver` job per recipient, all inserted in the transaction that marks the letter sent
 * (2,000 recipients in a few multi-row inserts). The job worker drains them at the SMTP server's pace: each message in
 * the recipient's language with the letter's PDF attached, the SMTP answer kept when it fails. Failures are resent on
 * request; reminders go to chosen Member States at most once a day per address.
 */
import { publishEvent } from '../../platform/domain-events.js';
import { and, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { REGION_CODES, unGroups } from '../../platform/i18n/countries.js';
import { isLocale, type Locale } from '../../platform/i18n/locales.js';
import type { JobHandler, JobHandlers } from '../../platform/jobs.js';
import { renderMail } from '../../platform/mail/mail.js';
import { jobs } from '../../platform/platform.schema.js';
import { authorize } from '../../platform/permissions.js';
import { people } from '../accounts/index.js';
import { entities, entityContacts, focalPoints, type EntityKind } from '../entities/index.js';
import { signingKey } from '../../platform/signing.js';
import { bounceAddressOf } from './letters.bounces.js';
import { letterFileName, letterPdf } from './letters.pages.js';
import { letterDate, readLetter } from './letters.present.js';
import { referenceSlug } from './letters.rules.js';
import { letterDeliveries, letterMessages, letters, type Audience } from './letters.schema.js';
import { getLetter, markSent, type Letter } from './letters.service.js';

type WCtx = Ctx & { db: Db };
export type Delivery = typeof letterDeliveries.$inferSelect;

const KIND_OF: Record<Audience, EntityKind> = {
  ministers: 'member_state',
  member_states: 'member_state',
  sector_members: 'sector_member',
  associates: 'associate',
  academia: 'academia',
  un_system: 'un_system',
};

/** Narrows the entities a letter or reminder goes to (e.g. one ITU region). */
export type EntityFilter = {
  ituRegion?: string;
  itudRegion?: string;
  unGroup?: string;
  /** Least Developed Countries, Landlocked Developing Countries or Small Island Developing States (UN lists). */
  special?: SpecialGroup;
  entityIds?: number[];
};

export const SPECIAL_GROUPS = ['ldc', 'lldc', 'sids'] as const;
export type SpecialGroup = (typeof SPECIAL_GROUPS)[number];
/** The ISO codes of the Member States in a UN group (from un-country-names.csv, through `unGroups`). */
export const codesIn = (g: SpecialGroup): string[] => REGION_CODES.filter((c) => unGroups(c)[g]);

export type Recipient = { entityId: number | null; email: string; name: string; locale: Locale };

function entityWhere(kinds: EntityKind[], f: EntityFilter): SQL | undefined {
  return and(
    inArray(entities.kind, kinds),
    isNull(entities.mergedInto),
    f.ituRegion ? eq(entities.ituRegion, f.ituRegion) : undefined,
    f.itudRegion ? eq(entities.itudRegion, f.itudRegion) : undefined,
    f.unGroup ? eq(entities.unGroup, f.unGroup) : undefined,
    f.special ? inArray(entities.code, codesIn(f.special)) : undefined,
    f.entityIds ? inArray(entities.id, f.entityIds.length ? f.entityIds : [-1]) : undefined,
  );
}

/**
 * Each matching entity's focal points and registered contacts (only the focal points with `focalPointsOnly`), one per
 * address (the first found), in their language.
 */
export async function resolveRecipients(
  db: DbOrTx,
  audiences: Audience[],
  f: EntityFilter = {},
  opts: { focalPointsOnly?: boolean } = {},
): Promise<Recipient[]> {
  const kinds = [...new Set(audiences.map((a) => KIND_OF[a]))];
  if (!kinds.length) return [];
  const where = entityWhere(kinds, f);
  const fps = await db
    .select({
      entityId: focalPoints.entityId,
      email: people.email,
      given: people.givenName,
      family: people.familyName,
      locale: people.preferredLocale,
    })
    .from(focalPoints)
    .innerJoin(people, eq(people.id, focalPoints.personId))
    .innerJoin(entities, eq(entities.id, focalPoints.entityId))
    .where(and(where, isNull(people.erasedAt)))
    .orderBy(focalPoints.entityId, people.email);
  const contacts = opts.focalPointsOnly
    ? []
    : await db
        .select({
          entityId: entityContacts.entityId,
          email: entityContacts.email,
          name: entityContacts.name,
          locale: entityContacts.locale,
        })
        .from(entityContacts)
        .innerJoin(entities, eq(entities.id, entityContacts.entityId))
        .where(where)
        .orderBy(entityContacts.entityId, entityContacts.id);
  const out = new Map<string, Recipient>();
  const add = (entityId: number, email: string | null, name: string, locale: string) => {
    if (!email) return;
    const key = email.trim().toLowerCase();
    if (!out.has(key))
      out.set(key, { entityId, email: key, name: name.trim(), locale: isLocale(locale) ? locale : 'en' });
  };
  for (const r of fps) add(r.entityId, r.email, `${r.given} ${r.family}`, r.locale);
  for (const r of contacts) add(r.entityId, r.email, r.name, r.locale);
  return [...out.values()];
}

/**
 * Inserts the deliveries and their jobs in ONE set-based statement: the recipients travel as one JSON parameter,
 * `jsonb_to_recordset` makes them rows, and the jobs are inserted from the deliveries' returned ids (a data-modifying
 * CTE). 2,000 recipients are one round trip, whatever the driver (bench/letters-send.ts measures it).
 */
export async function queueDeliveries(
  tx: DbOrTx,
  now: Date,
  subject: number | { messageId: number },
  kind: 'letter' | 'reminder' | 'message',
  recipients: Recipient[],
): Promise<number> {
  if (!recipients.length) return 0;
  const letterId = typeof subject === 'number' ? subject : null;
  const messageId = typeof subject === 'number' ? null : subject.messageId;
  const rows = JSON.stringify(
    recipients.map((r) => ({ entity_id: r.entityId ?? null, email: r.email, name: r.name, locale: r.locale })),
  );
  const at = now.toISOString();
  await tx.execute(sql`
    with d as (
      insert into letter_deliveries (letter_id, message_id, kind, entity_id, email, name, locale, state, queued_at)
      select ${letterId}::int, ${messageId}::int, ${kind}, r.entity_id, r.email, r.name, r.locale, 'queued',
        ${at}::timestamptz
      from jsonb_to_recordset(${rows}::jsonb) as r(entity_id int, email text, name text, locale text)
      returning id
    )
    insert into jobs (kind, payload, run_at, created_at, max_attempts)
    select 'letters.deliver', jsonb_build_object('deliveryId', d.id), ${at}::timestamptz, ${at}::timestamptz, 3
    from d`);
  return recipients.length;
}

/**
 * Sends an approved letter to its audiences (narrowed by `filter`, e.g. one region): marks it sent and queues one
 * message per recipient, in one transaction. Throws `letter_not_approved`, `letter_already_sent`, `letter_no_recipients`.
 */
export async function sendLetter(
  ctx: WCtx,
  id: number,
  filter: EntityFilter = {},
): Promise<{ letter: Letter; queued: number }> {
  authorize(ctx, 'letters.send');
  return ctx.db.transaction(async (tx) => {
    const before = await getLetter({ ...ctx, db: tx }, id);
    const recipients = await resolveRecipients(tx, before.audiences, filter);
    const letter = await markSent(tx, ctx, id);
    if (!recipients.length) throw new DomainError('letter_no_recipients', 409);
    const queued = await queueDeliveries(tx, ctx.now, id, 'letter', recipients);
    await audit(tx, ctx, {
      action: 'letters.sent',
      subjectType: 'letter',
      subjectId: id,
      before: { state: before.state },
      after: { state: letter.state },
      data: { queued, filter },
    });
    await publishEvent(tx, ctx.now, 'letter.sent', { letterId: id, reference: letter.reference, recipients: queued });
    await bumpContentVersion(tx);
    return { letter, queued };
  });
}

/** Queues failed (or bounced) deliveries of a letter again. Returns how many. */
export async function resendFailed(ctx: WCtx, id: number): Promise<number> {
  authorize(ctx, 'letters.send');
  return ctx.db.transaction(async (tx) => {
    const failed = await tx
      .update(letterDeliveries)
      .set({ state: 'queued', queuedAt: ctx.now })
      .where(and(eq(letterDeliveries.letterId, id), inArray(letterDeliveries.state, ['failed', 'bounced'])))
      .returning({ id: letterDeliveries.id });
    if (failed.length)
      await tx.insert(jobs).values(
        failed.map((r) => ({
          kind: 'letters.deliver',
          payload: { deliveryId: r.id },
          runAt: ctx.now,
          createdAt: ctx.now,
          maxAttempts: 3,
        })),
      );
    await audit(tx, ctx, {
      action: 'letters.resent',
      subjectType: 'letter',
      subjectId: id,
      data: { queued: failed.length },
    });
    return failed.length;
  });
}

/** A bounce reported back for an address: its latest delivery of the letter is marked bounced with the report. */
export async function recordBounce(
  ctx: WCtx,
  id: number,
  email: string,
  report: string,
): Promise<Delivery | undefined> {
  authorize(ctx, 'letters.send');
  return ctx.db.transaction(async (tx) => {
    const [d] = await tx
      .select()
      .from(letterDeliveries)
      .where(and(eq(letterDeliveries.letterId, id), eq(letterDeliveries.email, email.trim().toLowerCase())))
      .orderBy(sql`${letterDeliveries.id} desc`)
      .limit(1);
    if (!d) return undefined;
    const [after] = await tx
      .update(letterDeliveries)
      .set({ state: 'bounced', error: report.slice(0, 2000) })
      .where(eq(letterDeliveries.id, d.id))
      .returning();
    await audit(tx, ctx, { action: 'letters.bounced', subjectType: 'letter', subjectId: id, data: { delivery: d.id } });
    return after;
  });
}

export const REMINDER_INTERVAL_MS = 24 * 3600_000;

/**
 * Reminds the chosen Member States (by filter) about a sent letter: every recipient resolved for them, except
 * addresses reminded (about any letter) in the last 24 hours. Returns how many were queued and skipped.
 */
export async function sendReminders(
  ctx: WCtx,
  id: number,
  filter: EntityFilter,
): Promise<{ queued: number; skipped: number }> {
  authorize(ctx, 'letters.send');
  return ctx.db.transaction(async (tx) => {
    const letter = await getLetter({ ...ctx, db: tx }, id);
    if (letter.state !== 'sent') throw new DomainError('letter_not_sent', 409);
    // One reminder round at a time: a second one waits, then sees the first's rows.
    await tx.execute(sql`select pg_advisory_xact_lock(7326161, ${id})`);
    const all = await resolveRecipients(tx, ['member_states'], filter);
    const since = new Date(ctx.now.getTime() - REMINDER_INTERVAL_MS);
    const recent = all.length
      ? await tx
          .selectDistinct({ email: letterDeliveries.email })
          .from(letterDeliveries)
          .where(
            and(
              eq(letterDeliveries.kind, 'reminder'),
              gt(letterDeliveries.queuedAt, since),
              inArray(
                letterDeliveries.email,
                all.map((r) => r.email),
              ),
            ),
          )
      : [];
    const skip = new Set(recent.map((r) => r.email));
    const due = all.filter((r) => !skip.has(r.email));
    await queueDeliveries(tx, ctx.now, id, 'reminder', due);
    await audit(tx, ctx, {
      action: 'letters.reminded',
      subjectType: 'letter',
      subjectId: id,
      data: { queued: due.length, skipped: skip.size, filter },
    });
    return { queued: due.length, skipped: all.length - due.length };
  });
}

export async function listDeliveries(ctx: Ctx, id: number, opts: { state?: string } = {}): Promise<Delivery[]> {
  authorize(ctx, 'letters.send');
  return ctx.db
    .select()
    .from(letterDeliveries)
    .where(
      and(
        eq(letterDeliveries.letterId, id),
        opts.state ? eq(letterDeliveries.state, opts.state as Delivery['state']) : undefined,
      ),
    )
    .orderBy(letterDeliveries.id);
}

/** The SMTP server's answer in an error from nodemailer (`550 5.1.1 user unknown`), else its message. */
function smtpAnswer(e: unknown): string {
  const x = e as { response?: unknown; message?: unknown };
  return String(x?.response ?? x?.message ?? e).slice(0, 2000);
}

/**
 * The `letters.deliver` job: one message to one recipient, in their language (the letter's original when theirs is
 * missing), the PDF attached. Sent through the mail platform's sender; the outcome is recorded on the delivery.
 */
export function lettersHandlers(
  db: Db,
  clock: Clock,
  send: JobHandler,
  publicUrl: string,
  /** The bounce address (`bounces@itu.int`): each attempt goes out with its own envelope sender under it (VERP). */
  bounceAddress?: string,
): JobHandlers {
  const envelopeFrom = async (d: Delivery) =>
    bounceAddress ? bounceAddressOf(bounceAddress, await signingKey(db), d.id, d.attempts + 1) : undefined;
  return {
    'letters.deliver': async (payload, job) => {
      const id = Number(payload.deliveryId);
      const [d] = await db.select().from(letterDeliveries).where(eq(letterDeliveries.id, id));
      if (d?.state !== 'queued') return; // already done (a retried job), or gone
      const locale = (isLocale(d.locale) ? d.locale : 'en') as Locale;
      if (d.messageId != null) return deliverMessage(db, clock, send, d, locale, job, await envelopeFrom(d));
      const [letter] = await db.select().from(letters).where(eq(letters.id, d.letterId!));
      const r = readLetter(letter, locale);
      const ctx: Ctx = { db, actor: { kind: 'system', name: 'letters' }, locale, now: clock.now() };
      const pdf = await letterPdf(ctx, letter, locale);
      const msg = {
        to: d.name ? `"${d.name.replace(/["\\\r\n]/g, '')}" <${d.email}>` : d.email,
        locale,
        template: d.kind === 'reminder' ? 'letter_reminder' : 'letter',
        params: {
          reference: letter.reference,
          subject: r.subject,
          date: letterDate(locale, letter.sentOn),
          link: `${publicUrl.replace(/\/$/, '')}/${locale}/letters/${referenceSlug(letter.reference)}`,
          contact: `${letter.contactName}, ${letter.contactEmail}`,
        },
        attachments: [
          {
            filename: letterFileName(letter, r.lang),
            contentType: 'application/pdf',
            contentBase64: pdf.toString('base64'),
          },
        ],
        queuedAt: d.queuedAt.toISOString(),
        envelopeFrom: await envelopeFrom(d),
      };
      await sendAndRecord(db, clock, send, id, msg, job);
    },
  };
}

/** A message to an audience, to one recipient: its subject and body in their language, else the original. */
async function deliverMessage(
  db: Db,
  clock: Clock,
  send: JobHandler,
  d: Delivery,
  locale: Locale,
  job: { id: number; attempts: number },
  envelopeFrom: string | undefined,
) {
  const [m] = await db.select().from(letterMessages).where(eq(letterMessages.id, d.messageId!));
  const lang = m.subject[locale] && m.body[locale] ? locale : (m.originalLanguage as Locale);
  const msg = {
    to: d.name ? `"${d.name.replace(/["\\\r\n]/g, '')}" <${d.email}>` : d.email,
    locale: lang,
    template: 'audience_message',
    params: { subject: m.subject[lang] ?? '', body: m.body[lang] ?? '' },
    queuedAt: d.queuedAt.toISOString(),
    envelopeFrom,
  };
  await sendAndRecord(db, clock, send, d.id, msg, job);
}

/** Sends one message through the mail sender and records the outcome on its delivery row. */
export async function sendAndRecord(
  db: Db,
  clock: Clock,
  send: JobHandler,
  id: number,
  msg: Parameters<typeof renderMail>[0] & { queuedAt: string },
  job: { id: number; attempts: number },
) {
  renderMail(msg);
  try {
    await send(msg, { id: job.id, attempts: job.attempts });
    await db
      .update(letterDeliveries)
      .set({ state: 'sent', sentAt: clock.now(), error: null, attempts: sql`${letterDeliveries.attempts} + 1` })
      .where(eq(letterDeliveries.id, id));
  } catch (e) {
    await db
      .update(letterDeliveries)
      .set({ state: 'failed', error: smtpAnswer(e), attempts: sql`${letterDeliveries.attempts} + 1` })
      .where(eq(letterDeliveries.id, id));
  }
}
