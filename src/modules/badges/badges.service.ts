/**
 * Badges: one live badge per person with an approved in-person registration. Its QR holds a signed token
 * (`CVB1.<nonce>.<HMAC>`): random, no personal data, unforgeable without the key. Revoking a badge and issuing a new
 * one changes the token; the old one is refused at the doors. The badge desk finds a badge by either QR (the badge's
 * or the confirmation e-mail's), by the registration reference, or by name in any script (accents and case folded).
 */
import { publishEvent } from '../../platform/domain-events.js';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/permissions.js';
import { sign, signingKey, verifySigned } from '../../platform/signing.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { QR_PREFIX, registrations, registrationReference } from '../registration/index.js';
import { speakingRequests } from '../speaking/index.js';
import { badges, badgeTallies } from './badges.schema.js';

export const BADGE_PREFIX = 'CVB1';
export const BADGE_CATEGORIES = ['VIP', 'Delegate', 'Speaker', 'Media', 'Secretariat', 'Staff', 'Participant'] as const;
export type BadgeCategory = (typeof BADGE_CATEGORIES)[number];
export type Badge = typeof badges.$inferSelect;

/** Lower case, no accents or vowel marks, single spaces: how names are compared at the desk. */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The category band of a badge, from the person's role and registrations. */
export function categoryFor(
  role: string,
  regs: { vipCategory: string | null; function: string; stakeholderType: string }[],
  speaks = false,
): BadgeCategory {
  if (role === 'admin' || role === 'staff') return 'Secretariat';
  if (regs.some((r) => r.vipCategory)) return 'VIP';
  if (speaks) return 'Speaker';
  if (regs.some((r) => r.function === 'media' || r.stakeholderType === 'media')) return 'Media';
  if (regs.some((r) => r.stakeholderType === 'government')) return 'Delegate';
  return 'Participant';
}

const newToken = (key: Buffer) => sign(key, BADGE_PREFIX, randomBytes(12).toString('base64url'));

const hasLiveBadge = sql`exists (select 1 from ${badges} b where b.person_id = ${people.id} and b.revoked_at is null)`;

/** People with an approved in-person registration: the ones who get a badge (only those without one, if asked). */
async function eligible(db: DbOrTx, personIds?: string[], onlyMissing = false) {
  const rows = await db
    .select({
      person: people,
      reg: {
        id: registrations.id,
        vipCategory: registrations.vipCategory,
        function: registrations.function,
        stakeholderType: registrations.stakeholderType,
      },
      speaks: sql<boolean>`exists (select 1 from ${speakingRequests} s where s.speaker_person_id = ${people.id} and s.state = 'accepted')`,
    })
    .from(registrations)
    .innerJoin(people, eq(registrations.personId, people.id))
    .where(
      and(
        eq(registrations.state, 'approved'),
        eq(registrations.mode, 'in_person'),
        isNull(people.erasedAt),
        personIds ? inArray(people.id, personIds) : undefined,
        onlyMissing ? sql`not ${hasLiveBadge}` : undefined,
      ),
    )
    .orderBy(asc(registrations.submittedAt));
  const by = new Map<
    string,
    { person: typeof people.$inferSelect; regs: (typeof rows)[number]['reg'][]; speaks: boolean }
  >();
  for (const r of rows) {
    const e = by.get(r.person.id) ?? { person: r.person, regs: [], speaks: !!r.speaks };
    e.regs.push(r.reg);
    by.set(r.person.id, e);
  }
  return [...by.values()];
}

const searchKeyOf = (p: typeof people.$inferSelect, regIds: string[]) =>
  fold(
    [
      p.givenName,
      p.familyName,
      p.familyName,
      p.givenNameLatin,
      p.familyNameLatin,
      p.email ?? '',
      ...regIds.map(registrationReference),
    ].join(' '),
  );

