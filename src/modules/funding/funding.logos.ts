/**
 * Contributors' logos, uploaded by the secretariat (`pledges.manage`), checked and re-encoded by the platform's
 * `processLogo` (src/platform/images.ts: the bytes decide the type, PNG/JPEG/WebP only, no metadata kept), stored
 * with their text alternative per language.
 */
import { eq, inArray } from 'drizzle-orm';
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
import { processLogo } from '../../platform/images.js';

export { LOGO_MAX_BYTES, LOGO_MAX_PIXELS, LOGO_TYPES, processLogo } from '../../platform/images.js';

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
  const { sha256, ...logo } = await processLogo(input, declaredType);
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
