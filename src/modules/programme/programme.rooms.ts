/**
 * Rooms and floors of the venue, managed by the secretariat (`programme.edit`): a room's names, capacity, floor,
 * interpretation booths, opening hours (its usual hours and, per day of the week, other hours; Geneva time),
 * accessibility notes and place on its floor's plan. A room that any session or draft uses cannot be deleted, only
 * retired (it then offers itself to no new session, and the conflicts page lists the sessions still in it). Every
 * change is audited and bumps the content version (the public pages follow at once). The conflict checks read the
 * same rows (programme.editor.ts `roomInfo`), so a capacity lowered below a session's shows on the conflicts page.
 */
import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { authorize } from '../../platform/permissions.js';
import { floorPlans, roomHours, rooms, venueFloors, venues } from '../events/events.schema.js';
import { FormRefusal } from './programme.editor.js';
import { DEFAULT_HOURS } from './programme.conflicts.js';
import { roomFacilities, sessionDrafts, sessions } from './programme.schema.js';

type WCtx = Ctx & { db: Db };

export type DayHours = { opens: string; closes: string };

/** What the room form holds, resolved (floor by id). */
export type RoomInput = {
  slug: string;
  name: Localized;
  capacity: number | null;
  floor: string | null;
  position: number;
  booths: Locale[];
  opens: string;
  closes: string;
  /** Other hours on some days (YYYY-MM-DD → hours). */
  days: Record<string, DayHours>;
  accessibility: Localized;
  planX: number | null;
  planY: number | null;
};

export type FloorInput = { slug: string; name: Localized; position: number };

export type Values = Record<string, string | string[] | undefined>;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const one = (v: Values, k: string) => {
  const x = v[k];
  return (Array.isArray(x) ? x[0] : x)?.trim() ?? '';
};
const many = (v: Values, k: string) => {
  const x = v[k];
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
};
const localized = (v: Values, prefix: string, max: number, bad: Record<string, string>): Localized => {
  const out: Localized = {};
  for (const l of LOCALES) {
    const s = one(v, `${prefix}_${l}`);
    if (s.length > max) bad[`${prefix}_${l}`] = 'too_long';
    else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s)) bad[`${prefix}_${l}`] = 'control_chars';
    else if (s) out[l] = s;
  }
  return out;
};
const percent = (s: string) => {
  const n = Number(s.replace(',', '.'));
  return s !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? Math.round(n * 10) / 10 : undefined;
};

/**
 * Reads the room form. Field errors are rule names (`venue.invalid.<rule>` in the catalogues); `days` are the days
 * of the week whose hours the form offers.
 */
export function readRoomForm(
  v: Values,
  days: string[],
  creating: boolean,
): { ok: true; data: RoomInput } | { ok: false; errors: Record<string, string> } {
  const bad: Record<string, string> = {};
  const slug = one(v, 'slug');
  if (creating && (!SLUG.test(slug) || slug.length > 80 || slug === 'new')) bad.slug = 'slug';
  const name = localized(v, 'name', 200, bad);
  if (!Object.keys(name).length && !bad.name_en) bad.name_en = 'name_required';
  const accessibility = localized(v, 'access', 1000, bad);
  const cap = one(v, 'capacity');
  let capacity: number | null = null;
  if (cap) {
    if (!/^\d{1,6}$/.test(cap) || Number(cap) < 1 || Number(cap) > 100000) bad.capacity = 'capacity';
    else capacity = Number(cap);
  }
  const pos = one(v, 'position');
  if (pos && (!/^\d{1,4}$/.test(pos) || Number(pos) > 9999)) bad.position = 'position';
  const booths = [...new Set(many(v, 'booths'))];
  if (booths.some((b) => !(LOCALES as readonly string[]).includes(b))) bad.booths = 'booths';
  const hours = (o: string, c: string, key: string): DayHours | undefined => {
    if (!HHMM.test(o)) bad[`${key}opens`] = 'time';
    else if (!HHMM.test(c) && c !== '24:00') bad[`${key}closes`] = 'time';
    else if (c <= o) bad[`${key}closes`] = 'closes_after_opens';
    else return { opens: o, closes: c };
    return undefined;
  };
  const usual = hours(one(v, 'opens') || DEFAULT_HOURS.opens, one(v, 'closes') || DEFAULT_HOURS.closes, '');
  const perDay: Record<string, DayHours> = {};
  for (const d of days) {
    const o = one(v, `day_${d}_opens`);
    const c = one(v, `day_${d}_closes`);
    if (!o && !c) continue;
    if (!o || !c) {
      bad[`day_${d}_${o ? 'closes' : 'opens'}`] = 'day_both';
      continue;
    }
    const h = hours(o, c, `day_${d}_`);
    if (h) perDay[d] = h;
  }
  const px = one(v, 'plan_x');
  const py = one(v, 'plan_y');
  let planX: number | null = null;
  let planY: number | null = null;
  if (px || py) {
    const x = percent(px);
    const y = percent(py);
    if (x === undefined) bad.plan_x = 'percent';
    if (y === undefined) bad.plan_y = 'percent';
    planX = x ?? null;
    planY = y ?? null;
  }
  if (Object.keys(bad).length) return { ok: false, errors: bad };
  return {
    ok: true,
    data: {
      slug,
      name,
      capacity,
      floor: one(v, 'floor') || null,
      position: pos ? Number(pos) : 0,
      booths: booths as Locale[],
      opens: usual!.opens,
      closes: usual!.closes,
      days: perDay,
      accessibility,
      planX,
      planY,
    },
  };
}

