/** How the accounts module's audit actions read, and how a person reads in a sentence (their name, composed). */
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { AuditParams, AuditWording } from '../../platform/audit-words.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { fullName, isolate } from '../../platform/i18n/names.js';
import { people } from './accounts.schema.js';

/** The names of people, by id, in their own script, isolated for the reader's text direction. */
export async function personNamesForAudit(db: DbOrTx, ids: string[], locale: Locale): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (!uuids.length) return out;
  const rows = await db.select().from(people).where(inArray(people.id, uuids));
  for (const p of rows) {
    const name = p.erasedAt ? '' : fullName(p);
    out.set(p.id, name ? isolate(name, locale) : translate(locale, 'accounts.audit.erased_person'));
  }
  return out;
}

const ACTIONS = [
  'signed_up',
  'email_verified',
  'signed_in',
  'signed_out',
  'signed_out_everywhere',
  'locked',
  'password_reset',
  'profile_updated',
  'role_changed',
  'erased',
  'erasure_requested',
  'data_exported',
  'administrator_created',
  'sso_linked',
  'token_created',
  'token_revoked',
  'merged',
] as const;

export const accountsAuditWording: AuditWording = {
  sentences: {
    ...Object.fromEntries(ACTIONS.map((a) => [`accounts.${a}`, `accounts.audit.${a}`])),
    'accounts.people_merged': 'accounts.audit.merged',
    'affiliation.verified': 'accounts.audit.affiliation_verified',
    'affiliation.refused': 'accounts.audit.affiliation_refused',
  },
  subjects: {
    person: async (db, ids, locale) => {
      const names = await personNamesForAudit(db, ids, locale);
      return new Map<string, AuditParams>([...names].map(([id, name]) => [id, { subject: name, person: name }]));
    },
  },
  ofPerson: { person: async (_db, personId) => [personId] },
};