/** Issues a badge to every eligible person who has none (or only for the people named). Returns how many were made. */
export async function issueMissingBadges(db: DbOrTx, now: Date, personIds?: string[]): Promise<number> {
  const todo = await eligible(db, personIds, true);
  if (!todo.length) return 0;
  const key = await signingKey(db);
  for (let i = 0; i < todo.length; i += 1000) {
    const chunk = todo.slice(i, i + 1000).map((e) => ({
      personId: e.person.id,
      token: newToken(key),
      category: categoryFor(e.person.role, e.regs, e.speaks),
      searchKey: searchKeyOf(
        e.person,
        e.regs.map((r) => r.id),
      ),
      issuedAt: now,
    }));
    if (chunk.length) await db.insert(badges).values(chunk).onConflictDoNothing();
  }
  return todo.length;
}

/** The desk's search key of a person's live badge, made again from their names now (they changed them, or were erased). */
export async function refreshSearchKey(db: DbOrTx, personId: string): Promise<void> {
  const [e] = await eligible(db, [personId]);
  const person = e?.person ?? (await db.select().from(people).where(eq(people.id, personId)))[0];
  if (!person) return;
  const key = person.erasedAt ? '' : searchKeyOf(person, e?.regs.map((r) => r.id) ?? []);
  await db
    .update(badges)
    .set({ searchKey: key })
    .where(and(eq(badges.personId, personId), isNull(badges.revokedAt)));
}

/**
 * Brings the category of badges not yet printed up to date (a delegate accepted as a speaker since the badge was
 * issued). Printed badges keep theirs: the desk reissues one that must change. Returns how many changed.
 */
export async function refreshUnprintedCategories(db: DbOrTx, personIds?: string[]): Promise<number> {
  const live = await db
    .select({ id: badges.id, personId: badges.personId, category: badges.category })
    .from(badges)
    .where(
      and(
        isNull(badges.revokedAt),
        eq(badges.printCount, 0),
        personIds ? inArray(badges.personId, personIds) : undefined,
      ),
    );
  if (!live.length) return 0;
  const now = new Map(
    (await eligible(db, personIds)).map((e) => [e.person.id, categoryFor(e.person.role, e.regs, e.speaks)]),
  );
  let changed = 0;
  for (const b of live) {
    const c = now.get(b.personId);
    if (c && c !== b.category) {
      await db.update(badges).set({ category: c }).where(eq(badges.id, b.id));
      changed++;
    }
  }
  return changed;
}

/** The live badge that a scanned or typed code names: a badge QR, a confirmation QR, or a reference `R-XXXXXXXX`. */
export async function badgeForCode(db: DbOrTx, code: string): Promise<Badge | undefined> {
  const c = code.trim();
  const key = await signingKey(db);
  if (c.startsWith(`${BADGE_PREFIX}.`)) {
    if (!verifySigned(key, BADGE_PREFIX, c)) return undefined;
    const [b] = await db.select().from(badges).where(eq(badges.token, c));
    return b;
  }
  let personId: string | undefined;
  if (c.startsWith(`${QR_PREFIX}.`)) {
    const regId = verifySigned(key, QR_PREFIX, c);
    if (!regId) return undefined;
    [{ personId } = { personId: undefined }] = await db
      .select({ personId: registrations.personId })
      .from(registrations)
      .where(eq(registrations.id, regId));
  } else if (/^R-[0-9A-F]{8}$/i.test(c)) {
    const rows = await db
      .select({ personId: registrations.personId })
      .from(registrations)
      .where(like(registrations.id, `${c.slice(2).toLowerCase()}%`));
    if (new Set(rows.map((r) => r.personId)).size === 1) personId = rows[0].personId;
  }
  if (!personId) return undefined;
  await issueMissingBadges(db, new Date(), [personId]);
  const [b] = await db
    .select()
    .from(badges)
    .where(and(eq(badges.personId, personId), isNull(badges.revokedAt)));
  return b;
}

