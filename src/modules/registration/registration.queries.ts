import { and, asc, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.js';
import { people } from '../accounts/index.js';
import { focalPoints } from '../entities/index.js';
import { registrationSettings, registrations } from './registration.schema.js';
import type { RegistrationState } from './registration.state.js';

export type Registration = typeof registrations.$inferSelect;

export async function getSettings(db: DbOrTx, eventId: number) {
  const [row] = await db.select().from(registrationSettings).where(eq(registrationSettings.eventId, eventId));
  return row;
}

export async function entityHasFocalPoint(db: DbOrTx, entityId: number): Promise<boolean> {
  const [r] = await db.select({ n: count() }).from(focalPoints).where(eq(focalPoints.entityId, entityId));
  return r.n > 0;
}

export async function getForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(registrations).where(eq(registrations.id, id)).for('update');
  return row;
}

export async function getLive(db: DbOrTx, personId: string, eventId: number) {
  const [row] = await db
    .select()
    .from(registrations)
    .where(
      and(
        eq(registrations.personId, personId),
        eq(registrations.eventId, eventId),
        sql`${registrations.state} in ('pending_dfp', 'pending_secretariat', 'approved', 'waitlisted')`,
      ),
    );
  return row;
}

/** In-person places taken at an event. Call under the event's lock. */
export async function countApprovedInPerson(db: DbOrTx, eventId: number): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(registrations)
    .where(
      and(eq(registrations.eventId, eventId), eq(registrations.state, 'approved'), eq(registrations.mode, 'in_person')),
    );
  return r.n;
}

/** The first in the waiting list of an event (first decided, first served). */
export async function firstWaitlisted(db: DbOrTx, eventId: number) {
  const [row] = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.state, 'waitlisted')))
    .orderBy(asc(registrations.decidedAt), asc(registrations.submittedAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** What a queue can be narrowed by. */
export type QueueFilter = {
  eventId?: number;
  function?: string;
  state?: RegistrationState;
  mode?: 'in_person' | 'remote';
  /** One page: at most `limit` requests received after `after` (a cursor from the previous page). */
  limit?: number;
  after?: { at: Date; id: string };
};

/** The cursor of the request a page ended with: opaque to callers. */
export const queueCursor = (r: { submittedAt: Date; id: string }) =>
  Buffer.from(`${r.submittedAt.toISOString()}|${r.id}`).toString('base64url');
export function parseQueueCursor(c: string): { at: Date; id: string } | undefined {
  const [iso, id] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  const at = new Date(iso ?? '');
  return id && !Number.isNaN(at.getTime()) && /^[0-9a-f-]{36}$/.test(id) ? { at, id } : undefined;
}

export async function listFor(
  db: DbOrTx,
  f: QueueFilter & { personId?: string; entityIds?: number[]; states?: RegistrationState[] },
) {
  const where: SQL[] = [];
  if (f.function) where.push(eq(registrations.function, f.function));
  if (f.mode) where.push(eq(registrations.mode, f.mode));
  if (f.personId) where.push(eq(registrations.personId, f.personId));
  if (f.entityIds) where.push(f.entityIds.length ? inArray(registrations.entityId, f.entityIds) : sql`false`);
  if (f.eventId) where.push(eq(registrations.eventId, f.eventId));
  if (f.after)
    where.push(
      sql`(${registrations.submittedAt}, ${registrations.id}) > (${f.after.at.toISOString()}::timestamptz, ${f.after.id})`,
    );
  const order = () => [asc(registrations.submittedAt), asc(registrations.id)];
  const states = f.states ? [...new Set(f.states)] : undefined;
  if (f.limit && states && states.length > 1) {
    // A page over several states: each state's first `limit` straight from the (event, state, received) index, then
    // merged — never a sort of every request in those states.
    const arm = (state: RegistrationState) =>
      db
        .select()
        .from(registrations)
        .where(and(...where, eq(registrations.state, state)))
        .orderBy(...order())
        .limit(f.limit!);
    const [a, b, ...rest] = states.map(arm);
    return unionAll(a, b, ...rest)
      .orderBy(...order())
      .limit(f.limit);
  }
  if (states) where.push(inArray(registrations.state, states));
  const query = db
    .select()
    .from(registrations)
    .where(and(...where))
    .orderBy(...order());
  return f.limit ? query.limit(f.limit) : query;
}

/** What the focal point's desk narrows by, on top of the queue's filters. */
export type DeskFilter = QueueFilter & {
  entityIds?: number[];
  states: RegistrationState[];
  /** Words of a name (either script) or an e-mail address. */
  search?: string;
  nationality?: string;
  after?: { at: Date; id: string };
  limit: number;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function deskWhere(f: DeskFilter) {
  const where = [inArray(registrations.state, f.states)];
  if (f.function) where.push(eq(registrations.function, f.function));
  if (f.mode) where.push(eq(registrations.mode, f.mode));
  if (f.eventId) where.push(eq(registrations.eventId, f.eventId));
  if (f.entityIds) where.push(f.entityIds.length ? inArray(registrations.entityId, f.entityIds) : sql`false`);
  if (f.nationality) where.push(eq(people.nationality, f.nationality));
  for (const word of (f.search ?? '').split(/\s+/).filter(Boolean).slice(0, 5)) {
    const like = `%${escapeLike(word)}%`;
    where.push(
      sql`(${people.givenName} ilike ${like} or ${people.familyName} ilike ${like} or ${people.givenNameLatin} ilike ${like} or ${people.familyNameLatin} ilike ${like} or ${people.email} ilike ${like})`,
    );
  }
  return and(...where);
}

/**
 * One page of the desk: the people with requests matching the filter, one row each, in the order their first such
 * request arrived (keyset: the cursor is that instant and the person's id), with those requests.
 */
export async function deskPage(db: DbOrTx, f: DeskFilter) {
  const first = sql<Date>`min(${registrations.submittedAt})`.mapWith(registrations.submittedAt);
  const page = await db
    .select({ personId: registrations.personId, first })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(deskWhere(f))
    .groupBy(registrations.personId)
    .having(
      f.after
        ? sql`(min(${registrations.submittedAt}), ${registrations.personId}) > (${f.after.at.toISOString()}::timestamptz, ${f.after.id})`
        : undefined,
    )
    .orderBy(sql`min(${registrations.submittedAt})`, registrations.personId)
    .limit(f.limit);
  if (!page.length) return { rows: [], next: null };
  const ids = page.map((p) => p.personId);
  const [regs, persons] = await Promise.all([
    db
      .select()
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(and(deskWhere(f), inArray(registrations.personId, ids)))
      .orderBy(registrations.eventId),
    db.select().from(people).where(inArray(people.id, ids)),
  ]);
  const byId = new Map(persons.map((p) => [p.id, p]));
  const rows = page.map((p) => ({
    person: byId.get(p.personId)!,
    registrations: regs.filter((r) => r.registrations.personId === p.personId).map((r) => r.registrations),
  }));
  const last = page[page.length - 1];
  return {
    rows,
    next:
      page.length === f.limit
        ? Buffer.from(`${last.first.toISOString()}|${last.personId}`).toString('base64url')
        : null,
  };
}

/** An entity's delegation to one event: its live requests with the people, for the delegation view and its export. */
export async function delegation(db: DbOrTx, entityId: number, eventId: number, states: RegistrationState[]) {
  return db
    .select({ reg: registrations, person: people })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .where(
      and(
        eq(registrations.entityId, entityId),
        eq(registrations.eventId, eventId),
        inArray(registrations.state, states),
      ),
    );
}
