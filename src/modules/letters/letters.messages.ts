/**
 * Messages to an audience: a subject and body (per language, the original marked) sent to
 * - the focal points and contacts of the entities a filter chooses — entity audiences, ITU / ITU-D region, UN group,
 *   UN list (LDC, LLDC, SIDS), optionally only the focal points, optionally only the Member States that have not
 *   answered a letter;
 * - or an audience another module offers through the `messageAudience` slot (an event's approved participants, in
 *   person or remote; a session's speakers),
 * through the same per-recipient deliveries and worker as letters. A preview says who would get it (how many, the first
 * of them) and shows it in each language; a test goes to its author only; every message is kept with who got what.
 * Over the API a message is first a draft, then sent once.
 */
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { isLocale, LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { authorize, personOf } from '../../platform/permissions.js';
import { people } from '../accounts/index.js';
import { ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from '../entities/index.js';
import { audienceSource } from './letters.audiences.js';
import { AUDIENCES, letterDeliveries, letterMessages } from './letters.schema.js';
import { queueDeliveries, resolveRecipients, SPECIAL_GROUPS, type Recipient } from './letters.sending.js';
import { getTracker, unanswered } from './letters.tracker.js';

type WCtx = Ctx & { db: Db };
export type Message = typeof letterMessages.$inferSelect;

const opt = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values)
    .optional()
    .or(z.literal('').transform(() => undefined));

/** The organizations' focal points and contacts (the entity audiences and filters); any other value is a source. */
export const ENTITY_AUDIENCE = 'entities';

/** No NUL or other C0 controls except tab and newlines (PostgreSQL refuses NUL in text). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const clean = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !CONTROL.test(v), { message: 'control characters' });
const optText = (max: number) =>
  clean(max)
    .optional()
    .transform((v) => v || undefined);

export const MessageInput = z.object({
  subject: z.partialRecord(z.enum(LOCALES), clean(300)),
  body: z.partialRecord(z.enum(LOCALES), clean(20_000)),
  originalLanguage: z.enum(LOCALES),
  /** `entities` (the default) or the key of an audience another module offers (`event_participants`, …). */
  source: optText(60).describe('`entities` (default), `event_participants` or `session_speakers`'),
  /** The source's choice: an event's id, a session's code. */
  target: optText(100).describe("The audience's choice: an event's id (participants), a session's code (speakers)"),
  /** The source's narrowing (`in_person`, `remote` for participants). */
  variant: optText(40).describe('`in_person` or `remote` (participants); empty: all'),
  audiences: z.array(z.enum(AUDIENCES)).max(AUDIENCES.length).default([]),
  /** Only the entities' focal points, not their registered contacts. */
  focalPointsOnly: z.preprocess((v) => v === true || v === 'true' || v === '1' || v === 'on', z.boolean()).optional(),
  ituRegion: opt(ITU_REGIONS),
  itudRegion: opt(ITUD_REGIONS),
  unGroup: opt(UN_GROUPS),
  special: opt(SPECIAL_GROUPS),
  /** Only the Member States that have not answered this letter (no delegate registered, no speaking request). */
  unansweredOf: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
});
export type MessageInput = z.input<typeof MessageInput>;
type Parsed = z.output<typeof MessageInput>;

function parse(input: unknown): Parsed {
  const r = MessageInput.safeParse(input);
  if (!r.success) throw new DomainError('invalid_input', 400);
  const m = r.data;
  if (!m.subject[m.originalLanguage] || !m.body[m.originalLanguage])
    throw new DomainError('letter_original_missing', 400);
  const source = m.source ?? ENTITY_AUDIENCE;
  if (source === ENTITY_AUDIENCE) {
    if (!m.audiences.length) throw new DomainError('message_audience_missing', 400);
  } else {
    const s = audienceSource(source);
    if (!s) throw new DomainError('invalid_input', 400);
    if (!m.target) throw new DomainError('message_audience_missing', 400);
    if (m.variant && !s.variants?.options('en').some(([v]) => v === m.variant))
      throw new DomainError('invalid_input', 400);
  }
  return { ...m, source };
}

type Resolved = { recipients: Recipient[]; unreachable: number; title?: string };

/** Who the message would go to: resolved now, one per address, from the filter or the other module's audience. */
async function recipientsOf(ctx: Ctx, m: Parsed): Promise<Resolved> {
  if (m.source !== ENTITY_AUDIENCE) {
    const r = await audienceSource(m.source!)!.resolve(ctx.db, {
      target: m.target!,
      variant: m.variant,
      locale: ctx.locale,
    });
    if (!r) throw new DomainError('message_audience_not_found', 404);
    const out = new Map<string, Recipient>();
    let unreachable = r.unreachable;
    for (const p of r.members) {
      const email = p.email.trim().toLowerCase();
      if (!email) {
        unreachable++;
        continue;
      }
      if (!out.has(email))
        out.set(email, {
          entityId: p.entityId,
          email,
          name: p.name.trim(),
          locale: isLocale(p.locale) ? p.locale : 'en',
        });
    }
    return { recipients: [...out.values()], unreachable, title: r.title };
  }
  const filter = { ituRegion: m.ituRegion, itudRegion: m.itudRegion, unGroup: m.unGroup, special: m.special };
  const opts = { focalPointsOnly: m.focalPointsOnly };
  if (m.unansweredOf == null)
    return { recipients: await resolveRecipients(ctx.db, m.audiences, filter, opts), unreachable: 0 };
  const tracker = await getTracker(ctx, m.unansweredOf, filter);
  return {
    recipients: await resolveRecipients(ctx.db, ['member_states'], { entityIds: unanswered(tracker) }, opts),
    unreachable: 0,
  };
}

