/**
 * Entities (Member States' administrations and the other organisations participants come from) and their Designated
 * Focal Points. Everyone reads the list; administrators create, edit, merge and import entities and appoint focal
 * points; a DFP sees their own entity's focal points. Each write is one transaction with its audit rows; changes to
 * entities bump the content version (the public list is cached on it).
 */
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { FieldError } from '../../platform/http/errors.js';
import { intlTag } from '../../platform/i18n/format.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { authorize, can } from '../../platform/permissions.js';
import { MAX_ROWS, readEntitiesCsv, type CsvProblem } from './entities.csv.js';
import { check, EntityFlat, EntityInput, type EntityData, type EntityPatch } from './entities.input.js';
import { countryNames } from './entities.names.js';
import type { EntityKind } from './entities.schema.js';
import * as q from './entities.queries.js';

type WCtx = Ctx & { db: Db };
export type Entity = q.Entity;
export type FocalPoint = q.FocalPointRow;

/** The entity's name in `locale`, else in the first language of the fallback order that has it. */
export function entityName(e: { name: Localized; code?: string | null }, locale: Locale): string {
  return text(e.name, locale) || e.code || '';
}

/** Folds text for search: lower case, accents removed ("cote d'ivoire" finds "Côte d’Ivoire"). */
const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[’‘`]/g, "'").toLowerCase();

export type EntityListFilter = { kind?: EntityKind; q?: string; region?: string; unGroup?: string };

/** Public: entities not merged into another, sorted by name in the reader's language. */
export async function listEntities(ctx: Ctx, f: EntityListFilter = {}): Promise<Entity[]> {
  const rows = await q.listLiveEntities(ctx.db, { kind: f.kind, region: f.region, unGroup: f.unGroup });
  const needle = f.q ? fold(f.q.trim()) : '';
  const found = needle
    ? rows.filter(
        (e) => e.code?.toLowerCase() === needle || Object.values(e.name).some((n) => n && fold(n).includes(needle)),
      )
    : rows;
  const collator = new Intl.Collator(intlTag(ctx.locale));
  return found
    .map((e) => ({ e, key: entityName(e, ctx.locale) }))
    .sort((a, b) => collator.compare(a.key, b.key) || a.e.id - b.e.id)
    .map((x) => x.e);
}

/** Public: one entity, merged ones included (`mergedInto` says where it went). Throws `entity_not_found`. */
export async function getEntity(ctx: Ctx, id: number): Promise<Entity> {
  const e = await q.getEntity(ctx.db, id);
  if (!e) throw new DomainError('entity_not_found', 404);
  return e;
}

/** A unique index refused the row (a concurrent writer took the code first); drizzle wraps the driver's error. */
function isUniqueViolation(e: unknown): boolean {
  const code = (x: unknown) => (x as { code?: unknown } | undefined)?.code;
  return code(e) === '23505' || code((e as { cause?: unknown } | undefined)?.cause) === '23505';
}

const invalid = (errors: FieldError[]) => new DomainError('invalid_input', 400, {}, errors);

/** What is stored: Member States always have their country, and a name in every language (Intl fills gaps). */
function toRow(d: EntityData) {
  const name: Localized = d.kind === 'member_state' && d.code ? { ...countryNames(d.code), ...d.name } : d.name;
  return {
    kind: d.kind,
    code: d.code ?? null,
    name: Object.fromEntries(LOCALES.flatMap((l) => (name[l] ? [[l, name[l]]] : []))) as Localized,
    country: d.country ?? (d.kind === 'member_state' ? (d.code ?? null) : null),
    ituRegion: d.ituRegion ?? null,
    itudRegion: d.itudRegion ?? null,
    unGroup: d.unGroup ?? null,
  };
}

const AUDITED = ['kind', 'code', 'name', 'country', 'ituRegion', 'itudRegion', 'unGroup'] as const;
const fields = (e: Entity) => Object.fromEntries(AUDITED.map((k) => [k, e[k]]));

async function insertChecked(tx: DbOrTx, ctx: Ctx, d: EntityData, via?: string): Promise<Entity> {
  const row = await q.insertEntity(tx, { ...toRow(d), createdAt: ctx.now, updatedAt: ctx.now });
  if (!row) throw new DomainError('entity_code_taken', 409, { code: d.code ?? '' });
  await audit(tx, ctx, {
    action: 'entities.created',
    subjectType: 'entity',
    subjectId: row.id,
    after: fields(row),
    data: via ? { via } : undefined,
  });
  return row;
}

/** Creates an entity. Throws `invalid_input`, `entity_code_taken` (a live entity of that kind has the code). */
export async function createEntity(ctx: WCtx, input: EntityInput | EntityData): Promise<Entity> {
  authorize(ctx, 'entities.manage');
  const checked = check(EntityInput, input, ctx.locale);
  if (!checked.ok) throw invalid(checked.errors);
  return ctx.db.transaction(async (tx) => {
    const row = await insertChecked(tx, ctx, checked.data);
    await bumpContentVersion(tx);
    return row;
  });
}

/** The entity after `patch`: absent fields kept, null clears, names change per language. */
function applyPatch(before: Entity, patch: EntityPatch): EntityInput {
  const name: Record<string, string | undefined> = { ...before.name };
  for (const [l, v] of Object.entries(patch.name ?? {})) if (v !== undefined) name[l] = v ?? undefined;
  const pick = <K extends keyof EntityPatch & keyof Entity>(k: K) => (patch[k] !== undefined ? patch[k] : before[k]);
  return {
    kind: patch.kind ?? before.kind,
    code: pick('code'),
    name: Object.fromEntries(Object.entries(name).filter(([, v]) => v)),
    country: pick('country'),
    ituRegion: pick('ituRegion') as EntityInput['ituRegion'],
    itudRegion: pick('itudRegion') as EntityInput['itudRegion'],
    unGroup: pick('unGroup') as EntityInput['unGroup'],
  };
}

async function updateChecked(tx: DbOrTx, ctx: Ctx, before: Entity, patch: EntityPatch, via?: string): Promise<Entity> {
  const checked = check(EntityInput, applyPatch(before, patch), ctx.locale);
  if (!checked.ok) throw invalid(checked.errors);
  const row = toRow(checked.data);
  if (
    row.code &&
    (row.code !== before.code || row.kind !== before.kind) &&
    !before.mergedInto &&
    (await q.findLiveByCode(tx, row.kind, row.code, before.id))
  ) {
    throw new DomainError('entity_code_taken', 409, { code: row.code });
  }
  const after = await q.updateEntity(tx, before.id, { ...row, updatedAt: ctx.now }).catch((e: unknown) => {
    throw isUniqueViolation(e) ? new DomainError('entity_code_taken', 409, { code: row.code ?? '' }) : e;
  });
  await audit(tx, ctx, {
    action: 'entities.updated',
    subjectType: 'entity',
    subjectId: before.id,
    before: fields(before),
    after: fields(after),
    data: via ? { via } : undefined,
  });
  return after;
}

/** Changes an entity (see EntityPatch). Throws `entity_not_found`, `invalid_input`, `entity_code_taken`. */
export async function updateEntity(ctx: WCtx, input: { id: number; patch: EntityPatch }): Promise<Entity> {
  authorize(ctx, 'entities.manage');
  return ctx.db.transaction(async (tx) => {
    const [before] = await q.getEntitiesForUpdate(tx, [input.id]);
    if (!before) throw new DomainError('entity_not_found', 404);
    const after = await updateChecked(tx, ctx, before, input.patch);
    await bumpContentVersion(tx);
    return after;
  });
}

export type MergeResult = { from: number; into: number; people: number; focalPoints: number };

/**
 * Merges a duplicate into the entity that stays: its people and focal points move to `into`, entities merged into it
 * earlier now point at `into`, and it keeps its row (for history) with `mergedInto` set. A Member State merges only
 * into a Member State, and another organisation only into another organisation. Throws `entity_not_found`,
 * `entity_merge_invalid` (the same entity, one already merged, or across that line).
 */
export async function mergeEntities(ctx: WCtx, input: { from: number; into: number }): Promise<MergeResult> {
  authorize(ctx, 'entities.manage');
  if (input.from === input.into) throw new DomainError('entity_merge_invalid', 409);
  return ctx.db.transaction(async (tx) => {
    const rows = await q.getEntitiesForUpdate(tx, [input.from, input.into]);
    const from = rows.find((r) => r.id === input.from);
    const into = rows.find((r) => r.id === input.into);
    if (!from || !into) throw new DomainError('entity_not_found', 404);
    if (from.mergedInto || into.mergedInto || (from.kind === 'member_state') !== (into.kind === 'member_state')) {
      throw new DomainError('entity_merge_invalid', 409);
    }
    const people = await q.movePeople(tx, from.id, into.id, ctx.now);
    const focalPoints = await q.moveFocalPoints(tx, from.id, into.id);
    await q.repointMerged(tx, from.id, into.id, ctx.now);
    await q.updateEntity(tx, from.id, { mergedInto: into.id, updatedAt: ctx.now });
    await audit(tx, ctx, {
      action: 'entities.merged',
      subjectType: 'entity',
      subjectId: from.id,
      before: { mergedInto: null },
      after: { mergedInto: into.id },
      data: { into: into.id, people, focalPoints },
    });
    await bumpContentVersion(tx);
    return { from: from.id, into: into.id, people, focalPoints };
  });
}

export type ImportRejection = { line: number; errors: FieldError[] };
export type ImportReport = { inserted: number; updated: number; rejected: ImportRejection[] };

function csvProblem(locale: Locale, p: CsvProblem): ImportRejection {
  const message = translate(locale, `entities.import.problem.${p.problem}`, { columns: (p.columns ?? []).join(', ') });
  return { line: p.line, errors: [{ field: '', message }] };
}

/**
 * Imports entities from CSV (columns: see CSV_COLUMNS; only `kind` is required). Each row is checked like a form;
 * a row whose kind and code (or, without a code, kind and English name) match a live entity updates it — empty cells
 * keep what is there — otherwise it is inserted. Rejected rows are reported with their line and the reasons in the
 * caller's language, and the good rows are imported all together in one transaction. If the file itself cannot be
 * read (a broken quote, a wrong header), nothing is imported. Throws `payload_too_large` beyond MAX_ROWS rows.
 */
export async function importEntitiesCsv(ctx: WCtx, csvText: string): Promise<ImportReport> {
  authorize(ctx, 'entities.manage');
  const read = readEntitiesCsv(csvText);
  if (read.records.length > MAX_ROWS) throw new DomainError('payload_too_large', 413, { max: MAX_ROWS });
  const rejected: ImportRejection[] = read.problems.map((p) => csvProblem(ctx.locale, p));
  if (read.fatal) return { inserted: 0, updated: 0, rejected };

  const valid: { line: number; data: EntityData }[] = [];
  for (const r of read.records) {
    const checked = check(EntityFlat, r.values, ctx.locale);
    if (checked.ok) valid.push({ line: r.line, data: checked.data });
    else rejected.push({ line: r.line, errors: checked.errors });
  }

  let inserted = 0;
  let updated = 0;
  await ctx.db.transaction(async (tx) => {
    for (const { line, data } of valid) {
      const existing = data.code
        ? await q.findLiveByCode(tx, data.kind, data.code)
        : data.name.en
          ? await q.findLiveByEnglishName(tx, data.kind, data.name.en)
          : undefined;
      try {
        if (existing) {
          const [locked] = await q.getEntitiesForUpdate(tx, [existing.id]);
          const patch: EntityPatch = { ...data, name: data.name };
          await updateChecked(tx, ctx, locked, patch, 'import');
          updated++;
        } else {
          await insertChecked(tx, ctx, data, 'import');
          inserted++;
        }
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const errors = Array.isArray(e.details)
          ? (e.details as FieldError[])
          : [{ field: 'code', message: translate(ctx.locale, `errors.${e.code}`, e.params) }];
        rejected.push({ line, errors });
      }
    }
    await audit(tx, ctx, {
      action: 'entities.imported',
      subjectType: 'entity',
      subjectId: 'csv',
      data: { inserted, updated, rejected: rejected.length },
    });
    if (inserted || updated) await bumpContentVersion(tx);
  });
  return { inserted, updated, rejected: rejected.sort((a, b) => a.line - b.line) };
}

const actorId = (ctx: Ctx) =>
  ctx.actor.kind === 'person' ? ctx.actor.id : ctx.actor.kind === 'system' ? `system:${ctx.actor.name}` : 'anonymous';

/**
 * Appoints the person with this e-mail address Designated Focal Point of the entity. Idempotent: appointing again
 * changes nothing. Throws `entity_not_found` (also for a merged entity), `person_not_found`.
 */
export async function appointFocalPoint(
  ctx: WCtx,
  input: { entityId: number; email: string },
): Promise<{ personId: string; created: boolean }> {
  authorize(ctx, 'focal_points.manage');
  const email = input.email.trim().toLowerCase();
  return ctx.db.transaction(async (tx) => {
    const [entity] = await q.getEntitiesForUpdate(tx, [input.entityId]);
    if (!entity || entity.mergedInto) throw new DomainError('entity_not_found', 404);
    const person = await q.findPersonByEmail(tx, email);
    if (!person) throw new DomainError('person_not_found', 404);
    const created = await q.insertFocalPoint(tx, {
      entityId: entity.id,
      personId: person.id,
      appointedAt: ctx.now,
      appointedBy: actorId(ctx),
    });
    if (created) {
      await audit(tx, ctx, {
        action: 'entities.focal_point_appointed',
        subjectType: 'entity',
        subjectId: entity.id,
        data: { personId: person.id },
      });
    }
    return { personId: person.id, created };
  });
}

/** Ends an appointment. Idempotent. Throws `entity_not_found`. */
export async function removeFocalPoint(
  ctx: WCtx,
  input: { entityId: number; personId: string },
): Promise<{ removed: boolean }> {
  authorize(ctx, 'focal_points.manage');
  return ctx.db.transaction(async (tx) => {
    const [entity] = await q.getEntitiesForUpdate(tx, [input.entityId]);
    if (!entity) throw new DomainError('entity_not_found', 404);
    const removed = await q.deleteFocalPoint(tx, input.entityId, input.personId);
    if (removed) {
      await audit(tx, ctx, {
        action: 'entities.focal_point_removed',
        subjectType: 'entity',
        subjectId: entity.id,
        data: { personId: input.personId },
      });
    }
    return { removed };
  });
}

/** Who may see an entity's focal points: secretariat staff (entities.view), or a DFP of that very entity. */
export function mayListFocalPoints(ctx: Pick<Ctx, 'actor'>, entityId: number): boolean {
  return can(ctx.actor, 'entities.view') || can(ctx.actor, 'entity.act', { entityId });
}

/** The entity's focal points. Throws `unauthenticated`, `forbidden` (before revealing whether it exists), `entity_not_found`. */
export async function listFocalPoints(ctx: Ctx, entityId: number): Promise<FocalPoint[]> {
  if (!mayListFocalPoints(ctx, entityId)) authorize(ctx, 'entity.act', { entityId }); // throws the right one
  await getEntity(ctx, entityId);
  return q.listFocalPoints(ctx.db, entityId);
}
