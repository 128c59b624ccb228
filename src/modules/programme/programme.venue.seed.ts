/**
 * The seed's floors: each floor a room of the seed names (`floor`, in six languages) becomes a floor of the venue the
 * first time it is seen, with the seed's rooms on it that are not on a floor yet. Once a floor exists the seed leaves
 * it and its rooms alone (the secretariat may have renamed or moved them).
 */
import { and, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { SeedFile } from '../../platform/seed-file.js';
import { rooms, venueFloors } from '../events/events.schema.js';

/** `Congress Centre extension` → `congress-centre-extension`. */
const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

export async function seedFloors(tx: DbOrTx, seed: SeedFile, venueId: number): Promise<number> {
  if (!venueId) return 0;
  const floors = new Map<string, { name: SeedFile['rooms'][number]['floor']; rooms: string[] }>();
  for (const r of seed.rooms) {
    if (!r.floor) continue;
    const slug = slugOf(r.floor.en);
    const f = floors.get(slug) ?? { name: r.floor, rooms: [] };
    f.rooms.push(r.slug);
    floors.set(slug, f);
  }
  let inserted = 0;
  let position = 0;
  for (const [slug, f] of floors) {
    position++;
    const [row] = await tx
      .insert(venueFloors)
      .values({ venueId, slug, name: f.name!, position })
      .onConflictDoNothing()
      .returning({ id: venueFloors.id });
    if (!row) continue;
    inserted++;
    await tx
      .update(rooms)
      .set({ floorId: row.id })
      .where(and(inArray(rooms.slug, f.rooms), isNull(rooms.floorId)));
  }
  return inserted;
}