export type DeskCard = {
  badge: Badge;
  person: {
    id: string;
    honorific: string;
    givenName: string;
    familyName: string;
    givenNameLatin: string;
    familyNameLatin: string;
    email: string | null;
  };
  entity: { name: unknown } | null;
  events: { slug: string; name: unknown }[];
};

async function cards(db: DbOrTx, rows: Badge[]): Promise<DeskCard[]> {
  if (!rows.length) return [];
  const ids = rows.map((b) => b.personId);
  const ps = await db
    .select({ p: people, entityName: entities.name })
    .from(people)
    .leftJoin(entities, eq(people.entityId, entities.id))
    .where(inArray(people.id, ids));
  const regs = await db
    .select({ personId: registrations.personId, slug: events.slug, name: events.name })
    .from(registrations)
    .innerJoin(events, eq(registrations.eventId, events.id))
    .where(
      and(
        inArray(registrations.personId, ids),
        eq(registrations.state, 'approved'),
        eq(registrations.mode, 'in_person'),
      ),
    )
    .orderBy(asc(events.startDate), asc(events.id));
  return rows.map((badge) => {
    const x = ps.find((r) => r.p.id === badge.personId)!;
    return {
      badge,
      person: {
        id: x.p.id,
        honorific: x.p.honorific,
        givenName: x.p.givenName,
        familyName: x.p.familyName,
        givenNameLatin: x.p.givenNameLatin,
        familyNameLatin: x.p.familyNameLatin,
        email: x.p.email,
      },
      entity: x.entityName ? { name: x.entityName } : null,
      events: regs.filter((r) => r.personId === badge.personId).map((r) => ({ slug: r.slug, name: r.name })),
    };
  });
}

/**
 * Name searches find people by their badge, so people approved since the last issue need theirs: issued at most every
 * 10 seconds per process (a code or reference issues the one badge at once), so a busy desk does not pay an anti-join of
 * every registration for each search.
 */
const lastIssued = new WeakMap<object, number>();
async function issueMissingThrottled(db: DbOrTx, now: Date) {
  const at = lastIssued.get(db);
  if (at !== undefined && performance.now() - at < 10_000) return;
  lastIssued.set(db, performance.now());
  await issueMissingBadges(db, now);
}

