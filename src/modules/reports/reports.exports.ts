/**
 * The lists behind the figures (issue 18 §5, §6): participants, registrations, delegations, speaking requests and
 * arrivals, with the filters of the page, as CSV/XLSX through the platform's export writer and as JSON pages.
 *
 * - **Read a page at a time by keyset**: each page is one query that starts where the last row of the previous one
 *   ended (`(key, id) > (…)` in an index's order), so a page costs the same at row 1 and at row 199,000, and an export
 *   of 200,000 rows streams through the writer without ever being held whole (no query loads everything, no array of
 *   all rows). Orders: participants by name (the people sort index), registrations by submission (`registrations_
 *   submitted_idx`), delegations by entity and event, speaking requests by submission, arrivals by the time of the
 *   scan (`scans_admitted_at_idx`).
 * - **Who sees what**: the secretariat (`reports.view`) every entity; a focal point the registrations, speaking
 *   requests and arrivals of their own delegation(s) only — asking for another entity is refused (403), and every
 *   query carries the scope whatever the filters say.
 * - Values are in the reader's language (entity by its UN name, states and functions by their labels), names in both
 *   scripts, dates in Geneva time (`YYYY-MM-DD HH:MM` in spreadsheets, ISO 8601 with the offset in JSON).
 *
 * This module reads the other modules' tables (SQL) and calls none of their code.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { ExportTable, Row } from '../../platform/export/index.js';
import { isoInGeneva } from '../../platform/http/api-schemas.js';
import { countryName } from '../../platform/i18n/countries.js';
import { genevaParts } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { fullName, honorificLabel, latinName, type PersonName, titledName } from '../../platform/i18n/names.js';
import { FUNCTIONS, VIP_CATEGORIES } from '../registration/index.js';
import { toFilter } from './reports.figures.js';
import { rowsOf } from './reports.queries.js';
import type { Scope } from './reports.scope.js';

export const LISTS = ['participants', 'registrations', 'delegations', 'speaking', 'arrivals'] as const;
export type ListKey = (typeof LISTS)[number];

export const REGISTRATION_STATES = [
  'pending_dfp',
  'pending_secretariat',
  'approved',
  'waitlisted',
  'rejected',
  'withdrawn',
] as const;
export const SPEAKING_STATES = ['submitted', 'accepted', 'declined', 'waitlisted', 'withdrawn'] as const;
export const MODES = ['in_person', 'remote'] as const;
export const FILTER_KEYS = ['event', 'state', 'mode', 'nationality', 'entity', 'region', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** The filters that make sense for each list (the page shows these, the API accepts these). */
export const LIST_FILTERS: Record<ListKey, readonly FilterKey[]> = {
  participants: ['event', 'state', 'mode', 'nationality', 'entity', 'region', 'from', 'to'],
  registrations: ['event', 'state', 'mode', 'nationality', 'entity', 'region', 'from', 'to'],
  delegations: ['event', 'state', 'mode', 'nationality', 'entity', 'region', 'from', 'to'],
  speaking: ['event', 'state', 'nationality', 'entity', 'region', 'from', 'to'],
  arrivals: ['event', 'mode', 'nationality', 'entity', 'region', 'from', 'to'],
};
export const statesOf = (list: ListKey): readonly string[] =>
  list === 'speaking' ? SPEAKING_STATES : list === 'arrivals' ? [] : REGISTRATION_STATES;

export type ListQuery = {
  event?: string;
  state?: string;
  mode?: (typeof MODES)[number];
  nationality?: string;
  entity?: number;
  region?: string;
  from?: string;
  to?: string;
};

/** A column: its stable key (CSV/JSON), and the type of its values (for the API's schema). */
export type Column = { key: string; type: 'string' | 'number' | 'boolean' };
const s = (...keys: string[]): Column[] => keys.map((key) => ({ key, type: 'string' }));
const n = (...keys: string[]): Column[] => keys.map((key) => ({ key, type: 'number' }));
const b = (...keys: string[]): Column[] => keys.map((key) => ({ key, type: 'boolean' }));

