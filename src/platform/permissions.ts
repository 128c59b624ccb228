/**
 * The one permission table. Every route declares one of these (`config.permission`), and services check them too, so
 * the API and the pages cannot disagree. Scoped permissions take the entity the operation touches.
 */
import { CAPABILITIES, type Actor, type Capability, type Ctx, type PersonActor } from './context.js';
import { DomainError } from './errors.js';

type Scope = { entityId?: number | null; personId?: string };
type Rule = (a: PersonActor, scope: Scope) => boolean;

const isAdmin = (a: PersonActor) => a.role === 'admin';
const hasCapability = (cap: Capability) => (a: PersonActor) =>
  isAdmin(a) || (a.role === 'staff' && a.capabilities.includes(cap));

export const PERMISSIONS = {
  /** Signed in as anyone: one's own account. */
  'account.self': (a, s) => !s.personId || s.personId === a.id,
  /** Secretariat administrators: people, roles, erasure, audit, outbox. */
  'accounts.manage': isAdmin,
  'audit.view': isAdmin,
  'outbox.view': isAdmin,
  'outbox.resend': isAdmin,
  /** Webhook subscriptions: where the platform's events go, with their secrets. */
  'webhooks.manage': isAdmin,
  /** The organiser's name, short name, address line and logo (pages, e-mails, badges, letters). */
  'organiser.manage': isAdmin,
  'entities.manage': isAdmin,
  'focal_points.manage': isAdmin,
  /** Secretariat staff and administrators see every entity's details. */
  'entities.view': (a) => a.role === 'admin' || a.role === 'staff',
  /** Deciding registrations: a DFP (for their own entity, checked in the service) or the secretariat's reviewers. */
  'registration.decide': (a) =>
    isAdmin(a) || a.focalPointOf.length > 0 || (a.role === 'staff' && a.capabilities.includes('registration.review')),
  /** A DFP acts for their own entity only; administrators for any. */
  'entity.act': (a, s) => isAdmin(a) || (s.entityId != null && a.focalPointOf.includes(s.entityId)),
  /** A badge and its photo: the badge desk, and door staff comparing the face with the person. */
  'badges.view': (a) =>
    isAdmin(a) ||
    (a.role === 'staff' && (a.capabilities.includes('badges.print') || a.capabilities.includes('checkin.scan'))),
  /** Speaking requests: a focal point, a verified member of an organization, or the secretariat's reviewers (the service checks the entity). */
  'speaking.request': (a) =>
    isAdmin(a) ||
    a.focalPointOf.length > 0 ||
    verifiedEntityOf(a) != null ||
    (a.role === 'staff' && a.capabilities.includes('speaking.review')),
  /** Trust Fund pledges: a focal point, a verified member of an organization, or the secretariat (the service checks the entity). */
  'pledges.announce': (a) =>
    isAdmin(a) ||
    a.focalPointOf.length > 0 ||
    verifiedEntityOf(a) != null ||
    (a.role === 'staff' && a.capabilities.includes('pledges.manage')),
  /**
   * Confirming or refusing that a person belongs to an entity: the secretariat (registration reviewers) for any, a
   * focal point for their own entity (without a scope: anyone who is a focal point passes the route's gate).
   */
  'affiliation.confirm': (a, s) =>
    isAdmin(a) ||
    (a.role === 'staff' && a.capabilities.includes('registration.review')) ||
    (s.entityId == null ? a.focalPointOf.length > 0 : a.focalPointOf.includes(s.entityId)),
  /** Statistics: the secretariat (reports.view) for everything, a focal point for their own delegation (the service scopes). */
  'reports.delegation': (a) =>
    isAdmin(a) || (a.role === 'staff' && a.capabilities.includes('reports.view')) || a.focalPointOf.length > 0,
  ...Object.fromEntries(CAPABILITIES.map((c) => [c, hasCapability(c)])),
} satisfies Record<string, Rule> as Record<string, Rule>;

/**
 * The entity a person holds rights in by belonging to it: their **verified** affiliation, never a mere claim (the
 * organisation typed on one's profile). Every right derived from belonging to an entity — reading or acting on its
 * speaking requests, registrations, visa requests, badges, delegation lists, anything later — asks this function and
 * nothing else. (Focal points hold their entity's rights through `entity.act`.)
 */
export function verifiedEntityOf(actor: Actor): number | null {
  return actor.kind === 'person' && actor.entityVerified ? actor.entityId : null;
}

/** Whether the actor is a verified member of this entity (see `verifiedEntityOf`). */
export function isVerifiedMemberOf(actor: Actor, entityId: number | null | undefined): boolean {
  return entityId != null && verifiedEntityOf(actor) === entityId;
}

export type Permission = 'public' | keyof typeof PERMISSIONS;

export function isPermission(p: unknown): p is Permission {
  return p === 'public' || (typeof p === 'string' && p in PERMISSIONS);
}

export function can(actor: Actor, permission: Permission, scope: Scope = {}): boolean {
  if (permission === 'public') return true;
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'person') return false;
  return PERMISSIONS[permission](actor, scope);
}

/** Throws `unauthenticated` (401) for anonymous actors and `forbidden` (403) for others who may not. */
export function authorize(ctx: Pick<Ctx, 'actor'>, permission: Permission, scope: Scope = {}): void {
  if (can(ctx.actor, permission, scope)) {
    // Acting for an entity (a DFP for their administration) is what the audit trail records as "acting for".
    if (permission === 'entity.act' && scope.entityId != null && ctx.actor.kind === 'person')
      ctx.actor.actingFor = scope.entityId;
    return;
  }
  if (ctx.actor.kind === 'anonymous') throw new DomainError('unauthenticated', 401);
  throw new DomainError('forbidden', 403);
}

export function personOf(ctx: Pick<Ctx, 'actor'>): PersonActor {
  if (ctx.actor.kind !== 'person') throw new DomainError('unauthenticated', 401);
  return ctx.actor;
}
