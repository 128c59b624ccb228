/**
 * Counters for the dashboard, so its figures cost the same at 1,000 and 200,000 participants.
 *
 * Why counters and not a summary refreshed by the worker: most figures count distinct people (a person registered for
 * the Forum and AI for Good counts once for "every event"), which a plain +1/−1 on each change cannot keep. Here each
 * change recomputes what its subject — one person, or one speaking request — contributes, from that subject's few
 * rows (a person's registrations, badge and door admissions), and applies the difference to the counters: one
 * set-based statement in the change's own transaction. So the figures are exact at every commit, and a rolled-back
 * change moves nothing. A summary refreshed every few seconds would redo the whole grouped count (seconds at 200,000)
 * on every refresh.
 *
 * The changes arrive as domain events (registration submitted, decided, withdrawn; a door admission; speaking requests
 * submitted, decided, assigned) and as the profile hook (nationality), so this module reads the other modules' tables
 * but never calls their code. `rebuildTallies` recomputes everything from the rows (`npm run convene -- reports:rebuild`),
 * for data written around the services (imports, repairs).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import type { DomainEvent } from '../../platform/domain-events.js';
import type { Group } from './reports.queries.js';
import { rowsOf } from './reports.queries.js';

/** Functions counted as "ministerial level" (also in reports.figures.ts, which re-exports it). */
export const MINISTERIAL = ['head_of_state', 'minister', 'deputy_minister'] as const;

const S = '|';
const ministerialList = sql.join(
  MINISTERIAL.map((m) => sql`${m}`),
  sql`, `,
);

/**
 * Every `(subject, key)` contribution of the people and speaking requests a condition selects (`person` is the person
 * id column's SQL, `speaking` the speaking request id's). A key is `<scope>|<dim>|<group>`; a key appearing twice for
 * one subject counts twice (registrations per day count rows; the people figures are made distinct first).
 */
function contributions(person: (col: SQL) => SQL, speaking: (col: SQL) => SQL): SQL {
  return sql`
    with recursive anc(event_id, scope) as (
      select id, id from events
      union all
      select a.event_id, e.parent_id from anc a join events e on e.id = a.scope where e.parent_id is not null),
    sc as (select event_id, scope::text as scope from anc union all select id, 'all' from events),
    r as (
      select r.person_id, r.event_id, r.entity_id, r.state, r.mode, r.stakeholder_type, r.function, r.vip_category,
             r.submitted_at, sc.scope
      from registrations r join sc on sc.event_id = r.event_id where ${person(sql`r.person_id`)}),
    ap as (
      select r.*, p.nationality, coalesce(p.gender, 'not_given') as gender, ms.itu_region, ms.itud_region, ms.un_group
      from r join people p on p.id = r.person_id
      left join entities ms on ms.kind = 'member_state' and ms.code = p.nationality and ms.merged_into is null
      where r.state = 'approved'),
    firsts as (
      select r.person_id, r.scope, min(s.scanned_at) as at
      from r join events e on e.id = r.event_id
      join badges b on b.person_id = r.person_id
      join scans s on s.badge_id = b.id and s.result = 'admitted' and s.checkpoint = 'event:' || e.slug
      where r.state = 'approved' group by 1, 2)
    select 'p:' || person_id as subject, k from (
      select distinct ap.person_id, ap.scope || ${S} || d.dim || ${S} || coalesce(d.key, '') as k
      from ap cross join lateral (values
        ('all', ''), ('nationality', ap.nationality), ('entity', ap.entity_id::text), ('itu_region', ap.itu_region),
        ('itud_region', ap.itud_region), ('un_group', ap.un_group), ('stakeholder_type', ap.stakeholder_type),
        ('function', ap.function), ('vip_category', ap.vip_category), ('gender', ap.gender)) d(dim, key)
      union all
      select distinct person_id, scope || ${S} || 'entity_ministerial' || ${S} || entity_id::text
      from ap where entity_id is not null and function in (${ministerialList})
      union all
      select distinct person_id, scope || ${S} || 'state' || ${S} || state from r
      union all
      select distinct person_id, scope || ${S} || 'state_mode' || ${S} || state || '/' || coalesce(mode, '') from r
      where state = 'approved'
      union all
      select person_id, scope || ${S} || d.dim || ${S} || d.key
      from r cross join lateral (values
        ('reg_day', to_char(r.submitted_at at time zone 'Europe/Zurich', 'YYYY-MM-DD')),
        ('reg_hour', to_char(r.submitted_at at time zone 'Europe/Zurich', 'HH24'))) d(dim, key)
      union all
      select person_id, scope || ${S} || d.dim || ${S} || d.key
      from firsts cross join lateral (values
        ('checkin', ''),
        ('checkin_day', to_char(at at time zone 'Europe/Zurich', 'YYYY-MM-DD')),
        ('checkin_hour', to_char(at at time zone 'Europe/Zurich', 'HH24'))) d(dim, key)
    ) people_keys
    union all
    select 's:' || sr.id, sc.scope || ${S} || 'speaking' || ${S} || sr.kind || '/' || sr.state
    from speaking_requests sr join sc on sc.event_id = sr.event_id where ${speaking(sql`sr.id`)}`;
}

const never = () => sql`false`;

