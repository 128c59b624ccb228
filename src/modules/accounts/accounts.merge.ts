/**
 * Merging a duplicate person into another (issue 15 §5: "merging duplicate people keeps every record"). Everything
 * held about the duplicate (B, `from`) moves to the person kept (A, `into`) in one transaction: each module that owns
 * rows pointing at a person contributes a `personMerge` (its own tables only); accounts moves its sessions, tokens
 * and single sign-on identities, fills A's empty profile fields from B, and leaves B as a tombstone (`merged_into`):
 * it cannot sign in (password gone, sessions and tokens revoked), and its e-mail address stays on it, reserved, and
 * leads to A (`personAtEmail`: signing in, sign-in links and sign-up with that address reach A).
 *
 * Where a one-per rule would break (two live registrations for one event, two live badges…), the module keeps one
 * and withdraws or revokes the other with a note; `previewMerge` shows the same decisions before anyone confirms.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { authorize } from '../../platform/permissions.js';
import { apiTokens, authSessions, oneTimeTokens, people, personIdentities } from './accounts.schema.js';
import * as q from './accounts.queries.js';
import { profileChangedInTx } from './accounts.service.js';

/** B (`from`) goes into A (`into`). */
export type MergePair = { from: string; into: string };

/** A decision the merge takes where a one-per rule would break: a stable key, and a sentence in the reader's language. */
export type MergeConflict = { key: string; text: string };

/** A module's part of a merge: its tables that point at people. */
export type PersonMerge = {
  /**
   * The person columns this contribution moves, as `table.column` (database names). The tests read every foreign key
   * to `people` from the database's catalogue and fail when one is not listed by some contribution.
   */
  columns: string[];
  /** What the module holds about a person, counted by kind (`merge.holding.<kind>`), for the side-by-side view. */
  holdings: (db: DbOrTx, personId: string) => Promise<Record<string, number>>;
  /** The decisions `merge` will take where a one-per rule would break, in the reader's language. */
  conflicts?: (db: DbOrTx, pair: MergePair, locale: Locale) => Promise<MergeConflict[]>;
  /** Moves every row of `from` to `into`, in the merge's transaction, deciding conflicts as `conflicts` says. */
  merge?: (tx: DbOrTx, pair: MergePair & { now: Date; note: string }) => Promise<void>;
};

declare module '../../platform/module.js' {
  interface ContributionSlots {
    /** Moves what a module holds about a duplicate person to the person kept. */
    personMerge: PersonMerge;
  }
}

/** Profile fields A takes from B when A's is empty. */
const FILLED = ['honorific', 'jobTitle', 'function', 'nationality', 'entityId'] as const;
type Filled = (typeof FILLED)[number];

function filledFrom(a: q.Person, b: q.Person): Partial<q.Person> {
  const out: Partial<q.Person> = {};
  for (const k of FILLED) {
    const av = a[k];
    const bv = b[k];
    if ((av == null || av === '') && bv != null && bv !== '') (out as Record<Filled, unknown>)[k] = bv;
  }
  if (out.entityId != null) {
    out.entityVerifiedAt = b.entityVerifiedAt;
    out.entityVerifiedBy = b.entityVerifiedBy;
  }
  // Latin names come as a pair: only when A has neither.
  if (!a.givenNameLatin && !a.familyNameLatin && (b.givenNameLatin || b.familyNameLatin)) {
    out.givenNameLatin = b.givenNameLatin;
    out.familyNameLatin = b.familyNameLatin;
  }
  return out;
}

function check(from: q.Person | undefined, into: q.Person | undefined) {
  if (!from || !into || from.erasedAt || into.erasedAt || from.mergedInto || into.mergedInto)
    throw new DomainError('person_not_found', 404);
  if (from.id === into.id) throw new DomainError('merge_same_person', 400);
  // A staff or administrator account carries rights: it is made a participant first, on purpose.
  if (from.role !== 'participant') throw new DomainError('merge_staff_account', 409);
}

async function holdingsOf(db: DbOrTx, merges: readonly PersonMerge[], personId: string) {
  const out: Record<string, number> = {};
  for (const m of merges)
    for (const [k, n] of Object.entries(await m.holdings(db, personId))) out[k] = (out[k] ?? 0) + n;
  return out;
}

export type MergePreview = {
  from: q.Person;
  into: q.Person;
  holdings: { from: Record<string, number>; into: Record<string, number> };
  conflicts: MergeConflict[];
  /** A's empty profile fields that B fills. */
  filled: string[];
};

/** Both people side by side, what each holds, and what the merge would decide. Throws as `mergePeople`. */
export async function previewMerge(ctx: Ctx, pair: MergePair, merges: readonly PersonMerge[]): Promise<MergePreview> {
  authorize(ctx, 'accounts.manage');
  const from = await q.getPerson(ctx.db, pair.from);
  const into = await q.getPerson(ctx.db, pair.into);
  check(from, into);
  const hFrom = await holdingsOf(ctx.db, merges, pair.from);
  const hInto = await holdingsOf(ctx.db, merges, pair.into);
  const conflicts: MergeConflict[] = [];
  for (const m of merges) if (m.conflicts) conflicts.push(...(await m.conflicts(ctx.db, pair, ctx.locale)));
  const filled = Object.keys(filledFrom(into!, from!)).filter((k) => !k.startsWith('entityVerified'));
  return { from: from!, into: into!, holdings: { from: hFrom, into: hInto }, conflicts, filled };
}

