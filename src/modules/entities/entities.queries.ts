/** SQL for entities and focal points; no rules here (see entities.service.ts). */
import { and, asc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { people, personAtEmail, personSortFamily, personSortGiven } from '../accounts/accounts.schema.js';
import { entities, focalPoints, type EntityKind } from './entities.schema.js';

export type Entity = typeof entities.$inferSelect;
export type NewEntity = typeof entities.$inferInsert;

export type EntityFilter = { kind?: EntityKind; region?: string; unGroup?: string };

/** Entities not merged into another, by id; the service sorts by name in the reader's language. */
export async function listLiveEntities(db: DbOrTx, f: EntityFilter): Promise<Entity[]> {
  const where: SQL[] = [isNull(entities.mergedInto)];
  if (f.kind) where.push(eq(entities.kind, f.kind));
  if (f.region) where.push(or(eq(entities.ituRegion, f.region), eq(entities.itudRegion, f.region))!);
  if (f.unGroup) where.push(eq(entities.unGroup, f.unGroup));
  return db
    .select()
    .from(entities)
    .where(and(...where))
    .orderBy(asc(entities.id));
}

export async function getEntity(db: DbOrTx, id: number): Promise<Entity | undefined> {
  const [row] = await db.select().from(entities).where(eq(entities.id, id));
  return row;
}

/** Locks the rows in id order (one order for every transaction: no deadlock between two merges). */
export async function getEntitiesForUpdate(db: DbOrTx, ids: number[]): Promise<Entity[]> {
  if (!ids.length) return [];
  return db.select().from(entities).where(inArray(entities.id, ids)).orderBy(asc(entities.id)).for('update');
}

/** The live entity of this kind with this code, other than `exceptId`. */
export async function findLiveByCode(
  db: DbOrTx,
  kind: EntityKind,
  code: string,
  exceptId?: number,
): Promise<Entity | undefined> {
  const where = [eq(entities.kind, kind), eq(entities.code, code), isNull(entities.mergedInto)];
  if (exceptId !== undefined) where.push(ne(entities.id, exceptId));
  const [row] = await db
    .select()
    .from(entities)
    .where(and(...where))
    .limit(1);
  return row;
}

/** A live entity of this kind, without a code, with this English name (case-insensitively): how code-less CSV rows match. */
export async function findLiveByEnglishName(db: DbOrTx, kind: EntityKind, nameEn: string): Promise<Entity | undefined> {
  const [row] = await db
    .select()
    .from(entities)
    .where(
      and(
        eq(entities.kind, kind),
        isNull(entities.code),
        isNull(entities.mergedInto),
        sql`lower(${entities.name}->>'en') = lower(${nameEn})`,
      ),
    )
    .orderBy(asc(entities.id))
    .limit(1);
  return row;
}

/** Inserts unless the (kind, code) is taken by a live entity; undefined then. */
export async function insertEntity(db: DbOrTx, values: NewEntity): Promise<Entity | undefined> {
  const [row] = await db.insert(entities).values(values).onConflictDoNothing().returning();
  return row;
}

/** Inserts the rows whose (kind, code) is free; returns how many were inserted. */
export async function insertEntitiesIgnoringConflicts(db: DbOrTx, values: NewEntity[]): Promise<number> {
  if (!values.length) return 0;
  const rows = await db.insert(entities).values(values).onConflictDoNothing().returning({ id: entities.id });
  return rows.length;
}

export async function updateEntity(db: DbOrTx, id: number, values: Partial<NewEntity>): Promise<Entity> {
  const [row] = await db.update(entities).set(values).where(eq(entities.id, id)).returning();
  return row;
}

/** Every Member State code present, merged ones included. */
export async function listMemberStateCodes(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ code: entities.code }).from(entities).where(eq(entities.kind, 'member_state'));
  return rows.map((r) => r.code!).filter(Boolean);
}

export async function listMemberStateNames(db: DbOrTx) {
  return db
    .select({ id: entities.id, code: entities.code, name: entities.name })
    .from(entities)
    .where(eq(entities.kind, 'member_state'))
    .orderBy(asc(entities.id));
}

export async function setEntityName(db: DbOrTx, id: number, name: Entity['name'], now: Date): Promise<void> {
  await db.update(entities).set({ name, updatedAt: now }).where(eq(entities.id, id));
}

export async function movePeople(db: DbOrTx, from: number, into: number, now: Date): Promise<number> {
  const rows = await db
    .update(people)
    .set({ entityId: into, updatedAt: now })
    .where(eq(people.entityId, from))
    .returning({ id: people.id });
  return rows.length;
}

/** Moves `from`'s focal points to `into` (a person already focal point of both keeps one); returns how many moved. */
export async function moveFocalPoints(db: DbOrTx, from: number, into: number): Promise<number> {
  const moved = await db.execute<{ person_id: string }>(sql`
    insert into ${focalPoints} (entity_id, person_id, appointed_at, appointed_by)
    select ${into}, person_id, appointed_at, appointed_by from ${focalPoints} where entity_id = ${from}
    on conflict do nothing
    returning person_id`);
  await db.delete(focalPoints).where(eq(focalPoints.entityId, from));
  return rowsOf(moved).length;
}

/** Entities merged earlier into `from` now point at `into`: one hop to the live entity, always. */
export async function repointMerged(db: DbOrTx, from: number, into: number, now: Date): Promise<void> {
  await db.update(entities).set({ mergedInto: into, updatedAt: now }).where(eq(entities.mergedInto, from));
}

export type FocalPointRow = {
  personId: string;
  email: string | null;
  givenName: string;
  familyName: string;
  appointedAt: Date;
  appointedBy: string;
};

export async function listFocalPoints(db: DbOrTx, entityId: number): Promise<FocalPointRow[]> {
  return db
    .select({
      personId: focalPoints.personId,
      email: people.email,
      givenName: people.givenName,
      familyName: people.familyName,
      appointedAt: focalPoints.appointedAt,
      appointedBy: focalPoints.appointedBy,
    })
    .from(focalPoints)
    .innerJoin(people, eq(focalPoints.personId, people.id))
    .where(eq(focalPoints.entityId, entityId))
    .orderBy(personSortFamily(people), personSortGiven(people), asc(people.id));
}

/** Inserts the focal point; false when it already existed. */
export async function insertFocalPoint(db: DbOrTx, v: typeof focalPoints.$inferInsert): Promise<boolean> {
  const rows = await db
    .insert(focalPoints)
    .values(v)
    .onConflictDoNothing()
    .returning({ personId: focalPoints.personId });
  return rows.length > 0;
}

export async function deleteFocalPoint(db: DbOrTx, entityId: number, personId: string): Promise<boolean> {
  const rows = await db
    .delete(focalPoints)
    .where(and(eq(focalPoints.entityId, entityId), eq(focalPoints.personId, personId)))
    .returning({ personId: focalPoints.personId });
  return rows.length > 0;
}

/** A person who can be appointed: with this (lower-cased) address (or merged into them) and not erased. */
export async function findPersonByEmail(db: DbOrTx, email: string) {
  const [row] = await db
    .select({ id: people.id, email: people.email, givenName: people.givenName, familyName: people.familyName })
    .from(people)
    .where(personAtEmail(email));
  return row;
}

/** node-postgres answers `{ rows }`, PGlite too; drizzle passes either through from `execute`. */
function rowsOf<T>(res: unknown): T[] {
  return Array.isArray(res) ? (res as T[]) : ((res as { rows?: T[] }).rows ?? []);
}