/** How many of the first recipients a preview names. */
export const PREVIEW_SAMPLE = 20;

export type Preview = {
  recipients: number;
  entities: number;
  /** People of the audience without an e-mail address (not sent to). */
  unreachable: number;
  /** What was chosen, when the audience is another module's (the event's name, the session's code and title). */
  title?: string;
  /** The first recipients, in the order they are sent to. */
  sample: { name: string; email: string; locale: Locale }[];
  /** The message as each language's readers would get it (their language, else the original). */
  texts: { locale: Locale; lang: Locale; subject: string; body: string; readers: number }[];
};

/** What sending would do, without sending anything. */
export async function previewMessage(ctx: Ctx, input: MessageInput): Promise<Preview> {
  authorize(ctx, 'letters.send');
  const m = parse(input);
  const { recipients: rec, unreachable, title } = await recipientsOf(ctx, m);
  return {
    recipients: rec.length,
    entities: new Set(rec.filter((r) => r.entityId != null).map((r) => r.entityId)).size,
    unreachable,
    title,
    sample: rec.slice(0, PREVIEW_SAMPLE).map((r) => ({ name: r.name, email: r.email, locale: r.locale })),
    texts: LOCALES.map((locale) => {
      const lang = m.subject[locale] && m.body[locale] ? locale : m.originalLanguage;
      return {
        locale,
        lang,
        subject: m.subject[lang] ?? '',
        body: m.body[lang] ?? '',
        readers: rec.filter((r) => r.locale === locale).length,
      };
    }),
  };
}

/** The audience as it is kept with the message (and read back by `inputOf`). */
function audienceOf(m: Parsed, title?: string): Record<string, unknown> {
  if (m.source !== ENTITY_AUDIENCE) return { source: m.source, target: m.target, variant: m.variant, title };
  return {
    source: ENTITY_AUDIENCE,
    audiences: m.audiences,
    focalPointsOnly: m.focalPointsOnly || undefined,
    ituRegion: m.ituRegion,
    itudRegion: m.itudRegion,
    unGroup: m.unGroup,
    special: m.special,
    unansweredOf: m.unansweredOf,
  };
}

async function store(ctx: Ctx, tx: DbOrTx, m: Parsed, opts: { test: boolean; sent: boolean; title?: string }) {
  const [row] = await tx
    .insert(letterMessages)
    .values({
      subject: m.subject as Localized,
      body: m.body as Localized,
      originalLanguage: m.originalLanguage,
      audience: audienceOf(m, opts.title),
      letterId: m.source === ENTITY_AUDIENCE ? (m.unansweredOf ?? null) : null,
      test: opts.test ? 1 : 0,
      createdBy: personOf(ctx).id,
      createdAt: ctx.now,
      sentAt: opts.sent ? ctx.now : null,
    })
    .returning();
  return row;
}

/** A kept message as input again (to preview, test or send a draft). */
export function inputOf(row: Message): MessageInput {
  const a = row.audience as Record<string, unknown>;
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  return {
    subject: row.subject,
    body: row.body,
    originalLanguage: row.originalLanguage as Locale,
    source: str('source') ?? ENTITY_AUDIENCE,
    target: str('target'),
    variant: str('variant'),
    audiences: (Array.isArray(a.audiences) ? a.audiences : []) as MessageInput['audiences'],
    focalPointsOnly: a.focalPointsOnly === true,
    ituRegion: str('ituRegion') as MessageInput['ituRegion'],
    itudRegion: str('itudRegion') as MessageInput['itudRegion'],
    unGroup: str('unGroup') as MessageInput['unGroup'],
    special: str('special') as MessageInput['special'],
    unansweredOf: typeof a.unansweredOf === 'number' ? a.unansweredOf : undefined,
  };
}

