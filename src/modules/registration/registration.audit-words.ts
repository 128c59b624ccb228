/** How the registration module's audit actions read: "… approved the registration of Li Wei for WSIS Forum 2026". */
import { eq, inArray } from 'drizzle-orm';
import type { AuditParams, AuditWording } from '../../platform/audit-words.js';
import { text } from '../../platform/i18n/localized.js';
import { fullName, isolate } from '../../platform/i18n/names.js';
import { translate } from '../../platform/i18n/messages.js';
import { people } from '../accounts/index.js';
import { events } from '../events/index.js';
import { registrations } from './registration.schema.js';

const ACTIONS = [
  'approved',
  'rejected',
  'waitlisted',
  'withdrawn',
  'promoted',
  'edited',
  'submitted',
  'settings_changed',
];

export const registrationAuditWording: AuditWording = {
  sentences: {
    ...Object.fromEntries(ACTIONS.map((a) => [`registration.${a}`, `registration.audit.${a}`])),
    'visa.issued': 'registration.audit.visa_issued',
    'visa.resent': 'registration.audit.visa_resent',
    'photo.uploaded': 'registration.audit.photo_uploaded',
    'person.created_by_dfp': 'registration.audit.person_created_by_dfp',
  },
  subjects: {
    registration: async (db, ids, locale) => {
      const out = new Map<string, AuditParams>();
      const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      if (!uuids.length) return out;
      const rows = await db
        .select({ id: registrations.id, person: people, event: events.shortName })
        .from(registrations)
        .innerJoin(people, eq(people.id, registrations.personId))
        .innerJoin(events, eq(events.id, registrations.eventId))
        .where(inArray(registrations.id, uuids));
      for (const r of rows) {
        const own = r.person.erasedAt ? '' : fullName(r.person);
        const person = own ? isolate(own, locale) : translate(locale, 'accounts.audit.erased_person');
        const event = text(r.event, locale);
        out.set(r.id, { person, event, subject: translate(locale, 'registration.audit.subject', { person, event }) });
      }
      return out;
    },
  },
  ofPerson: {
    registration: async (db, personId) =>
      (await db.select({ id: registrations.id }).from(registrations).where(eq(registrations.personId, personId))).map(
        (r) => r.id,
      ),
  },
};
