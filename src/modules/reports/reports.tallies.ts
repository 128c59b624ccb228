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
import { PgTransaction } from 'drizzle-orm/pg-core';
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

/** Several subjects as one SQL value: a set of texts. */
const textSet = (xs: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(xs)}::jsonb))`;

/**
 * Recomputes one subject's contribution and appends the difference to the counters' pending changes (after a lock on
 * the subject, so two transactions changing the same person cannot both apply the same difference).
 */
export async function refreshSubject(tx: DbOrTx, subject: string): Promise<void> {
  await refreshSubjects(tx, [subject]);
}

/**
 * The same for several subjects at once (a bulk decision's people): two statements whatever their number — the
 * subjects' locks, taken in one order, then one set-based statement that recomputes each subject's contribution,
 * saves it (`report_subjects`, one row per subject) and appends the differences, summed by counter, to
 * `report_tally_deltas`. No counter row is touched here: concurrent writes never queue behind one another's counters
 * (a shared counter row updated by every write would be held until each write commits). Called outside a
 * transaction (a door scan), it opens its own, or the lock would not outlast its statement.
 */
export async function refreshSubjects(tx: DbOrTx, subjects: string[]): Promise<void> {
  const list = [...new Set(subjects)].sort();
  if (!list.length) return;
  if (!(tx instanceof PgTransaction)) return tx.transaction((t) => refreshSubjects(t, list));
  const people = list.filter((x) => x.startsWith('p:')).map((x) => x.slice(2));
  const requests = list.filter((x) => x.startsWith('s:')).map((x) => x.slice(2));
  const filter = (ids: string[]) =>
    !ids.length
      ? never
      : ids.length === 1
        ? (col: SQL) => sql`${col} = ${ids[0]}`
        : (col: SQL) => sql`${col} in ${textSet(ids)}`;
  const c = contributions(filter(people), filter(requests));
  const one = list.length === 1;
  if (one) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${list[0]}))`);
  else
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(s)) from (select s from ${textSet(list)} x(s) order by s) o`,
    );
  const mine = one ? sql`= ${list[0]}` : sql`in ${textSet(list)}`;
  await tx.execute(sql`
    with contribution as (${c}),
    fresh as (select subject, k, count(*)::int as n from contribution group by subject, k),
    old as (
      select s.subject, e.key as k, e.value::int as n
      from report_subjects s cross join lateral jsonb_each_text(s.keys) e where s.subject ${mine}),
    delta as (
      select coalesce(fresh.k, old.k) as k, sum(coalesce(fresh.n, 0) - coalesce(old.n, 0))::int as d
      from fresh full join old on old.subject = fresh.subject and old.k = fresh.k group by 1),
    saved as (
      insert into report_subjects (subject, keys)
      select x.s, coalesce((select jsonb_object_agg(k, n) from fresh where fresh.subject = x.s), '{}'::jsonb)
      from ${one ? sql`(select ${list[0]}::text)` : textSet(list)} x(s)
      on conflict (subject) do update set keys = excluded.keys)
    insert into report_tally_deltas (scope, dim, key, n)
    select split_part(k, ${S}, 1), split_part(k, ${S}, 2), split_part(k, ${S}, 3), d from delta where d <> 0`);
}

/**
 * Folds the pending changes into the counters: ONE statement (the changes deleted and added to their counters
 * together, so a reader sees either the changes or the counters that hold them, never both or neither). The worker
 * runs it every second; a reader runs it when many changes are pending. Two folds at once are safe: the second waits
 * for the rows the first deletes, then finds them gone. Returns the changes folded.
 */
export async function foldTallies(db: DbOrTx): Promise<number> {
  const res = await db.execute(sql`
    with moved as (delete from report_tally_deltas returning scope, dim, key, n),
    folded as (
      insert into report_tallies (scope, dim, key, n)
      select scope, dim, key, sum(n)::int from moved group by scope, dim, key order by scope, dim, key
      on conflict (scope, dim, key) do update set n = report_tallies.n + excluded.n)
    select count(*)::int as moved from moved`);
  return rowsOf<{ moved: number }>(res)[0]?.moved ?? 0;
}

/** Pending changes beyond which a reader folds them itself (no worker running, or one behind). */
const FOLD_ON_READ = 2000;

/** One scope's counters as they stand at this statement: the folded ones plus the changes pending. */
const current = (scope: string) => sql`
  select dim, key, sum(n)::int as n from (
    select dim, key, n from report_tallies where scope = ${scope}
    union all
    select dim, key, n from report_tally_deltas where scope = ${scope}) t
  group by dim, key`;

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
export const onReportsEvent = Object.assign(
  async (tx: DbOrTx, e: DomainEvent): Promise<void> => {
    const subject = subjectOf(e);
    if (subject) await refreshSubject(tx, subject);
  },
  {
    /** The events of one operation: their subjects refreshed together (two statements for a bulk decision). */
    many: async (tx: DbOrTx, es: DomainEvent[]): Promise<void> =>
      refreshSubjects(
        tx,
        es.map(subjectOf).filter((x): x is string => !!x),
      ),
  },
);

/** Recomputes every counter from the rows, in one transaction (the operator's `reports:rebuild`). */
export async function rebuildTallies(db: DbOrTx): Promise<{ subjects: number; counters: number }> {
  const all = () => sql`true`;
  await db.execute(sql`delete from report_tally_deltas`);
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

/**
 * The counters of one scope (`all` or an event id), the empty ones left out: the folded counters plus the pending
 * changes, in one statement (one snapshot). When many changes are pending, the reader folds them afterwards.
 */
export async function readTallies(db: DbOrTx, scope: string): Promise<TallyRow[]> {
  const res = await db.execute(sql`
    select dim, key, n, (select count(*) from report_tally_deltas)::int as pending
    from (${current(scope)}) c where n <> 0 order by dim, key`);
  const rows = rowsOf<TallyRow & { pending: number }>(res);
  if ((rows[0]?.pending ?? 0) > FOLD_ON_READ) await foldTallies(db);
  return rows.map((t) => ({ dim: t.dim, key: t.key === '' ? null : t.key, n: Number(t.n) }));
}

/** Member-State delegations among the counted entities, and those with a participant at ministerial level. */
export async function memberStatesFromTallies(db: DbOrTx, scope: string) {
  const res = await db.execute(sql`
    select count(*) filter (where t.dim = 'entity')::int as states,
           count(*) filter (where t.dim = 'entity_ministerial')::int as ministerial
    from (${current(scope)}) t join entities e on e.id::text = t.key and e.kind = 'member_state'
    where t.dim in ('entity', 'entity_ministerial') and t.n > 0`);
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
