/**
 * Who sees which figures: the secretariat (`reports.view`) sees every registration; a focal point sees their own
 * delegation only — the registrations made for the entities they are focal point of. Nobody else sees any.
 */
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';

/** `all`, or the entity ids whose registrations the reader may count. */
export type Scope = 'all' | { entityIds: number[] };

export function reportScope(ctx: Pick<Ctx, 'actor'>): Scope {
  if (can(ctx.actor, 'reports.view')) return 'all';
  if (ctx.actor.kind === 'person' && ctx.actor.focalPointOf.length > 0)
    return { entityIds: [...ctx.actor.focalPointOf] };
  if (ctx.actor.kind === 'anonymous') throw new DomainError('unauthenticated', 401);
  throw new DomainError('forbidden', 403);
}
