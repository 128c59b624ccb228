import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { events, rooms, venues } from './events.schema.js';

export type EventRow = typeof events.$inferSelect & { venue: typeof venues.$inferSelect; parentSlug: string | null };

export async function listEvents(db: DbOrTx): Promise<EventRow[]> {
  const rows = await db
    .select()
    .from(events)
    .innerJoin(venues, eq(events.venueId, venues.id))
    .orderBy(asc(events.position), asc(events.id));
  const slugById = new Map(rows.map((r) => [r.events.id, r.events.slug]));
  return rows.map((r) => ({
    ...r.events,
    venue: r.venues,
    parentSlug: r.events.parentId ? (slugById.get(r.events.parentId) ?? null) : null,
  }));
}

export async function listRooms(db: DbOrTx) {
  return db.select().from(rooms).orderBy(asc(rooms.position), asc(rooms.id));
}
