/**
 * The venue's floor plans, uploaded by the secretariat: an SVG, PNG or JPEG of at most PLAN_MAX_BYTES, its kind
 * decided by its bytes (sharp/libvips reads it; anything it cannot read as one of the three is refused). A PNG or JPEG
 * is re-encoded (metadata dropped, at most 4000 px a side); an SVG is kept as uploaded and only ever served as an
 * image — the address answers with `Content-Security-Policy: default-src 'none'; …; sandbox`, so a script inside it
 * never runs even when the file is opened on its own, and pages show it through `<img>`, where no script runs at all.
 */
import { createHash } from 'node:crypto';
import { asc, eq, isNull } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { authorize } from '../../platform/permissions.js';
import { floorPlans, rooms, venueFloors, venues } from '../events/events.schema.js';
import { DEFAULT_HOURS } from './programme.conflicts.js';
import { listFloors, type Floor } from './programme.rooms.js';
import { roomFacilities } from './programme.schema.js';

export const PLAN_MAX_BYTES = 5 * 1024 * 1024;
export const PLAN_MAX_PIXELS = 50_000_000;
const PLAN_MAX_SIDE = 4000;
export const PLAN_TYPES = { svg: 'image/svg+xml', png: 'image/png', jpeg: 'image/jpeg' } as const;
export const PLAN_ACCEPT = [...Object.values(PLAN_TYPES), '.svg'].join(',');
/** What the plan's own address answers with: nothing it names may load, no script may run. */
export const PLAN_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

export type ProcessedPlan = { bytes: Buffer; contentType: string; width: number; height: number; sha256: string };

/**
 * Checks and prepares an uploaded plan. Throws `plan_too_large` (413), `plan_unreadable` (400),
 * `plan_type_unsupported` (415), `plan_too_many_pixels` (413).
 */
export async function processPlan(input: Buffer): Promise<ProcessedPlan> {
  if (input.length > PLAN_MAX_BYTES)
    throw new DomainError('plan_too_large', 413, { max: PLAN_MAX_BYTES / 1024 / 1024 });
  if (input.length === 0) throw new DomainError('plan_unreadable', 400);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('plan_type_unsupported', 415);
  }
  const format = meta.format as keyof typeof PLAN_TYPES | undefined;
  if (!format || !(format in PLAN_TYPES) || (meta.pages ?? 1) > 1) throw new DomainError('plan_type_unsupported', 415);
  if (!meta.width || !meta.height) throw new DomainError('plan_unreadable', 400);
  const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  if (format === 'svg') {
    // Entity declarations serve no drawing and can expand without bound: refused.
    if (/<!ENTITY/i.test(input.toString('utf8'))) throw new DomainError('plan_unreadable', 400);
    return { bytes: input, contentType: PLAN_TYPES.svg, width: meta.width, height: meta.height, sha256: hash(input) };
  }
  if (meta.width * meta.height > PLAN_MAX_PIXELS) throw new DomainError('plan_too_many_pixels', 413);
  try {
    const img = sharp(input, { limitInputPixels: PLAN_MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize(PLAN_MAX_SIDE, PLAN_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb');
    const { data, info } = await (format === 'png'
      ? img.png({ compressionLevel: 6 })
      : img.jpeg({ quality: 85 })
    ).toBuffer({ resolveWithObject: true });
    return { bytes: data, contentType: PLAN_TYPES[format], width: info.width, height: info.height, sha256: hash(data) };
  } catch {
    throw new DomainError('plan_unreadable', 400);
  }
}

const extOf = (contentType: string) =>
  contentType === PLAN_TYPES.svg ? 'svg' : contentType === PLAN_TYPES.png ? 'png' : 'jpg';

/** The plan's address: changes with its content, so it is cached for good. */
export const planPath = (floorSlug: string, plan: { sha256: string; contentType: string }) =>
  `/venue/plans/${floorSlug}-${plan.sha256.slice(0, 16)}.${extOf(plan.contentType)}`;

/** Stores a floor's plan (replacing the one before). Throws `floor_not_found` and processPlan's errors. */
export async function uploadPlan(ctx: Ctx & { db: Db }, floorSlug: string, input: Buffer): Promise<void> {
  authorize(ctx, 'programme.edit');
  const plan = await processPlan(input);
  await ctx.db.transaction(async (tx) => {
    const [floor] = await tx.select().from(venueFloors).where(eq(venueFloors.slug, floorSlug)).for('update');
    if (!floor) throw new DomainError('floor_not_found', 404, { floor: floorSlug });
    const [before] = await tx
      .select({ sha256: floorPlans.sha256, contentType: floorPlans.contentType })
      .from(floorPlans)
      .where(eq(floorPlans.floorId, floor.id));
    const row = {
      ...plan,
      uploadedAt: ctx.now,
      uploadedBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system',
    };
    await tx
      .insert(floorPlans)
      .values({ floorId: floor.id, ...row })
      .onConflictDoUpdate({ target: floorPlans.floorId, set: row });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.floor_plan_uploaded',
        subjectType: 'floor',
        subjectId: floorSlug,
        before: before ?? {},
        after: { sha256: plan.sha256, contentType: plan.contentType },
        data: { bytes: plan.bytes.length, width: plan.width, height: plan.height },
      },
    );
    await bumpContentVersion(tx);
  });
}

