/**
 * Affiliations: the organisation on a person's profile is a claim; it becomes verified when a focal point of that
 * entity approves the person's registration for it, a focal point or the secretariat adds the person to it, or the
 * secretariat (or the entity's focal point) confirms it here. Changing one's organisation drops the verification
 * (accounts.service `updateProfile`). Only a verified affiliation grants anything (`verifiedEntityOf`).
 */
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { audit, type AuditEntry } from '../../platform/audit.js';
import { actorLabel, type Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize, can, personOf } from '../../platform/permissions.js';
import { entities, focalPoints } from '../entities/index.js';
import { people } from './accounts.schema.js';

type WCtx = Ctx & { db: import('../../db/client.js').Db };

export type AffiliationHow = 'registration_approved' | 'added_by_focal_point' | 'confirmed';

/** The state of a person's claim, for their profile. */
export type AffiliationState =
  | { state: 'none' }
  | { state: 'verified'; entityId: number; since: Date }
  | { state: 'claimed'; entityId: number; confirmedBy: 'focal_point' | 'secretariat' };

export async function affiliationOf(
  db: DbOrTx,
  p: { entityId: number | null; entityVerifiedAt: Date | null },
): Promise<AffiliationState> {
  if (p.entityId == null) return { state: 'none' };
  if (p.entityVerifiedAt) return { state: 'verified', entityId: p.entityId, since: p.entityVerifiedAt };
  const [fp] = await db
    .select({ id: focalPoints.personId })
    .from(focalPoints)
    .where(eq(focalPoints.entityId, p.entityId))
    .limit(1);
  return { state: 'claimed', entityId: p.entityId, confirmedBy: fp ? 'focal_point' : 'secretariat' };
}

/**
 * Marks the person's claim to `entityId` verified, in the caller's transaction, with its audit row; nothing when the
 * person claims another entity or is verified already. Returns whether it changed.
 */
export async function verifyAffiliationInTx(
  tx: DbOrTx,
  ctx: Ctx,
  personId: string,
  entityId: number,
  how: AffiliationHow,
): Promise<boolean> {
  const [row] = await tx
    .update(people)
    .set({ entityVerifiedAt: ctx.now, entityVerifiedBy: actorLabel(ctx.actor) })
    .where(and(eq(people.id, personId), eq(people.entityId, entityId), isNull(people.entityVerifiedAt)))
    .returning({ id: people.id });
  if (!row) return false;
  await audit(
    tx,
    { ...ctx, db: tx },
    {
      action: 'affiliation.verified',
      subjectType: 'person',
      subjectId: personId,
      before: { entityVerified: false },
      after: { entityVerified: true },
      data: { entityId, how },
    },
  );
  return true;
}

/**
 * The same for many people claiming one entity, in ONE update; the audit rows are returned for the caller to write
 * with its own (one insert for a whole bulk decision).
 */
export async function verifyAffiliationsInTx(
  tx: DbOrTx,
  ctx: Ctx,
  personIds: string[],
  entityId: number,
  how: AffiliationHow,
): Promise<AuditEntry[]> {
  if (!personIds.length) return [];
  const rows = await tx
    .update(people)
    .set({ entityVerifiedAt: ctx.now, entityVerifiedBy: actorLabel(ctx.actor) })
    .where(and(inArray(people.id, personIds), eq(people.entityId, entityId), isNull(people.entityVerifiedAt)))
    .returning({ id: people.id });
  return rows.map((r) => ({
    action: 'affiliation.verified',
    subjectType: 'person',
    subjectId: r.id,
    before: { entityVerified: false },
    after: { entityVerified: true },
    data: { entityId, how },
  }));
}

export type PendingAffiliation = {
  personId: string;
  email: string | null;
  givenName: string;
  familyName: string;
  givenNameLatin: string;
  familyNameLatin: string;
  jobTitle: string;
  entityId: number;
  entityName: unknown;
  since: Date;
};

/**
 * Claims awaiting confirmation: all of them for the secretariat, those of their own entities for a focal point.
 * Throws `forbidden` for anyone else.
 */
export async function listPendingAffiliations(ctx: Ctx, f: { entityId?: number } = {}): Promise<PendingAffiliation[]> {
  const me = personOf(ctx);
  authorize(ctx, 'affiliation.confirm', f.entityId != null ? { entityId: f.entityId } : {});
  const secretariat = can(ctx.actor, 'registration.review');
  const scope = f.entityId != null ? [f.entityId] : secretariat ? undefined : [...me.focalPointOf];
  if (scope && !scope.length) return [];
  return ctx.db
    .select({
      personId: people.id,
      email: people.email,
      givenName: people.givenName,
      familyName: people.familyName,
      givenNameLatin: people.givenNameLatin,
      familyNameLatin: people.familyNameLatin,
      jobTitle: people.jobTitle,
      entityId: entities.id,
      entityName: entities.name,
      since: people.updatedAt,
    })
    .from(people)
    .innerJoin(entities, eq(people.entityId, entities.id))
    .where(
      and(
        isNotNull(people.entityId),
        isNull(people.entityVerifiedAt),
        isNull(people.erasedAt),
        scope ? inArray(people.entityId, scope) : undefined,
      ),
    )
    .orderBy(asc(people.updatedAt), asc(people.id))
    .limit(1000) as Promise<PendingAffiliation[]>;
}

/**
 * Confirms (verifies) or refuses one person's claim, audited. Refusing removes the claim from the profile. Throws
 * `person_not_found` (404), `affiliation_not_pending` (409), `forbidden` (403: a focal point of another entity).
 */
export async function decideAffiliation(
  ctx: WCtx,
  personId: string,
  decision: 'confirm' | 'refuse',
  expectedEntityId?: number,
): Promise<{ personId: string; entityId: number; state: 'verified' | 'refused' }> {
  personOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const [p] = await tx.select().from(people).where(eq(people.id, personId)).for('update');
    if (!p || p.erasedAt) throw new DomainError('person_not_found', 404);
    if (
      p.entityId == null ||
      p.entityVerifiedAt != null ||
      (expectedEntityId != null && p.entityId !== expectedEntityId)
    )
      throw new DomainError('affiliation_not_pending', 409);
    authorize(ctx, 'affiliation.confirm', { entityId: p.entityId });
    const entityId = p.entityId;
    if (decision === 'confirm') {
      await verifyAffiliationInTx(tx, ctx, personId, entityId, 'confirmed');
      return { personId, entityId, state: 'verified' as const };
    }
    await tx.update(people).set({ entityId: null, updatedAt: ctx.now }).where(eq(people.id, personId));
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: 'affiliation.refused',
        subjectType: 'person',
        subjectId: personId,
        before: { entityId },
        after: { entityId: null },
      },
    );
    return { personId, entityId, state: 'refused' as const };
  });
}

/** Several at once: each decided in its own transaction, the result of each reported (a failure does not stop the rest). */
export async function decideAffiliations(ctx: WCtx, personIds: string[], decision: 'confirm' | 'refuse') {
  const results: (
    | { personId: string; ok: true; state: 'verified' | 'refused' }
    | { personId: string; ok: false; code: string }
  )[] = [];
  for (const id of [...new Set(personIds)]) {
    try {
      const r = await decideAffiliation(ctx, id, decision);
      results.push({ personId: id, ok: true, state: r.state });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      results.push({ personId: id, ok: false, code: e.code });
    }
  }
  return results;
}
