/**
 * Speakers' public profiles and their confirmation through a signed link.
 *
 * - A profile per speaker of the published programme (`speaker_profiles`), made or refreshed at each publication
 *   (and by the seed) from the sessions' speakers: names in both scripts, honorific, title in every language and
 *   organisation come from the editor; the biography, photo and confirmation from the speaker.
 * - Staff (`programme.edit`) send an invitation: one e-mail in the speaker's language (through the job worker) with a
 *   signed link `spk.<id>-<nonce>.<mac>` (platform/signing.ts). Sending a new one replaces the nonce, so the older
 *   link stops working; a link expires at the end of the last day of the speaker's last event.
 * - Through the link, without an account, the speaker confirms or declines and edits their biography (per language)
 *   and photo (decoded and re-encoded by sharp: the bytes say what it is). Every edit is audited.
 * States: not_invited → invited → confirmed | declined (and back while the link is valid), each with its date.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, max, or, sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { formatDateTime, formatDay, formatTimeRange, genevaDate, genevaInstant } from '../../platform/i18n/format.js';
import { pick, text, type Localized } from '../../platform/i18n/localized.js';
import { isLocale, LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { comparePeople, greeting, type PersonName } from '../../platform/i18n/names.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { authorize } from '../../platform/permissions.js';
import { sign, signingKey, verifySigned } from '../../platform/signing.js';
import { people } from '../accounts/accounts.schema.js';
import { events } from '../events/events.schema.js';
import { personKey } from './programme.editor.js';
import * as q from './programme.queries.js';
import { sessionSpeakers, sessions, type DraftSpeaker } from './programme.schema.js';
import { speakerProfiles, type SpeakerState } from './programme.speakers.schema.js';

export type SpeakerProfile = typeof speakerProfiles.$inferSelect;

// ---------------------------------------------------------------- titles in every language (the editor's form)

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** The same person in two versions of a session's speakers: their account, else their names. */
export function sameSpeaker(a: DraftSpeaker, b: DraftSpeaker): boolean {
  if (a.personId || b.personId) return a.personId === b.personId;
  return (
    fold(a.givenName) === fold(b.givenName) &&
    fold(a.familyName) === fold(b.familyName) &&
    fold(a.givenNameLatin) === fold(b.givenNameLatin) &&
    fold(a.familyNameLatin) === fold(b.familyNameLatin)
  );
}

/**
 * The speakers as the form saves them, each with their title in every language: the form shows and edits one
 * language of it (`title`); an unchanged title keeps all the others, a changed one replaces its own language only,
 * a new speaker's title is in the editor's language, an emptied title removes the title.
 */
export function keepRoles(prior: DraftSpeaker[], next: DraftSpeaker[], locale: Locale): DraftSpeaker[] {
  return next.map((s) => {
    const was = prior.find((p) => sameSpeaker(p, s));
    const before: Localized = was?.role ?? (was?.title ? { en: was.title } : {});
    if (!s.title) return { ...s, role: {} };
    if (was && s.title === was.title && Object.keys(before).length) return { ...s, role: before };
    const lang = (Object.entries(before).find(([, x]) => x === was?.title)?.[0] as Locale | undefined) ?? locale;
    return { ...s, role: { ...before, [lang]: s.title } };
  });
}

// ---------------------------------------------------------------- profiles made from the published sessions

/** The address part of a name: Latin letters and digits, accents dropped; '' when nothing is left. */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

type SpeakerRow = typeof sessionSpeakers.$inferSelect;

const keyOf = (r: Pick<SpeakerRow, 'personId' | 'name' | 'nameLatin'>) => personKey(r);

/**
 * Makes the missing profiles of the speakers of these sessions (all sessions without `sessionIds`) and refreshes
 * what the editor owns on the existing ones (names, honorific, title, organisation). Biographies, photos and
 * confirmations are the speaker's and stay. Runs in the publishing transaction.
 */