const PERSON = [
  ...s('honorific', 'name', 'name_latin', 'family_name', 'given_name', 'family_name_latin', 'given_name_latin'),
  ...s('title', 'organisation', 'entity_kind'),
  ...n('entity_id'),
  ...s('nationality_code', 'nationality', 'itu_region'),
];

export const COLUMNS: Record<ListKey, Column[]> = {
  participants: [
    ...s('person_id'),
    ...PERSON,
    ...s('events', 'mode', 'function', 'protocol', 'stakeholder', 'first_registered', 'email'),
  ],
  registrations: [
    ...s('reference', 'event', 'event_code', 'state', 'mode'),
    ...s('person_id'),
    ...PERSON,
    ...s('function', 'protocol', 'stakeholder'),
    ...b('listed'),
    ...s('submitted_at', 'decided_at', 'email'),
  ],
  delegations: [
    ...s('organisation', 'entity_kind'),
    ...n('entity_id'),
    ...s('country_code', 'country', 'itu_region', 'event', 'event_code', 'head_of_delegation', 'head_title'),
    ...n('requests', 'approved', 'pending', 'waitlisted', 'in_person', 'remote'),
    ...s('focal_points'),
  ],
  speaking: [
    ...s('reference', 'event', 'kind', 'state', 'session', 'organisation', 'entity_kind'),
    ...n('entity_id'),
    ...s('country_code', 'country', 'itu_region', 'rank', 'honorific', 'name', 'name_latin', 'title', 'language'),
    ...b('late'),
    ...s('submitted_at', 'decided_at'),
  ],
  arrivals: [
    ...s('scan_id', 'scanned_at', 'checkpoint', 'event', 'session', 'person_id'),
    ...PERSON,
    ...s('mode', 'badge_category'),
    ...b('offline'),
    ...s('device'),
  ],
};

/** Resolved filters: the event and its parts, Geneva days as instants, the reader's scope. */
type Resolved = {
  scope: Scope;
  eventIds: number[];
  from?: Date;
  to?: Date;
  state?: string;
  mode?: string;
  nationality?: string;
  entity?: number;
  region?: string;
};

/**
 * The filters of a list for this reader. Refuses (403) a focal point who names an entity not their own, and a state
 * the list does not have (400); the scope itself comes from `reportScope` (401/403 for anyone else).
 */
export async function resolveFilter(ctx: Ctx, list: ListKey, q: ListQuery): Promise<Resolved> {
  const base = await toFilter(ctx, { event: q.event, from: q.from, to: q.to });
  if (q.entity != null && base.scope !== 'all' && !base.scope.entityIds.includes(q.entity))
    throw new DomainError('forbidden', 403);
  if (q.state && !statesOf(list).includes(q.state)) throw new DomainError('invalid_query', 400);
  const allowed = new Set<string>(LIST_FILTERS[list]);
  return {
    scope: base.scope,
    eventIds: base.eventIds ?? [],
    from: base.from,
    to: base.to,
    state: allowed.has('state') ? q.state : undefined,
    mode: allowed.has('mode') ? q.mode : undefined,
    nationality: q.nationality?.toUpperCase(),
    entity: q.entity,
    region: q.region,
  };
}

// ------------------------------------------------------------------------------------------------ cursors

/** The key of the last row of a page, as an opaque cursor (base64url of a JSON array). */
export const encodeCursor = (key: (string | number)[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
export function decodeCursor(c: string | undefined, length: number): (string | number)[] | undefined {
  if (!c) return undefined;
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === length &&
      v.every((x) => (typeof x === 'string' && x.length <= 300 && !x.includes('\u0000')) || Number.isInteger(x))
    )
      return v as (string | number)[];
  } catch {
    // fall through
  }
  throw new DomainError('invalid_query', 400);
}

// ------------------------------------------------------------------------------------------------ SQL pieces