/**
 * Recomputes one subject's contribution and applies the difference to the counters: one statement (after a lock on
 * the subject, so two transactions changing the same person cannot both apply the same difference).
 */
export async function refreshSubject(tx: DbOrTx, subject: string): Promise<void> {
  const [kind, id] = [subject.slice(0, 2), subject.slice(2)];
  const c =
    kind === 'p:'
      ? contributions((col) => sql`${col} = ${id}`, never)
      : contributions(never, (col) => sql`${col} = ${id}`);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${subject}))`);
  await tx.execute(sql`
    with contribution as (${c}),
    fresh as (select k, count(*)::int as n from contribution group by k),
    old as (
      select e.key as k, e.value::int as n
      from report_subjects s cross join lateral jsonb_each_text(s.keys) e where s.subject = ${subject}),
    delta as (
      select coalesce(fresh.k, old.k) as k, coalesce(fresh.n, 0) - coalesce(old.n, 0) as d
      from fresh full join old on old.k = fresh.k),
    saved as (
      insert into report_subjects (subject, keys)
      select ${subject}, coalesce((select jsonb_object_agg(k, n) from fresh), '{}'::jsonb)
      on conflict (subject) do update set keys = excluded.keys)
    insert into report_tallies (scope, dim, key, n)
    select split_part(k, ${S}, 1), split_part(k, ${S}, 2), split_part(k, ${S}, 3), d from delta where d <> 0
    on conflict (scope, dim, key) do update set n = report_tallies.n + excluded.n`);
}

/** The subject a domain event changes, if it moves a figure. */
export function subjectOf(e: DomainEvent): string | undefined {
  const d = e.data;
  if (e.type.startsWith('registration.') || e.type === 'checkin.admitted')
    return typeof d.personId === 'string' ? `p:${d.personId}` : undefined;
  if (e.type.startsWith('speaking_request.'))
    return typeof d.speakingRequestId === 'string' ? `s:${d.speakingRequestId}` : undefined;
  return undefined;
}

/** The reports module's listener: every event that moves a figure refreshes its subject, in the event's transaction. */
export async function onReportsEvent(tx: DbOrTx, e: DomainEvent): Promise<void> {
  const subject = subjectOf(e);
  if (subject) await refreshSubject(tx, subject);
}

/** Recomputes every counter from the rows, in one transaction (the operator's `reports:rebuild`). */
export async function rebuildTallies(db: DbOrTx): Promise<{ subjects: number; counters: number }> {
  const all = () => sql`true`;
  await db.execute(sql`delete from report_tallies`);
  await db.execute(sql`delete from report_subjects`);
  await db.execute(sql`
    insert into report_subjects (subject, keys)
    select subject, jsonb_object_agg(k, n) from (
      select subject, k, count(*)::int as n from (${contributions(all, all)}) c group by subject, k) g
    group by subject`);
  await db.execute(sql`
    insert into report_tallies (scope, dim, key, n)
    select split_part(e.key, ${S}, 1), split_part(e.key, ${S}, 2), split_part(e.key, ${S}, 3), sum(e.value::int)
    from report_subjects s cross join lateral jsonb_each_text(s.keys) e group by e.key`);
  const [{ subjects, counters }] = rowsOf<{ subjects: number; counters: number }>(
    await db.execute(
      sql`select (select count(*) from report_subjects)::int as subjects, (select count(*) from report_tallies)::int as counters`,
    ),
  );
  return { subjects, counters };
}

export type TallyRow = { dim: string; key: string | null; n: number };

/** The counters of one scope (`all` or an event id), the empty ones left out. */
export async function readTallies(db: DbOrTx, scope: string): Promise<TallyRow[]> {
  const res = await db.execute(
    sql`select dim, key, n from report_tallies where scope = ${scope} and n <> 0 order by dim, key`,
  );
  return rowsOf<TallyRow>(res).map((t) => ({ ...t, key: t.key === '' ? null : t.key, n: Number(t.n) }));
}

/** Member-State delegations among the counted entities, and those with a participant at ministerial level. */
export async function memberStatesFromTallies(db: DbOrTx, scope: string) {
  const res = await db.execute(sql`
    select count(*) filter (where t.dim = 'entity')::int as states,
           count(*) filter (where t.dim = 'entity_ministerial')::int as ministerial
    from report_tallies t join entities e on e.id::text = t.key and e.kind = 'member_state'
    where t.scope = ${scope} and t.dim in ('entity', 'entity_ministerial') and t.n > 0`);
  return rowsOf<{ states: number; ministerial: number }>(res)[0];
}

export const groupsOf = (rows: TallyRow[], dim: string): Group[] =>
  rows.filter((r) => r.dim === dim).map((r) => ({ key: r.key, count: r.n }));

/**
 * At the worker's start: counters that are empty while rows exist (a database migrated from before the counters, or
 * restored without them) are made from the rows. Returns whether it rebuilt.
 */
export async function catchUpTallies(db: Db): Promise<boolean> {
  const [{ missing }] = rowsOf<{ missing: boolean }>(
    await db.execute(sql`
      select not exists (select 1 from report_subjects)
         and (exists (select 1 from registrations) or exists (select 1 from speaking_requests)) as missing`),
  );
  if (!missing) return false;
  await db.transaction((tx) => rebuildTallies(tx));
  return true;
}
