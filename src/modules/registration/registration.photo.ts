/**
 * Badge photos. An upload is decoded by sharp (libvips) and re-encoded: the file's own bytes say what it is (a PNG
 * sent as image/jpeg is refused), images over PHOTO_MAX_PIXELS are refused before decoding (decompression bombs), the
 * orientation is applied and every metadata block (EXIF, GPS, XMP, ICC) dropped, and the result is a JPEG of at most
 * 600 × 800. Only that JPEG is stored, with a 96 × 128 WebP thumbnail made from it for lists (`makeThumbnail`);
 * photos stored before thumbnails existed get theirs from `backfillThumbnails` when the worker starts.
 */
import { createHash } from 'node:crypto';
import { eq, isNull } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize, can, personOf } from '../../platform/permissions.js';
import { people } from '../accounts/index.js';
import { personPhotos } from './registration.schema.js';

export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** 40 megapixels: any camera photo, far below what would exhaust memory when decoded. */
export const PHOTO_MAX_PIXELS = 40_000_000;
export const PHOTO_TYPES = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;
const MIN_SIDE = 150;

export type ProcessedPhoto = { jpeg: Buffer; width: number; height: number };

/**
 * Decodes and re-encodes an uploaded photo. `declaredType` is the Content-Type the client sent, if any.
 * Throws `photo_too_large`, `photo_type_unsupported`, `photo_type_mismatch`, `photo_too_many_pixels`,
 * `photo_unreadable`, `photo_too_small`.
 */
export async function processPhoto(input: Buffer, declaredType?: string): Promise<ProcessedPhoto> {
  if (input.length > PHOTO_MAX_BYTES)
    throw new DomainError('photo_too_large', 413, { max: PHOTO_MAX_BYTES / 1024 / 1024 });
  if (input.length === 0) throw new DomainError('photo_unreadable', 400);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('photo_type_unsupported', 415);
  }
  const format = meta.format as keyof typeof PHOTO_TYPES | undefined;
  if (!format || !(format in PHOTO_TYPES)) throw new DomainError('photo_type_unsupported', 415);
  const declared = declaredType?.split(';')[0].trim().toLowerCase();
  if (
    declared &&
    declared !== 'application/octet-stream' &&
    declared !== PHOTO_TYPES[format] &&
    !(declared === 'image/jpg' && format === 'jpeg')
  )
    throw new DomainError('photo_type_mismatch', 415, { declared, actual: PHOTO_TYPES[format] });
  // The header's dimensions, checked before any pixel is decoded.
  if (!meta.width || !meta.height || meta.width * meta.height > PHOTO_MAX_PIXELS)
    throw new DomainError('photo_too_many_pixels', 413);
  if ((meta.pages ?? 1) > 1) throw new DomainError('photo_type_unsupported', 415);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize(600, 800, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    if (Math.min(info.width, info.height) < MIN_SIDE) throw new DomainError('photo_too_small', 400, { min: MIN_SIDE });
    return { jpeg: data, width: info.width, height: info.height };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('photo_unreadable', 400);
  }
}

export const THUMB_WIDTH = 96;
export const THUMB_HEIGHT = 128;

/** The list thumbnail of a stored photo: 96 × 128, cropped to the face's usual place (top centre), WebP. */
export async function makeThumbnail(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg)
    .resize(THUMB_WIDTH, THUMB_HEIGHT, { fit: 'cover', position: 'north' })
    .webp({ quality: 70 })
    .toBuffer();
}

/** Makes the missing thumbnails of photos stored before thumbnails existed, in batches; returns how many. */
export async function backfillThumbnails(db: DbOrTx, batch = 50): Promise<number> {
  let n = 0;
  for (;;) {
    const rows = await db
      .select({ personId: personPhotos.personId, jpeg: personPhotos.jpeg })
      .from(personPhotos)
      .where(isNull(personPhotos.thumb))
      .limit(batch);
    if (!rows.length) return n;
    for (const r of rows) {
      await db
        .update(personPhotos)
        .set({ thumb: await makeThumbnail(r.jpeg) })
        .where(eq(personPhotos.personId, r.personId));
      n++;
    }
  }
}

/** Stores the signed-in person's photo (or, for a DFP or the secretariat, a person of their entity's). */
export async function savePhoto(ctx: Ctx & { db: Db }, personId: string, input: Buffer, declaredType?: string) {
  await authorizePhoto(ctx, personId, 'write');
  const photo = await processPhoto(input, declaredType);
  const sha256 = createHash('sha256').update(photo.jpeg).digest('hex');
  const thumb = await makeThumbnail(photo.jpeg);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ sha256: personPhotos.sha256 })
      .from(personPhotos)
      .where(eq(personPhotos.personId, personId));
    const values = {
      personId,
      jpeg: photo.jpeg,
      width: photo.width,
      height: photo.height,
      sha256,
      uploadedAt: ctx.now,
      thumb,
    };
    await tx.insert(personPhotos).values(values).onConflictDoUpdate({ target: personPhotos.personId, set: values });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'photo.uploaded',
        subjectType: 'person',
        subjectId: personId,
        before: before ?? {},
        after: { sha256, width: photo.width, height: photo.height },
      },
    );
    return { width: photo.width, height: photo.height, sha256 };
  });
}

/** The stored JPEG, for the person, their entity's DFP and the secretariat (reviewers and badge staff). */
export async function getPhoto(ctx: Ctx, personId: string): Promise<{ jpeg: Buffer; sha256: string } | undefined> {
  await authorizePhoto(ctx, personId, 'read');
  const [row] = await ctx.db
    .select({ jpeg: personPhotos.jpeg, sha256: personPhotos.sha256 })
    .from(personPhotos)
    .where(eq(personPhotos.personId, personId));
  return row;
}

/** The list thumbnail (WebP), under the same rule as the photo; made now if the backfill has not reached it yet. */
export async function getThumbnail(ctx: Ctx, personId: string): Promise<{ webp: Buffer; sha256: string } | undefined> {
  await authorizePhoto(ctx, personId, 'read');
  const [row] = await ctx.db
    .select({ jpeg: personPhotos.jpeg, thumb: personPhotos.thumb, sha256: personPhotos.sha256 })
    .from(personPhotos)
    .where(eq(personPhotos.personId, personId));
  if (!row) return undefined;
  return { webp: row.thumb ?? (await makeThumbnail(row.jpeg)), sha256: row.sha256 };
}

export async function hasPhoto(ctx: Ctx, personId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: personPhotos.personId })
    .from(personPhotos)
    .where(eq(personPhotos.personId, personId));
  return !!row;
}

async function authorizePhoto(ctx: Ctx, personId: string, mode: 'read' | 'write') {
  const me = personOf(ctx);
  if (me.id === personId) return;
  if (can(ctx.actor, 'registration.review') || (mode === 'read' && can(ctx.actor, 'badges.view'))) return;
  const [p] = await ctx.db.select({ entityId: people.entityId }).from(people).where(eq(people.id, personId));
  // Someone else's photo: only a DFP of that person's entity; anyone else learns nothing (404).
  if (!p || p.entityId == null || !can(ctx.actor, 'entity.act', { entityId: p.entityId }))
    throw new DomainError('photo_not_found', 404);
  authorize(ctx, 'entity.act', { entityId: p.entityId });
}