const sqlList = (xs: readonly (string | number)[]) =>
  sql.join(
    xs.map((x) => sql`${x}`),
    sql`, `,
  );
const inList = (col: SQL, xs: readonly (string | number)[]) =>
  xs.length ? sql`${col} in (${sqlList(xs)})` : sql`false`;
const and = (parts: SQL[]) => sql.join([sql`true`, ...parts], sql` and `);
const scoped = (scope: Scope, col: SQL) => (scope === 'all' ? sql`true` : inList(col, scope.entityIds));
/** A timestamp as a cursor value: microseconds kept (a JS Date would drop them and repeat or skip rows). */
const stamp = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/** People are sorted as everywhere (accounts' `personSortFamily`/`personSortGiven`, the people sort index). */
const SORT_F = sql`(coalesce(nullif(p.family_name_latin, ''), p.family_name) collate "und-x-icu")`;
const SORT_G = sql`(coalesce(nullif(p.given_name_latin, ''), p.given_name) collate "und-x-icu")`;
/** The Member State of a person's nationality (its ITU region). */
const MS_JOIN = sql`left join entities ms on ms.kind = 'member_state' and ms.code = p.nationality and ms.merged_into is null`;
/** The country an entity belongs to: a Member State is its own. */
const ENTITY_COUNTRY = sql`coalesce(e.country, case when e.kind = 'member_state' then e.code end)`;

