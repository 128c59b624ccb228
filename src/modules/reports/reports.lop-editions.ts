/**
 * The List of Participants made by the worker. "Make the list" queues a job for one edition — an event (or the week)
 * × a language × provisional or final — and the job writes its progress (rows done of total) as it renders, then
 * stores the PDF and the XLSX in the edition's row (bytea, as letters and photos are kept: every web process and every
 * worker sees them, whatever machine it runs on). There is one edition per event × language × provisional/final: making
 * it again replaces it, and the previous file stays downloadable until the new one is done. A request while the
 * edition is queued or running starts no second job (the row is locked, and its job is looked at: one whose job is
 * gone — failed for good, or finished without it — does not block).
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { xlsxStream } from '../../platform/export/index.js';
import { genevaDate } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { enqueue, type JobHandlers } from '../../platform/jobs.js';
import { authorize } from '../../platform/permissions.js';
import { jobs } from '../../platform/platform.schema.js';
import { warmUpFonts } from '../../platform/pdf/index.js';
import { getEvent } from '../events/index.js';
import { getListOfParticipants } from './reports.lop.js';
import { type LopInput, lopHeading, lopTable } from './reports.lop-export.js';
import { renderListOfParticipants } from './reports.lop-pdf.js';
import { reportLopEditions } from './reports.schema.js';

export const LOP_JOB = 'reports.lop_edition';

export type LopEdition = Omit<typeof reportLopEditions.$inferSelect, 'pdf' | 'xlsx'> & {
  hasPdf: boolean;
  hasXlsx: boolean;
};

const WEEK = 'week';
const running = (state: string) => state === 'queued' || state === 'running';

/** The columns of an edition without its files (a list of editions never loads the PDFs). */
const summary = {
  id: reportLopEditions.id,
  scope: reportLopEditions.scope,
  locale: reportLopEditions.locale,
  edition: reportLopEditions.edition,
  state: reportLopEditions.state,
  total: reportLopEditions.total,
  done: reportLopEditions.done,
  jobId: reportLopEditions.jobId,
  error: reportLopEditions.error,
  dated: reportLopEditions.dated,
  requestedBy: reportLopEditions.requestedBy,
  requestedAt: reportLopEditions.requestedAt,
  finishedAt: reportLopEditions.finishedAt,
  hasPdf: sql<boolean>`${reportLopEditions.pdf} is not null`,
  hasXlsx: sql<boolean>`${reportLopEditions.xlsx} is not null`,
};

/**
 * Queues the making of an edition, or returns the one already queued or running (no second job). Audited
 * (`reports.lop_edition_requested`). Throws `event_not_found`.
 */
export async function requestLopEdition(
  ctx: Ctx & { db: Db },
  input: LopInput,
): Promise<{ edition: LopEdition; started: boolean }> {
  authorize(ctx, 'reports.view');
  if (input.event) await getEvent(ctx, input.event);
  const scope = input.event ?? WEEK;
  const who = ctx.actor.kind === 'person' ? ctx.actor.id : 'system';
  return ctx.db.transaction(async (tx) => {
    await tx
      .insert(reportLopEditions)
      .values({
        scope,
        locale: input.locale,
        edition: input.edition,
        state: 'queued',
        requestedBy: who,
        requestedAt: ctx.now,
      })
      .onConflictDoNothing();
    const [row] = await tx
      .select({ ...summary, jobState: jobs.state })
      .from(reportLopEditions)
      .leftJoin(jobs, eq(jobs.id, reportLopEditions.jobId))
      .where(
        and(
          eq(reportLopEditions.scope, scope),
          eq(reportLopEditions.locale, input.locale),
          eq(reportLopEditions.edition, input.edition),
        ),
      )
      .for('update', { of: reportLopEditions });
    const { jobState, ...current } = row;
    // Queued or running with its job still to run: that run will do.
    if (current.jobId != null && running(current.state) && jobState === 'pending')
      return { edition: current, started: false };
    const jobId = await enqueue(tx, ctx.now, LOP_JOB, { editionId: current.id }, { maxAttempts: 1 });
    const [edition] = await tx
      .update(reportLopEditions)
      .set({ state: 'queued', done: 0, total: 0, jobId, error: null, requestedBy: who, requestedAt: ctx.now })
      .where(eq(reportLopEditions.id, current.id))
      .returning(summary);
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'reports.lop_edition_requested',
        subjectType: 'lop_edition',
        subjectId: edition.id,
        data: { scope, locale: input.locale, edition: input.edition },
      },
    );
    return { edition, started: true };
  });
}

