/** Inserts the seed's venue, rooms and events that are not there yet; never overwrites later edits. */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { SeedFile } from '../../platform/seed-file.js';
import { events, rooms, venues } from './events.schema.js';

export type EventIds = { venueId: number; events: Map<string, number>; rooms: Map<string, number> };

export async function seedEvents(tx: DbOrTx, seed: SeedFile): Promise<{ ids: EventIds; inserted: number }> {
  let inserted = 0;
  const v = seed.venue;
  inserted += (
    await tx
      .insert(venues)
      .values({
        slug: v.slug,
        name: v.name,
        city: v.city,
        country: v.country,
        timeZone: v.timeZone,
        address: v.address,
      })
      .onConflictDoNothing()
      .returning()
  ).length;
  const [venue] = await tx
    .select()
    .from(venues)
    .where(inArray(venues.slug, [v.slug]));

  if (seed.rooms.length) {
    inserted += (
      await tx
        .insert(rooms)
        .values(
          seed.rooms.map((r, i) => ({
            venueId: venue.id,
            slug: r.slug,
            name: r.name,
            capacity: r.capacity ?? null,
            position: i,
          })),
        )
        .onConflictDoNothing()
        .returning()
    ).length;
  }
  const roomIds = new Map((await tx.select({ id: rooms.id, slug: rooms.slug }).from(rooms)).map((r) => [r.slug, r.id]));

  // Parents before children.
  const eventIds = new Map(
    (await tx.select({ id: events.id, slug: events.slug }).from(events)).map((e) => [e.slug, e.id]),
  );
  const pending = [...seed.events];
  let position = 0;
  while (pending.length) {
    const i = pending.findIndex((e) => !e.parent || eventIds.has(e.parent));
    if (i < 0)
      throw new Error(`seed: events with unknown parents: ${pending.map((e) => `${e.slug} → ${e.parent}`).join(', ')}`);
    const [e] = pending.splice(i, 1);
    position++;
    if (eventIds.has(e.slug)) continue;
    const [row] = await tx
      .insert(events)
      .values({
        slug: e.slug,
        parentId: e.parent ? eventIds.get(e.parent)! : null,
        kind: e.kind,
        name: e.name,
        shortName: e.shortName,
        description: e.description ?? {},
        organizers: e.organizers ?? {},
        venueId: venue.id,
        startDate: e.startDate,
        endDate: e.endDate,
        timeZone: v.timeZone,
        position,
      })
      .returning({ id: events.id });
    eventIds.set(e.slug, row.id);
    inserted++;
  }
  return { ids: { venueId: venue.id, events: eventIds, rooms: roomIds }, inserted };
}
