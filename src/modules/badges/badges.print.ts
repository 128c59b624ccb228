/**
 * Badge printing. A batch is chosen by a filter (event, category, entity, not yet printed), fixed as a list of badge
 * ids when it is made, and rendered by a job into one PDF file; progress is written as it goes so the desk sees it.
 * Rendering yields to the event loop between badges, so the server keeps answering while thousands print.
 * Prints and reprints are counted on each badge and audited.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { countryName } from '../../platform/i18n/countries.js';
import { text } from '../../platform/i18n/localized.js';
import { enqueue, type JobHandlers } from '../../platform/jobs.js';
import { authorize } from '../../platform/permissions.js';
import { appSettings } from '../../platform/platform.schema.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { eventLogos, events } from '../events/index.js';
import { personPhotos, registrations, registrationReference } from '../registration/index.js';
import { warmUpFonts } from '../../platform/pdf/index.js';
import { renderBadges, type BadgeSize, type BadgeView } from './badges.pdf.js';
import { badgePrintBatches, badges } from './badges.schema.js';
import { BADGE_CATEGORIES, issueMissingBadges, recordPrints, refreshUnprintedCategories } from './badges.service.js';
import { fullName, honorificLabel, latinIfDifferent } from '../../platform/i18n/names.js';
import { getOrganiser, organiserName } from '../../platform/organiser.js';

export const PRINT_JOB = 'badges.print_batch';

export const BatchFilter = z.object({
  event: z.string().max(80).optional(),
  category: z.enum(BADGE_CATEGORIES).optional(),
  entityId: z.coerce.number().int().positive().optional(),
  notPrinted: z.boolean().optional(),
});
export type BatchFilter = z.infer<typeof BatchFilter>;

/** Band colours by category; an event may set its own (app setting `badge_colours`: `{ "<event slug>": { VIP: "#…" } }`). */
export const DEFAULT_COLOURS: Record<string, string> = {
  VIP: '#b8860b',
  Delegate: '#1f5fa8',
  Speaker: '#7b2d8e',
  Media: '#c0392b',
  Secretariat: '#1e7b4f',
  Staff: '#4d4d4d',
  Participant: '#d9d9d9',
};

export async function badgeColours(db: DbOrTx, eventSlug?: string): Promise<Record<string, string>> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, 'badge_colours'));
  let custom: Record<string, Record<string, string>> = {};
  try {
    custom = row ? JSON.parse(row.value) : {};
  } catch {
    custom = {};
  }
  return { ...DEFAULT_COLOURS, ...(custom.default ?? {}), ...(eventSlug ? (custom[eventSlug] ?? {}) : {}) };
}

const Hex = z.string().regex(/^#[0-9a-fA-F]{6}$/);
export const ColoursInput = z.object(
  Object.fromEntries(BADGE_CATEGORIES.map((c) => [c, Hex])) as Record<(typeof BADGE_CATEGORIES)[number], typeof Hex>,
);

/** Sets an event's band colours (or the default for every event, `default`). Audited. */
export async function setBadgeColours(ctx: Ctx & { db: Db }, eventSlug: string, colours: z.infer<typeof ColoursInput>) {
  authorize(ctx, 'badges.print');
  if (eventSlug !== 'default') {
    const [e] = await ctx.db.select({ id: events.id }).from(events).where(eq(events.slug, eventSlug));
    if (!e) throw new DomainError('event_not_found', 404);
  }
  const clean = ColoursInput.parse(colours);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(appSettings).where(eq(appSettings.key, 'badge_colours')).for('update');
    let all: Record<string, Record<string, string>> = {};
    try {
      all = row ? JSON.parse(row.value) : {};
    } catch {
      all = {};
    }
    const before = all[eventSlug] ?? {};
    all[eventSlug] = clean;
    await tx
      .insert(appSettings)
      .values({ key: 'badge_colours', value: JSON.stringify(all) })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: JSON.stringify(all) } });
    await audit(
      tx,
      { ...ctx, db: tx },
      { action: 'badge_colours.set', subjectType: 'event', subjectId: eventSlug, before, after: clean },
    );
  });
}

/** Where batch PDFs are written: `<data>/badges`, or a temporary folder when the database lives in memory. */
export function badgeFilesDir(dataDir: string): string {
  return dataDir === 'memory://' ? path.join(os.tmpdir(), 'convene-badges') : path.join(dataDir, 'badges');
}

const country = (code: string | null | undefined) => {
  if (!code) return '';
  try {
    return countryName('en', code);
  } catch {
    return '';
  }
};

