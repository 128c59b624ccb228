/**
 * The organiser's identity: name and short name in the six languages, the address line of its letterheads and its
 * logo. Set by the secretariat (`organiser.manage`); until then the ITU's, so the product works before anyone sets
 * anything. Pages (layout.tsx), e-mails (mail.ts), badges and letters read it through `getOrganiser`, which reads
 * the row once per content version: saving bumps the version, so cached pages and every process follow at once.
 */
import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.js';
import { audit } from './audit.js';
import { bumpContentVersion, cachedContentVersion } from './content-version.js';
import type { Ctx } from './context.js';
import { DomainError } from './errors.js';
import { pick, text, type Localized } from './i18n/localized.js';
import { LOCALES, type Locale } from './i18n/locales.js';
import { processLogo } from './images.js';
import { authorize, personOf } from './permissions.js';
import { organiserIdentity } from './platform.schema.js';

export type Organiser = {
  name: Localized;
  shortName: Localized;
  address: Localized;
  logo?: { png: Buffer; width: number; height: number; sha256: string };
};

/** The seeded organiser: the International Telecommunication Union, as it writes its name in each language. */
export const DEFAULT_ORGANISER: Organiser = {
  name: {
    en: 'International Telecommunication Union',
    fr: 'Union internationale des télécommunications',
    es: 'Unión Internacional de Telecomunicaciones',
    ru: 'Международный союз электросвязи',
    zh: '国际电信联盟',
    ar: 'الاتحاد الدولي للاتصالات',
  },
  shortName: { en: 'ITU', fr: 'UIT', es: 'UIT', ru: 'МСЭ', zh: '国际电联', ar: 'الاتحاد' },
  address: {
    en: 'Place des Nations, 1211 Geneva 20, Switzerland',
    fr: 'Place des Nations, 1211 Genève 20, Suisse',
    es: 'Place des Nations, 1211 Ginebra 20, Suiza',
    ru: 'Place des Nations, 1211 Женева 20, Швейцария',
    zh: '瑞士日内瓦20号 Place des Nations, 1211',
    ar: 'Place des Nations، 1211 جنيف 20، سويسرا',
  },
};

export const ORGANISER_LIMITS = { name: 200, shortName: 40, address: 300 } as const;

/** The organiser's name in a language (else by the content fallback order), with the language it is written in. */
export const organiserName = (o: Organiser, locale: Locale) => pick(o.name, locale);
export const organiserShortName = (o: Organiser, locale: Locale) => text(o.shortName, locale) || text(o.name, locale);
export const organiserAddress = (o: Organiser, locale: Locale) => text(o.address, locale);
/** The logo's public address: its hash in the name, so it is cached for good. */
export const organiserLogoPath = (sha256: string) => `/organiser/logo-${sha256.slice(0, 16)}.png`;

async function load(db: DbOrTx): Promise<Organiser> {
  const [row] = await db.select().from(organiserIdentity).where(eq(organiserIdentity.id, 1));
  if (!row) return DEFAULT_ORGANISER;
  return {
    name: row.name,
    shortName: row.shortName,
    address: row.address,
    logo:
      row.logoPng && row.logoSha256 && row.logoWidth && row.logoHeight
        ? { png: row.logoPng, width: row.logoWidth, height: row.logoHeight, sha256: row.logoSha256 }
        : undefined,
  };
}

/** The organiser this process read last: for pages rendered without a database at hand (error pages). */
let lastRead: Organiser | undefined;
export const lastOrganiser = (): Organiser => lastRead ?? DEFAULT_ORGANISER;

const memo = new WeakMap<object, { version: number; organiser: Promise<Organiser> }>();

/** The organiser as set (or the defaults), read once per content version per process. */
export async function getOrganiser(db: DbOrTx): Promise<Organiser> {
  const version = await cachedContentVersion(db);
  const m = memo.get(db);
  if (m && m.version === version) return m.organiser;
  const organiser = load(db).then((o) => (lastRead = o));
  memo.set(db, { version, organiser });
  organiser.catch(() => memo.delete(db));
  return organiser;
}

/**
 * How an event's own logo is read (the events module sets it when it is loaded; the platform names no module). The
 * e-mails about one event show its logo in place of the organiser's.
 */
type EventLogoReader = (db: DbOrTx, eventId: number) => Promise<Organiser['logo'] | undefined>;
let eventLogoReader: EventLogoReader | undefined;
export function readEventLogosWith(reader: EventLogoReader) {
  eventLogoReader = reader;
}

/** The organiser as it signs something about one event: that event's logo when it has one, else the organiser's. */
export async function organiserForEvent(db: DbOrTx, eventId: number | undefined): Promise<Organiser> {
  const organiser = await getOrganiser(db);
  if (eventId == null || !eventLogoReader) return organiser;
  const logo = await eventLogoReader(db, eventId);
  return logo ? { ...organiser, logo } : organiser;
}

export type OrganiserInput = {
  name: Localized;
  shortName: Localized;
  address: Localized;
  logo?: { bytes: Buffer; mimetype?: string };
  removeLogo?: boolean;
};

const clean = (l: Localized) =>
  Object.fromEntries(
    LOCALES.map((lc) => [lc, (l[lc] ?? '').replace(/\s+/g, ' ').trim()] as const).filter(([, v]) => v),
  ) as Localized;

/**
 * Saves the organiser's identity (audited, bumps the content version). Throws `organiser_name_required` when no
 * language has a name, `organiser_field_too_long` (with the field), and the logo's `logo_*` errors.
 */
export async function saveOrganiser(ctx: Ctx & { db: Db }, input: OrganiserInput): Promise<Organiser> {
  authorize(ctx, 'organiser.manage');
  const fields = { name: input.name, shortName: input.shortName, address: input.address };
  const cleaned = {} as Record<keyof typeof fields, Localized>;
  for (const k of Object.keys(fields) as (keyof typeof fields)[]) {
    cleaned[k] = clean(fields[k]);
    for (const [lc, v] of Object.entries(cleaned[k]))
      if (v.length > ORGANISER_LIMITS[k])
        throw new DomainError('organiser_field_too_long', 400, {
          field: `${k === 'shortName' ? 'short' : k}_${lc}`,
          max: ORGANISER_LIMITS[k],
        });
  }
  if (!Object.keys(cleaned.name).length) throw new DomainError('organiser_name_required', 400, { field: 'name_en' });
  const logo = input.logo ? await processLogo(input.logo.bytes, input.logo.mimetype, { svg: true }) : undefined;
  return ctx.db.transaction(async (tx) => {
    const before = await load(tx);
    const keep = input.removeLogo ? undefined : before.logo;
    const next = logo ?? keep;
    const values = {
      id: 1,
      ...cleaned,
      logoPng: next?.png ?? null,
      logoWidth: next?.width ?? null,
      logoHeight: next?.height ?? null,
      logoSha256: next?.sha256 ?? null,
      updatedAt: ctx.now,
      updatedBy: personOf(ctx).id,
    };
    await tx.insert(organiserIdentity).values(values).onConflictDoUpdate({ target: organiserIdentity.id, set: values });
    await audit(tx, ctx, {
      action: 'organiser.updated',
      subjectType: 'organiser',
      subjectId: 1,
      before: { name: before.name, shortName: before.shortName, address: before.address, logo: before.logo?.sha256 },
      after: { ...cleaned, logo: next?.sha256 },
    });
    await bumpContentVersion(tx);
    return { ...cleaned, logo: next };
  });
}
