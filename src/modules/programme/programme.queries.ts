import { and, asc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { events, rooms } from '../events/index.js';
import { actionLines, sessionActionLines, sessionSpeakers, sessions, tracks } from './programme.schema.js';
import { acceptedSpeakers } from '../speaking/index.js';

export type SessionFilter = {
  eventIds?: number[];
  from?: Date;
  to?: Date;
  track?: string;
  line?: string;
  /** A Sustainable Development Goal, 1–17. */
  sdg?: number;
  room?: string;
  /** Already folded (see foldForSearch). */
  q?: string;
  code?: string;
  /** Cancelled sessions leave the public programme; the editor and agendas still see them. */
  includeCancelled?: boolean;
  ids?: number[];
};

export type Speaker = typeof sessionSpeakers.$inferSelect;

export type SessionRow = typeof sessions.$inferSelect & {
  eventSlug: string;
  track: { slug: string; name: typeof tracks.$inferSelect.name } | null;
  room: { slug: string; name: typeof rooms.$inferSelect.name; capacity: number | null } | null;
  actionLines: string[];
  speakers: Speaker[];
};

/** Sessions matching the filter in start order, with their Action Lines and speakers (three queries, no N+1). */
export async function listSessions(db: DbOrTx, f: SessionFilter): Promise<SessionRow[]> {
  const where: SQL[] = [];
  if (f.eventIds) where.push(f.eventIds.length ? inArray(sessions.eventId, f.eventIds) : sql`false`);
  if (f.from) where.push(gte(sessions.startsAt, f.from));
  if (f.to) where.push(lt(sessions.startsAt, f.to));
  if (f.track) where.push(eq(tracks.slug, f.track));
  if (f.room) where.push(eq(rooms.slug, f.room));
  if (f.code) where.push(eq(sessions.code, f.code));
  if (f.ids) where.push(f.ids.length ? inArray(sessions.id, f.ids) : sql`false`);
  if (!f.includeCancelled) where.push(isNull(sessions.cancelledAt));
  if (f.line) {
    where.push(
      sql`exists (select 1 from ${sessionActionLines} sal where sal.session_id = ${sessions.id} and sal.action_line = ${f.line})`,
    );
  }
  if (f.sdg) where.push(sql`${f.sdg}::integer = any(${sessions.sdgs})`);
  if (f.q) where.push(sql`${sessions.searchText} like ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);

  const rows = await db
    .select({
      s: sessions,
      eventSlug: events.slug,
      trackSlug: tracks.slug,
      trackName: tracks.name,
      roomSlug: rooms.slug,
      roomName: rooms.name,
      roomCapacity: rooms.capacity,
    })
    .from(sessions)
    .innerJoin(events, eq(sessions.eventId, events.id))
    .leftJoin(tracks, eq(sessions.trackId, tracks.id))
    .leftJoin(rooms, eq(sessions.roomId, rooms.id))
    .where(and(...where))
    .orderBy(asc(sessions.startsAt), asc(rooms.position), asc(sessions.code));
  if (!rows.length) return [];

  const ids = rows.map((r) => r.s.id);
  const [lines, speakers, statements] = await Promise.all([
    db
      .select()
      .from(sessionActionLines)
      .where(inArray(sessionActionLines.sessionId, ids))
      .orderBy(asc(sessionActionLines.actionLine)),
    db
      .select()
      .from(sessionSpeakers)
      .where(inArray(sessionSpeakers.sessionId, ids))
      .orderBy(asc(sessionSpeakers.position)),
    acceptedSpeakers(db, ids), // High-Level Track statements accepted by the secretariat, in protocol order
  ]);
  const linesOf = new Map<number, string[]>();
  for (const l of lines) linesOf.set(l.sessionId, [...(linesOf.get(l.sessionId) ?? []), l.actionLine]);
  const speakersOf = new Map<number, Speaker[]>();
  for (const p of speakers) speakersOf.set(p.sessionId, [...(speakersOf.get(p.sessionId) ?? []), p]);
  const byNumber = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));

  return rows.map((r) => ({
    ...r.s,
    eventSlug: r.eventSlug,
    track: r.trackSlug ? { slug: r.trackSlug, name: r.trackName! } : null,
    room: r.roomSlug ? { slug: r.roomSlug, name: r.roomName!, capacity: r.roomCapacity } : null,
    actionLines: (linesOf.get(r.s.id) ?? []).sort(byNumber),
    speakers: [
      ...(speakersOf.get(r.s.id) ?? []),
      ...(statements.get(r.s.id) ?? []).map((p) => ({
        ...p,
        personId: null,
        kind: 'speaker' as const,
        honorific: '',
        givenName: null,
        familyName: null,
        givenNameLatin: null,
        familyNameLatin: null,
      })),
    ],
  }));
}

export async function listTracks(db: DbOrTx) {
  return db.select().from(tracks).orderBy(asc(tracks.position));
}

export async function listActionLines(db: DbOrTx) {
  return db.select().from(actionLines).orderBy(asc(actionLines.position));
}

export async function getSessionForUpdate(db: DbOrTx, code: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.code, code)).for('update');
  return row;
}

/** Sessions in a room that overlap [from, to), other than `exceptId`. */
export async function listRoomOverlaps(db: DbOrTx, roomId: number, from: Date, to: Date, exceptId: number) {
  return db
    .select({ code: sessions.code })
    .from(sessions)
    .where(
      and(
        eq(sessions.roomId, roomId),
        lt(sessions.startsAt, to),
        sql`${sessions.endsAt} > ${from}`,
        sql`${sessions.id} <> ${exceptId}`,
        isNull(sessions.cancelledAt),
      ),
    );
}

export async function getRoomBySlug(db: DbOrTx, slug: string) {
  const [row] = await db.select().from(rooms).where(eq(rooms.slug, slug));
  return row;
}

export async function updateSessionTimes(
  db: DbOrTx,
  id: number,
  v: { startsAt: Date; endsAt: Date; roomId: number | null; updatedAt: Date },
) {
  const [row] = await db.update(sessions).set(v).where(eq(sessions.id, id)).returning();
  return row;
}