/** The badges of `ids`, in that order, as the renderer needs them, loaded a chunk at a time. */
export async function* badgeViews(
  db: DbOrTx,
  ids: number[],
  colours: Record<string, string>,
): AsyncGenerator<BadgeView> {
  const org = await getOrganiser(db);
  const organiser = { name: organiserName(org, 'en').text, logo: org.logo?.png };
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    const rows = await db
      .select({
        b: badges,
        p: people,
        entityName: entities.name,
        entityKind: entities.kind,
        entityCode: entities.code,
        photo: personPhotos.jpeg,
      })
      .from(badges)
      .innerJoin(people, eq(badges.personId, people.id))
      .leftJoin(entities, eq(people.entityId, entities.id))
      .leftJoin(personPhotos, eq(personPhotos.personId, people.id))
      .where(inArray(badges.id, chunk));
    const personIds = rows.map((r) => r.p.id);
    const regs = personIds.length
      ? await db
          .select({
            id: registrations.id,
            personId: registrations.personId,
            eventId: registrations.eventId,
            name: events.name,
            startDate: events.startDate,
          })
          .from(registrations)
          .innerJoin(events, eq(registrations.eventId, events.id))
          .where(
            and(
              inArray(registrations.personId, personIds),
              eq(registrations.state, 'approved'),
              eq(registrations.mode, 'in_person'),
            ),
          )
          .orderBy(asc(events.startDate), asc(events.id))
      : [];
    // An event's own logo stands for the organiser's on the badges of its participants (the first of their events
    // that has one, in date order).
    const eventIds = [...new Set(regs.map((x) => x.eventId))];
    const logos = new Map(
      (eventIds.length
        ? await db
            .select({ eventId: eventLogos.eventId, png: eventLogos.png })
            .from(eventLogos)
            .where(inArray(eventLogos.eventId, eventIds))
        : []
      ).map((l) => [l.eventId, l.png]),
    );
    const byId = new Map(rows.map((r) => [r.b.id, r]));
    for (const id of chunk) {
      const r = byId.get(id);
      if (!r) continue;
      const mine = regs.filter((x) => x.personId === r.p.id);
      yield {
        token: r.b.token,
        reference: mine[0] ? registrationReference(mine[0].id) : '',
        category: r.b.category,
        colour: colours[r.b.category] ?? DEFAULT_COLOURS.Participant,
        honorific: honorificLabel(r.p.honorific, 'en'),
        name: fullName(r.p),
        nameLatin: latinIfDifferent(r.p),
        title: r.p.jobTitle,
        entity: r.entityName ? text(r.entityName, 'en') : '',
        // A Member State's delegate: the entity is the country; others show their nationality.
        country: r.entityKind === 'member_state' ? '' : country(r.p.nationality),
        events: mine.map((x) => text(x.name, 'en')),
        photo: r.photo ?? null,
        organiser: ((logo) => (logo ? { ...organiser, logo } : organiser))(
          mine.map((x) => logos.get(x.eventId)).find(Boolean),
        ),
      };
    }
  }
}

/** The live badges a filter selects, in print order (entity, then family name). */
async function select(db: DbOrTx, f: BatchFilter): Promise<number[]> {
  const conds = [isNull(badges.revokedAt)];
  if (f.category) conds.push(eq(badges.category, f.category));
  if (f.entityId) conds.push(eq(people.entityId, f.entityId));
  if (f.notPrinted) conds.push(eq(badges.printCount, 0));
  if (f.event) {
    const [e] = await db.select({ id: events.id }).from(events).where(eq(events.slug, f.event));
    if (!e) throw new DomainError('event_not_found', 404);
    conds.push(
      sql`exists (select 1 from ${registrations} r where r.person_id = ${badges.personId} and r.event_id = ${e.id} and r.state = 'approved' and r.mode = 'in_person')`,
    );
  }
  const rows = await db
    .select({ id: badges.id })
    .from(badges)
    .innerJoin(people, eq(badges.personId, people.id))
    .where(and(...conds))
    .orderBy(
      asc(people.entityId),
      sql`${people.familyNameLatin} collate "und-x-icu"`,
      sql`${people.givenNameLatin} collate "und-x-icu"`,
      asc(badges.id),
    );
  return rows.map((r) => r.id);
}

export type Batch = typeof badgePrintBatches.$inferSelect;

/** Makes a batch from a filter and queues its rendering. An empty selection is refused (`batch_empty`). */
export async function createBatch(ctx: Ctx & { db: Db }, filter: BatchFilter, size: BadgeSize): Promise<Batch> {
  authorize(ctx, 'badges.print');
  await issueMissingBadges(ctx.db, ctx.now);
  await refreshUnprintedCategories(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const ids = await select(tx, filter);
    if (!ids.length) throw new DomainError('batch_empty', 422);
    const [batch] = await tx
      .insert(badgePrintBatches)
      .values({
        filter: JSON.stringify(filter),
        size,
        total: ids.length,
        badgeIds: ids,
        createdBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system',
        createdAt: ctx.now,
      })
      .returning();
    await enqueue(tx, ctx.now, PRINT_JOB, { batchId: batch.id }, { maxAttempts: 2 });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'badge_batch.created',
        subjectType: 'badge_batch',
        subjectId: String(batch.id),
        data: { filter, size, total: ids.length },
      },
    );
    return batch;
  });
}

