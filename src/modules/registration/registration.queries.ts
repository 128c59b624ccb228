import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
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
  const where = [];
  if (f.function) where.push(eq(registrations.function, f.function));
  if (f.mode) where.push(eq(registrations.mode, f.mode));
  if (f.personId) where.push(eq(registrations.personId, f.personId));
  if (f.entityIds) where.push(f.entityIds.length ? inArray(registrations.entityId, f.entityIds) : sql`false`);
  if (f.states) where.push(inArray(registrations.state, f.states));
  if (f.eventId) where.push(eq(registrations.eventId, f.eventId));
  if (f.after)
    where.push(
      sql`(${registrations.submittedAt}, ${registrations.id}) > (${f.after.at.toISOString()}::timestamptz, ${f.after.id})`,
    );
  const query = db
    .select()
    .from(registrations)
    .where(and(...where))
    .orderBy(asc(registrations.submittedAt), asc(registrations.id));
  return f.limit ? query.limit(f.limit) : query;
}
