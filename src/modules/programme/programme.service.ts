/** The programme: finding sessions, and changing them (each change audited and visible at once in every cache). */
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { audit } from '../../platform/audit.js';
import { authorize } from '../../platform/permissions.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import { genevaInstant } from '../../platform/i18n/format.js';
import type { Db } from '../../db/client.js';
import { getEvents, listRooms, summitDays, withDescendants, type EventTree } from '../events/index.js';
import * as q from './programme.queries.js';
import { foldForSearch } from './programme.search.js';
import { WHOLE_WEEK, type ProgrammeQuery, type RescheduleInput } from './programme.input.js';

export type Facets = {
  events: EventTree[];
  days: string[];
  tracks: Awaited<ReturnType<typeof q.listTracks>>;
  rooms: Awaited<ReturnType<typeof listRooms>>;
  actionLines: Awaited<ReturnType<typeof q.listActionLines>>;
};

export async function getProgrammeFacets(ctx: Ctx): Promise<Facets> {
  const [events, tracks, rooms, actionLines] = await Promise.all([
    getEvents(ctx),
    q.listTracks(ctx.db),
    listRooms(ctx.db),
    q.listActionLines(ctx.db),
  ]);
  return { events, days: summitDays(events), tracks, rooms, actionLines };
}

const nextDay = (d: string) => {
  const x = new Date(`${d}T12:00:00Z`);
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString().slice(0, 10);
};

/** Sessions matching the filters, in start order. An unknown event slug matches nothing. */
export async function findSessions(ctx: Ctx, query: ProgrammeQuery, events?: EventTree[]): Promise<q.SessionRow[]> {
  let eventIds: number[] | undefined;
  if (query.event) {
    const all = events ?? (await getEvents(ctx));
    const root = all.find((e) => e.slug === query.event);
    eventIds = root ? withDescendants(all, root).map((e) => e.id) : [];
  }
  const day = query.day && query.day !== WHOLE_WEEK ? query.day : undefined;
  return q.listSessions(ctx.db, {
    eventIds,
    from: day ? genevaInstant(day, '00:00') : undefined,
    to: day ? genevaInstant(nextDay(day), '00:00') : undefined,
    track: query.track,
    line: query.line,
    sdg: query.sdg,
    room: query.room,
    q: query.q ? foldForSearch(query.q) : undefined,
  });
}

/** Throws `session_not_found`. */
export async function getSession(ctx: Ctx, code: string): Promise<q.SessionRow> {
  const [row] = await q.listSessions(ctx.db, { code });
  if (!row) throw new DomainError('session_not_found', 404, { code });
  return row;
}

/**
 * Moves a session to another time or room. Throws `session_not_found`, `room_not_found`, `room_conflict`.
 * Secretariat staff with `programme.edit`: `PATCH /api/v1/sessions/{code}`.
 */
export async function rescheduleSession(ctx: Ctx & { db: Db }, input: RescheduleInput) {
  authorize(ctx, 'programme.edit');
  return ctx.db.transaction(async (tx) => {
    const before = await q.getSessionForUpdate(tx, input.code);
    if (!before) throw new DomainError('session_not_found', 404, { code: input.code });
    let roomId = before.roomId;
    if (input.room !== undefined) {
      if (input.room === null) roomId = null;
      else {
        const room = await q.getRoomBySlug(tx, input.room);
        if (!room) throw new DomainError('room_not_found', 404, { room: input.room });
        roomId = room.id;
      }
    }
    if (roomId !== null) {
      const clash = await q.listRoomOverlaps(tx, roomId, input.startsAt, input.endsAt, before.id);
      if (clash.length) throw new DomainError('room_conflict', 409, { with: clash.map((c) => c.code).join(', ') });
    }
    const after = await q.updateSessionTimes(tx, before.id, {
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      roomId,
      updatedAt: ctx.now,
    });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.session_rescheduled',
        subjectType: 'session',
        subjectId: before.code,
        before: { startsAt: before.startsAt, endsAt: before.endsAt, roomId: before.roomId },
        after: { startsAt: after.startsAt, endsAt: after.endsAt, roomId: after.roomId },
      },
    );
    await bumpContentVersion(tx);
    return after;
  });
}
