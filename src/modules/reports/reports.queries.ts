/**
 * SQL only: grouped counts over the registrations a filter selects. Each figure is one `GROUP BY` (several as one
 * `GROUPING SETS` scan), counting distinct people, so a person registered for two events counts once when no event is
 * chosen. Indexes: registrations (event_id, state) and (entity_id, state); people by id; scans (checkpoint, result).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Scope } from './reports.scope.js';

export type Filter = {
  /** Event ids counted (an event and its parts); empty or undefined: every event. */
  eventIds?: number[];
  /** Registrations submitted from this instant (inclusive) to this one (exclusive). */
  from?: Date;
  to?: Date;
  scope: Scope;
};

export type Group = { key: string | null; count: number };

export function rowsOf<T>(res: unknown): T[] {
  return ((res as { rows?: T[] }).rows ?? (res as T[])) as T[];
}

const idList = (ids: number[]) =>
  sql.join(
    ids.map((i) => sql`${i}`),
    sql`, `,
  );

/** The conditions on `r` (registrations) for a filter. */
export function registrationWhere(f: Filter, alias = 'r'): SQL {
  const a = sql.raw(alias);
  const parts: SQL[] = [sql`true`];
  if (f.eventIds?.length) parts.push(sql`${a}.event_id in (${idList(f.eventIds)})`);
  if (f.from) parts.push(sql`${a}.submitted_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) parts.push(sql`${a}.submitted_at < ${f.to.toISOString()}::timestamptz`);
  if (f.scope !== 'all')
    parts.push(f.scope.entityIds.length ? sql`${a}.entity_id in (${idList(f.scope.entityIds)})` : sql`false`);
  return sql.join(parts, sql` and `);
}

/** People by registration state (every state) and, for approved ones, by mode. */
export async function countByState(db: DbOrTx, f: Filter) {
  const res = await db.execute(sql`
    select r.state, r.mode, grouping(r.mode) as gm, count(distinct r.person_id)::int as count
    from registrations r where ${registrationWhere(f)}
    group by grouping sets ((r.state), (r.state, r.mode))`);
  return rowsOf<{ state: string; mode: string | null; gm: number; count: number }>(res);
}

export type Dim =
  | 'nationality'
  | 'entity'
  | 'itu_region'
  | 'itud_region'
  | 'un_group'
  | 'stakeholder_type'
  | 'function'
  | 'vip_category'
  | 'gender'
  | 'all';

/**
 * Approved participants grouped by every dimension in one scan: nationality (the person's), the entity represented,
 * the regions of the Member State of their nationality (from the entities table), stakeholder type, function and
 * protocol category of the registration, the gender on the profile (`not_given` when none). `dim = 'all'` is the
 * total.
 */
export async function countApprovedBy(db: DbOrTx, f: Filter): Promise<(Group & { dim: Dim })[]> {
  const res = await db.execute(sql`
    select
      case
        when grouping(p.nationality) = 0 then 'nationality'
        when grouping(r.entity_id) = 0 then 'entity'
        when grouping(ms.itu_region) = 0 then 'itu_region'
        when grouping(ms.itud_region) = 0 then 'itud_region'
        when grouping(ms.un_group) = 0 then 'un_group'
        when grouping(r.stakeholder_type) = 0 then 'stakeholder_type'
        when grouping(r.function) = 0 then 'function'
        when grouping(r.vip_category) = 0 then 'vip_category'
        when grouping(coalesce(p.gender, 'not_given')) = 0 then 'gender'
        else 'all' end as dim,
      coalesce(p.nationality, r.entity_id::text, ms.itu_region, ms.itud_region, ms.un_group,
               r.stakeholder_type, r.function, r.vip_category, coalesce(p.gender, 'not_given')) as key,
      count(distinct r.person_id)::int as count
    from registrations r
    join people p on p.id = r.person_id
    left join entities ms on ms.kind = 'member_state' and ms.code = p.nationality and ms.merged_into is null
    where r.state = 'approved' and ${registrationWhere(f)}
    group by grouping sets ((p.nationality), (r.entity_id), (ms.itu_region), (ms.itud_region), (ms.un_group),
                            (r.stakeholder_type), (r.function), (r.vip_category),
                            (coalesce(p.gender, 'not_given')), ())`);
  return rowsOf<Group & { dim: Dim }>(res).map((g) => ({ ...g, key: g.key === '' ? null : g.key }));
}

/** Member-State delegations with an approved participant, and those with one at ministerial level. */
export async function countMemberStates(db: DbOrTx, f: Filter, ministerial: readonly string[]) {
  const res = await db.execute(sql`
    select count(distinct r.entity_id)::int as states,
           count(distinct r.entity_id) filter (where r.function in (${sql.join(
             ministerial.map((m) => sql`${m}`),
             sql`, `,
           )}))::int as ministerial
    from registrations r join entities e on e.id = r.entity_id
    where e.kind = 'member_state' and r.state = 'approved' and ${registrationWhere(f)}`);
  return rowsOf<{ states: number; ministerial: number }>(res)[0];
}

/** Registrations submitted per day (Geneva time), every state. */
export async function registrationsPerDay(db: DbOrTx, f: Filter) {
  const res = await db.execute(sql`
    select to_char(r.submitted_at at time zone 'Europe/Zurich', 'YYYY-MM-DD') as key, count(*)::int as count
    from registrations r where ${registrationWhere(f)} group by 1 order by 1`);
  return rowsOf<Group>(res);
}

/**
 * Check-ins: the first admission of a person's badge at the door of an event counted (`event:<slug>`), for the
 * approved registrations the filter selects. Per day and per hour of the day (Geneva time), and distinct people.
 */
export async function checkIns(db: DbOrTx, f: Filter) {
  const res = await db.execute(sql`
    with firsts as (
      select r.person_id, min(s.scanned_at) as at
      from registrations r
      join events e on e.id = r.event_id
      join badges b on b.person_id = r.person_id
      join scans s on s.badge_id = b.id and s.result = 'admitted' and s.checkpoint = 'event:' || e.slug
      where r.state = 'approved' and ${registrationWhere(f)}
      group by r.person_id)
    select to_char(at at time zone 'Europe/Zurich', 'YYYY-MM-DD') as day,
           extract(hour from at at time zone 'Europe/Zurich')::int as hour, count(*)::int as count
    from firsts group by grouping sets ((1), (2), ())`);
  return rowsOf<{ day: string | null; hour: number | null; count: number }>(res);
}

/** Speaking requests by kind and state (the event filter and the submission dates apply; scope by entity). */
export async function speakingByKindState(db: DbOrTx, f: Filter) {
  const res = await db.execute(sql`
    select r.kind, r.state, count(*)::int as count from speaking_requests r
    where ${registrationWhere(f)} group by 1, 2 order by 1, 2`);
  return rowsOf<{ kind: string; state: string; count: number }>(res);
}

/** Names of entities by id. */
export async function entityNames(db: DbOrTx, ids: number[]) {
  if (!ids.length) return [];
  const res = await db.execute(sql`select id, kind, code, name from entities where id in (${idList(ids)})`);
  return rowsOf<{ id: number; kind: string; code: string | null; name: Record<string, string> }>(res);
}