/**
 * Merges B into A (administrators): every module's rows move in one transaction, conflicts decided as previewed, A's
 * empty profile fields filled from B, B left as a tombstone; audited as `accounts.people_merged` with the reason.
 * Throws `person_not_found`, `merge_same_person`, `merge_staff_account`, `reason_required`.
 */
export async function mergePeople(
  ctx: Ctx & { db: Db },
  input: MergePair & { reason: string },
  merges: readonly PersonMerge[],
): Promise<{ conflicts: MergeConflict[] }> {
  authorize(ctx, 'accounts.manage');
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('reason_required', 400);
  const pair = { from: input.from, into: input.into };
  return ctx.db.transaction(async (tx) => {
    // Both rows locked, in id order (two merges of the same pair the other way round wait for each other).
    const locked = new Map<string, q.Person | undefined>();
    for (const id of [pair.from, pair.into].sort()) locked.set(id, await q.getPersonForUpdate(tx, id));
    const from = locked.get(pair.from);
    const into = locked.get(pair.into);
    check(from, into);
    const holdings = await holdingsOf(tx, merges, pair.from);
    const conflicts: MergeConflict[] = [];
    for (const m of merges) if (m.conflicts) conflicts.push(...(await m.conflicts(tx, pair, ctx.locale)));
    const note = translate(ctx.locale, 'merge.note', { reason }).slice(0, 500);
    for (const m of merges) if (m.merge) await m.merge(tx, { ...pair, now: ctx.now, note });
    const filled = filledFrom(into!, from!);
    const [after] = await tx
      .update(people)
      .set({ ...filled, updatedAt: ctx.now })
      .where(eq(people.id, pair.into))
      .returning();
    const [tomb] = await tx
      .update(people)
      .set({
        mergedInto: pair.into,
        mergedAt: ctx.now,
        passwordHash: null,
        capabilities: [],
        lockedUntil: null,
        erasureRequestedAt: null,
        updatedAt: ctx.now,
      })
      .where(eq(people.id, pair.from))
      .returning();
    // What the modules derive from a profile (the badge desk's search, the dashboard's counters) follows both.
    await profileChangedInTx(tx, after);
    await profileChangedInTx(tx, tomb);
    const pick = (p: q.Person) =>
      Object.fromEntries(Object.keys(filled).map((k) => [k, (p as Record<string, unknown>)[k]]));
    await audit(tx, ctx, {
      action: 'accounts.people_merged',
      subjectType: 'person',
      subjectId: pair.into,
      before: pick(into!),
      after: pick(after),
      data: { from: pair.from, fromEmail: from!.email, reason, holdings, conflicts: conflicts.map((c) => c.key) },
    });
    return { conflicts };
  });
}

/** Accounts' own part: sessions and API tokens (revoked, kept), one-time tokens (used up), sign-on identities. */
export const accountsMerge: PersonMerge = {
  columns: [
    'auth_sessions.person_id',
    'api_tokens.person_id',
    'one_time_tokens.person_id',
    'person_identities.person_id',
    'people.merged_into',
  ],
  async holdings(db, personId) {
    return {
      sessions: await db.$count(authSessions, eq(authSessions.personId, personId)),
      api_tokens: await db.$count(apiTokens, eq(apiTokens.personId, personId)),
      sso_identities: await db.$count(personIdentities, eq(personIdentities.personId, personId)),
    };
  },
  async merge(tx, { from, into, now }) {
    await tx
      .update(authSessions)
      .set({ revokedAt: now })
      .where(and(eq(authSessions.personId, from), isNull(authSessions.revokedAt)));
    await tx.update(authSessions).set({ personId: into }).where(eq(authSessions.personId, from));
    await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.personId, from), isNull(apiTokens.revokedAt)));
    await tx.update(apiTokens).set({ personId: into }).where(eq(apiTokens.personId, from));
    await tx
      .update(oneTimeTokens)
      .set({ usedAt: now })
      .where(and(eq(oneTimeTokens.personId, from), isNull(oneTimeTokens.usedAt)));
    await tx.update(oneTimeTokens).set({ personId: into }).where(eq(oneTimeTokens.personId, from));
    // The organisation's sign-on for B's identity now signs A in.
    await tx.update(personIdentities).set({ personId: into }).where(eq(personIdentities.personId, from));
    // Duplicates merged into B earlier now point at A (one hop from any tombstone to the live person).
    await tx.update(people).set({ mergedInto: into }).where(eq(people.mergedInto, from));
  },
};

/** The people merged into a person (their tombstones), for the person's audit trail and e-mails. */
export async function mergedIntoPerson(db: DbOrTx, personId: string): Promise<q.Person[]> {
  return db.select().from(people).where(eq(people.mergedInto, personId));
}
