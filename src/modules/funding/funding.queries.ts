/** Read models of the Trust Fund: the public partners list and the secretariat's totals. SQL and arithmetic only. */
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { entities } from '../entities/index.js';
import { BASE_CURRENCY, sum, toChf } from './funding.money.js';
import { fundingPayments, fundingPledges, fundingTiers, type Tier } from './funding.schema.js';
import { logosOf, type LogoMeta } from './funding.logos.js';
import { PURPOSES, type Purpose } from './funding.state.js';

const RECOGNISED = ['confirmed', 'partially_paid', 'paid'] as const;

export type Partner = {
  entityId: number;
  name: Localized;
  /** Shown only when the contributor agreed to be named with the amount. */
  amount: { minor: number; currency: string } | null;
  /** The uploaded logo, if any (with its text alternative per language). */
  logo: LogoMeta | null;
  /** The events their pledges support (null: the WSIS Forum 2026 as a whole). */
  eventIds: (number | null)[];
};
export type PartnerGroup = { tier: Tier | null; purposes: { purpose: Purpose; partners: Partner[] }[] };

const samePackage = (a: string, b: string) => a.trim().toLocaleLowerCase('en') === b.trim().toLocaleLowerCase('en');

/**
 * Contributors who agreed to be named, with a confirmed pledge: grouped by tier (the highest tier they reach, by the
 * CHF threshold their confirmed pledges together reach or by a pledge for the tier's partner package), then by purpose. Names in every language (the entity's, or the public name
 * the contributor gave); amounts only where the contributor said so.
 */
export async function listPartners(db: DbOrTx, locale: Locale): Promise<PartnerGroup[]> {
  const rows = await db
    .select({ p: fundingPledges, e: entities })
    .from(fundingPledges)
    .innerJoin(entities, eq(entities.id, fundingPledges.entityId))
    .where(and(inArray(fundingPledges.state, [...RECOGNISED]), ne(fundingPledges.recognition, 'none')))
    .orderBy(asc(fundingPledges.id));
  const tiers = (await db.select().from(fundingTiers)).sort((a, b) => b.minChfMinor - a.minChfMinor);
  const totalChf = new Map<number, number>();
  for (const { p } of rows) {
    const rate = p.currency === BASE_CURRENCY ? '1' : p.rateToChf;
    if (rate) totalChf.set(p.entityId, (totalChf.get(p.entityId) ?? 0) + toChf(p.amountMinor, p.currency, rate));
  }
  const packages = new Map<number, string[]>();
  for (const { p } of rows)
    if (p.purpose === 'partner_package' && p.purposeDetail)
      packages.set(p.entityId, [...(packages.get(p.entityId) ?? []), p.purposeDetail]);
  const tierOf = (entityId: number) =>
    tiers.find((t) =>
      t.package
        ? (packages.get(entityId) ?? []).some((k) => samePackage(k, t.package))
        : (totalChf.get(entityId) ?? 0) >= t.minChfMinor,
    ) ?? null;
  const logos = await logosOf(db, [...new Set(rows.map((r) => r.e.id))]);
  const groups = new Map<number | null, Map<Purpose, Map<number, Partner>>>();
  for (const { p, e } of rows) {
    const tier = tierOf(e.id);
    const key = tier?.id ?? null;
    if (!groups.has(key)) groups.set(key, new Map());
    const byPurpose = groups.get(key)!;
    if (!byPurpose.has(p.purpose)) byPurpose.set(p.purpose, new Map());
    const partners = byPurpose.get(p.purpose)!;
    const name = Object.values(p.publicName).some(Boolean) ? { ...e.name, ...p.publicName } : e.name;
    const shown = p.recognition === 'name_and_amount' ? { minor: p.amountMinor, currency: p.currency } : null;
    const prev = partners.get(e.id);
    if (!prev)
      partners.set(e.id, { entityId: e.id, name, amount: shown, logo: logos.get(e.id) ?? null, eventIds: [p.eventId] });
    else if (!prev.eventIds.includes(p.eventId)) prev.eventIds.push(p.eventId);
    if (!prev) continue;
    if (prev.amount && shown && prev.amount.currency === shown.currency)
      prev.amount = { minor: prev.amount.minor + shown.minor, currency: shown.currency };
    else prev.amount = null; // several pledges, not all with consent (or in several currencies): no amount
  }
  const coll = new Intl.Collator(locale);
  const order = [...tiers.map((t) => t.id), null];
  return order
    .filter((k) => groups.has(k))
    .map((k) => ({
      tier: tiers.find((t) => t.id === k) ?? null,
      purposes: PURPOSES.filter((pu) => groups.get(k)!.has(pu)).map((pu) => ({
        purpose: pu,
        partners: [...groups.get(k)!.get(pu)!.values()].sort((a, b) =>
          coll.compare(text(a.name, locale), text(b.name, locale)),
        ),
      })),
    }));
}

/**
 * The partners an event's page acknowledges: those whose pledges support that event, and on the fund's own event
 * (and the events under it) those whose pledges support the WSIS Forum 2026 as a whole. Each once, tier order kept.
 */
