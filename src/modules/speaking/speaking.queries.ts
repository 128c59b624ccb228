/** SQL only, no rules. */
import { and, asc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { entities } from '../entities/index.js';
import { sessions } from '../programme/programme.schema.js';
import { speakingLatePermits, speakingRequests, speakingSessionSettings, speakingSettings } from './speaking.schema.js';
import type { Rank, SpeakingKind, SpeakingState } from './speaking.rules.js';

export type SpeakingRequest = typeof speakingRequests.$inferSelect;
export type SpeakingSettings = typeof speakingSettings.$inferSelect;

export async function getSettings(db: DbOrTx, eventId: number): Promise<SpeakingSettings | undefined> {
  const [row] = await db.select().from(speakingSettings).where(eq(speakingSettings.eventId, eventId));
  return row;
}

export async function listSettings(db: DbOrTx): Promise<SpeakingSettings[]> {
  return db.select().from(speakingSettings);
}

export async function hasLatePermit(db: DbOrTx, eventId: number, entityId: number): Promise<boolean> {
  const rows = await db
    .select({ e: speakingLatePermits.entityId })
    .from(speakingLatePermits)
    .where(and(eq(speakingLatePermits.eventId, eventId), eq(speakingLatePermits.entityId, entityId)));
  return rows.length > 0;
}

export async function listLatePermits(db: DbOrTx, eventId: number) {
  return db.select().from(speakingLatePermits).where(eq(speakingLatePermits.eventId, eventId));
}

export async function getForUpdate(db: DbOrTx, id: string): Promise<SpeakingRequest | undefined> {
  const [row] = await db.select().from(speakingRequests).where(eq(speakingRequests.id, id)).for('update');
  return row;
}

export async function get(db: DbOrTx, id: string): Promise<SpeakingRequest | undefined> {
  const [row] = await db.select().from(speakingRequests).where(eq(speakingRequests.id, id));
  return row;
}

export async function getLive(
  db: DbOrTx,
  eventId: number,
  entityId: number,
  kind: SpeakingKind,
): Promise<SpeakingRequest | undefined> {
  const [row] = await db
    .select()
    .from(speakingRequests)
    .where(
      and(
        eq(speakingRequests.eventId, eventId),
        eq(speakingRequests.entityId, entityId),
        eq(speakingRequests.kind, kind),
        sql`${speakingRequests.state} in ('submitted', 'accepted', 'waitlisted')`,
      ),
    );
  return row;
}

export type RequestFilter = {
  eventId?: number;
  entityIds?: number[];
  kind?: SpeakingKind;
  state?: SpeakingState;
  rank?: Rank;
  region?: string;
  sessionId?: number;
};

export type RequestWithEntity = {
  r: SpeakingRequest;
  entity: typeof entities.$inferSelect;
  session: { code: string } | null;
};

export async function list(db: DbOrTx, f: RequestFilter): Promise<RequestWithEntity[]> {
  const where: SQL[] = [];
  if (f.eventId != null) where.push(eq(speakingRequests.eventId, f.eventId));
  if (f.entityIds) where.push(f.entityIds.length ? inArray(speakingRequests.entityId, f.entityIds) : sql`false`);
  if (f.kind) where.push(eq(speakingRequests.kind, f.kind));
  if (f.state) where.push(eq(speakingRequests.state, f.state));
  if (f.rank) where.push(eq(speakingRequests.rank, f.rank));
  if (f.region) where.push(eq(entities.ituRegion, f.region));
  if (f.sessionId != null) where.push(eq(speakingRequests.sessionId, f.sessionId));
  const rows = await db
    .select({ r: speakingRequests, entity: entities, code: sessions.code })
    .from(speakingRequests)
    .innerJoin(entities, eq(speakingRequests.entityId, entities.id))
    .leftJoin(sessions, eq(speakingRequests.sessionId, sessions.id))
    .where(and(...where))
    .orderBy(asc(speakingRequests.submittedAt), asc(speakingRequests.id));
  return rows.map((x) => ({ r: x.r, entity: x.entity, session: x.code ? { code: x.code } : null }));
}

export async function getSessionByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.code, code));
  return row;
}

export async function getSessionTimeLimit(db: DbOrTx, sessionId: number): Promise<number | undefined> {
  const [row] = await db.select().from(speakingSessionSettings).where(eq(speakingSessionSettings.sessionId, sessionId));
  return row?.timeLimit;
}

/** Accepted speakers assigned to these sessions, with their entity. */
export async function acceptedIn(db: DbOrTx, sessionIds: number[]) {
  if (!sessionIds.length) return [];
  return db
    .select({ r: speakingRequests, entity: entities })
    .from(speakingRequests)
    .innerJoin(entities, eq(speakingRequests.entityId, entities.id))
    .where(
      and(
        inArray(speakingRequests.sessionId, sessionIds),
        eq(speakingRequests.state, 'accepted'),
        isNotNull(speakingRequests.sessionId),
      ),
    );
}