export async function syncSpeakerProfiles(tx: DbOrTx, now: Date, sessionIds?: number[]): Promise<number> {
  if (sessionIds && !sessionIds.length) return 0;
  const rows = await tx
    .select()
    .from(sessionSpeakers)
    .innerJoin(sessions, eq(sessionSpeakers.sessionId, sessions.id))
    .where(and(isNull(sessions.cancelledAt), sessionIds ? inArray(sessionSpeakers.sessionId, sessionIds) : undefined))
    .orderBy(asc(sessions.startsAt), asc(sessionSpeakers.sessionId), asc(sessionSpeakers.position));
  if (!rows.length) return 0;
  // One writer at a time: two publications must not give two speakers the same address.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('speaker_profiles'))`);
  const latest = new Map<string, SpeakerRow>();
  for (const r of rows) latest.set(keyOf(r.session_speakers), r.session_speakers);
  const existing = new Map(
    (
      await tx
        .select()
        .from(speakerProfiles)
        .where(inArray(speakerProfiles.speakerKey, [...latest.keys()]))
    ).map((p) => [p.speakerKey, p]),
  );
  let made = 0;
  for (const [key, r] of latest) {
    const fields = {
      personId: r.personId,
      honorific: r.honorific,
      name: r.name,
      nameLatin: r.nameLatin && r.nameLatin !== r.name ? r.nameLatin : null,
      givenName: r.givenName ?? r.name,
      familyName: r.familyName ?? '',
      givenNameLatin: r.givenNameLatin ?? '',
      familyNameLatin: r.familyNameLatin ?? '',
      country: r.country,
      organization: r.organization,
    };
    const p = existing.get(key);
    if (p) {
      const title = Object.keys(r.role).length ? r.role : p.title;
      const same =
        JSON.stringify({ ...fields, title }) ===
        JSON.stringify({
          personId: p.personId,
          honorific: p.honorific,
          name: p.name,
          nameLatin: p.nameLatin,
          givenName: p.givenName,
          familyName: p.familyName,
          givenNameLatin: p.givenNameLatin,
          familyNameLatin: p.familyNameLatin,
          country: p.country,
          organization: p.organization,
          title: p.title,
        });
      if (!same)
        await tx
          .update(speakerProfiles)
          .set({ ...fields, title, updatedAt: now })
          .where(eq(speakerProfiles.id, p.id));
      continue;
    }
    const slug = await freeSlug(tx, slugOf(r.nameLatin || r.name) || 'speaker');
    await tx
      .insert(speakerProfiles)
      .values({ ...fields, slug, speakerKey: key, title: r.role, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
    made++;
  }
  return made;
}

async function freeSlug(tx: DbOrTx, base: string): Promise<string> {
  const taken = new Set(
    (
      await tx
        .select({ slug: speakerProfiles.slug })
        .from(speakerProfiles)
        .where(or(eq(speakerProfiles.slug, base), sql`${speakerProfiles.slug} like ${`${base}-%`}`))
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

// ---------------------------------------------------------------- reading, for the public pages and the API

/** The keys of everyone speaking in a published session that is not cancelled. */
async function publishedSpeakerKeys(db: DbOrTx): Promise<Set<string>> {
  const rows = await db
    .select({ personId: sessionSpeakers.personId, name: sessionSpeakers.name, nameLatin: sessionSpeakers.nameLatin })
    .from(sessionSpeakers)
    .innerJoin(sessions, eq(sessionSpeakers.sessionId, sessions.id))
    .where(isNull(sessions.cancelledAt));
  return new Set(rows.map(keyOf));
}

/** What a public list shows of a speaker (no biography, no photo bytes, nothing private). */
export type SpeakerSummary = Pick<
  SpeakerProfile,
  | 'id'
  | 'slug'
  | 'honorific'
  | 'name'
  | 'nameLatin'
  | 'givenName'
  | 'familyName'
  | 'givenNameLatin'
  | 'familyNameLatin'
  | 'country'
  | 'title'
  | 'organization'
  | 'photoSha256'
>;

const summaryColumns = {
  id: speakerProfiles.id,
  slug: speakerProfiles.slug,
  speakerKey: speakerProfiles.speakerKey,
  honorific: speakerProfiles.honorific,
  name: speakerProfiles.name,
  nameLatin: speakerProfiles.nameLatin,
  givenName: speakerProfiles.givenName,
  familyName: speakerProfiles.familyName,
  givenNameLatin: speakerProfiles.givenNameLatin,
  familyNameLatin: speakerProfiles.familyNameLatin,
  country: speakerProfiles.country,
  title: speakerProfiles.title,
  organization: speakerProfiles.organization,
  photoSha256: speakerProfiles.photoSha256,
};

export const personNameOf = (p: SpeakerSummary): PersonName => ({
  givenName: p.givenName,
  familyName: p.familyName,
  givenNameLatin: p.givenNameLatin,
  familyNameLatin: p.familyNameLatin,
  nationality: p.country,
  honorific: p.honorific,
});

/** The speakers of the published programme, in the reader's collation (family name, Latin letters when given). */
export async function listPublicSpeakers(db: DbOrTx, locale: Locale): Promise<SpeakerSummary[]> {
  const [keys, rows] = await Promise.all([publishedSpeakerKeys(db), db.select(summaryColumns).from(speakerProfiles)]);
  const cmp = comparePeople(locale);
  return rows
    .filter((r) => keys.has(r.speakerKey))
    .sort((a, b) => cmp(personNameOf(a), personNameOf(b)) || a.slug.localeCompare(b.slug));
}

/** The published sessions (not cancelled) a profile's speaker speaks or moderates in, in programme order. */
export async function sessionsOfProfile(
  db: DbOrTx,
  p: Pick<SpeakerProfile, 'speakerKey' | 'personId' | 'name' | 'nameLatin'>,
): Promise<q.SessionRow[]> {
  const cols = {
    sessionId: sessionSpeakers.sessionId,
    personId: sessionSpeakers.personId,
    name: sessionSpeakers.name,
    nameLatin: sessionSpeakers.nameLatin,
  };
  const rows = p.personId
    ? await db.select(cols).from(sessionSpeakers).where(eq(sessionSpeakers.personId, p.personId))
    : await db
        .select(cols)
        .from(sessionSpeakers)
        .where(
          and(
            isNull(sessionSpeakers.personId),
            or(
              sql`lower(${sessionSpeakers.name}) = ${p.name.toLowerCase()}`,
              sql`lower(coalesce(${sessionSpeakers.nameLatin}, '')) = ${(p.nameLatin ?? p.name).toLowerCase()}`,
            ),
          ),
        );
  const ids = [...new Set(rows.filter((r) => keyOf(r) === p.speakerKey).map((r) => r.sessionId))];
  return ids.length ? q.listSessions(db, { ids }) : [];
}

/** A speaker's public page: their profile and published sessions. Throws `speaker_not_found` (also when they speak in none). */
export async function getPublicSpeaker(db: DbOrTx, slug: string) {
  const [p] = await db.select().from(speakerProfiles).where(eq(speakerProfiles.slug, slug));
  if (!p) throw new DomainError('speaker_not_found', 404);
  const list = await sessionsOfProfile(db, p);
  if (!list.length) throw new DomainError('speaker_not_found', 404);
  return { profile: p, sessions: list };
}

/** The public photo of a speaker in the published programme. Throws `photo_not_found`. */
export async function getSpeakerPhoto(db: DbOrTx, slug: string) {
  const [p] = await db.select().from(speakerProfiles).where(eq(speakerProfiles.slug, slug));
  if (!p?.photo || !(await sessionsOfProfile(db, p)).length) throw new DomainError('photo_not_found', 404);
  return { jpeg: p.photo, sha256: p.photoSha256 ?? '' };
}

/** The profile address of each speaker of these sessions (by `personKey`), for links from session pages and the API. */
export async function profileSlugs(db: DbOrTx, list: q.SessionRow[]): Promise<Map<string, string>> {
  const keys = [...new Set(list.flatMap((s) => s.speakers.filter((p) => p.position < 1000).map(keyOf)))];
  if (!keys.length) return new Map();
  const rows = await db
    .select({ key: speakerProfiles.speakerKey, slug: speakerProfiles.slug })
    .from(speakerProfiles)
    .where(inArray(speakerProfiles.speakerKey, keys));
  return new Map(rows.map((r) => [r.key, r.slug]));
}

export const speakerKeyOf = keyOf;

/**
 * The biography for a reader: in their language, else in the language the speaker wrote first (the original),
 * else in any; `fallback` says the text is not in the reader's language (the page marks it).
 */
export function pickBio(p: Pick<SpeakerProfile, 'bio' | 'bioLang'>, locale: Locale) {
  const own = p.bio[locale];
  if (own) return { text: own, lang: locale, fallback: false };
  const orig = p.bioLang && isLocale(p.bioLang) ? p.bio[p.bioLang] : undefined;
  if (orig) return { text: orig, lang: p.bioLang as Locale, fallback: true };
  const any = pick(p.bio, locale);
  return { text: any.text, lang: any.lang, fallback: !!any.text };
}

// ---------------------------------------------------------------- the secretariat: states and invitations

export type StaffSpeaker = SpeakerSummary & {
  state: SpeakerState;
  stateAt: Date | null;
  invitedAt: Date | null;
  email: string | null;
  linkExpiresAt: Date | null;
};

/** Every speaker of the published programme with their confirmation state. */
export async function listSpeakersForStaff(ctx: Ctx, locale: Locale): Promise<StaffSpeaker[]> {
  authorize(ctx, 'programme.edit');
  const [keys, rows] = await Promise.all([
    publishedSpeakerKeys(ctx.db),
    ctx.db
      .select({
        ...summaryColumns,
        state: speakerProfiles.state,
        stateAt: speakerProfiles.stateAt,
        invitedAt: speakerProfiles.invitedAt,
        email: speakerProfiles.email,
        linkExpiresAt: speakerProfiles.linkExpiresAt,
      })
      .from(speakerProfiles),
  ]);
  const cmp = comparePeople(locale);
  return rows.filter((r) => keys.has(r.speakerKey)).sort((a, b) => cmp(personNameOf(a), personNameOf(b)));
}

/** One speaker for the secretariat: the profile, their sessions, and the e-mail address and language to invite. */
export async function getSpeakerForStaff(ctx: Ctx, id: number) {
  authorize(ctx, 'programme.edit');
  const [p] = await ctx.db.select().from(speakerProfiles).where(eq(speakerProfiles.id, id));
  if (!p) throw new DomainError('speaker_not_found', 404);
  const account = p.personId
    ? (
        await ctx.db
          .select({ email: people.email, locale: people.preferredLocale })
          .from(people)
          .where(and(eq(people.id, p.personId), isNull(people.erasedAt)))
      )[0]
    : undefined;
  return {
    profile: p,
    sessions: await sessionsOfProfile(ctx.db, p),
    email: p.email ?? account?.email ?? '',
    locale: (p.locale && isLocale(p.locale)
      ? p.locale
      : account?.locale && isLocale(account.locale)
        ? account.locale
        : 'en') as Locale,
  };
}

export const LINK_PREFIX = 'spk';

/** The end of the last day (Geneva) of the last event the speaker takes part in: when their link stops working. */
async function linkExpiry(db: DbOrTx, sessionIds: number[]): Promise<Date> {
  const [row] = await db
    .select({ end: max(events.endDate) })
    .from(sessions)
    .innerJoin(events, eq(sessions.eventId, events.id))
    .where(inArray(sessions.id, sessionIds));
  const next = new Date(new Date(`${row!.end}T12:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
  return genevaInstant(next, '00:00');
}

/**
 * Sends the speaker their link (one e-mail, in `locale`, through the job worker), replacing any earlier link.
 * Throws `speaker_not_found`, `speaker_has_no_sessions`.
 */
export async function inviteSpeaker(
  ctx: Ctx & { db: Db },
  id: number,
  input: { email: string; locale: Locale },
): Promise<{ expiresAt: Date }> {
  authorize(ctx, 'programme.edit');
  const key = await signingKey(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const [p] = await tx.select().from(speakerProfiles).where(eq(speakerProfiles.id, id)).for('update');
    if (!p) throw new DomainError('speaker_not_found', 404);
    const list = await sessionsOfProfile(tx, p);
    if (!list.length) throw new DomainError('speaker_has_no_sessions', 409);
    const expiresAt = await linkExpiry(
      tx,
      list.map((s) => s.id),
    );
    const nonce = randomBytes(9).toString('base64url');
    const state: SpeakerState = p.state === 'not_invited' ? 'invited' : p.state;
    await tx
      .update(speakerProfiles)
      .set({
        email: input.email,
        locale: input.locale,
        linkNonce: nonce,
        linkExpiresAt: expiresAt,
        invitedAt: ctx.now,
        state,
        stateAt: state !== p.state ? ctx.now : p.stateAt,
        updatedAt: ctx.now,
      })
      .where(eq(speakerProfiles.id, id));
    const token = sign(key, LINK_PREFIX, `${id}-${nonce}`);
    const l = input.locale;
    await enqueueMail(tx, ctx.now, {
      to: input.email,
      locale: l,
      template: 'speaker_invitation',
      params: {
        greeting: greeting(personNameOf(p), l),
        sessions: list
          .map(
            (s) =>
              `• ${text(s.title, l)} — ${formatDay(l, genevaDate(s.startsAt))}, ${formatTimeRange(l, s.startsAt, s.endsAt)}`,
          )
          .join('\n'),
        link: `${ctx.baseUrl ?? ''}/${l}/speaker-link/${token}`,
        expires: formatDateTime(l, expiresAt),
      },
    });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'programme.speaker_invited',
        subjectType: 'speaker_profile',
        subjectId: id,
        before: { state: p.state, email: p.email, locale: p.locale },
        after: { state, email: input.email, locale: input.locale },
        data: { expiresAt: expiresAt.toISOString(), replacedEarlierLink: !!p.linkNonce },
      },
    );
    return { expiresAt };
  });
}

// ---------------------------------------------------------------- the speaker, through their link

/**
 * The profile a link opens. Throws `speaker_link_invalid` (not one of ours, or altered), `speaker_link_replaced`
 * (a newer invitation was sent), `speaker_link_expired`.
 */
export async function openSpeakerLink(db: DbOrTx, token: string, now: Date): Promise<SpeakerProfile> {
  const value = verifySigned(await signingKey(db), LINK_PREFIX, token);
  const m = value ? /^(\d{1,9})-([A-Za-z0-9_-]+)$/.exec(value) : null;
  if (!m) throw new DomainError('speaker_link_invalid', 403);
  const [p] = await db
    .select()
    .from(speakerProfiles)
    .where(eq(speakerProfiles.id, Number(m[1])));
  if (!p) throw new DomainError('speaker_link_invalid', 403);
  if (p.linkNonce !== m[2]) throw new DomainError('speaker_link_replaced', 410);
  if (!p.linkExpiresAt || p.linkExpiresAt.getTime() <= now.getTime())
    throw new DomainError('speaker_link_expired', 410);
  return p;
}

export const BIO_MAX = 1200;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
const PHOTO_MAX_PIXELS = 40_000_000;
const PHOTO_TYPES = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;
const PHOTO_MIN_SIDE = 150;

/**
 * Decodes and re-encodes a speaker's photo as the badge photos are: the bytes say what the file is (a PNG sent as
 * image/jpeg, or a text file, is refused), too many pixels are refused before decoding, orientation applied, every
 * metadata block dropped, a JPEG of at most 600 × 800 kept. Throws the `photo_*` errors.
 */
export async function processSpeakerPhoto(input: Buffer, declaredType?: string) {
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
  if (!format || !(format in PHOTO_TYPES) || (meta.pages ?? 1) > 1)
    throw new DomainError('photo_type_unsupported', 415);
  const declared = declaredType ? (declaredType.split(';')[0] ?? '').trim().toLowerCase() : undefined;
  if (
    declared &&
    declared !== 'application/octet-stream' &&
    declared !== PHOTO_TYPES[format] &&
    !(declared === 'image/jpg' && format === 'jpeg')
  )
    throw new DomainError('photo_type_mismatch', 415, { declared, actual: PHOTO_TYPES[format] });
  if (!meta.width || !meta.height || meta.width * meta.height > PHOTO_MAX_PIXELS)
    throw new DomainError('photo_too_many_pixels', 413);
  try {
    const { data, info } = await sharp(input, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error' })
      .rotate()
      .resize(600, 800, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    if (Math.min(info.width, info.height) < PHOTO_MIN_SIDE)
      throw new DomainError('photo_too_small', 400, { min: PHOTO_MIN_SIDE });
    return {
      jpeg: data,
      width: info.width,
      height: info.height,
      sha256: createHash('sha256').update(data).digest('hex'),
    };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('photo_unreadable', 400);
  }
}

export type LinkEdit = {
  decision?: 'confirmed' | 'declined';
  /** Every language's biography as the form sends it: an empty one removes that language. */
  bio: Localized;
  photo?: { bytes: Buffer; mimetype?: string };
};

/**
 * The speaker's answer and edits through their link, in one audited transaction (the page cache follows).
 * Throws the link's errors (see openSpeakerLink) and the photo's.
 */
export async function editThroughLink(ctx: Ctx & { db: Db }, token: string, input: LinkEdit) {
  const opened = await openSpeakerLink(ctx.db, token, ctx.now);
  const photo = input.photo ? await processSpeakerPhoto(input.photo.bytes, input.photo.mimetype) : undefined;
  return ctx.db.transaction(async (tx) => {
    const [p] = await tx.select().from(speakerProfiles).where(eq(speakerProfiles.id, opened.id)).for('update');
    if (!p || p.linkNonce !== opened.linkNonce) throw new DomainError('speaker_link_replaced', 410);
    const bio: Localized = {};
    for (const l of LOCALES) {
      const x = input.bio[l]?.trim();
      if (x) bio[l] = x;
    }
    const langs = Object.keys(bio) as Locale[];
    const bioLang =
      p.bioLang && bio[p.bioLang as Locale]
        ? p.bioLang
        : p.locale && bio[p.locale as Locale]
          ? p.locale
          : (langs[0] ?? null);
    const state = input.decision ?? p.state;
    const changes = {
      bio,
      bioLang,
      state,
      stateAt: state !== p.state ? ctx.now : p.stateAt,
      ...(photo
        ? { photo: photo.jpeg, photoSha256: photo.sha256, photoWidth: photo.width, photoHeight: photo.height }
        : {}),
    };
    await tx
      .update(speakerProfiles)
      .set({ ...changes, updatedAt: ctx.now })
      .where(eq(speakerProfiles.id, p.id));
    const sctx = { ...ctx, db: tx, actor: { kind: 'system' as const, name: `speaker-link:${p.id}` } };
    await audit(tx, sctx, {
      action: 'programme.speaker_profile_edited',
      subjectType: 'speaker_profile',
      subjectId: p.id,
      before: { state: p.state, bio: p.bio, photoSha256: p.photoSha256 },
      after: { state, bio, photoSha256: photo?.sha256 ?? p.photoSha256 },
    });
    await bumpContentVersion(tx);
    return { state, photoChanged: !!photo };
  });
}

// ---------------------------------------------------------------- personal data

/** A person's speaker profile in their data export (what they wrote and answered; the photo by its hash). */
export async function speakerProfileExport(db: DbOrTx, personId: string) {
  return db
    .select({
      slug: speakerProfiles.slug,
      title: speakerProfiles.title,
      organization: speakerProfiles.organization,
      bio: speakerProfiles.bio,
      photoSha256: speakerProfiles.photoSha256,
      email: speakerProfiles.email,
      state: speakerProfiles.state,
      stateAt: speakerProfiles.stateAt,
    })
    .from(speakerProfiles)
    .where(eq(speakerProfiles.personId, personId));
}

/** Erasure: the biography, photo, address and link of the person's profile go (the programme keeps their name). */
export async function eraseSpeakerProfile(tx: DbOrTx, personId: string, now: Date) {
  await tx
    .update(speakerProfiles)
    .set({
      bio: {},
      bioLang: null,
      photo: null,
      photoSha256: null,
      photoWidth: null,
      photoHeight: null,
      email: null,
      locale: null,
      linkNonce: null,
      linkExpiresAt: null,
      updatedAt: now,
    })
    .where(eq(speakerProfiles.personId, personId));
}