/** Reads the floor form (`slug` on creation, `name_<lc>`, `position`). */
export function readFloorForm(
  v: Values,
  creating: boolean,
): { ok: true; data: FloorInput } | { ok: false; errors: Record<string, string> } {
  const bad: Record<string, string> = {};
  const slug = one(v, 'slug');
  if (creating && (!SLUG.test(slug) || slug.length > 80 || slug === 'new')) bad.slug = 'slug';
  const name = localized(v, 'name', 200, bad);
  if (!Object.keys(name).length && !bad.name_en) bad.name_en = 'name_required';
  const pos = one(v, 'position');
  if (pos && (!/^\d{1,4}$/.test(pos) || Number(pos) > 9999)) bad.position = 'position';
  if (Object.keys(bad).length) return { ok: false, errors: bad };
  return { ok: true, data: { slug, name, position: pos ? Number(pos) : 0 } };
}

/** A room as the secretariat sees it. */
export type StaffRoom = typeof rooms.$inferSelect & {
  floorSlug: string | null;
  booths: string[];
  opens: string;
  closes: string;
  days: Record<string, DayHours>;
  /** Sessions (published, cancelled included) and drafts that use the room: it cannot be deleted while any do. */
  uses: number;
};

export type Floor = typeof venueFloors.$inferSelect & {
  plan: { contentType: string; width: number; height: number; sha256: string } | null;
};

/** The floors in order, each with its plan's description (not its bytes). */
export async function listFloors(db: DbOrTx): Promise<Floor[]> {
  const rows = await db
    .select({
      f: venueFloors,
      contentType: floorPlans.contentType,
      width: floorPlans.width,
      height: floorPlans.height,
      sha256: floorPlans.sha256,
    })
    .from(venueFloors)
    .leftJoin(floorPlans, eq(floorPlans.floorId, venueFloors.id))
    .orderBy(asc(venueFloors.position), asc(venueFloors.id));
  return rows.map((r) => ({
    ...r.f,
    plan: r.contentType ? { contentType: r.contentType, width: r.width!, height: r.height!, sha256: r.sha256! } : null,
  }));
}

/** How many sessions (cancelled ones too: they keep their row) and drafts use each room. */
async function roomUses(db: DbOrTx): Promise<Map<number, number>> {
  // One after the other: inside a transaction, one connection answers one query at a time.
  const published = await db
    .select({ roomId: sessions.roomId, n: count() })
    .from(sessions)
    .where(sql`${sessions.roomId} is not null`)
    .groupBy(sessions.roomId);
  const drafts = await db.select({ data: sessionDrafts.data }).from(sessionDrafts);
  const out = new Map<number, number>();
  for (const p of published) out.set(p.roomId!, Number(p.n));
  for (const d of drafts) if (d.data.roomId != null) out.set(d.data.roomId, (out.get(d.data.roomId) ?? 0) + 1);
  return out;
}

/** Every room with its facilities, hours and floor, in the venue's order (retired ones included). */
export async function listStaffRooms(db: DbOrTx): Promise<StaffRoom[]> {
  const rows = await db
    .select({ r: rooms, floorSlug: venueFloors.slug, f: roomFacilities })
    .from(rooms)
    .leftJoin(venueFloors, eq(venueFloors.id, rooms.floorId))
    .leftJoin(roomFacilities, eq(roomFacilities.roomId, rooms.id))
    .orderBy(asc(rooms.position), asc(rooms.id));
  const hours = await db.select().from(roomHours).orderBy(asc(roomHours.day));
  const uses = await roomUses(db);
  const daysOf = new Map<number, Record<string, DayHours>>();
  for (const h of hours) {
    const d = daysOf.get(h.roomId) ?? {};
    d[h.day] = { opens: h.opens, closes: h.closes };
    daysOf.set(h.roomId, d);
  }
  return rows.map(({ r, floorSlug, f }) => ({
    ...r,
    floorSlug,
    booths: f?.booths ?? [],
    opens: f?.opens ?? DEFAULT_HOURS.opens,
    closes: f?.closes ?? DEFAULT_HOURS.closes,
    days: daysOf.get(r.id) ?? {},
    uses: uses.get(r.id) ?? 0,
  }));
}

