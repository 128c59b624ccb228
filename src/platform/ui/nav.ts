/**
 * The header's links that modules contribute (`nav` in their descriptor): each names its path, its label's message
 * key and the permission that shows it. The app registers every listed module's links at start-up, in list order;
 * the layout shows a person the links their permissions allow — what they may use, never who they are.
 */
import type { Actor } from '../context.js';
import { can, type Permission } from '../permissions.js';

export type NavLink = {
  /** Unique among the links; also what the public page cache keys its signed-in variants on. */
  key: string;
  /** The path after the locale prefix, e.g. `/focal-point`. */
  path: string;
  /** Message key of the label. */
  label: string;
  /** The permission that shows the link. */
  permission: Permission;
  /** A link that another one replaces: hidden when the actor has this permission too. */
  unless?: Permission;
};

const links: NavLink[] = [];

/** Adds links once each (by key), in order. */
export function registerNavLinks(list: readonly NavLink[]): void {
  for (const l of list) if (!links.some((x) => x.key === l.key)) links.push(l);
}

/** The links an actor sees, in the order of the module list. */
export function navLinksFor(actor: Actor): NavLink[] {
  if (actor.kind !== 'person') return [];
  return links.filter((l) => can(actor, l.permission) && !(l.unless && can(actor, l.unless)));
}
