/**
 * Each event's own identity (issue 15 §7): its short name in the six languages and its logo, set by the secretariat
 * (`organiser.manage`). The logo goes through the same checks as the organiser's (platform/images.ts: PNG, JPEG or
 * WebP, decoded and re-encoded as PNG, no metadata; no SVG). Shown on the event's page, on the badges of people
 * registered for it and in the e-mails about it, in place of the organiser's logo; without one, the organiser's.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { processLogo } from '../../platform/images.js';
import { authorize, personOf } from '../../platform/permissions.js';
import { eventLogos, events } from './events.schema.js';

export const SHORT_NAME_MAX = 40;

export type EventLogo = { png: Buffer; width: number; height: number; sha256: string };

/** The logo's public address: its hash in the name, so it is cached for good. */
export const eventLogoPath = (slug: string, sha256: string) => `/events/${slug}/logo-${sha256.slice(0, 16)}.png`;

/** An event's logo, if it has its own. */
export async function getEventLogo(db: DbOrTx, eventId: number): Promise<EventLogo | undefined> {
  const [row] = await db.select().from(eventLogos).where(eq(eventLogos.eventId, eventId));
  return row ? { png: row.png, width: row.width, height: row.height, sha256: row.sha256 } : undefined;
}

/** The logos of these events (those that have one), by event id. */
export async function eventLogosOf(db: DbOrTx, eventIds: number[]): Promise<Map<number, EventLogo>> {
  if (!eventIds.length) return new Map();
  const rows = await db.select().from(eventLogos).where(inArray(eventLogos.eventId, eventIds));
  return new Map(rows.map((r) => [r.eventId, { png: r.png, width: r.width, height: r.height, sha256: r.sha256 }]));
}

export type EventIdentityInput = {
  shortName: Localized;
  logo?: { bytes: Buffer; mimetype?: string };
  removeLogo?: boolean;
};

/**
 * Saves an event's short name and logo (audited as `events.identity_saved`, bumps the content version). Throws
 * `event_not_found`, `event_short_name_required`, `organiser_field_too_long` (with the field) and the logo's `logo_*`.
 */
export async function saveEventIdentity(ctx: Ctx & { db: Db }, slug: string, input: EventIdentityInput) {
  authorize(ctx, 'organiser.manage');
  const shortName = Object.fromEntries(
    LOCALES.map((lc) => [lc, (input.shortName[lc] ?? '').replace(/\s+/g, ' ').trim()] as const).filter(([, v]) => v),
  ) as Localized;
  for (const [lc, v] of Object.entries(shortName))
    if (v.length > SHORT_NAME_MAX)
      throw new DomainError('organiser_field_too_long', 400, { field: `short_${lc}`, max: SHORT_NAME_MAX });
  if (!Object.keys(shortName).length) throw new DomainError('event_short_name_required', 400, { field: 'short_en' });
  const logo = input.logo ? await processLogo(input.logo.bytes, input.logo.mimetype, { svg: true }) : undefined;
  return ctx.db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.slug, slug)).for('update');
    if (!event) throw new DomainError('event_not_found', 404);
    const before = await getEventLogo(tx, event.id);
    await tx.update(events).set({ shortName }).where(eq(events.id, event.id));
    if (logo) {
      const values = { ...logo, eventId: event.id, updatedAt: ctx.now, updatedBy: personOf(ctx).id };
      await tx.insert(eventLogos).values(values).onConflictDoUpdate({ target: eventLogos.eventId, set: values });
    } else if (input.removeLogo) await tx.delete(eventLogos).where(eq(eventLogos.eventId, event.id));
    const after = logo ? logo.sha256 : input.removeLogo ? undefined : before?.sha256;
    await audit(tx, ctx, {
      action: 'events.identity_saved',
      subjectType: 'event',
      subjectId: event.id,
      before: { shortName: event.shortName, logo: before?.sha256 ?? null },
      after: { shortName, logo: after ?? null },
    });
    await bumpContentVersion(tx);
    return { shortName, logo: logo ?? (input.removeLogo ? undefined : before) };
  });
}
