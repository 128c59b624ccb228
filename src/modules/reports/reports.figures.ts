/**
 * The figures the secretariat reports (and a focal point sees for their own delegation). Each figure has a key, its
 * groups and a definition (`reports.def.<key>` in the six languages, shown next to it): what counts, as of when.
 * Counts are of distinct people; "participants" are people with an approved registration for a counted event.
 */

import { sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { unGroups } from '../../platform/i18n/countries.js';
import { genevaInstant } from '../../platform/i18n/format.js';
import { events } from '../events/index.js';
import {
  checkIns,
  countApprovedBy,
  countByState,
  countMemberStates,
  entityNames,
  type Filter,
  type Group,
  registrationWhere,
  registrationsPerDay,
  rowsOf,
  speakingByKindState,
} from './reports.queries.js';
import { reportScope, type Scope } from './reports.scope.js';
import { groupsOf, MINISTERIAL, memberStatesFromTallies, readTallies } from './reports.tallies.js';

export { MINISTERIAL };

export type FigureInput = { event?: string; from?: string; to?: string };

/**
 * Where the figures come from: the counters (`tallies`, kept in each change's transaction, the same cost at any size)
 * or grouped counts over the rows. The counters answer the secretariat's dashboard for every event or one event; a date
 * range, or a focal point's own delegation (whose cost is that of the delegation, by the entity index), is counted
 * from the rows. `rows` forces the rows (the consistency test).
 */
export type FigureSource = 'auto' | 'rows';

export type Figures = {
  asOf: string;
  scope: Scope;
  filter: { event: string | null; eventIds: number[]; from: string | null; to: string | null };
  headline: {
    participants: number;
    countries: number;
    memberStates: number;
    memberStatesMinisterial: number;
    requests: number;
    checkedIn: number;
    ministerial: number;
  };
  byState: Group[];
  byMode: Group[];
  byCountry: Group[];
  byEntity: (Group & { kind: string; name: Record<string, string>; code: string | null })[];
  byItuRegion: Group[];
  byItudRegion: Group[];
  byUnGroup: Group[];
  byDevelopmentGroup: Group[];
  byStakeholderType: Group[];
  byFunction: Group[];
  byProtocol: Group[];
  /** Every gender of the profile form and `not_given`, in that order, zeros included. */
  byGender: Group[];
  registrationsPerDay: Group[];
  registrationsPerHour: Group[];
  checkInsPerDay: Group[];
  checkInsPerHour: Group[];
  speaking: { kind: string; state: string; count: number }[];
};

/**
 * The groups of "by gender": the profile's optional answers, then `not_given` (no answer, or chose not to say), always
 * shown. Read from the counters like the other figures (dim `gender`), or from the rows for a date range or a delegation.
 */
export const GENDER_KEYS = ['female', 'male', 'another', 'not_given'] as const;

const desc = (a: Group, b: Group) => b.count - a.count || String(a.key ?? '~').localeCompare(String(b.key ?? '~'));

/** A date (YYYY-MM-DD, Geneva) or an instant; `to` dates count the whole day. */
function instant(v: string | undefined, end: boolean): Date | undefined {
  if (!v) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const d = day ? genevaInstant(v, '00:00') : new Date(v);
  if (Number.isNaN(d.getTime())) throw new DomainError('invalid_date', 400);
  return day && end ? new Date(d.getTime() + 86_400_000) : d;
}

/** Resolves an event slug to the ids counted: the event and its parts. */
async function eventIdsOf(ctx: Ctx, slug: string | undefined): Promise<number[]> {
  if (!slug) return [];
  const all = await ctx.db.select({ id: events.id, slug: events.slug, parentId: events.parentId }).from(events);
  const root = all.find((e) => e.slug === slug);
  if (!root) throw new DomainError('event_not_found', 404);
  const ids = [root.id];
  for (let i = 0; i < ids.length; i++) for (const e of all) if (e.parentId === ids[i]) ids.push(e.id);
  return ids;
}

export async function toFilter(ctx: Ctx, input: FigureInput): Promise<Filter> {
  const scope = reportScope(ctx);
  return {
    scope,
    eventIds: await eventIdsOf(ctx, input.event),
    from: instant(input.from, false),
    to: instant(input.to, true),
  };
}

type Parts = {
  states: Awaited<ReturnType<typeof countByState>>;
  approved: Awaited<ReturnType<typeof countApprovedBy>>;
  ms: Awaited<ReturnType<typeof countMemberStates>>;
  perDay: Group[];
  perHour: Group[];
  checks: Awaited<ReturnType<typeof checkIns>>;
  speaking: Awaited<ReturnType<typeof speakingByKindState>>;
};

async function partsFromRows(ctx: Ctx, f: Filter): Promise<Parts> {
  const [states, approved, ms, perDay, perHour, checks, speaking] = await Promise.all([
    countByState(ctx.db, f),
    countApprovedBy(ctx.db, f),
    countMemberStates(ctx.db, f, MINISTERIAL),
    registrationsPerDay(ctx.db, f),
    registrationsPerHourFromRows(ctx.db, f),
    checkIns(ctx.db, f),
    speakingByKindState(ctx.db, f),
  ]);
  return { states, approved, ms, perDay, perHour, checks, speaking };
}

const APPROVED_DIMS = [
  'nationality',
  'entity',
  'itu_region',
  'itud_region',
  'un_group',
  'stakeholder_type',
  'function',
  'vip_category',
  'gender',
  'all',
] as const;

/** The same parts, read from the counters of one scope (two indexed reads, whatever the number of participants). */
async function partsFromTallies(ctx: Ctx, scope: string): Promise<Parts> {
  const [t, ms] = await Promise.all([readTallies(ctx.db, scope), memberStatesFromTallies(ctx.db, scope)]);
  const states: Parts['states'] = [
    ...groupsOf(t, 'state').map((g) => ({ state: g.key ?? '', mode: null, gm: 1, count: g.count })),
    ...groupsOf(t, 'state_mode').map((g) => {
      const [state, mode] = (g.key ?? '/').split('/');
      return { state, mode: mode || null, gm: 0, count: g.count };
    }),
  ];
  const approved = APPROVED_DIMS.flatMap((dim) => groupsOf(t, dim).map((g) => ({ ...g, dim })));
  const checks: Parts['checks'] = [
    ...groupsOf(t, 'checkin').map((g) => ({ day: null, hour: null, count: g.count })),
    ...groupsOf(t, 'checkin_day').map((g) => ({ day: g.key, hour: null, count: g.count })),
    ...groupsOf(t, 'checkin_hour').map((g) => ({ day: null, hour: Number(g.key), count: g.count })),
  ];
  const speaking = groupsOf(t, 'speaking').map((g) => {
    const [kind, state] = (g.key ?? '/').split('/');
    return { kind, state, count: g.count };
  });
  return {
    states,
    approved,
    ms,
    perDay: groupsOf(t, 'reg_day'),
    perHour: groupsOf(t, 'reg_hour'),
    checks,
    speaking,
  };
}

/** Registrations submitted per hour of the day (Geneva time), every state, from the rows. */
async function registrationsPerHourFromRows(db: Ctx['db'], f: Filter): Promise<Group[]> {
  const res = await db.execute(sql`
    select to_char(r.submitted_at at time zone 'Europe/Zurich', 'HH24') as key, count(*)::int as count
    from registrations r where ${registrationWhere(f)} group by 1 order by 1`);
  return rowsOf<Group>(res);
}

/** The counters' scope answering a filter, or undefined when the rows must be counted. */
function tallyScope(f: Filter, input: FigureInput): string | undefined {
  if (f.scope !== 'all' || f.from || f.to) return undefined;
  return input.event ? String(f.eventIds?.[0]) : 'all';
}

/** Every figure, for the reader's scope and the filter. */
export async function getFigures(ctx: Ctx, input: FigureInput, source: FigureSource = 'auto'): Promise<Figures> {
  const f = await toFilter(ctx, input);
  const scope = source === 'auto' ? tallyScope(f, input) : undefined;
  const { states, approved, ms, perDay, perHour, checks, speaking } = scope
    ? await partsFromTallies(ctx, scope)
    : await partsFromRows(ctx, f);
  const dim = (d: string) =>
    approved
      .filter((g) => g.dim === d)
      .map(({ key, count }) => ({ key, count }))
      .sort(desc);
  const byCountry = dim('nationality');
  const dev = { ldc: 0, lldc: 0, sids: 0 };
  for (const c of byCountry) {
    if (!c.key) continue;
    const g = unGroups(c.key);
    if (g.ldc) dev.ldc += c.count;
    if (g.lldc) dev.lldc += c.count;
    if (g.sids) dev.sids += c.count;
  }
  const ents = dim('entity');
  const names = new Map(
    (
      await entityNames(
        ctx.db,
        ents.filter((e) => e.key).map((e) => Number(e.key)),
      )
    ).map((e) => [String(e.id), e]),
  );
  const byFunction = dim('function');
  const checkedIn = checks.find((c) => c.day == null && c.hour == null)?.count ?? 0;
  const byStateRows = states.filter((s) => Number(s.gm) === 1).map((s) => ({ key: s.state, count: s.count }));
  const byState = [...byStateRows, { key: 'checked_in', count: checkedIn }];
  return {
    asOf: ctx.now.toISOString(),
    scope: f.scope,
    filter: {
      event: input.event ?? null,
      eventIds: f.eventIds ?? [],
      from: f.from?.toISOString() ?? null,
      to: f.to?.toISOString() ?? null,
    },
    headline: {
      participants: dim('all')[0]?.count ?? 0,
      countries: byCountry.filter((c) => c.key).length,
      memberStates: ms?.states ?? 0,
      memberStatesMinisterial: ms?.ministerial ?? 0,
      requests: states.filter((s) => Number(s.gm) === 1).reduce((n, s) => n + s.count, 0),
      checkedIn,
      ministerial: byFunction
        .filter((g) => (MINISTERIAL as readonly string[]).includes(g.key ?? ''))
        .reduce((n, g) => n + g.count, 0),
    },
    byState,
    byMode: states
      .filter((s) => Number(s.gm) === 0 && s.state === 'approved')
      .map((s) => ({ key: s.mode, count: s.count }))
      .sort(desc),
    byCountry,
    byEntity: ents.map((e) => {
      const n = e.key ? names.get(e.key) : undefined;
      return { ...e, kind: n?.kind ?? '', name: n?.name ?? {}, code: n?.code ?? null };
    }),
    byItuRegion: dim('itu_region'),
    byItudRegion: dim('itud_region'),
    byUnGroup: dim('un_group'),
    byDevelopmentGroup: [
      { key: 'ldc', count: dev.ldc },
      { key: 'lldc', count: dev.lldc },
      { key: 'sids', count: dev.sids },
    ],
    byStakeholderType: dim('stakeholder_type'),
    byFunction,
    byProtocol: dim('vip_category'),
    byGender: GENDER_KEYS.map((key) => ({ key, count: dim('gender').find((g) => g.key === key)?.count ?? 0 })),
    registrationsPerDay: perDay,
    registrationsPerHour: [...perHour].sort((a, b) => String(a.key).localeCompare(String(b.key))),
    checkInsPerDay: checks
      .filter((c) => c.day != null)
      .map((c) => ({ key: c.day, count: c.count }))
      .sort((a, b) => String(a.key).localeCompare(String(b.key))),
    checkInsPerHour: checks
      .filter((c) => c.hour != null)
      .map((c) => ({ key: String(c.hour).padStart(2, '0'), count: c.count }))
      .sort((a, b) => String(a.key).localeCompare(String(b.key))),
    speaking,
  };
}

/** The figures a page or export names, with their definition key. */
export const FIGURE_KEYS = [
  'byState',
  'byMode',
  'byCountry',
  'byEntity',
  'byItuRegion',
  'byItudRegion',
  'byUnGroup',
  'byDevelopmentGroup',
  'byStakeholderType',
  'byFunction',
  'byProtocol',
  'byGender',
  'registrationsPerDay',
  'registrationsPerHour',
  'checkInsPerDay',
  'checkInsPerHour',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];
export const isFigureKey = (k: string): k is FigureKey => (FIGURE_KEYS as readonly string[]).includes(k);

/** Rows of one figure, for the export writer and the table fallback. */
export function figureRows(f: Figures, key: FigureKey): { key: string | null; count: number }[] {
  return f[key].map((g) => ({ key: g.key, count: g.count }));
}