/** One room for the secretariat. Throws `room_not_found`. */
export async function getStaffRoom(ctx: Ctx, slug: string): Promise<StaffRoom> {
  authorize(ctx, 'programme.edit');
  const room = (await listStaffRooms(ctx.db)).find((r) => r.slug === slug);
  if (!room) throw new DomainError('room_not_found', 404, { room: slug });
  return room;
}

/** The room's audited picture: what the form edits. */
const snapshot = (r: RoomInput | StaffRoom, floor: string | null) => ({
  name: r.name,
  capacity: r.capacity,
  floor,
  position: r.position,
  booths: r.booths,
  opens: r.opens,
  closes: r.closes,
  days: r.days,
  accessibility: r.accessibility,
  planX: r.planX,
  planY: r.planY,
});

async function floorIdOf(tx: DbOrTx, slug: string | null): Promise<number | null> {
  if (!slug) return null;
  const [f] = await tx.select({ id: venueFloors.id }).from(venueFloors).where(eq(venueFloors.slug, slug));
  if (!f) throw new FormRefusal({ floor: 'floor_not_found' });
  return f.id;
}

async function writeRoomParts(tx: DbOrTx, roomId: number, input: RoomInput) {
  const facilities = { booths: input.booths, opens: input.opens, closes: input.closes };
  await tx
    .insert(roomFacilities)
    .values({ roomId, ...facilities })
    .onConflictDoUpdate({ target: roomFacilities.roomId, set: facilities });
  await tx.delete(roomHours).where(eq(roomHours.roomId, roomId));
  const days = Object.entries(input.days);
  if (days.length) await tx.insert(roomHours).values(days.map(([day, h]) => ({ roomId, day, ...h })));
}

/** Adds a room. Throws FormRefusal (`room_slug_taken`, `floor_not_found`). */
export async function createRoom(ctx: WCtx, input: RoomInput): Promise<string> {
  authorize(ctx, 'programme.edit');
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: rooms.id }).from(rooms).where(eq(rooms.slug, input.slug));
    if (taken) throw new FormRefusal({ slug: 'room_slug_taken' });
    const floorId = await floorIdOf(tx, input.floor);
    const [venue] = await tx.select({ id: venues.id }).from(venues).orderBy(asc(venues.id)).limit(1);
    if (!venue) throw new DomainError('venue_not_found', 404);
    const [row] = await tx
      .insert(rooms)
      .values({
        venueId: venue.id,
        slug: input.slug,
        name: input.name,
        capacity: input.capacity,
        position: input.position,
        floorId,
        accessibility: input.accessibility,
        planX: input.planX,
        planY: input.planY,
      })
      .returning({ id: rooms.id });
    await writeRoomParts(tx, row!.id, input);
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.room_created',
        subjectType: 'room',
        subjectId: input.slug,
        after: snapshot(input, input.floor),
      },
    );
    await bumpContentVersion(tx);
    return input.slug;
  });
}

/** Changes a room (not its slug). Throws `room_not_found`, FormRefusal (`floor_not_found`). */
export async function updateRoom(ctx: WCtx, slug: string, input: RoomInput): Promise<void> {
  authorize(ctx, 'programme.edit');
  await ctx.db.transaction(async (tx) => {
    const before = (await listStaffRooms(tx)).find((r) => r.slug === slug);
    if (!before) throw new DomainError('room_not_found', 404, { room: slug });
    const floorId = await floorIdOf(tx, input.floor);
    await tx
      .update(rooms)
      .set({
        name: input.name,
        capacity: input.capacity,
        position: input.position,
        floorId,
        accessibility: input.accessibility,
        planX: input.planX,
        planY: input.planY,
      })
      .where(eq(rooms.id, before.id));
    await writeRoomParts(tx, before.id, input);
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.room_updated',
        subjectType: 'room',
        subjectId: slug,
        before: snapshot(before, before.floorSlug),
        after: snapshot(input, input.floor),
      },
    );
    await bumpContentVersion(tx);
  });
}

