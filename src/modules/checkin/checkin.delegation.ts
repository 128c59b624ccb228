/** The arrival column of the focal point's delegation view: when the person was first admitted to the event. */
import { and, eq, inArray, min } from 'drizzle-orm';
import { formatDateTime } from '../../platform/i18n/format.js';
import { translate } from '../../platform/i18n/messages.js';
import { badges } from '../badges/index.js';
import type { DelegationCell, DelegationColumn } from '../registration/index.js';
import { scans } from './checkin.schema.js';

export const arrivalDelegationColumn: DelegationColumn = {
  key: 'arrival',
  header: (locale) => translate(locale, 'checkin.delegation.header'),
  async load(db, { personIds, eventSlug, locale }) {
    const rows = await db
      .select({ personId: badges.personId, at: min(scans.scannedAt) })
      .from(scans)
      .innerJoin(badges, eq(badges.id, scans.badgeId))
      .where(
        and(
          inArray(badges.personId, personIds),
          eq(scans.checkpoint, `event:${eventSlug}`),
          eq(scans.result, 'admitted'),
        ),
      )
      .groupBy(badges.personId);
    const out = new Map<string, DelegationCell>();
    for (const r of rows) {
      if (!r.at) continue;
      const at = new Date(r.at);
      out.set(r.personId, {
        value: at.toISOString(),
        // Geneva time, 24-hour clock, whatever the reader's device says.
        label: translate(locale, 'checkin.delegation.arrived', { when: formatDateTime(locale, at) }),
      });
    }
    for (const id of personIds)
      if (!out.has(id)) out.set(id, { value: '', label: translate(locale, 'checkin.delegation.not_yet') });
    return out;
  },
};