export async function getLopEdition(ctx: Ctx, id: number): Promise<LopEdition> {
  authorize(ctx, 'reports.view');
  const [e] = await ctx.db.select(summary).from(reportLopEditions).where(eq(reportLopEditions.id, id));
  if (!e) throw new DomainError('lop_edition_not_found', 404);
  return e;
}

/** Every edition made or being made, the latest request first. */
export async function listLopEditions(ctx: Ctx): Promise<LopEdition[]> {
  authorize(ctx, 'reports.view');
  return ctx.db
    .select(summary)
    .from(reportLopEditions)
    .orderBy(desc(reportLopEditions.requestedAt), desc(reportLopEditions.id));
}

/** The last finished file of an edition. Throws `lop_edition_not_found`, `lop_edition_not_ready`. */
export async function lopEditionFile(
  ctx: Ctx,
  id: number,
  format: 'pdf' | 'xlsx',
): Promise<{ file: Buffer; name: string }> {
  authorize(ctx, 'reports.view');
  const col = format === 'pdf' ? reportLopEditions.pdf : reportLopEditions.xlsx;
  const [e] = await ctx.db
    .select({
      file: col,
      scope: reportLopEditions.scope,
      locale: reportLopEditions.locale,
      edition: reportLopEditions.edition,
      dated: reportLopEditions.dated,
    })
    .from(reportLopEditions)
    .where(eq(reportLopEditions.id, id));
  if (!e) throw new DomainError('lop_edition_not_found', 404);
  if (!e.file) throw new DomainError('lop_edition_not_ready', 409);
  return { file: e.file, name: `list-of-participants-${e.scope}-${e.edition}-${e.locale}-${e.dated ?? ''}.${format}` };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * The job: reads the list, renders the PDF (writing rows done of total every 200 rows), makes the XLSX from the same
 * list, and stores both with the date printed on them. Idempotent: a rerun starts again from the first row.
 */
export async function runLopEdition(db: Db, now: () => Date, editionId: number): Promise<void> {
  const [e] = await db.select(summary).from(reportLopEditions).where(eq(reportLopEditions.id, editionId));
  if (!e || !running(e.state)) return;
  const at = now();
  const ctx = {
    db,
    actor: { kind: 'system' as const, name: 'list-of-participants' },
    locale: e.locale as Locale,
    now: at,
  };
  const input: LopInput = {
    event: e.scope === WEEK ? undefined : e.scope,
    edition: e.edition,
    locale: e.locale as Locale,
  };
  const progress = (done: number, total: number) =>
    db.update(reportLopEditions).set({ done, total }).where(eq(reportLopEditions.id, editionId));
  try {
    const lop = await getListOfParticipants(ctx, input, input.locale);
    await db
      .update(reportLopEditions)
      .set({ state: 'running', done: 0, total: lop.total, error: null })
      .where(eq(reportLopEditions.id, editionId));
    const heading = await lopHeading(ctx, input);
    // The fonts' first use blocks for up to a second (the Chinese font is 10 MB): once, before the first row.
    warmUpFonts();
    const pdf = await renderListOfParticipants({ lop, locale: input.locale, ...heading }, async (done, total) => {
      // The last call (done = total) is written with the files below.
      if (done < total) await progress(done, total);
    });
    const xlsx = await collect(xlsxStream(lopTable(lop, heading, input.locale)));
    await db
      .update(reportLopEditions)
      .set({
        state: 'done',
        done: lop.total,
        total: lop.total,
        pdf,
        xlsx,
        dated: genevaDate(at),
        finishedAt: now(),
      })
      .where(eq(reportLopEditions.id, editionId));
  } catch (err) {
    await db
      .update(reportLopEditions)
      .set({ state: 'failed', error: String((err as Error)?.message ?? err).slice(0, 500) })
      .where(and(eq(reportLopEditions.id, editionId), inArray(reportLopEditions.state, ['queued', 'running'])));
    throw err;
  }
}

export function lopJobHandlers(db: Db, clock: { now(): Date }): JobHandlers {
  return { [LOP_JOB]: async (payload) => runLopEdition(db, () => clock.now(), Number(payload.editionId)) };
}