/** Sends the message to its author only, in the author's language (else the original). */
export async function sendTestMessage(ctx: WCtx, input: MessageInput): Promise<{ messageId: number; to: string }> {
  authorize(ctx, 'letters.send');
  const m = parse(input);
  const me = personOf(ctx);
  const [p] = await ctx.db.select().from(people).where(eq(people.id, me.id));
  const email = p?.email;
  if (!email) throw new DomainError('forbidden', 403);
  return ctx.db.transaction(async (tx) => {
    const row = await store(ctx, tx, m, { test: true, sent: true });
    const locale = isLocale(p.preferredLocale) ? p.preferredLocale : 'en';
    await queueDeliveries(tx, ctx.now, { messageId: row.id }, 'message', [
      { entityId: p.entityId, email, name: '', locale },
    ]);
    await audit(tx, ctx, { action: 'letters.message_tested', subjectType: 'message', subjectId: row.id });
    return { messageId: row.id, to: email };
  });
}

/** Queues one delivery per recipient of a kept message, in the caller's transaction, and audits it. */
async function dispatch(ctx: WCtx, tx: DbOrTx, row: Message, rec: Recipient[]): Promise<number> {
  if (!rec.length) throw new DomainError('letter_no_recipients', 409);
  const queued = await queueDeliveries(tx, ctx.now, { messageId: row.id }, 'message', rec);
  await audit(tx, ctx, {
    action: 'letters.message_sent',
    subjectType: 'message',
    subjectId: row.id,
    data: { queued, audience: row.audience },
  });
  return queued;
}

/** Sends the message: one delivery per recipient, queued in one transaction and drained by the worker. */
export async function sendMessage(ctx: WCtx, input: MessageInput): Promise<{ messageId: number; queued: number }> {
  authorize(ctx, 'letters.send');
  const m = parse(input);
  return ctx.db.transaction(async (tx) => {
    const { recipients, title } = await recipientsOf({ ...ctx, db: tx }, m);
    if (!recipients.length) throw new DomainError('letter_no_recipients', 409);
    const row = await store(ctx, tx, m, { test: false, sent: true, title });
    return { messageId: row.id, queued: await dispatch(ctx, tx, row, recipients) };
  });
}

/** Keeps a message as a draft (nothing is sent): to preview, test and send it later. */
export async function createMessage(ctx: WCtx, input: MessageInput): Promise<Message> {
  authorize(ctx, 'letters.send');
  const m = parse(input);
  return ctx.db.transaction(async (tx) => {
    // The audience must exist now (an unknown event or session is refused here, not at sending).
    const { title } = await recipientsOf({ ...ctx, db: tx }, m);
    const row = await store(ctx, tx, m, { test: false, sent: false, title });
    await audit(tx, ctx, {
      action: 'letters.message_created',
      subjectType: 'message',
      subjectId: row.id,
      after: { audience: row.audience, languages: Object.keys(row.subject) },
    });
    return row;
  });
}

/** One message (a draft, a sent or a test one). Throws `message_not_found`. */
export async function getMessage(ctx: Ctx, id: number): Promise<Message> {
  authorize(ctx, 'letters.send');
  const [m] = await ctx.db.select().from(letterMessages).where(eq(letterMessages.id, id));
  if (!m) throw new DomainError('message_not_found', 404);
  return m;
}

/** Sends a draft to its audience as resolved now; a message is sent once (`message_already_sent`). */
export async function sendDraft(ctx: WCtx, id: number): Promise<{ message: Message; queued: number }> {
  authorize(ctx, 'letters.send');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(letterMessages).where(eq(letterMessages.id, id)).for('update');
    if (!row) throw new DomainError('message_not_found', 404);
    if (row.sentAt || row.test) throw new DomainError('message_already_sent', 409);
    const { recipients } = await recipientsOf({ ...ctx, db: tx }, parse(inputOf(row)));
    if (!recipients.length) throw new DomainError('letter_no_recipients', 409);
    const [sent] = await tx
      .update(letterMessages)
      .set({ sentAt: ctx.now })
      .where(and(eq(letterMessages.id, id), isNull(letterMessages.sentAt)))
      .returning();
    return { message: sent, queued: await dispatch(ctx, tx, sent, recipients) };
  });
}

/** Messages (newest first), drafts included, with how many deliveries are in each state. */
export async function listMessages(ctx: Ctx) {
  authorize(ctx, 'letters.send');
  const rows = await ctx.db.select().from(letterMessages).orderBy(desc(letterMessages.id)).limit(200);
  const counts = await ctx.db
    .select({ id: letterDeliveries.messageId, state: letterDeliveries.state, n: count() })
    .from(letterDeliveries)
    .where(eq(letterDeliveries.kind, 'message'))
    .groupBy(letterDeliveries.messageId, letterDeliveries.state);
  return rows.map((r) => ({
    ...r,
    states: Object.fromEntries(counts.filter((c) => c.id === r.id).map((c) => [c.state, c.n])) as Record<
      string,
      number
    >,
  }));
}

/** Who got what: the deliveries of one message. */
export async function messageDeliveries(ctx: Ctx, id: number) {
  const m = await getMessage(ctx, id);
  const deliveries = await ctx.db
    .select()
    .from(letterDeliveries)
    .where(and(eq(letterDeliveries.messageId, id), eq(letterDeliveries.kind, 'message')))
    .orderBy(letterDeliveries.id);
  return { message: m, deliveries };
}