/** Retires a room (`retire`), or brings it back. Throws `room_not_found`. */
export async function setRoomRetired(ctx: WCtx, slug: string, retire: boolean): Promise<void> {
  authorize(ctx, 'programme.edit');
  await ctx.db.transaction(async (tx) => {
    const [room] = await tx.select().from(rooms).where(eq(rooms.slug, slug)).for('update');
    if (!room) throw new DomainError('room_not_found', 404, { room: slug });
    if (!!room.retiredAt === retire) return;
    await tx
      .update(rooms)
      .set({ retiredAt: retire ? ctx.now : null })
      .where(eq(rooms.id, room.id));
    await audit(
      tx,
      { ...ctx, db: tx },
      { action: retire ? 'programme.room_retired' : 'programme.room_reinstated', subjectType: 'room', subjectId: slug },
    );
    await bumpContentVersion(tx);
  });
}

/**
 * Deletes a room that no session (published or cancelled) and no draft uses. Throws `room_not_found`,
 * `room_has_sessions` (409: retire it instead).
 */
export async function deleteRoom(ctx: WCtx, slug: string): Promise<void> {
  authorize(ctx, 'programme.edit');
  await ctx.db.transaction(async (tx) => {
    const [room] = await tx.select().from(rooms).where(eq(rooms.slug, slug)).for('update');
    if (!room) throw new DomainError('room_not_found', 404, { room: slug });
    const uses = (await roomUses(tx)).get(room.id) ?? 0;
    if (uses > 0) throw new DomainError('room_has_sessions', 409, { count: uses });
    await tx.delete(rooms).where(eq(rooms.id, room.id));
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.room_deleted',
        subjectType: 'room',
        subjectId: slug,
        before: { name: room.name, capacity: room.capacity },
      },
    );
    await bumpContentVersion(tx);
  });
}

/** Adds a floor. Throws FormRefusal (`floor_slug_taken`). */
export async function createFloor(ctx: WCtx, input: FloorInput): Promise<string> {
  authorize(ctx, 'programme.edit');
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: venueFloors.id }).from(venueFloors).where(eq(venueFloors.slug, input.slug));
    if (taken) throw new FormRefusal({ slug: 'floor_slug_taken' });
    const [venue] = await tx.select({ id: venues.id }).from(venues).orderBy(asc(venues.id)).limit(1);
    if (!venue) throw new DomainError('venue_not_found', 404);
    await tx.insert(venueFloors).values({ venueId: venue.id, ...input });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.floor_created',
        subjectType: 'floor',
        subjectId: input.slug,
        after: { name: input.name, position: input.position },
      },
    );
    await bumpContentVersion(tx);
    return input.slug;
  });
}

/** Renames or reorders a floor. Throws `floor_not_found`. */
export async function updateFloor(ctx: WCtx, slug: string, input: Omit<FloorInput, 'slug'>): Promise<void> {
  authorize(ctx, 'programme.edit');
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(venueFloors).where(eq(venueFloors.slug, slug)).for('update');
    if (!before) throw new DomainError('floor_not_found', 404, { floor: slug });
    await tx
      .update(venueFloors)
      .set({ name: input.name, position: input.position })
      .where(eq(venueFloors.id, before.id));
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.floor_updated',
        subjectType: 'floor',
        subjectId: slug,
        before: { name: before.name, position: before.position },
        after: { name: input.name, position: input.position },
      },
    );
    await bumpContentVersion(tx);
  });
}

/** Deletes a floor with no room on it (its plan goes with it). Throws `floor_not_found`, `floor_has_rooms`. */
export async function deleteFloor(ctx: WCtx, slug: string): Promise<void> {
  authorize(ctx, 'programme.edit');
  await ctx.db.transaction(async (tx) => {
    const [floor] = await tx.select().from(venueFloors).where(eq(venueFloors.slug, slug)).for('update');
    if (!floor) throw new DomainError('floor_not_found', 404, { floor: slug });
    const [{ n }] = await tx.select({ n: count() }).from(rooms).where(eq(rooms.floorId, floor.id));
    if (Number(n) > 0) throw new DomainError('floor_has_rooms', 409, { count: Number(n) });
    await tx.delete(venueFloors).where(eq(venueFloors.id, floor.id));
    await audit(
      tx,
      { ...ctx, db: tx },
      { action: 'programme.floor_deleted', subjectType: 'floor', subjectId: slug, before: { name: floor.name } },
    );
    await bumpContentVersion(tx);
  });
}
