/**
 * The approved participants of an event as an audience of the secretariat's messages (the letters module's
 * `messageAudience` slot): every approved registration of the event, optionally only in person or only remote, each
 * person with their address and preferred language; erased people are left out.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { fullName } from '../../platform/i18n/names.js';
import { people } from '../accounts/index.js';
import { events } from '../events/index.js';
import type { AudienceSource } from '../letters/index.js';
import { registrations } from './registration.schema.js';

const MODES = ['in_person', 'remote'] as const;

export const participantsAudience: AudienceSource = {
  key: 'event_participants',
  label: (locale) => translate(locale, 'registration.audience.label'),
  target: {
    label: (locale) => translate(locale, 'registration.audience.event'),
    options: async (db, locale) =>
      (await db.select().from(events).orderBy(asc(events.startDate), asc(events.id))).map((e) => [
        String(e.id),
        text(e.name, locale),
      ]),
  },
  variants: {
    label: (locale) => translate(locale, 'registration.audience.mode'),
    options: (locale) => MODES.map((m) => [m, translate(locale, `registration.audience.mode_${m}`)]),
  },
  async resolve(db, { target, variant, locale }) {
    const id = /^\d{1,9}$/.test(target) ? Number(target) : Number.NaN;
    if (!Number.isInteger(id)) return undefined;
    const [event] = await db.select().from(events).where(eq(events.id, id));
    if (!event) return undefined;
    const mode = MODES.find((m) => m === variant);
    const rows = await db
      .select({
        email: people.email,
        givenName: people.givenName,
        familyName: people.familyName,
        nameOrder: people.nameOrder,
        nationality: people.nationality,
        locale: people.preferredLocale,
        entityId: registrations.entityId,
      })
      .from(registrations)
      .innerJoin(people, eq(people.id, registrations.personId))
      .where(
        and(
          eq(registrations.eventId, id),
          eq(registrations.state, 'approved'),
          mode ? eq(registrations.mode, mode) : undefined,
          isNull(people.erasedAt),
        ),
      )
      .orderBy(asc(people.email));
    return {
      title: text(event.name, locale),
      unreachable: rows.filter((r) => !r.email).length,
      members: rows.flatMap((r) =>
        r.email ? [{ email: r.email, name: fullName(r), locale: r.locale, entityId: r.entityId }] : [],
      ),
    };
  },
};
