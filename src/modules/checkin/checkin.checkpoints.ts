/** The checkpoints a scanner can guard: each event, and each session of the programme, labelled in the user's language. */
import { asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.js';
import { text } from '../../platform/i18n/localized.js';
import { authorize } from '../../platform/permissions.js';
import { events } from '../events/index.js';
import { sessions } from '../programme/index.js';

export async function listCheckpoints(ctx: Ctx): Promise<{ id: string; label: string; kind: 'event' | 'session' }[]> {
  authorize(ctx, 'checkin.scan');
  const evs = await ctx.db.select().from(events).orderBy(asc(events.startDate), asc(events.id));
  const ss = await ctx.db
    .select({ code: sessions.code, title: sessions.title, startsAt: sessions.startsAt, eventId: sessions.eventId })
    .from(sessions)
    .innerJoin(events, eq(sessions.eventId, events.id))
    .orderBy(asc(sessions.startsAt));
  return [
    ...evs.map((e) => ({ id: `event:${e.slug}`, label: text(e.name, ctx.locale), kind: 'event' as const })),
    ...ss.map((s) => ({
      id: `session:${s.code}`,
      label: `${s.code} · ${text(s.title, ctx.locale)}`,
      kind: 'session' as const,
    })),
  ];
}