/** Conditions on a registration `r` (and its person `p`, `ms`). */
function registrationConds(f: Resolved, withPerson: boolean): SQL[] {
  const c: SQL[] = [scoped(f.scope, sql`r.entity_id`)];
  if (f.eventIds.length) c.push(inList(sql`r.event_id`, f.eventIds));
  if (f.from) c.push(sql`r.submitted_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) c.push(sql`r.submitted_at < ${f.to.toISOString()}::timestamptz`);
  if (f.state) c.push(sql`r.state = ${f.state}`);
  if (f.mode) c.push(sql`r.mode = ${f.mode}`);
  if (f.entity != null) c.push(sql`r.entity_id = ${f.entity}`);
  if (withPerson) c.push(...personConds(f));
  return c;
}
function personConds(f: Resolved): SQL[] {
  const c: SQL[] = [sql`p.erased_at is null`];
  if (f.nationality) c.push(sql`p.nationality = ${f.nationality}`);
  if (f.region) c.push(sql`ms.itu_region = ${f.region}`);
  return c;
}

type Db = DbOrTx;
type RawPage = { rows: Record<string, unknown>[]; next: string | null };
type Fetch = (db: Db, f: Resolved, after: string | undefined, limit: number) => Promise<RawPage>;

function pageOf<T extends Record<string, unknown>>(rows: T[], limit: number, key: (r: T) => (string | number)[]) {
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? encodeCursor(key(page[page.length - 1])) : null };
}

const PERSON_COLS = sql`p.id as person_id, p.honorific, p.given_name, p.family_name, p.given_name_latin,
  p.family_name_latin, p.name_order, p.nationality, p.job_title, p.email, ms.itu_region`;

// ------------------------------------------------------------------------------------------------ the five queries

/** People with a registration the filters select (approved unless a state is chosen), by name. */
const participants: Fetch = async (db, f, after, limit) => {
  const k = decodeCursor(after, 3);
  const regs = registrationConds({ ...f, state: f.state ?? 'approved' }, false);
  const res = await db.execute(sql`
    select ${PERSON_COLS}, ${SORT_F} as f, ${SORT_G} as g
    from people p ${MS_JOIN}
    where ${and(personConds(f))}
      and exists (select 1 from registrations r where r.person_id = p.id and ${and(regs)})
      ${k ? sql`and (${SORT_F}, ${SORT_G}, p.id) > (${k[0]}::text collate "und-x-icu", ${k[1]}::text collate "und-x-icu", ${k[2]}::text)` : sql``}
    order by ${SORT_F}, ${SORT_G}, p.id
    limit ${limit + 1}`);
  const page = pageOf(rowsOf<Record<string, unknown>>(res), limit, (r) => [
    r.f as string,
    r.g as string,
    r.person_id as string,
  ]);
  if (!page.rows.length) return page;
  // The selected registrations of this page's people (a few per person), in submission order.
  const ids = page.rows.map((r) => r.person_id as string);
  const regRes = await db.execute(sql`
    select r.person_id, r.mode, r.function, r.vip_category, r.stakeholder_type, r.submitted_at, r.entity_id,
      ev.short_name as event_name, e.kind as entity_kind, e.code as entity_code, e.name as entity_name
    from registrations r join events ev on ev.id = r.event_id left join entities e on e.id = r.entity_id
    where ${inList(sql`r.person_id`, ids)} and ${and(regs)}
    order by r.person_id, r.submitted_at, r.id`);
  const byPerson = new Map<string, Record<string, unknown>[]>();
  for (const r of rowsOf<Record<string, unknown>>(regRes)) {
    const key = r.person_id as string;
    byPerson.set(key, [...(byPerson.get(key) ?? []), r]);
  }
  return { rows: page.rows.map((p) => ({ ...p, regs: byPerson.get(p.person_id as string) ?? [] })), next: page.next };
};

/** Every registration the filters select, in the order they were submitted. */
const registrations: Fetch = async (db, f, after, limit) => {
  const k = decodeCursor(after, 2);
  const res = await db.execute(sql`
    select r.id, r.state, r.mode, r.function, r.vip_category, r.stakeholder_type, r.listed, r.submitted_at,
      r.decided_at, r.entity_id, ${stamp(sql`r.submitted_at`)} as k, ${PERSON_COLS},
      ev.slug as event_code, ev.short_name as event_name, e.kind as entity_kind, e.code as entity_code,
      e.name as entity_name
    from registrations r
    join people p on p.id = r.person_id
    join events ev on ev.id = r.event_id
    left join entities e on e.id = r.entity_id
    ${MS_JOIN}
    where ${and(registrationConds(f, true))}
      ${k ? sql`and (r.submitted_at, r.id) > (${k[0]}::timestamptz, ${k[1]}::text)` : sql``}
    order by r.submitted_at, r.id
    limit ${limit + 1}`);
  return pageOf(rowsOf<Record<string, unknown>>(res), limit, (r) => [r.k as string, r.id as string]);
};

const rankOrder = sql`coalesce(array_position(array[${sqlList(VIP_CATEGORIES)}]::text[], r.vip_category), 100),
  coalesce(array_position(array[${sqlList(FUNCTIONS)}]::text[], r.function), 999)`;

/** Each entity's delegation to each event: its head, its numbers, its focal points. */
const delegations: Fetch = async (db, f, after, limit) => {
  const k = decodeCursor(after, 2);
  const conds = registrationConds(f, false);
  if (f.nationality) conds.push(sql`${ENTITY_COUNTRY} = ${f.nationality}`);
  if (f.region) conds.push(sql`e.itu_region = ${f.region}`);
  const res = await db.execute(sql`
    select r.entity_id, r.event_id, count(*)::int as requests,
      (count(*) filter (where r.state = 'approved'))::int as approved,
      (count(*) filter (where r.state in ('pending_dfp', 'pending_secretariat')))::int as pending,
      (count(*) filter (where r.state = 'waitlisted'))::int as waitlisted,
      (count(*) filter (where r.state = 'approved' and r.mode = 'in_person'))::int as in_person,
      (count(*) filter (where r.state = 'approved' and r.mode = 'remote'))::int as remote
    from registrations r join entities e on e.id = r.entity_id
    where ${and(conds)}
      ${k ? sql`and (r.entity_id, r.event_id) > (${Number(k[0])}::int, ${Number(k[1])}::int)` : sql``}
    group by r.entity_id, r.event_id
    order by r.entity_id, r.event_id
    limit ${limit + 1}`);
  const page = pageOf(rowsOf<Record<string, unknown>>(res), limit, (r) => [
    r.entity_id as number,
    r.event_id as number,
  ]);
  if (!page.rows.length) return page;
  const entityIds = [...new Set(page.rows.map((r) => r.entity_id as number))];
  const pairs = sql.join(
    page.rows.map((r) => sql`(${r.entity_id as number}::int, ${r.event_id as number}::int)`),
    sql`, `,
  );
  const [ents, evs, heads, fps] = await Promise.all([
    db.execute(sql`select id, kind, code, name, itu_region, country from entities where ${inList(sql`id`, entityIds)}`),
    db.execute(sql`select id, slug, short_name from events`),
    // The head of each delegation: its approved member of highest protocol rank (VIP category, then function).
    db.execute(sql`
      select distinct on (r.entity_id, r.event_id) r.entity_id, r.event_id, p.honorific, p.given_name, p.family_name,
        p.given_name_latin, p.family_name_latin, p.name_order, p.nationality, p.job_title
      from registrations r join people p on p.id = r.person_id
      where r.state = 'approved' and p.erased_at is null and (r.entity_id, r.event_id) in (${pairs})
      order by r.entity_id, r.event_id, ${rankOrder}, ${SORT_F}, ${SORT_G}, p.id`),
    db.execute(sql`
      select fp.entity_id, p.honorific, p.given_name, p.family_name, p.given_name_latin, p.family_name_latin,
        p.name_order, p.nationality
      from focal_points fp join people p on p.id = fp.person_id
      where ${inList(sql`fp.entity_id`, entityIds)} and p.erased_at is null
      order by fp.entity_id, ${SORT_F}, ${SORT_G}, p.id`),
  ]);
  const entity = new Map(rowsOf<Record<string, unknown>>(ents).map((e) => [e.id as number, e]));
  const event = new Map(rowsOf<Record<string, unknown>>(evs).map((e) => [e.id as number, e]));
  const head = new Map(rowsOf<Record<string, unknown>>(heads).map((h) => [`${h.entity_id}:${h.event_id}`, h]));
  const focal = new Map<number, Record<string, unknown>[]>();
  for (const x of rowsOf<Record<string, unknown>>(fps))
    focal.set(x.entity_id as number, [...(focal.get(x.entity_id as number) ?? []), x]);
  return {
    rows: page.rows.map((r) => ({
      ...r,
      entity: entity.get(r.entity_id as number),
      ev: event.get(r.event_id as number),
      head: head.get(`${r.entity_id}:${r.event_id}`),
      focal: focal.get(r.entity_id as number) ?? [],
    })),
    next: page.next,
  };
};

/** Speaking requests (High-Level Track), in the order they were submitted. */
const speaking: Fetch = async (db, f, after, limit) => {
  const k = decodeCursor(after, 2);
  const c: SQL[] = [scoped(f.scope, sql`r.entity_id`)];
  if (f.eventIds.length) c.push(inList(sql`r.event_id`, f.eventIds));
  if (f.from) c.push(sql`r.submitted_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) c.push(sql`r.submitted_at < ${f.to.toISOString()}::timestamptz`);
  if (f.state) c.push(sql`r.state = ${f.state}`);
  if (f.entity != null) c.push(sql`r.entity_id = ${f.entity}`);
  if (f.nationality) c.push(sql`${ENTITY_COUNTRY} = ${f.nationality}`);
  if (f.region) c.push(sql`e.itu_region = ${f.region}`);
  const res = await db.execute(sql`
    select r.id, r.kind, r.state, r.rank, r.honorific, r.given_name, r.family_name, r.given_name_latin,
      r.family_name_latin, r.title, r.language, r.late, r.submitted_at, r.decided_at, r.entity_id,
      ${stamp(sql`r.submitted_at`)} as k, ev.short_name as event_name, ss.code as session_code,
      e.kind as entity_kind, e.code as entity_code, e.name as entity_name, e.itu_region,
      ${ENTITY_COUNTRY} as country_code
    from speaking_requests r
    join events ev on ev.id = r.event_id
    join entities e on e.id = r.entity_id
    left join sessions ss on ss.id = r.session_id
    where ${and(c)}
      ${k ? sql`and (r.submitted_at, r.id) > (${k[0]}::timestamptz, ${k[1]}::text)` : sql``}
    order by r.submitted_at, r.id
    limit ${limit + 1}`);
  return pageOf(rowsOf<Record<string, unknown>>(res), limit, (r) => [r.k as string, r.id as string]);
};

