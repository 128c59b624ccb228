/** Reading the summit's events. (Editing them comes with the secretariat's back office.) */
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { listEvents, type EventRow } from './events.queries.js';

export type EventTree = EventRow & { children: string[] };

/** All events, each with its direct children's slugs. */
export async function getEvents(ctx: Ctx): Promise<EventTree[]> {
  const all = await listEvents(ctx.db);
  return all.map((e) => ({ ...e, children: all.filter((c) => c.parentId === e.id).map((c) => c.slug) }));
}

/** The event and every event nested under it (the High-Level Track is part of the WSIS Forum). */
export function withDescendants(all: EventRow[], root: EventRow): EventRow[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...all.filter((e) => e.parentId === out[i].id));
  return out;
}

/** Throws `event_not_found`. */
export async function getEvent(ctx: Ctx, slug: string): Promise<{ event: EventTree; all: EventTree[] }> {
  const all = await getEvents(ctx);
  const event = all.find((e) => e.slug === slug);
  if (!event) throw new DomainError('event_not_found', 404, { slug });
  return { event, all };
}

/** The days of the summit week, from the first event's start to the last one's end. */
export function summitDays(all: EventRow[]): string[] {
  if (!all.length) return [];
  const start = all.map((e) => e.startDate).sort()[0];
  const end = all
    .map((e) => e.endDate)
    .sort()
    .at(-1)!;
  const days: string[] = [];
  for (let d = new Date(`${start}T12:00:00Z`); d.toISOString().slice(0, 10) <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}
