/**
 * Contributors' logos, uploaded by the secretariat (`pledges.manage`) and stored the way badge photos are: decoded by
 * sharp and re-encoded, so the file's own bytes say what it is (a PNG sent as image/jpeg is refused, SVG and anything
 * else is refused), images over LOGO_MAX_PIXELS are refused before decoding, every metadata block is dropped, and
 * only the re-encoded PNG (transparency kept, at most 600 × 300) is stored, with its text alternative per language.
 */
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { authorize, personOf } from '../../platform/permissions.js';
import { entities } from '../entities/index.js';
import { fundingLogos, type Logo } from './funding.schema.js';

export const LOGO_MAX_BYTES = 2 * 1024 * 1024;
export const LOGO_MAX_PIXELS = 25_000_000;
export const LOGO_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
const MIN_SIDE = 32;

/** Decodes and re-encodes an uploaded logo; throws `logo_too_large`, `logo_type_unsupported`, `logo_type_mismatch`, `logo_too_many_pixels`, `logo_unreadable`, `logo_too_small`. */
export async function processLogo(input: Buffer, declaredType?: string) {
  if (input.length > LOGO_MAX_BYTES)
    throw new DomainError('logo_too_large', 413, { max: LOGO_MAX_BYTES / 1024 / 1024 });
  if (input.length === 0) throw new DomainError('logo_unreadable', 400);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('logo_type_unsupported', 415);
  }
  const format = meta.format as keyof typeof LOGO_TYPES | undefined;
  if (!format || !(format in LOGO_TYPES) || (meta.pages ?? 1) > 1) throw new DomainError('logo_type_unsupported', 415);
  const declared = declaredType?.split(';')[0].trim().toLowerCase();
  if (
    declared &&
    declared !== 'application/octet-stream' &&
    declared !== LOGO_TYPES[format] &&
    !(declared === 'image/jpg' && format === 'jpeg')
  )
    throw new DomainError('logo_type_mismatch', 415, { declared, actual: LOGO_TYPES[format] });
  if (!meta.width || !meta.height || meta.width * meta.height > LOGO_MAX_PIXELS)
    throw new DomainError('logo_too_many_pixels', 413);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: LOGO_MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize(600, 300, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    if (Math.max(info.width, info.height) < MIN_SIDE) throw new DomainError('logo_too_small', 400, { min: MIN_SIDE });
    return { png: data, width: info.width, height: info.height };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('logo_unreadable', 400);
  }
}

/** Stores (or replaces) an entity's logo and its text alternative; audited. */
export async function saveLogo(
  ctx: Ctx & { db: Db },
  entityId: number,
  input: Buffer,
  alt: Localized,
  declaredType?: string,
): Promise<Omit<Logo, 'png'>> {
  authorize(ctx, 'pledges.manage');
  const [e] = await ctx.db.select({ id: entities.id }).from(entities).where(eq(entities.id, entityId));
  if (!e) throw new DomainError('entity_not_found', 404);
  const cleanAlt = Object.fromEntries(
    LOCALES.map((l) => [l, (alt[l] ?? '').trim().slice(0, 200)]).filter(([, v]) => v),
  ) as Localized;
  const logo = await processLogo(input, declaredType);
  const sha256 = createHash('sha256').update(logo.png).digest('hex');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ sha256: fundingLogos.sha256, alt: fundingLogos.alt })
      .from(fundingLogos)
      .where(eq(fundingLogos.entityId, entityId));
    const values = {
      entityId,
      ...logo,
      sha256,
      alt: cleanAlt,
      uploadedBy: personOf(ctx).id,
      uploadedAt: ctx.now,
    };
    const [row] = await tx
      .insert(fundingLogos)
      .values(values)
      .onConflictDoUpdate({ target: fundingLogos.entityId, set: values })
      .returning();
    await audit(tx, ctx, {
      action: 'funding.logo_uploaded',
      subjectType: 'entity',
      subjectId: entityId,
      before: before ?? {},
      after: { sha256, width: logo.width, height: logo.height, alt: cleanAlt },
    });
    await bumpContentVersion(tx);
    const { png: _png, ...meta } = row;
    return meta;
  });
}

/** The stored PNG of an entity's logo (public: logos are shown only next to consenting partners' names). */
export async function getLogo(db: DbOrTx, entityId: number): Promise<{ png: Buffer; sha256: string } | undefined> {
  const [row] = await db
    .select({ png: fundingLogos.png, sha256: fundingLogos.sha256 })
    .from(fundingLogos)
    .where(eq(fundingLogos.entityId, entityId));
  return row;
}

export type LogoMeta = { sha256: string; width: number; height: number; alt: Localized };

/** Logos' sizes and text alternatives (no bytes) of some entities. */
export async function logosOf(db: DbOrTx, entityIds: number[]): Promise<Map<number, LogoMeta>> {
  if (!entityIds.length) return new Map();
  const rows = await db
    .select({
      entityId: fundingLogos.entityId,
      sha256: fundingLogos.sha256,
      width: fundingLogos.width,
      height: fundingLogos.height,
      alt: fundingLogos.alt,
    })
    .from(fundingLogos)
    .where(inArray(fundingLogos.entityId, entityIds));
  return new Map(rows.map(({ entityId, ...m }) => [entityId, m]));
}

/** The public address of a logo: its content hash in the name, so it can be cached for good. */
export const logoPath = (entityId: number, sha256: string) => `/partners/logos/${entityId}-${sha256.slice(0, 12)}.png`;