/**
 * Admissions at the doors (`scans` admitted), by the time of the scan. The event is the checkpoint's (an event's door,
 * or a session's room and the session's event); the entity and mode are those of the person's registration for that
 * event (an approved one first; else any of theirs).
 */
const arrivals: Fetch = async (db, f, after, limit) => {
  const k = decodeCursor(after, 2);
  const c: SQL[] = [sql`s.result = 'admitted'`, scoped(f.scope, sql`r.entity_id`), ...personConds(f)];
  if (f.eventIds.length) c.push(inList(sql`ev.id`, f.eventIds));
  if (f.from) c.push(sql`s.scanned_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) c.push(sql`s.scanned_at < ${f.to.toISOString()}::timestamptz`);
  if (f.mode) c.push(sql`r.mode = ${f.mode}`);
  if (f.entity != null) c.push(sql`r.entity_id = ${f.entity}`);
  const res = await db.execute(sql`
    select s.id, s.scanned_at, s.checkpoint, s.offline, s.device_id, ${stamp(sql`s.scanned_at`)} as k,
      b.category as badge_category, ${PERSON_COLS}, ev.short_name as event_name, ss.code as session_code,
      r.entity_id, r.mode, e.kind as entity_kind, e.code as entity_code, e.name as entity_name
    from scans s
    join badges b on b.id = s.badge_id
    join people p on p.id = b.person_id
    left join events cev on s.checkpoint = 'event:' || cev.slug
    left join sessions ss on s.checkpoint = 'session:' || ss.code
    left join events ev on ev.id = coalesce(cev.id, ss.event_id)
    left join lateral (
      select r.entity_id, r.mode from registrations r where r.person_id = p.id
      order by coalesce(r.event_id = ev.id, false) desc, (r.state = 'approved') desc, r.submitted_at desc limit 1
    ) r on true
    left join entities e on e.id = r.entity_id
    ${MS_JOIN}
    where ${and(c)}
      ${k ? sql`and (s.scanned_at, s.id) > (${k[0]}::timestamptz, ${k[1]}::text)` : sql``}
    order by s.scanned_at, s.id
    limit ${limit + 1}`);
  return pageOf(rowsOf<Record<string, unknown>>(res), limit, (r) => [r.k as string, r.id as string]);
};

const FETCH: Record<ListKey, Fetch> = { participants, registrations, delegations, speaking, arrivals };

// ------------------------------------------------------------------------------------------------ presenting

type Dates = 'sheet' | 'iso';
const asDate = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
function when(v: unknown, dates: Dates): string {
  const d = asDate(v);
  if (!d || Number.isNaN(d.getTime())) return '';
  if (dates === 'iso') return isoInGeneva(d);
  const p = genevaParts(d);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
const label = (locale: Locale, key: string, v: unknown) => (v ? translate(locale, `${key}.${v}`) : '');
function entityLabel(locale: Locale, kind: unknown, code: unknown, name: unknown): string {
  if (kind === 'member_state' && typeof code === 'string' && code) return countryName(locale, code);
  return name ? text(name as Record<string, string>, locale) : '';
}
const nameOf = (r: Record<string, unknown>): PersonName => ({
  honorific: (r.honorific as string) ?? '',
  givenName: (r.given_name as string) ?? '',
  familyName: (r.family_name as string) ?? '',
  givenNameLatin: (r.given_name_latin as string) ?? '',
  familyNameLatin: (r.family_name_latin as string) ?? '',
  nameOrder: (r.name_order as string) ?? '',
  nationality: (r.nationality as string | null) ?? null,
});
function personCells(r: Record<string, unknown>, locale: Locale): Row {
  const name = nameOf(r);
  const nat = (r.nationality as string | null) ?? '';
  return {
    honorific: honorificLabel(name.honorific, locale),
    name: fullName(name),
    name_latin: latinName(name),
    family_name: name.familyName,
    given_name: name.givenName,
    family_name_latin: name.familyNameLatin ?? '',
    given_name_latin: name.givenNameLatin ?? '',
    title: (r.job_title as string) ?? '',
    organisation: entityLabel(locale, r.entity_kind, r.entity_code, r.entity_name),
    entity_kind: label(locale, 'entities.kind', r.entity_kind),
    entity_id: (r.entity_id as number | null) ?? null,
    nationality_code: nat,
    nationality: nat ? countryName(locale, nat) : '',
    itu_region: label(locale, 'entities.itu_region', r.itu_region),
  };
}
const distinct = (xs: string[]) => [...new Set(xs.filter(Boolean))].join('; ');

function present(list: ListKey, r: Record<string, unknown>, locale: Locale, dates: Dates): Row {
  switch (list) {
    case 'participants': {
      const regs = (r.regs as Record<string, unknown>[]) ?? [];
      const first = regs[0] ?? {};
      return {
        person_id: r.person_id as string,
        ...personCells({ ...r, ...first, itu_region: r.itu_region, nationality: r.nationality }, locale),
        events: distinct(regs.map((x) => text(x.event_name as Record<string, string>, locale))),
        mode: distinct(regs.map((x) => label(locale, 'registration.mode', x.mode))),
        function: label(locale, 'registration.function', first.function),
        protocol: distinct(regs.map((x) => label(locale, 'registration.vip', x.vip_category))),
        stakeholder: label(locale, 'registration.stakeholder', first.stakeholder_type),
        first_registered: when(first.submitted_at, dates),
        email: (r.email as string | null) ?? '',
      };
    }
    case 'registrations':
      return {
        reference: r.id as string,
        event: text(r.event_name as Record<string, string>, locale),
        event_code: r.event_code as string,
        state: label(locale, 'registration.state', r.state),
        mode: label(locale, 'registration.mode', r.mode),
        person_id: r.person_id as string,
        ...personCells(r, locale),
        function: label(locale, 'registration.function', r.function),
        protocol: label(locale, 'registration.vip', r.vip_category),
        stakeholder: label(locale, 'registration.stakeholder', r.stakeholder_type),
        listed: r.listed === true,
        submitted_at: when(r.submitted_at, dates),
        decided_at: when(r.decided_at, dates),
        email: (r.email as string | null) ?? '',
      };
    case 'delegations': {
      const e = (r.entity as Record<string, unknown>) ?? {};
      const ev = (r.ev as Record<string, unknown>) ?? {};
      const h = r.head as Record<string, unknown> | undefined;
      const country =
        (e.country as string | null) ?? (e.kind === 'member_state' ? ((e.code as string | null) ?? '') : '');
      return {
        organisation: entityLabel(locale, e.kind, e.code, e.name),
        entity_kind: label(locale, 'entities.kind', e.kind),
        entity_id: r.entity_id as number,
        country_code: country,
        country: country ? countryName(locale, country) : '',
        itu_region: label(locale, 'entities.itu_region', e.itu_region),
        event: text(ev.short_name as Record<string, string>, locale),
        event_code: (ev.slug as string) ?? '',
        head_of_delegation: h ? titledName(nameOf(h), locale) : '',
        head_title: h ? ((h.job_title as string) ?? '') : '',
        requests: r.requests as number,
        approved: r.approved as number,
        pending: r.pending as number,
        waitlisted: r.waitlisted as number,
        in_person: r.in_person as number,
        remote: r.remote as number,
        focal_points: ((r.focal as Record<string, unknown>[]) ?? [])
          .map((x) => titledName(nameOf(x), locale))
          .join('; '),
      };
    }
    case 'speaking': {
      const name = nameOf(r);
      const country = (r.country_code as string | null) ?? '';
      return {
        reference: r.id as string,
        event: text(r.event_name as Record<string, string>, locale),
        kind: label(locale, 'speaking.kind', r.kind),
        state: label(locale, 'speaking.state', r.state),
        session: (r.session_code as string | null) ?? '',
        organisation: entityLabel(locale, r.entity_kind, r.entity_code, r.entity_name),
        entity_kind: label(locale, 'entities.kind', r.entity_kind),
        entity_id: r.entity_id as number,
        country_code: country,
        country: country ? countryName(locale, country) : '',
        itu_region: label(locale, 'entities.itu_region', r.itu_region),
        rank: label(locale, 'speaking.rank', r.rank),
        honorific: honorificLabel(name.honorific, locale),
        name: fullName(name),
        name_latin: latinName(name),
        title: (r.title as string) ?? '',
        language: ((r.language as string) ?? '').toUpperCase(),
        late: r.late === true,
        submitted_at: when(r.submitted_at, dates),
        decided_at: when(r.decided_at, dates),
      };
    }
    case 'arrivals':
      return {
        scan_id: r.id as string,
        scanned_at: when(r.scanned_at, dates),
        checkpoint: r.checkpoint as string,
        event: r.event_name ? text(r.event_name as Record<string, string>, locale) : '',
        session: (r.session_code as string | null) ?? '',
        person_id: r.person_id as string,
        ...personCells(r, locale),
        mode: label(locale, 'registration.mode', r.mode),
        badge_category: (r.badge_category as string) ?? '',
        offline: r.offline === true,
        device: (r.device_id as string) ?? '',
      };
  }
}

// ------------------------------------------------------------------------------------------------ the service

export const EXPORT_PAGE = 1000;

export type PageOptions = { after?: string; limit?: number; locale: Locale; dates?: Dates };

/** One page of a list (the API and the page's preview), and the cursor of the next one (null at the end). */
export async function listPage(ctx: Ctx, list: ListKey, q: ListQuery, o: PageOptions) {
  const f = await resolveFilter(ctx, list, q);
  const limit = Math.min(Math.max(o.limit ?? 100, 1), EXPORT_PAGE);
  const page = await FETCH[list](ctx.db, f, o.after, limit);
  return { items: page.rows.map((r) => present(list, r, o.locale, o.dates ?? 'iso')), next: page.next };
}

export type StreamOptions = {
  locale: Locale;
  dates?: Dates;
  pageSize?: number;
  /** Told after each page query (how many pages so far): for tests and progress. */
  onPage?: (pages: number) => void;
};

/**
 * Every row of a list the filters select, page by page: the next page is read only when the previous one has been
 * taken (by the export writer, as fast as the client reads). Permissions and filters are checked before the first
 * row, so a refusal is an error answer and never a half-written file.
 */
export async function listRows(ctx: Ctx, list: ListKey, q: ListQuery, o: StreamOptions): Promise<AsyncIterable<Row>> {
  const f = await resolveFilter(ctx, list, q);
  const size = o.pageSize ?? EXPORT_PAGE;
  const db = ctx.db;
  return (async function* () {
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await FETCH[list](db, f, after, size);
      o.onPage?.(++pages);
      for (const r of page.rows) yield present(list, r, o.locale, o.dates ?? 'sheet');
      if (!page.next) return;
      after = page.next;
    }
  })();
}

/** A list as a table for the export writer: translated headers, stable keys, the rows streamed. */
export async function listTable(ctx: Ctx, list: ListKey, q: ListQuery, o: StreamOptions): Promise<ExportTable> {
  const rows = await listRows(ctx, list, q, o);
  return {
    columns: COLUMNS[list].map((c) => ({ key: c.key, header: translate(o.locale, `report_exports.col.${c.key}`) })),
    rows,
    sheet: translate(o.locale, `report_exports.list.${list}`),
  };
}
