/** What every service receives: the database, who acts, in which language, and the current instant. */
import type { DbOrTx } from '../db/client.js';
import type { Locale } from './i18n/locales.js';

export const CAPABILITIES = [
  'registration.review',
  'speaking.review',
  'programme.edit',
  'badges.print',
  'checkin.scan',
  'pledges.manage',
  'letters.send',
  'reports.view',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type PersonActor = {
  kind: 'person';
  id: string;
  role: 'admin' | 'staff' | 'participant';
  capabilities: readonly string[];
  /** Entities this person is a Designated Focal Point of. */
  focalPointOf: readonly number[];
  /**
   * The organisation on the person's profile: a claim. It grants nothing by itself; rights derived from an entity go
   * through `verifiedEntityOf` (platform/permissions.ts), which reads it only when `entityVerified`.
   */
  entityId: number | null;
  /** Whether that claim was verified (by a focal point of the entity or the secretariat). */
  entityVerified?: boolean;
  /** The entity the person acts for in this request (a DFP acting for their administration). */
  actingFor?: number;
  /** How the request was authenticated. */
  via: 'session' | 'token';
  sessionId?: string;
};

export type Actor = { kind: 'anonymous' } | { kind: 'system'; name: string } | PersonActor;

export type Ctx = {
  db: DbOrTx;
  actor: Actor;
  locale: Locale;
  now: Date;
  ip?: string;
  /** The public address of the site, for links in e-mails. */
  baseUrl?: string;
  userAgent?: string;
};

export function actorLabel(actor: Actor): string {
  return actor.kind === 'person' ? actor.id : actor.kind === 'system' ? `system:${actor.name}` : 'anonymous';
}