/** Removes a floor's plan. Throws `floor_not_found`, `plan_not_found`. */
export async function removePlan(ctx: Ctx & { db: Db }, floorSlug: string): Promise<void> {
  authorize(ctx, 'programme.edit');
  await ctx.db.transaction(async (tx) => {
    const [floor] = await tx.select().from(venueFloors).where(eq(venueFloors.slug, floorSlug));
    if (!floor) throw new DomainError('floor_not_found', 404, { floor: floorSlug });
    const gone = await tx
      .delete(floorPlans)
      .where(eq(floorPlans.floorId, floor.id))
      .returning({ sha256: floorPlans.sha256 });
    if (!gone.length) throw new DomainError('plan_not_found', 404);
    await audit(
      tx,
      { ...ctx, db: tx },
      { action: 'programme.floor_plan_removed', subjectType: 'floor', subjectId: floorSlug, before: gone[0] },
    );
    await bumpContentVersion(tx);
  });
}

/** A floor's plan file, for its address. Throws `plan_not_found`. */
export async function getPlanFile(db: DbOrTx, floorSlug: string) {
  const [row] = await db
    .select({ bytes: floorPlans.bytes, contentType: floorPlans.contentType, sha256: floorPlans.sha256 })
    .from(floorPlans)
    .innerJoin(venueFloors, eq(venueFloors.id, floorPlans.floorId))
    .where(eq(venueFloors.slug, floorSlug));
  if (!row) throw new DomainError('plan_not_found', 404);
  return row;
}

/** A room as the public sees it (retired rooms are not listed). */
export type PublicRoom = {
  slug: string;
  name: Localized;
  capacity: number | null;
  floor: string | null;
  accessibility: Localized;
  booths: string[];
  opens: string;
  closes: string;
  plan: { x: number; y: number } | null;
};

export type PublicVenue = {
  venue: typeof venues.$inferSelect | null;
  floors: Floor[];
  rooms: PublicRoom[];
};

/** The venue's floors (with their plans' descriptions) and its rooms in use, in order: public data only. */
export async function publicVenue(db: DbOrTx): Promise<PublicVenue> {
  const [[venue], floors, rows] = await Promise.all([
    db.select().from(venues).orderBy(asc(venues.id)).limit(1),
    listFloors(db),
    db
      .select({ r: rooms, floor: venueFloors.slug, f: roomFacilities })
      .from(rooms)
      .leftJoin(venueFloors, eq(venueFloors.id, rooms.floorId))
      .leftJoin(roomFacilities, eq(roomFacilities.roomId, rooms.id))
      .where(isNull(rooms.retiredAt))
      .orderBy(asc(rooms.position), asc(rooms.id)),
  ]);
  return {
    venue: venue ?? null,
    floors,
    rooms: rows.map(({ r, floor, f }) => ({
      slug: r.slug,
      name: r.name,
      capacity: r.capacity,
      floor,
      accessibility: r.accessibility,
      booths: f?.booths ?? [],
      opens: f?.opens ?? DEFAULT_HOURS.opens,
      closes: f?.closes ?? DEFAULT_HOURS.closes,
      plan: r.planX != null && r.planY != null ? { x: r.planX, y: r.planY } : null,
    })),
  };
}

/** Where a room is: its floor and, when the floor has a plan and the room a place on it, that place. */
export type RoomPlace = {
  room: { slug: string; name: Localized };
  floor: { slug: string; name: Localized } | null;
  plan: { path: string; width: number; height: number } | null;
  at: { x: number; y: number } | null;
};

export async function roomPlace(db: DbOrTx, roomSlug: string): Promise<RoomPlace | null> {
  const [row] = await db
    .select({
      r: rooms,
      floorSlug: venueFloors.slug,
      floorName: venueFloors.name,
      contentType: floorPlans.contentType,
      sha256: floorPlans.sha256,
      width: floorPlans.width,
      height: floorPlans.height,
    })
    .from(rooms)
    .leftJoin(venueFloors, eq(venueFloors.id, rooms.floorId))
    .leftJoin(floorPlans, eq(floorPlans.floorId, rooms.floorId))
    .where(eq(rooms.slug, roomSlug));
  if (!row) return null;
  return {
    room: { slug: row.r.slug, name: row.r.name },
    floor: row.floorSlug ? { slug: row.floorSlug, name: row.floorName! } : null,
    plan:
      row.floorSlug && row.sha256
        ? {
            path: planPath(row.floorSlug, { sha256: row.sha256, contentType: row.contentType! }),
            width: row.width!,
            height: row.height!,
          }
        : null,
    at: row.r.planX != null && row.r.planY != null ? { x: row.r.planX, y: row.r.planY } : null,
  };
}
