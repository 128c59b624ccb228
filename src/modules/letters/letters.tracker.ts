/**
 * The response tracker: for one letter, each Member State's answer — the letter delivered, a focal point appointed,
 * delegates registered (by state, and the head of delegation's level), speaking requests (by state), the last contact —
 * plus the columns other modules register (`registerTrackerColumn`, e.g. the Trust Fund pledge). A few grouped queries
 * over whole tables, merged by entity. The secretariat (letters.send, reports.view) sees every row; a focal point sees
 * their own Member State's row only.
 */
import { and, count, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { can } from '../../platform/permissions.js';
import { entities, focalPoints } from '../entities/index.js';
import { registrationTallies } from '../registration/index.js';
import { speakingRequests } from '../speaking/index.js';
import { letterDeliveries } from './letters.schema.js';
import { codesIn, type EntityFilter, SPECIAL_GROUPS, type SpecialGroup } from './letters.sending.js';
import { unGroups } from '../../platform/i18n/countries.js';
import { getLetter, type Letter } from './letters.service.js';

/** A column another module adds to the tracker: a header per language and a value per Member State. */
export type TrackerColumn = {
  key: string;
  header: (locale: Locale) => string;
  load: (db: DbOrTx, scope: { letter: Letter; entityIds: number[] }) => Promise<Map<number, string | number | null>>;
  /** The value in words in the reader's language (e.g. a state code translated); the raw value otherwise. */
  format?: (value: string | number, locale: Locale) => string;
};
const columns: TrackerColumn[] = [];

declare module '../../platform/module.js' {
  interface ContributionSlots {
    /** A column of the Member State response tracker (the funding module's pledges). */
    letterTracker: TrackerColumn;
  }
}

/** Registers a column (once per key); the funding module adds "pledge" this way. */
export function registerTrackerColumn(c: TrackerColumn): void {
  const i = columns.findIndex((x) => x.key === c.key);
  if (i >= 0) columns[i] = c;
  else columns.push(c);
}
export const trackerColumns = (): readonly TrackerColumn[] => columns;

/** Registration states that count as a delegate (not refused or withdrawn). */
const ACTIVE = ['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'] as const;
/** Heads of delegation by level, highest first (the VIP category of a registration). */
export const LEVELS = ['VVIP', 'MIN', 'DMIN', 'AMB', 'REG'] as const;
export type Level = (typeof LEVELS)[number];
const MINISTERIAL: readonly string[] = ['VVIP', 'MIN'];

export type TrackerRow = {
  entityId: number;
  code: string;
  name: string;
  ituRegion: string | null;
  itudRegion: string | null;
  unGroup: string | null;
  /** LDC, LLDC, SIDS: the UN lists the Member State is on. */
  special: SpecialGroup[];
  delivered: boolean;
  /** Not delivered: every copy of the letter that went out came back (a bounce was reported). */
  bounced: boolean;
  focalPoint: boolean;
  delegates: number;
  delegatesByState: Record<string, number>;
  headLevel: Level | null;
  speaking: Record<string, number>;
  lastContact: Date | null;
  extra: Record<string, string | number | null>;
  /** The same values in words, in the reader's language (through each column's `format`). */
  extraText: Record<string, string | null>;
};

export type Tracker = {
  letter: Letter;
  rows: TrackerRow[];
  totals: {
    memberStates: number;
    delivered: number;
    focalPoints: number;
    registered: number;
    ministerial: number;
    speaking: number;
  };
  columns: { key: string; header: string }[];
};

/** Which Member States the actor may see: all (secretariat), or the ones they are focal point of. */
function scopeOf(ctx: Ctx): number[] | 'all' {
  if (can(ctx.actor, 'letters.send') || can(ctx.actor, 'reports.view')) return 'all';
  if (ctx.actor.kind === 'person' && ctx.actor.focalPointOf.length) return [...ctx.actor.focalPointOf];
  if (ctx.actor.kind === 'anonymous') throw new DomainError('unauthenticated', 401);
  throw new DomainError('forbidden', 403);
}

export async function getTracker(ctx: Ctx, letterId: number, filter: EntityFilter = {}): Promise<Tracker> {
  const scope = scopeOf(ctx);
  const letter = await getLetter(ctx, letterId);
  if (letter.state !== 'sent' && scope !== 'all') throw new DomainError('letter_not_found', 404);
  const db = ctx.db;
  const ms = await db
    .select()
    .from(entities)
    .where(
      and(
        eq(entities.kind, 'member_state'),
        isNull(entities.mergedInto),
        filter.ituRegion ? eq(entities.ituRegion, filter.ituRegion) : undefined,
        filter.itudRegion ? eq(entities.itudRegion, filter.itudRegion) : undefined,
        filter.unGroup ? eq(entities.unGroup, filter.unGroup) : undefined,
        filter.special ? inArray(entities.code, codesIn(filter.special)) : undefined,
        filter.entityIds ? inArray(entities.id, filter.entityIds.length ? filter.entityIds : [-1]) : undefined,
        scope === 'all' ? undefined : inArray(entities.id, scope.length ? scope : [-1]),
      ),
    );
  const ids = ms.map((e) => e.id);
  const some = ids.length ? ids : [-1];
  const events = letter.eventIds.length ? letter.eventIds : undefined;
  const [delivered, fps, regs, speaking, contacts, extra] = await Promise.all([
    db
      .selectDistinct({ entityId: letterDeliveries.entityId, state: letterDeliveries.state })
      .from(letterDeliveries)
      .where(
        and(
          eq(letterDeliveries.letterId, letter.id),
          eq(letterDeliveries.kind, 'letter'),
          inArray(letterDeliveries.state, ['sent', 'bounced']),
          inArray(letterDeliveries.entityId, some),
        ),
      ),
    db.selectDistinct({ entityId: focalPoints.entityId }).from(focalPoints).where(inArray(focalPoints.entityId, some)),
    // From the registration counters (moved by triggers in every registration write): at most a row per event, Member
    // State, state and VIP category, whatever the number of participants.
    db
      .select({
        entityId: registrationTallies.entityId,
        state: registrationTallies.state,
        vip: sql<string | null>`nullif(${registrationTallies.vipCategory}, '')`,
        n: sql<number>`sum(${registrationTallies.n})::int`.mapWith(Number),
      })
      .from(registrationTallies)
      .where(
        and(
          inArray(registrationTallies.entityId, some),
          inArray(registrationTallies.state, [...ACTIVE]),
          events ? inArray(registrationTallies.eventId, events) : undefined,
        ),
      )
      .groupBy(registrationTallies.entityId, registrationTallies.state, registrationTallies.vipCategory)
      .having(sql`sum(${registrationTallies.n}) <> 0`),
    db
      .select({ entityId: speakingRequests.entityId, state: speakingRequests.state, n: count() })
      .from(speakingRequests)
      .where(
        and(inArray(speakingRequests.entityId, some), events ? inArray(speakingRequests.eventId, events) : undefined),
      )
      .groupBy(speakingRequests.entityId, speakingRequests.state),
    db
      .select({ entityId: letterDeliveries.entityId, at: max(letterDeliveries.sentAt) })
      .from(letterDeliveries)
      .where(and(inArray(letterDeliveries.entityId, some), sql`${letterDeliveries.sentAt} is not null`))
      .groupBy(letterDeliveries.entityId),
    Promise.all(columns.map(async (c) => [c.key, await c.load(db, { letter, entityIds: ids })] as const)),
  ]);
  const deliveredSet = new Set(delivered.filter((d) => d.state === 'sent').map((d) => d.entityId));
  const bouncedSet = new Set(delivered.filter((d) => d.state === 'bounced').map((d) => d.entityId));
  const fpSet = new Set(fps.map((d) => d.entityId));
  const lastContact = new Map(contacts.map((c) => [c.entityId, c.at ? new Date(c.at) : null]));
  // Grouped by Member State once (not a pass over every counter row for each of the 194 rows).
  const byEntity = <T extends { entityId: number | null }>(xs: T[]) => {
    const m = new Map<number | null, T[]>();
    for (const x of xs) m.set(x.entityId, [...(m.get(x.entityId) ?? []), x]);
    return m;
  };
  const regsOf = byEntity(regs);
  const speakingOf = byEntity(speaking);
  const rows: TrackerRow[] = ms.map((e) => {
    const mine = regsOf.get(e.id) ?? [];
    const byState: Record<string, number> = {};
    let head: Level | null = null;
    for (const r of mine) {
      byState[r.state] = (byState[r.state] ?? 0) + r.n;
      const lv = r.vip as Level | null;
      if (lv && LEVELS.includes(lv) && (head == null || LEVELS.indexOf(lv) < LEVELS.indexOf(head))) head = lv;
    }
    const sp: Record<string, number> = {};
    for (const s of speakingOf.get(e.id) ?? []) sp[s.state] = (sp[s.state] ?? 0) + s.n;
    return {
      entityId: e.id,
      code: e.code ?? '',
      name: text(e.name as Localized, ctx.locale),
      ituRegion: e.ituRegion,
      itudRegion: e.itudRegion,
      unGroup: e.unGroup,
      special: e.code ? SPECIAL_GROUPS.filter((g) => unGroups(e.code!)[g]) : [],
      delivered: deliveredSet.has(e.id),
      bounced: !deliveredSet.has(e.id) && bouncedSet.has(e.id),
      focalPoint: fpSet.has(e.id),
      delegates: Object.values(byState).reduce((a, b) => a + b, 0),
      delegatesByState: byState,
      headLevel: head,
      speaking: sp,
      lastContact: lastContact.get(e.id) ?? null,
      extra: Object.fromEntries(extra.map(([k, m]) => [k, m.get(e.id) ?? null])),
      extraText: Object.fromEntries(
        extra.map(([k, m]) => {
          const value = m.get(e.id);
          const format = columns.find((c) => c.key === k)?.format;
          return [k, value == null ? null : format ? format(value, ctx.locale) : String(value)];
        }),
      ),
    };
  });
  const collator = new Intl.Collator(ctx.locale);
  rows.sort((a, b) => collator.compare(a.name, b.name));
  return {
    letter,
    rows,
    totals: {
      memberStates: rows.length,
      delivered: rows.filter((r) => r.delivered).length,
      focalPoints: rows.filter((r) => r.focalPoint).length,
      registered: rows.filter((r) => r.delegates > 0).length,
      ministerial: rows.filter((r) => r.headLevel && MINISTERIAL.includes(r.headLevel)).length,
      speaking: rows.filter((r) => Object.keys(r.speaking).some((s) => s !== 'withdrawn')).length,
    },
    columns: columns.map((c) => ({ key: c.key, header: c.header(ctx.locale) })),
  };
}

/** The Member States (of the filter) that have not answered: no delegate registered and no speaking request. */
export function unanswered(t: Tracker): number[] {
  return t.rows.filter((r) => r.delegates === 0 && Object.keys(r.speaking).length === 0).map((r) => r.entityId);
}

/** How far a Member State has answered, lowest to highest: what the tracker's map colours. */
export const RESPONSE_STATES = ['none', 'focal_point', 'registered', 'speaking', 'pledge'] as const;
export type ResponseState = (typeof RESPONSE_STATES)[number];

/**
 * A row's furthest answer: a Trust Fund pledge (the `pledge` column, when a module registers it), a speaking request
 * (not withdrawn), a registered delegate, a focal point appointed, or none.
 */
export function responseState(r: TrackerRow): ResponseState {
  if (r.extra.pledge != null) return 'pledge';
  if (Object.keys(r.speaking).some((s) => s !== 'withdrawn')) return 'speaking';
  if (r.delegates > 0) return 'registered';
  if (r.focalPoint) return 'focal_point';
  return 'none';
}