export async function getBatch(ctx: Ctx, id: number): Promise<Batch> {
  authorize(ctx, 'badges.print');
  const [b] = await ctx.db.select().from(badgePrintBatches).where(eq(badgePrintBatches.id, id));
  if (!b) throw new DomainError('batch_not_found', 404);
  return b;
}

export async function listBatches(ctx: Ctx, limit = 20): Promise<Omit<Batch, 'badgeIds'>[]> {
  authorize(ctx, 'badges.print');
  const { badgeIds: _ids, ...cols } = badgePrintBatches;
  void _ids;
  return ctx.db
    .select({
      id: cols.id,
      filter: cols.filter,
      size: cols.size,
      state: cols.state,
      total: cols.total,
      done: cols.done,
      file: cols.file,
      error: cols.error,
      createdBy: cols.createdBy,
      createdAt: cols.createdAt,
      finishedAt: cols.finishedAt,
    })
    .from(badgePrintBatches)
    .orderBy(desc(badgePrintBatches.id))
    .limit(limit);
}

/** The finished PDF of a batch, as a path to stream. */
export async function batchFile(ctx: Ctx, id: number, dataDir: string): Promise<string> {
  const b = await getBatch(ctx, id);
  if (b.state !== 'done' || !b.file) throw new DomainError('batch_not_ready', 409);
  const file = path.join(badgeFilesDir(dataDir), b.file);
  if (!fs.existsSync(file)) throw new DomainError('batch_not_found', 404);
  return file;
}

/** Renders a batch into its file (the job). Idempotent: a rerun starts the file again. */
export async function runBatch(db: Db, now: () => Date, dataDir: string, batchId: number): Promise<void> {
  const [batch] = await db.select().from(badgePrintBatches).where(eq(badgePrintBatches.id, batchId));
  if (!batch || batch.state === 'done') return;
  await db
    .update(badgePrintBatches)
    .set({ state: 'running', done: 0, error: null })
    .where(eq(badgePrintBatches.id, batchId));
  const dir = badgeFilesDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  // A random part: several databases (tests, rehearsals) may share the folder when the database lives in memory.
  const name = `batch-${batchId}-${randomBytes(6).toString('hex')}.pdf`;
  const tmp = path.join(dir, `${name}.part`);
  let stream: fs.WriteStream | undefined;
  try {
    const filter = JSON.parse(batch.filter) as BatchFilter;
    const colours = await badgeColours(db, filter.event);
    let lastWrite = 0;
    // The fonts' first use blocks for up to a second (the Chinese font is 10 MB): done once, before the first badge.
    warmUpFonts();
    stream = fs.createWriteStream(tmp);
    await renderBadges(stream, badgeViews(db, batch.badgeIds, colours), {
      size: batch.size,
      onProgress: async (done) => {
        // Progress every 50 badges (and at the end): cheap enough, and the desk's page moves.
        if (done - lastWrite >= 50 || done === batch.total) {
          lastWrite = done;
          await db.update(badgePrintBatches).set({ done }).where(eq(badgePrintBatches.id, batchId));
        }
      },
    });
    fs.renameSync(tmp, path.join(dir, name));
    const ctx = { db, actor: { kind: 'system' as const, name: 'badge-printer' }, locale: 'en' as const, now: now() };
    await db.transaction(async (tx) => {
      await recordPrints(tx, ctx, batch.badgeIds);
      await tx
        .update(badgePrintBatches)
        .set({ state: 'done', done: batch.total, file: name, finishedAt: now() })
        .where(eq(badgePrintBatches.id, batchId));
    });
  } catch (e) {
    stream?.destroy();
    fs.rmSync(tmp, { force: true });
    await db
      .update(badgePrintBatches)
      .set({ state: 'failed', error: String((e as Error)?.message ?? e).slice(0, 500) })
      .where(eq(badgePrintBatches.id, batchId));
    throw e;
  }
}

export function badgeJobHandlers(db: Db, clock: { now(): Date }, dataDir: string): JobHandlers {
  return { [PRINT_JOB]: async (payload) => runBatch(db, () => clock.now(), dataDir, Number(payload.batchId)) };
}

/** One badge as a PDF (the desk prints it on the spot); the print is counted. */
export async function singleBadgePdf(
  ctx: Ctx & { db: Db },
  id: number,
  size: BadgeSize,
  out: NodeJS.WritableStream,
): Promise<void> {
  authorize(ctx, 'badges.print');
  const [b] = await ctx.db.select().from(badges).where(eq(badges.id, id));
  if (!b) throw new DomainError('badge_not_found', 404);
  if (b.revokedAt) throw new DomainError('badge_revoked', 409);
  await refreshUnprintedCategories(ctx.db, [b.personId]);
  const colours = await badgeColours(ctx.db);
  await ctx.db.transaction(async (tx) => recordPrints(tx, ctx, [id]));
  await renderBadges(out, badgeViews(ctx.db, [id], colours), { size });
}
