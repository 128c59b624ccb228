/** What every service receives: the database, who acts, in which language, and the current instant. */
import type { DbOrTx } from '../db/client.js';
import type { Locale } from './i18n/locales.js';

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'system'; name: string }
  | { kind: 'person'; id: string; actingFor?: string };

export type Ctx = {
  db: DbOrTx;
  actor: Actor;
  locale: Locale;
  now: Date;
  ip?: string;
};

export function actorLabel(actor: Actor): string {
  return actor.kind === 'person' ? actor.id : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}