export async function eventPartners(
  db: DbOrTx,
  locale: Locale,
  event: { id: number; general: boolean },
): Promise<{ tier: Tier | null; partners: Partner[] }[]> {
  const groups = await listPartners(db, locale);
  const seen = new Set<number>();
  return groups
    .map((g) => ({
      tier: g.tier,
      partners: g.purposes
        .flatMap((p) => p.partners)
        .filter((x) => {
          const here = x.eventIds.includes(event.id) || (event.general && x.eventIds.includes(null));
          if (!here || seen.has(x.entityId)) return false;
          seen.add(x.entityId);
          return true;
        })
        .map((x) => ({ ...x, amount: null })),
    }))
    .filter((g) => g.partners.length);
}

export type TotalLine = { key: string; pledges: number; pledgedChf: number; receivedChf: number };
export type CurrencyLine = {
  currency: string;
  pledges: number;
  pledged: number;
  received: number;
  receivedChf: number;
};
export type MonthLine = {
  month: string;
  pledgedChf: number;
  receivedChf: number;
  cumulativePledgedChf: number;
  cumulativeReceivedChf: number;
};
export type FundingReport = {
  totals: { pledges: number; pledgedChf: number; receivedChf: number; outstandingChf: number; withoutRate: number };
  byType: TotalLine[];
  byRegion: TotalLine[];
  byPurpose: TotalLine[];
  byCurrency: CurrencyLine[];
  overTime: MonthLine[];
};

/**
 * Totals of live pledges (not cancelled; in-kind at their estimated value): by contributor type, ITU region, purpose,
 * currency, and month (pledged by commitment date, received by date received). Pledges without a rate to CHF yet
 * (announced in another currency) are counted in `withoutRate` and left out of CHF sums.
 */
export async function fundingReport(db: DbOrTx): Promise<FundingReport> {
  const rows = await db
    .select({ p: fundingPledges, kind: entities.kind, region: entities.ituRegion })
    .from(fundingPledges)
    .innerJoin(entities, eq(entities.id, fundingPledges.entityId))
    .where(ne(fundingPledges.state, 'cancelled'));
  const payments = await db
    .select({ on: fundingPayments.receivedOn, chf: fundingPayments.chfMinor, pledgeId: fundingPayments.pledgeId })
    .from(fundingPayments);
  const live = new Set(rows.map((r) => r.p.id));
  const chfOf = (p: (typeof rows)[number]['p']) => {
    const rate = p.currency === BASE_CURRENCY ? '1' : p.rateToChf;
    return rate ? toChf(p.amountMinor, p.currency, rate) : null;
  };
  const group = (key: (r: (typeof rows)[number]) => string): TotalLine[] => {
    const m = new Map<string, TotalLine>();
    for (const r of rows) {
      const k = key(r);
      const line = m.get(k) ?? { key: k, pledges: 0, pledgedChf: 0, receivedChf: 0 };
      line.pledges++;
      line.pledgedChf = sum([line.pledgedChf, chfOf(r.p) ?? 0]);
      line.receivedChf = sum([line.receivedChf, r.p.receivedChfMinor]);
      m.set(k, line);
    }
    return [...m.values()].sort((a, b) => b.pledgedChf - a.pledgedChf || a.key.localeCompare(b.key));
  };
  const cur = new Map<string, CurrencyLine>();
  for (const { p } of rows) {
    const line = cur.get(p.currency) ?? { currency: p.currency, pledges: 0, pledged: 0, received: 0, receivedChf: 0 };
    line.pledges++;
    line.pledged = sum([line.pledged, p.amountMinor]);
    line.received = sum([line.received, p.receivedMinor]);
    line.receivedChf = sum([line.receivedChf, p.receivedChfMinor]);
    cur.set(p.currency, line);
  }
  const months = new Map<string, { pledgedChf: number; receivedChf: number }>();
  const at = (m: string) =>
    months.get(m) ??
    (months.set(m, { pledgedChf: 0, receivedChf: 0 }).get(m) as { pledgedChf: number; receivedChf: number });
  for (const { p } of rows) at(p.commitmentDate.slice(0, 7)).pledgedChf += chfOf(p) ?? 0;
  for (const x of payments) if (live.has(x.pledgeId)) at(x.on.slice(0, 7)).receivedChf += x.chf;
  let cp = 0;
  let cr = 0;
  const overTime = [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, v]) => {
      cp += v.pledgedChf;
      cr += v.receivedChf;
      return { month, ...v, cumulativePledgedChf: cp, cumulativeReceivedChf: cr };
    });
  const pledgedChf = sum(rows.map((r) => chfOf(r.p) ?? 0));
  const receivedChf = sum(rows.map((r) => r.p.receivedChfMinor));
  return {
    totals: {
      pledges: rows.length,
      pledgedChf,
      receivedChf,
      outstandingChf: Math.max(0, pledgedChf - receivedChf),
      withoutRate: rows.filter((r) => chfOf(r.p) == null).length,
    },
    byType: group((r) => r.kind),
    byRegion: group((r) => r.region ?? '—'),
    byPurpose: group((r) => r.p.purpose),
    byCurrency: [...cur.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    overTime,
  };
}
