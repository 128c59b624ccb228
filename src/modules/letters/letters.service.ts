/**
 * Circular letters. The secretariat (`letters.send`) writes a letter (numbered `CL-YY/NN` per year under an advisory
 * lock, the unique index as the last word), edits it while it is a draft or approved (an edit sends it back to draft),
 * approves it and sends it; a sent letter is never edited: a corrigendum is a new letter linked to it. Every change is
 * one transaction with its audit row.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, max, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { actorLabel, type Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { zodErrorMap } from '../../platform/http/errors.js';
import { pick, type Localized } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { authorize } from '../../platform/permissions.js';
import { LetterInput, LetterPatch } from './letters.input.js';
import { checkAction, checkAnnex, formatReference, parseReference, stateAfterEdit } from './letters.rules.js';
import { letterAnnexes, letters } from './letters.schema.js';

export type Letter = typeof letters.$inferSelect;
export type Annex = Omit<typeof letterAnnexes.$inferSelect, 'pdf'>;
type WCtx = Ctx & { db: Db };

/** Advisory-lock key for numbering letters (with the year as the second key). */
const NUMBER_LOCK = 7_326_160;

function parse<T>(schema: z.ZodType<T>, input: unknown, locale: Locale): T {
  const r = schema.safeParse(input, { error: zodErrorMap(locale) });
  if (!r.success)
    throw new DomainError(
      'invalid_input',
      400,
      {},
      r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
  return r.data;
}

function isUniqueViolation(e: unknown): boolean {
  const code = (x: unknown) => (x as { code?: unknown } | undefined)?.code;
  return code(e) === '23505' || code((e as { cause?: unknown } | undefined)?.cause) === '23505';
}

/** The next free number of a year, under the year's advisory lock (held to the end of the transaction). */
async function nextNumber(tx: DbOrTx, year: number): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${NUMBER_LOCK}, ${year})`);
  const [row] = await tx
    .select({ n: max(letters.number) })
    .from(letters)
    .where(eq(letters.year, year));
  return (row?.n ?? 0) + 1;
}

/** Year and number from an explicit reference, or the next number of the letter date's year. */
async function numbering(tx: DbOrTx, reference: string | undefined, date: string) {
  if (reference) {
    const r = parseReference(reference);
    const [taken] = await tx.select({ id: letters.id }).from(letters).where(eq(letters.reference, r.reference));
    if (taken) throw new DomainError('letter_reference_taken', 409, { reference: r.reference });
    return r;
  }
  const year = Number(date.slice(2, 4));
  const number = await nextNumber(tx, year);
  return { year, number, reference: formatReference(year, number) };
}

function checkOriginal(d: { subject: Localized; body: Localized; originalLanguage: Locale }) {
  if (!d.subject[d.originalLanguage]) throw new DomainError('letter_original_missing', 400, { field: 'subject' });
}

async function getForUpdate(tx: DbOrTx, id: number): Promise<Letter> {
  const [row] = await tx.select().from(letters).where(eq(letters.id, id)).for('update');
  if (!row) throw new DomainError('letter_not_found', 404);
  return row;
}

/** Writes a draft. Throws `invalid_input`, `letter_reference_invalid`, `letter_reference_taken`, `letter_original_missing`. */
export async function createLetter(ctx: WCtx, input: LetterInput, opts: { correctsId?: number } = {}): Promise<Letter> {
  authorize(ctx, 'letters.send');
  const d = parse(LetterInput, input, ctx.locale);
  checkOriginal(d);
  try {
    return await ctx.db.transaction(async (tx) => {
      const n = await numbering(tx, d.reference, d.date);
      const [row] = await tx
        .insert(letters)
        .values({
          ...n,
          state: 'draft',
          sentOn: d.date,
          sender: d.sender,
          addressees: d.addressees,
          audiences: d.audiences,
          subject: d.subject,
          body: d.body,
          originalLanguage: d.originalLanguage,
          signatoryName: d.signatoryName,
          signatoryTitle: d.signatoryTitle,
          contactName: d.contactName,
          contactEmail: d.contactEmail,
          eventIds: d.eventIds,
          speakingRequestDeadline: d.speakingRequestDeadline ?? null,
          registrationUrl: d.registrationUrl ?? null,
          correctsId: opts.correctsId ?? null,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await audit(tx, ctx, {
        action: opts.correctsId ? 'letters.corrigendum_created' : 'letters.created',
        subjectType: 'letter',
        subjectId: row.id,
        after: { reference: row.reference, state: row.state },
        data: opts.correctsId ? { corrects: opts.correctsId } : undefined,
      });
      return row;
    });
  } catch (e) {
    // Two writers chose the same explicit reference at once: the unique index decides.
    if (isUniqueViolation(e)) throw new DomainError('letter_reference_taken', 409, { reference: d.reference ?? '' });
    throw e;
  }
}

/** Edits a draft or an approved letter (which goes back to draft). Throws `letter_already_sent`, … */
export async function updateLetter(ctx: WCtx, id: number, patch: LetterPatch): Promise<Letter> {
  authorize(ctx, 'letters.send');
  const p = parse(LetterPatch, patch, ctx.locale);
  try {
    return await ctx.db.transaction(async (tx) => {
      const before = await getForUpdate(tx, id);
      checkAction(before.state, 'edit');
      const set: Partial<typeof letters.$inferInsert> = { updatedAt: ctx.now, state: stateAfterEdit(before.state) };
      if (p.reference !== undefined && parseReference(p.reference).reference !== before.reference) {
        const r = parseReference(p.reference);
        const [taken] = await tx.select({ id: letters.id }).from(letters).where(eq(letters.reference, r.reference));
        if (taken) throw new DomainError('letter_reference_taken', 409, { reference: r.reference });
        Object.assign(set, r);
      }
      if (p.date !== undefined) set.sentOn = p.date;
      for (const k of [
        'sender',
        'addressees',
        'audiences',
        'subject',
        'body',
        'originalLanguage',
        'signatoryName',
        'signatoryTitle',
        'contactName',
        'contactEmail',
        'eventIds',
        'speakingRequestDeadline',
        'registrationUrl',
      ] as const)
        if (p[k] !== undefined) (set as Record<string, unknown>)[k] = p[k];
      const next = { ...before, ...set } as Letter;
      checkOriginal(next as Letter & { originalLanguage: Locale });
      if (before.state === 'approved') set.approvedAt = set.approvedBy = null;
      const [after] = await tx.update(letters).set(set).where(eq(letters.id, id)).returning();
      await audit(tx, ctx, {
        action: 'letters.updated',
        subjectType: 'letter',
        subjectId: id,
        before: strip(before),
        after: strip(after),
      });
      return after;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('letter_reference_taken', 409, { reference: p.reference ?? '' });
    throw e;
  }
}

const strip = (l: Letter) => {
  const { updatedAt: _u, createdAt: _c, ...rest } = l;
  return rest as Record<string, unknown>;
};

/** Draft → approved. Throws `letter_not_draft`, `letter_already_sent`, `letter_original_missing` (no body in the original). */
export async function approveLetter(ctx: WCtx, id: number): Promise<Letter> {
  authorize(ctx, 'letters.send');
  return ctx.db.transaction(async (tx) => {
    const before = await getForUpdate(tx, id);
    checkAction(before.state, 'approve');
    if (!before.body[before.originalLanguage as Locale])
      throw new DomainError('letter_original_missing', 409, { field: 'body' });
    const [after] = await tx
      .update(letters)
      .set({ state: 'approved', approvedAt: ctx.now, approvedBy: actorLabel(ctx.actor), updatedAt: ctx.now })
      .where(eq(letters.id, id))
      .returning();
    await audit(tx, ctx, {
      action: 'letters.approved',
      subjectType: 'letter',
      subjectId: id,
      before: { state: before.state },
      after: { state: after.state },
    });
    return after;
  });
}

/** Marks an approved letter sent, in the caller's transaction (recipients are queued by the sending service). */
export async function markSent(tx: DbOrTx, ctx: Ctx, id: number): Promise<Letter> {
  const before = await getForUpdate(tx, id);
  checkAction(before.state, 'send');
  const [after] = await tx
    .update(letters)
    .set({ state: 'sent', sentAt: ctx.now, sentBy: actorLabel(ctx.actor), updatedAt: ctx.now })
    .where(eq(letters.id, id))
    .returning();
  return after;
}

/** A corrigendum to a sent letter: a new draft with the next number, copying the letter, linked to it. Throws `letter_not_sent`. */
export async function createCorrigendum(ctx: WCtx, id: number, opts: { date: string }): Promise<Letter> {
  authorize(ctx, 'letters.send');
  const original = await getLetter(ctx, id);
  if (original.state !== 'sent') throw new DomainError('letter_not_sent', 409);
  return createLetter(
    ctx,
    {
      date: opts.date,
      sender: original.sender,
      addressees: original.addressees,
      audiences: original.audiences,
      subject: original.subject,
      body: original.body,
      originalLanguage: original.originalLanguage as Locale,
      signatoryName: original.signatoryName,
      signatoryTitle: original.signatoryTitle,
      contactName: original.contactName,
      contactEmail: original.contactEmail,
      eventIds: original.eventIds,
      speakingRequestDeadline: original.speakingRequestDeadline,
      registrationUrl: original.registrationUrl,
    },
    { correctsId: original.id },
  );
}

/**
 * An annex added or removed changes the letter: an approved letter goes back to draft (approved again before it is
 * sent), like any other edit. Returns the letter's state before and after.
 */
async function annexesChanged(tx: DbOrTx, ctx: Ctx, letter: Letter) {
  const set: Partial<typeof letters.$inferInsert> = { updatedAt: ctx.now, state: stateAfterEdit(letter.state) };
  if (letter.state === 'approved') set.approvedAt = set.approvedBy = null;
  await tx.update(letters).set(set).where(eq(letters.id, letter.id));
  return { before: { state: letter.state }, after: { state: set.state } };
}

/**
 * Attaches a PDF annex to a letter not sent yet (a draft, or an approved letter, which goes back to draft). Throws
 * `annex_not_pdf`, `annex_too_large`, `letter_already_sent`.
 */
export async function addAnnex(
  ctx: WCtx,
  id: number,
  input: { title: string; filename: string; bytes: Buffer },
): Promise<Annex> {
  authorize(ctx, 'letters.send');
  checkAnnex(input.bytes);
  const title = input.title.trim().slice(0, 300) || input.filename;
  const filename = (input.filename.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'annex.pdf').replace(
    /(\.pdf)?$/i,
    '.pdf',
  );
  return ctx.db.transaction(async (tx) => {
    const letter = await getForUpdate(tx, id);
    checkAction(letter.state, 'annex');
    const [row] = await tx
      .insert(letterAnnexes)
      .values({
        letterId: id,
        title,
        filename,
        size: input.bytes.length,
        sha256: createHash('sha256').update(input.bytes).digest('hex'),
        pdf: input.bytes,
        uploadedAt: ctx.now,
      })
      .returning();
    await audit(tx, ctx, {
      action: 'letters.annex_added',
      subjectType: 'letter',
      subjectId: id,
      ...(await annexesChanged(tx, ctx, letter)),
      data: { annex: row.id, title, filename, size: row.size, sha256: row.sha256 },
    });
    const { pdf: _pdf, ...annex } = row;
    return annex;
  });
}

/**
 * Removes an annex from a letter not sent yet (an approved letter goes back to draft); a sent letter keeps its annexes.
 * Throws `annex_not_found`, `letter_already_sent`.
 */
export async function removeAnnex(ctx: WCtx, id: number, annexId: number): Promise<void> {
  authorize(ctx, 'letters.send');
  await ctx.db.transaction(async (tx) => {
    const letter = await getForUpdate(tx, id);
    checkAction(letter.state, 'annex');
    const [gone] = await tx
      .delete(letterAnnexes)
      .where(and(eq(letterAnnexes.letterId, id), eq(letterAnnexes.id, annexId)))
      .returning({
        id: letterAnnexes.id,
        title: letterAnnexes.title,
        filename: letterAnnexes.filename,
        size: letterAnnexes.size,
        sha256: letterAnnexes.sha256,
      });
    if (!gone) throw new DomainError('annex_not_found', 404);
    await audit(tx, ctx, {
      action: 'letters.annex_removed',
      subjectType: 'letter',
      subjectId: id,
      ...(await annexesChanged(tx, ctx, letter)),
      data: { annex: gone.id, title: gone.title, filename: gone.filename, size: gone.size, sha256: gone.sha256 },
    });
  });
}

// ---- Reading ----

/** Any letter, for the secretariat. Throws `letter_not_found`. */
export async function getLetter(ctx: Ctx, id: number): Promise<Letter> {
  const [row] = await ctx.db.select().from(letters).where(eq(letters.id, id));
  if (!row) throw new DomainError('letter_not_found', 404);
  return row;
}

/** Every letter, newest first, for the secretariat. */
export async function listLetters(ctx: Ctx): Promise<Letter[]> {
  authorize(ctx, 'letters.send');
  return ctx.db.select().from(letters).orderBy(desc(letters.year), desc(letters.number));
}

/** A sent letter by its reference (`CL-26/17` or `CL-26-17`), for everyone. Throws `letter_not_found`. */
export async function getPublishedLetter(ctx: Ctx, reference: string): Promise<Letter> {
  let ref: string;
  try {
    ref = parseReference(reference).reference;
  } catch {
    throw new DomainError('letter_not_found', 404);
  }
  const [row] = await ctx.db
    .select()
    .from(letters)
    .where(and(eq(letters.reference, ref), eq(letters.state, 'sent')));
  if (!row) throw new DomainError('letter_not_found', 404);
  return row;
}

/** Sent letters, newest first; with an event id, those concerning it. */
export async function listPublishedLetters(ctx: Ctx, opts: { eventId?: number } = {}): Promise<Letter[]> {
  return ctx.db
    .select()
    .from(letters)
    .where(
      and(
        eq(letters.state, 'sent'),
        opts.eventId != null ? sql`${letters.eventIds} @> ${JSON.stringify([opts.eventId])}::jsonb` : undefined,
      ),
    )
    .orderBy(desc(letters.sentOn), desc(letters.number));
}

export async function listAnnexes(db: DbOrTx, letterId: number): Promise<Annex[]> {
  return db
    .select({
      id: letterAnnexes.id,
      letterId: letterAnnexes.letterId,
      title: letterAnnexes.title,
      filename: letterAnnexes.filename,
      size: letterAnnexes.size,
      sha256: letterAnnexes.sha256,
      uploadedAt: letterAnnexes.uploadedAt,
    })
    .from(letterAnnexes)
    .where(eq(letterAnnexes.letterId, letterId))
    .orderBy(asc(letterAnnexes.id));
}

export async function getAnnexFile(db: DbOrTx, letterId: number, annexId: number) {
  const [row] = await db
    .select()
    .from(letterAnnexes)
    .where(and(eq(letterAnnexes.letterId, letterId), eq(letterAnnexes.id, annexId)));
  if (!row) throw new DomainError('annex_not_found', 404);
  return row;
}

/** The text in the reader's language, else the original (`isOriginal` marks which one the reader gets). */
export function letterText(letter: Letter, field: 'subject' | 'body', locale: Locale) {
  const own = letter[field][locale];
  if (own) return { text: own, lang: locale, fallback: false };
  const orig = letter.originalLanguage as Locale;
  const o = letter[field][orig];
  if (o) return { text: o, lang: orig, fallback: true };
  const p = pick(letter[field], locale);
  return { text: p.text, lang: p.lang ?? orig, fallback: true };
}

/** The most recent sent circular letter (CL-26/17 for the 2026 summit), if any. */
export async function getCurrentLetter(ctx: Ctx): Promise<Letter | undefined> {
  const [row] = await ctx.db
    .select()
    .from(letters)
    .where(eq(letters.state, 'sent'))
    .orderBy(desc(letters.sentOn), desc(letters.number))
    .limit(1);
  return row;
}
