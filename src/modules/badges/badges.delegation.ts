/** The badge column of the focal point's delegation view: not issued, issued, printed, or collected. */
import { and, inArray, isNull } from 'drizzle-orm';
import { translate } from '../../platform/i18n/messages.js';
import type { DelegationCell, DelegationColumn } from '../registration/index.js';
import { badges } from './badges.schema.js';

export const badgeDelegationColumn: DelegationColumn = {
  key: 'badge',
  header: (locale) => translate(locale, 'badges.delegation.header'),
  async load(db, { personIds, locale }) {
    const rows = await db
      .select()
      .from(badges)
      .where(and(inArray(badges.personId, personIds), isNull(badges.revokedAt)));
    const out = new Map<string, DelegationCell>();
    for (const b of rows) {
      const value = b.collectedAt ? 'collected' : b.printCount > 0 ? 'printed' : 'issued';
      out.set(b.personId, { value, label: translate(locale, `badges.delegation.${value}`) });
    }
    for (const id of personIds)
      if (!out.has(id)) out.set(id, { value: 'none', label: translate(locale, 'badges.delegation.none') });
    return out;
  },
};