/** The badge desk's search: a QR or reference finds one; a name (any script, any accents, any case) finds up to 20. */
export async function searchDesk(ctx: Ctx, q: string): Promise<DeskCard[]> {
  authorize(ctx, 'badges.print');
  const query = q.trim();
  if (!query) return [];
  const byCode = await badgeForCode(ctx.db, query);
  if (byCode) return cards(ctx.db, [byCode]);
  await issueMissingThrottled(ctx.db, ctx.now);
  const words = fold(query)
    .split(' ')
    .filter((w) => w.length > 0)
    .slice(0, 5);
  if (!words.length) return [];
  const rows = await ctx.db
    .select()
    .from(badges)
    .where(
      and(
        isNull(badges.revokedAt),
        ...words.map((w) => like(badges.searchKey, `%${w.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)),
      ),
    )
    .orderBy(asc(badges.id))
    .limit(20);
  return cards(ctx.db, rows);
}

export async function getBadge(ctx: Ctx, id: number): Promise<DeskCard> {
  authorize(ctx, 'badges.print');
  const [b] = await ctx.db.select().from(badges).where(eq(badges.id, id));
  if (!b) throw new DomainError('badge_not_found', 404);
  return (await cards(ctx.db, [b]))[0];
}

type WCtx = Ctx & { db: Db };
const actorId = (ctx: Ctx) => (ctx.actor.kind === 'person' ? ctx.actor.id : 'system');

async function liveForUpdate(tx: DbOrTx, id: number) {
  const [b] = await tx.select().from(badges).where(eq(badges.id, id)).for('update');
  if (!b) throw new DomainError('badge_not_found', 404);
  if (b.revokedAt) throw new DomainError('badge_revoked', 409);
  return b;
}

/** The desk confirms it saw a photo ID matching the badge. */
export async function confirmIdChecked(ctx: WCtx, id: number) {
  authorize(ctx, 'badges.print');
  return ctx.db.transaction(async (tx) => {
    const b = await liveForUpdate(tx, id);
    const [after] = await tx
      .update(badges)
      .set({ idCheckedAt: ctx.now, idCheckedBy: actorId(ctx) })
      .where(eq(badges.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'badge.id_checked',
        subjectType: 'badge',
        subjectId: String(id),
        before: { idCheckedAt: b.idCheckedAt },
        after: { idCheckedAt: after.idCheckedAt },
      },
    );
    return after;
  });
}

/** Hands the badge over: only after a photo ID was checked (`badge_id_not_checked`). */
export async function markCollected(ctx: WCtx, id: number) {
  authorize(ctx, 'badges.print');
  return ctx.db.transaction(async (tx) => {
    const b = await liveForUpdate(tx, id);
    if (!b.idCheckedAt) throw new DomainError('badge_id_not_checked', 409);
    if (b.collectedAt) throw new DomainError('badge_already_collected', 409);
    const [after] = await tx
      .update(badges)
      .set({ collectedAt: ctx.now, collectedBy: actorId(ctx) })
      .where(eq(badges.id, id))
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'badge.collected',
        subjectType: 'badge',
        subjectId: String(id),
        after: { collectedAt: after.collectedAt },
      },
    );
    return after;
  });
}

/** Counts a print (a first print or a reprint), audited. */
export async function recordPrints(tx: DbOrTx, ctx: Ctx, ids: number[]) {
  if (!ids.length) return;
  const before = await tx
    .select({ id: badges.id, printCount: badges.printCount })
    .from(badges)
    .where(inArray(badges.id, ids));
  await tx
    .update(badges)
    .set({ printCount: sql`${badges.printCount} + 1`, lastPrintedAt: ctx.now })
    .where(inArray(badges.id, ids));
  const reprints = before.filter((b) => b.printCount > 0).map((b) => b.id);
  await audit(
    tx,
    { ...ctx, db: tx },
    {
      action: 'badge.printed',
      subjectType: 'badge',
      subjectId: ids.length === 1 ? String(ids[0]) : 'batch',
      data: { count: ids.length, reprints },
    },
  );
  // One event per print run (a batch of thousands is one message), listing its badges.
  await publishEvent(tx, ctx.now, 'badge.printed', { badgeIds: ids, reprints });
}

/** Revokes a badge (lost, stolen, wrong details) and issues a new one with a new token. */
export async function revokeAndReissue(ctx: WCtx, id: number, reason: string): Promise<Badge> {
  authorize(ctx, 'badges.print');
  return ctx.db.transaction(async (tx) => {
    const b = await liveForUpdate(tx, id);
    await tx.update(badges).set({ revokedAt: ctx.now, revokedReason: reason }).where(eq(badges.id, id));
    const key = await signingKey(tx);
    const [fresh] = await tx
      .insert(badges)
      .values({
        personId: b.personId,
        token: newToken(key),
        category: b.category,
        searchKey: b.searchKey,
        issuedAt: ctx.now,
      })
      .returning();
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'badge.reissued',
        subjectType: 'badge',
        subjectId: String(id),
        after: { revoked: id, issued: fresh.id, reason },
      },
    );
    return fresh;
  });
}

/**
 * Makes the live badges per category (`badge_tallies`, kept by triggers) again from the badges: for data written with
 * the triggers off or a table truncated (the operator's `reports:rebuild`). Returns the categories counted.
 */
export async function rebuildBadgeTallies(tx: DbOrTx): Promise<number> {
  await tx.execute(sql`delete from badge_tallies`);
  await tx.execute(sql`
    insert into badge_tallies (category, live)
    select category, count(*)::int from badges where revoked_at is null group by category`);
  return tx.$count(badgeTallies);
}
