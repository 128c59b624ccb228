/** The "Trust Fund" column of the letters module's Member State tracker: each Member State's pledges and their states. */
import { and, inArray, ne } from 'drizzle-orm';
import { translate } from '../../platform/i18n/messages.js';
import type { TrackerColumn } from '../letters/index.js';
import { fundingPledges } from './funding.schema.js';

export const pledgeTrackerColumn: TrackerColumn = {
  key: 'pledge',
  header: (locale) => translate(locale, 'funding.nav'),
  async load(db, { entityIds }) {
    const out = new Map<number, string | number | null>();
    if (!entityIds.length) return out;
    const rows = await db
      .select({ entityId: fundingPledges.entityId, state: fundingPledges.state })
      .from(fundingPledges)
      .where(and(inArray(fundingPledges.entityId, entityIds), ne(fundingPledges.state, 'cancelled')));
    // The most advanced pledge of each Member State, as its state code (announced < confirmed < partially_paid < paid).
    const order = ['announced', 'confirmed', 'partially_paid', 'paid'];
    for (const r of rows) {
      const prev = out.get(r.entityId);
      if (prev == null || order.indexOf(r.state) > order.indexOf(String(prev))) out.set(r.entityId, r.state);
    }
    return out;
  },
  format: (state, locale) => translate(locale, `funding.state.${state}`),
};
