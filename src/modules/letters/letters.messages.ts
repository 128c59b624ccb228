/**
 * Messages to an audience: a subject and body (per language, the original marked) sent to the contacts of the entities
 * a filter chooses — entity audiences, ITU / ITU-D region, UN group, UN list (LDC, LLDC, SIDS), and optionally only
 * the Member States that have not answered a letter — through the same per-recipient deliveries and worker as letters.
 * A preview says who would get it and shows it in each language; a test goes to its author only; every message is kept
 * with who got what.
 */
import { and, count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { authorize, personOf } from '../../platform/permissions.js';
import { people } from '../accounts/index.js';
import { ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from '../entities/index.js';
import { AUDIENCES, letterDeliveries, letterMessages } from './letters.schema.js';
import { queueDeliveries, resolveRecipients, SPECIAL_GROUPS, type Recipient } from './letters.sending.js';
import { getTracker, unanswered } from './letters.tracker.js';

type WCtx = Ctx & { db: Db };
const opt = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values)
    .optional()
    .or(z.literal('').transform(() => undefined));

export const MessageInput = z.object({
  subject: z.partialRecord(z.enum(LOCALES), z.string().trim().max(300)),
  body: z.partialRecord(z.enum(LOCALES), z.string().trim().max(20_000)),
  originalLanguage: z.enum(LOCALES),
  audiences: z.array(z.enum(AUDIENCES)).min(1).max(AUDIENCES.length),
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
  return m;
}

/** Who the message would go to: resolved now, from the filter (and the letter's tracker, for "not answered"). */
async function recipientsOf(ctx: Ctx, m: Parsed): Promise<Recipient[]> {
  const filter = { ituRegion: m.ituRegion, itudRegion: m.itudRegion, unGroup: m.unGroup, special: m.special };
  if (m.unansweredOf == null) return resolveRecipients(ctx.db, m.audiences, filter);
  const tracker = await getTracker(ctx, m.unansweredOf, filter);
  return resolveRecipients(ctx.db, ['member_states'], { entityIds: unanswered(tracker) });
}

export type Preview = {
  recipients: number;
  entities: number;
  /** The message as each language's readers would get it (their language, else the original). */
  texts: { locale: Locale; lang: Locale; subject: string; body: string; readers: number }[];
};

/** What sending would do, without sending anything. */
export async function previewMessage(ctx: Ctx, input: MessageInput): Promise<Preview> {
  authorize(ctx, 'letters.send');
  const m = parse(input);
  const rec = await recipientsOf(ctx, m);
  return {
    recipients: rec.length,
    entities: new Set(rec.map((r) => r.entityId)).size,
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

async function store(ctx: WCtx, tx: Db, m: Parsed, test: boolean) {
  const [row] = await tx
    .insert(letterMessages)
    .values({
      subject: m.subject as Localized,
      body: m.body as Localized,
      originalLanguage: m.originalLanguage,
      audience: {
        audiences: m.audiences,
        ituRegion: m.ituRegion,
        itudRegion: m.itudRegion,
        unGroup: m.unGroup,
        special: m.special,
        unansweredOf: m.unansweredOf,
      },
      letterId: m.unansweredOf ?? null,
      test: test ? 1 : 0,
      createdBy: personOf(ctx).id,
      createdAt: ctx.now,
    })
    .returning();
  return row;
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
    const row = await store(ctx, tx as unknown as Db, m, true);
    const locale = (LOCALES as readonly string[]).includes(p.preferredLocale) ? (p.preferredLocale as Locale) : 'en';
    await queueDeliveries(tx, ctx.now, { messageId: row.id }, 'message', [
      { entityId: p.entityId as number, email, name: '', locale },
    ]);
    await audit(tx, ctx, { action: 'letters.message_tested', subjectType: 'message', subjectId: row.id });
    return { messageId: row.id, to: email };
  });
}

/** Sends the message: one delivery per recipient, queued in one transaction and drained by the worker. */
export async function sendMessage(ctx: WCtx, input: MessageInput): Promise<{ messageId: number; queued: number }> {
  authorize(ctx, 'letters.send');
  const m = parse(input);
  return ctx.db.transaction(async (tx) => {
    const rec = await recipientsOf({ ...ctx, db: tx }, m);
    if (!rec.length) throw new DomainError('letter_no_recipients', 409);
    const row = await store(ctx, tx as unknown as Db, m, false);
    const queued = await queueDeliveries(tx, ctx.now, { messageId: row.id }, 'message', rec);
    await audit(tx, ctx, {
      action: 'letters.message_sent',
      subjectType: 'message',
      subjectId: row.id,
      data: { queued, audience: row.audience },
    });
    return { messageId: row.id, queued };
  });
}

/** Messages sent (newest first) with how many deliveries are in each state. */
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
  authorize(ctx, 'letters.send');
  const [m] = await ctx.db.select().from(letterMessages).where(eq(letterMessages.id, id));
  if (!m) throw new DomainError('message_not_found', 404);
  const deliveries = await ctx.db
    .select()
    .from(letterDeliveries)
    .where(and(eq(letterDeliveries.messageId, id), eq(letterDeliveries.kind, 'message')))
    .orderBy(letterDeliveries.id);
  return { message: m, deliveries };
}
