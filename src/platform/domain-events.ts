/**
 * Domain events: what happened, published by the module that decided it, in the deciding transaction. Modules declare
 * the events they publish (the catalogue) in their descriptor; listeners (the webhooks outbox) run inside the same
 * transaction, so a rolled-back decision publishes nothing and a committed one is never lost.
 */
import type { DbOrTx } from '../db/client.js';

/** One entry of the catalogue: a dotted name (`registration.submitted`) and what it means, in English. */
export type DomainEventType = { type: string; summary: string };

export type DomainEvent = { type: string; occurredAt: Date; data: Record<string, unknown> };

export type DomainEventListener = ((tx: DbOrTx, event: DomainEvent) => Promise<void>) & {
  /** The same for the events of one operation together (a bulk decision's fifty in one statement), when it can. */
  many?: (tx: DbOrTx, events: DomainEvent[]) => Promise<void>;
};

let catalogue: DomainEventType[] = [];
let listeners: DomainEventListener[] = [];

/** Called once by the module list: the catalogue in list order, and the listeners. */
export function registerDomainEvents(types: DomainEventType[], fns: DomainEventListener[]): void {
  const seen = new Set<string>();
  for (const t of types) {
    if (!/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/.test(t.type))
      throw new Error(`domain event type ${t.type}: not a dotted name`);
    if (seen.has(t.type)) throw new Error(`domain event type ${t.type} declared twice`);
    seen.add(t.type);
  }
  catalogue = types;
  listeners = fns;
}

export const eventCatalogue = (): readonly DomainEventType[] => catalogue;

/**
 * Publishes an event in the caller's transaction. The type must be in the catalogue (a typo fails the deciding
 * operation and its tests, not a subscriber later). `data` holds identifiers and states, never personal data beyond
 * ids: a subscriber reads the rest through the API with its own rights.
 */
export async function publishEvent(tx: DbOrTx, now: Date, type: string, data: Record<string, unknown>): Promise<void> {
  if (!listeners.length) return;
  if (!catalogue.some((t) => t.type === type)) throw new Error(`domain event type ${type} is not in the catalogue`);
  for (const l of listeners) await l(tx, { type, occurredAt: now, data });
}

/**
 * Publishes the events of one operation (a bulk decision) in the caller's transaction: each listener gets them
 * together when it takes them so (`many`), else one by one, in order.
 */
export async function publishEvents(
  tx: DbOrTx,
  now: Date,
  list: { type: string; data: Record<string, unknown> }[],
): Promise<void> {
  if (!listeners.length || !list.length) return;
  for (const { type } of list)
    if (!catalogue.some((t) => t.type === type)) throw new Error(`domain event type ${type} is not in the catalogue`);
  const events = list.map((e) => ({ type: e.type, occurredAt: now, data: e.data }));
  for (const l of listeners)
    if (l.many) await l.many(tx, events);
    else for (const e of events) await l(tx, e);
}
