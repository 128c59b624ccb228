/**
 * A participant's personal agenda: sessions they add from the programme, the clashes among them, a private iCalendar
 * feed at a secret address they can reset, and — for approved remote participants of the session's event — the
 * joining and webcast links (never on public pages).
 */
import { randomBytes } from 'node:crypto';
import { and, count, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize, personOf } from '../../platform/permissions.js';
import { events } from '../events/events.schema.js';
import { registrations } from '../registration/registration.schema.js';
import * as q from './programme.queries.js';
import { agendaFeeds, agendaItems, sessions } from './programme.schema.js';

async function sessionIdOf(db: DbOrTx, code: string) {
  const [s] = await db
    .select({ id: sessions.id, cancelledAt: sessions.cancelledAt })
    .from(sessions)
    .where(eq(sessions.code, code));
  if (!s) throw new DomainError('session_not_found', 404, { code });
  return s;
}

/** Adds a session to the signed-in person's agenda (again: nothing changes). Throws `session_not_found`. */
export async function addToAgenda(ctx: Ctx, code: string) {
  authorize(ctx, 'account.self');
  const me = personOf(ctx);
  const s = await sessionIdOf(ctx.db, code);
  if (s.cancelledAt) throw new DomainError('session_cancelled', 409, { code });
  await ctx.db.insert(agendaItems).values({ personId: me.id, sessionId: s.id, addedAt: ctx.now }).onConflictDoNothing();
}

export async function removeFromAgenda(ctx: Ctx, code: string) {
  authorize(ctx, 'account.self');
  const me = personOf(ctx);
  const s = await sessionIdOf(ctx.db, code);
  await ctx.db.delete(agendaItems).where(and(eq(agendaItems.personId, me.id), eq(agendaItems.sessionId, s.id)));
}

/** The events (with those nested in them) a person takes part in remotely, approved. */
export async function remoteEventIds(db: DbOrTx, personId: string): Promise<Set<number>> {
  const regs = await db
    .select({ eventId: registrations.eventId })
    .from(registrations)
    .where(
      and(eq(registrations.personId, personId), eq(registrations.state, 'approved'), eq(registrations.mode, 'remote')),
    );
  if (!regs.length) return new Set();
  const all = await db.select({ id: events.id, parentId: events.parentId }).from(events);
  const out = new Set(regs.map((r) => r.eventId));
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of all)
      if (e.parentId !== null && out.has(e.parentId) && !out.has(e.id)) {
        out.add(e.id);
        grew = true;
      }
  }
  return out;
}

export type AgendaEntry = q.SessionRow & {
  /** Codes of the other sessions of the agenda at the same time. */
  clashesWith: string[];
  /** Only for an approved remote participant of the session's event. */
  remote: { joinUrl: string | null; webcastUrl: string | null } | null;
};

async function agendaOf(db: DbOrTx, personId: string): Promise<AgendaEntry[]> {
  const ids = (
    await db.select({ id: agendaItems.sessionId }).from(agendaItems).where(eq(agendaItems.personId, personId))
  ).map((r) => r.id);
  if (!ids.length) return [];
  const [list, remoteEvents] = await Promise.all([
    q.listSessions(db, { ids, includeCancelled: true }),
    remoteEventIds(db, personId),
  ]);
  return list.map((s) => ({
    ...s,
    clashesWith: s.cancelledAt
      ? []
      : list
          .filter((o) => o.id !== s.id && !o.cancelledAt && o.startsAt < s.endsAt && s.startsAt < o.endsAt)
          .map((o) => o.code),
    remote:
      remoteEvents.has(s.eventId) && (s.joinUrl || s.webcastUrl)
        ? { joinUrl: s.joinUrl, webcastUrl: s.webcastUrl }
        : null,
  }));
}

/** The signed-in person's agenda, in start order. */
export async function myAgenda(ctx: Ctx): Promise<AgendaEntry[]> {
  authorize(ctx, 'account.self');
  return agendaOf(ctx.db, personOf(ctx).id);
}

/** The secret of the person's feed, made on first use. */
export async function feedToken(ctx: Ctx & { db: Db }): Promise<string> {
  authorize(ctx, 'account.self');
  const me = personOf(ctx);
  const [row] = await ctx.db.select().from(agendaFeeds).where(eq(agendaFeeds.personId, me.id));
  if (row) return row.token;
  const token = randomBytes(24).toString('base64url');
  await ctx.db.insert(agendaFeeds).values({ personId: me.id, token, createdAt: ctx.now }).onConflictDoNothing();
  const [again] = await ctx.db.select().from(agendaFeeds).where(eq(agendaFeeds.personId, me.id));
  return again!.token;
}

/** A new secret: the old address stops working at once. */
export async function resetFeedToken(ctx: Ctx & { db: Db }): Promise<string> {
  authorize(ctx, 'account.self');
  const me = personOf(ctx);
  const token = randomBytes(24).toString('base64url');
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(agendaFeeds)
      .values({ personId: me.id, token, createdAt: ctx.now })
      .onConflictDoUpdate({ target: agendaFeeds.personId, set: { token, createdAt: ctx.now } });
    await audit(
      tx,
      { ...ctx, db: tx },
      { action: 'programme.agenda_feed_reset', subjectType: 'person', subjectId: me.id },
    );
  });
  return token;
}

/** The agenda behind a feed address. Throws `feed_not_found` (an unknown or reset secret). */
export async function agendaOfFeed(db: DbOrTx, token: string): Promise<AgendaEntry[]> {
  const [row] = await db.select().from(agendaFeeds).where(eq(agendaFeeds.token, token));
  if (!row) throw new DomainError('feed_not_found', 404);
  return (await agendaOf(db, row.personId)).filter((s) => !s.cancelledAt);
}

/** How many agendas hold each session (for the secretariat, to plan rooms). */
export async function agendaCounts(db: DbOrTx, sessionIds?: number[]): Promise<Map<number, number>> {
  const rows = await db
    .select({ id: agendaItems.sessionId, n: count() })
    .from(agendaItems)
    .where(sessionIds ? inArray(agendaItems.sessionId, sessionIds.length ? sessionIds : [-1]) : undefined)
    .groupBy(agendaItems.sessionId);
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
