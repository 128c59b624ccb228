/** How the badges module's audit actions read: a badge reads as its holder's name. */
import { eq, inArray } from 'drizzle-orm';
import type { AuditParams, AuditWording } from '../../platform/audit-words.js';
import { translate } from '../../platform/i18n/messages.js';
import { fullName, isolate } from '../../platform/i18n/names.js';
import { people } from '../accounts/index.js';
import { badges } from './badges.schema.js';

export const badgesAuditWording: AuditWording = {
  sentences: {
    'badge.printed': 'badges.audit.printed',
    'badge.collected': 'badges.audit.collected',
    'badge.id_checked': 'badges.audit.id_checked',
    'badge.reissued': 'badges.audit.reissued',
  },
  subjects: {
    badge: async (db, ids, locale) => {
      const out = new Map<string, AuditParams>();
      const nums = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
      if (!nums.length) return out;
      const rows = await db
        .select({ id: badges.id, person: people })
        .from(badges)
        .innerJoin(people, eq(people.id, badges.personId))
        .where(inArray(badges.id, nums));
      for (const r of rows) {
        const own = r.person.erasedAt ? '' : fullName(r.person);
        const name = own ? isolate(own, locale) : translate(locale, 'accounts.audit.erased_person');
        out.set(String(r.id), { subject: name, person: name });
      }
      return out;
    },
  },
  ofPerson: {
    badge: async (db, personId) =>
      (await db.select({ id: badges.id }).from(badges).where(eq(badges.personId, personId))).map((r) => String(r.id)),
  },
};
