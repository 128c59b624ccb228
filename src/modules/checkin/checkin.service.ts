/**
 * Door scanning. Each scan carries the id the scanner gave it, so a retry or a re-sync is the same scan; a badge is
 * admitted once per checkpoint (partial unique index), later scans there answer `already_checked_in` with when and
 * where. Scanners that were offline send their queue later: the server decides each scan again and reports the ones
 * where another device had admitted the badge first (a conflict), without counting the arrival twice.
 */
import { publishEvent } from '../../platform/domain-events.js';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { prepared } from '../../db/prepared.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { authorize } from '../../platform/permissions.js';
import { signingKey, verifySigned } from '../../platform/signing.js';
import { people } from '../accounts/index.js';
import { BADGE_PREFIX, badgeForCode, issueMissingBadges } from '../badges/index.js';
import { badges, badgeTallies } from '../badges/index.js';
import { events } from '../events/index.js';
import { sessions } from '../programme/index.js';
import { registrationReference, registrations, registrationSettings } from '../registration/index.js';
import { decide, type EventNode, type OpeningHours, type Refusal } from './checkin.rules.js';
import { checkpointTallies, scans } from './checkin.schema.js';
import { hoursOf } from './checkin.hours.js';
import { latinIfDifferent, type PersonName, titledName } from '../../platform/i18n/names.js';

export type ScanInput = {
  scanId: string;
  code: string;
  checkpoint: string;
  deviceId: string;
  scannedAt?: string;
  offline?: boolean;
  offlineResult?: 'admitted' | 'refused';
};
export type ScanAnswer = {
  scanId: string;
  result: 'admitted' | 'refused';
  reason?: Refusal;
  badgeId?: number;
  person?: { id: string; name: string; nameLatin: string; category: string };
  previous?: { at: string; checkpoint: string; deviceId: string };
  conflict?: boolean;
};

/** Arrivals changed: the live page listens. */
export const arrivals = new EventEmitter();
arrivals.setMaxListeners(1000);

/** A registration reference as printed under a badge's QR. */
const REFERENCE = /^R-[0-9A-F]{8}$/i;

/** Short hash of a token: what the offline manifest holds instead of the token. */
export const tokenHash = (token: string) => createHash('sha256').update(token.trim()).digest('base64url').slice(0, 22);

async function loadEventNodes(db: DbOrTx): Promise<EventNode[]> {
  const rows = await db
    .select({
      id: events.id,
      slug: events.slug,
      parentId: events.parentId,
      kind: events.kind,
      startDate: events.startDate,
      endDate: events.endDate,
      eligible: registrationSettings.eligibleFunctions,
      invitation: registrationSettings.invitationOnly,
    })
    .from(events)
    .leftJoin(registrationSettings, eq(registrationSettings.eventId, events.id));
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    parentId: r.parentId,
    kind: r.kind,
    restricted: !!r.invitation || (r.eligible?.length ?? 0) > 0,
    days: { from: r.startDate, to: r.endDate },
  }));
}

/**
 * The events and their restrictions, read at most every 5 seconds per process: every scan needs them and they change
 * a few times a year (a restriction set on the settings page reaches the doors within 5 seconds).
 */
const NODES_MS = 5000;
const nodesMemo = new WeakMap<
  object,
  { at: number; nodes: Promise<EventNode[]>; sessions: Map<string, number | undefined> }
>();
function memoFor(db: DbOrTx) {
  let m = nodesMemo.get(db);
  if (!m || performance.now() - m.at > NODES_MS) {
    const nodes = loadEventNodes(db);
    m = { at: performance.now(), nodes, sessions: new Map() };
    nodes.catch(() => nodesMemo.delete(db));
    nodesMemo.set(db, m);
  }
  return m;
}

/** `event:<slug>` or `session:<code>` → the event whose rules apply. Throws `checkpoint_not_found`. */
export async function resolveCheckpoint(db: DbOrTx, checkpoint: string) {
  const m = memoFor(db);
  const nodes = await m.nodes;
  const [kind, key] = checkpoint.split(':', 2);
  let eventId: number | undefined;
  if (kind === 'event') eventId = nodes.find((e) => e.slug === key)?.id;
  if (kind === 'session' && key) {
    if (!m.sessions.has(key))
      m.sessions.set(
        key,
        (await db.select({ eventId: sessions.eventId }).from(sessions).where(eq(sessions.code, key)))[0]?.eventId,
      );
    eventId = m.sessions.get(key);
  }
  const target = nodes.find((e) => e.id === eventId);
  if (!target) throw new DomainError('checkpoint_not_found', 404, { checkpoint });
  return { target, all: nodes };
}

/** The scanner shows the name as the badge prints it: honorific, own script, Latin form beside when it differs. */
const displayName = (p: PersonName) => titledName(p, 'en');

type Previous = NonNullable<ScanAnswer['previous']>;
type Holder = {
  badgeId: number;
  revoked: boolean;
  category: string;
  person: ScanAnswer['person'] & object;
  registered: Set<number>;
  admittedHere?: Previous;
};

/**
 * The badge a token names, its holder, the events they are registered for in person and their admission at this
 * checkpoint if there was one: one prepared statement.
 */
async function holderOf(db: DbOrTx, token: string, checkpoint: string): Promise<Holder | undefined> {
  const statement = prepared(db, 'scan_holder', (d) =>
    d
      .select({
        id: badges.id,
        revokedAt: badges.revokedAt,
        category: badges.category,
        personId: people.id,
        honorific: people.honorific,
        givenName: people.givenName,
        familyName: people.familyName,
        givenNameLatin: people.givenNameLatin,
        familyNameLatin: people.familyNameLatin,
        nameOrder: people.nameOrder,
        nationality: people.nationality,
        events: sql<
          number[]
        >`array(select r.event_id from ${registrations} r where r.person_id = ${people.id} and r.state = 'approved' and r.mode = 'in_person')`,
        admittedHere: sql<{
          at: string;
          deviceId: string;
        } | null>`(select json_build_object('at', s.scanned_at, 'deviceId', s.device_id) from ${scans} s where s.badge_id = ${badges.id} and s.checkpoint = ${sql.placeholder('checkpoint')} and s.result = 'admitted')`,
      })
      .from(badges)
      .innerJoin(people, eq(badges.personId, people.id))
      .where(eq(badges.token, sql.placeholder('token')))
      .prepare('scan_holder'),
  );
  const rows = await statement.execute({ token, checkpoint });
  const r = rows[0];
  if (!r) return undefined;
  return {
    badgeId: r.id,
    revoked: !!r.revokedAt,
    category: r.category,
    registered: new Set((r.events ?? []).map(Number)),
    person: {
      id: r.personId,
      name: displayName(r),
      nameLatin: latinIfDifferent(r),
      category: r.category,
    },
    admittedHere: r.admittedHere
      ? { at: new Date(r.admittedHere.at).toISOString(), checkpoint, deviceId: r.admittedHere.deviceId }
      : undefined,
  };
}

/**
 * Records one scan and answers. Idempotent by `scanId`: the scan is decided and inserted; an insert that meets an
 * existing row with that id (a retry, a re-sync) returns what was stored the first time. A scan is two prepared
 * statements, whatever its answer: the badge with its holder and their admission here if any, and the insert. Two
 * devices admitting the same badge at once meet the partial unique index: the second insert is then refused.
 */
export async function scan(ctx: Ctx & { db: Db }, input: ScanInput): Promise<ScanAnswer> {
  authorize(ctx, 'checkin.scan');
  const { target, all } = await resolveCheckpoint(ctx.db, input.checkpoint);
  const hours = await hoursOf(ctx.db, input.checkpoint);
  let code = input.code.trim();
  // The reference printed under the QR (`R-95F941F7`), typed by hand, names the same badge as the QR.
  if (REFERENCE.test(code)) code = (await badgeForCode(ctx.db, code.toUpperCase()))?.token ?? code;
  const key = await signingKey(ctx.db);
  const holder =
    code.startsWith(`${BADGE_PREFIX}.`) && verifySigned(key, BADGE_PREFIX, code)
      ? await holderOf(ctx.db, code, input.checkpoint)
      : undefined;
  const scannedAt = input.scannedAt && !Number.isNaN(Date.parse(input.scannedAt)) ? new Date(input.scannedAt) : ctx.now;
  const d = decide({
    badge: holder && { revoked: holder.revoked },
    registered: holder?.registered ?? new Set(),
    all,
    target,
    // Online, the server's clock (the rehearsal clock too) decides; a scan made offline, when it was made.
    at: input.offline ? scannedAt : ctx.now,
    hours,
  });
  const row = {
    id: input.scanId,
    badgeId: holder?.badgeId ?? null,
    checkpoint: input.checkpoint,
    deviceId: input.deviceId,
    scannedAt,
    receivedAt: ctx.now,
    scannedBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system',
    offline: !!input.offline,
  };
  const conflict = !!input.offline && input.offlineResult === 'admitted';
  const insert = async (values: ScanRow) => (await insertScan(ctx.db).execute({ reason: null, ...values }))[0];
  const already = { ...row, result: 'refused', reason: 'already_checked_in', conflict } as const;
  let stored = await insert(
    d.result === 'refused'
      ? { ...row, result: 'refused', reason: d.reason, conflict }
      : holder?.admittedHere
        ? already
        : { ...row, result: 'admitted', conflict: false },
  );
  if (!stored) {
    // Either this scan was stored before (a retry: answer as then), or another device has just admitted the badge
    // here (the partial unique index): this scan is refused, `already_checked_in`.
    const before = await byId(ctx.db, input.scanId);
    if (before) return answerFor(ctx.db, before, holder && before.badgeId === holder.badgeId ? holder : undefined);
    stored = (await insert(already)) ?? (await byId(ctx.db, input.scanId))!;
  }
  if ((stored.result === 'admitted' || stored.conflict) && stored.id === input.scanId) {
    // The counter follows its scan in the next statement (the doors' pace: no transaction around the two).
    await tallyScan(ctx.db).execute({
      checkpoint: stored.checkpoint,
      arrivals: stored.result === 'admitted' ? 1 : 0,
      conflicts: stored.conflict ? 1 : 0,
    });
  }
  if (stored.result === 'admitted' || stored.conflict) arrivals.emit('scan', stored.checkpoint);
  // Right after the scan's own insert (one statement, no transaction: the doors' pace), and only for an admission
  // stored now; with no subscriber to it, this costs no statement at all.
  if (stored.result === 'admitted' && stored.id === input.scanId)
    await publishEvent(ctx.db, ctx.now, 'checkin.admitted', {
      scanId: stored.id,
      badgeId: stored.badgeId,
      personId: holder?.person.id ?? null,
      checkpoint: stored.checkpoint,
      scannedAt: stored.scannedAt.toISOString(),
      offline: stored.offline,
    });
  return answerFor(ctx.db, stored, holder && stored.badgeId === holder.badgeId ? holder : undefined);
}

type ScanRow = Omit<typeof scans.$inferInsert, 'conflict' | 'offline' | 'reason'> & {
  conflict: boolean;
  offline: boolean;
  reason?: string | null;
};
const scanColumns = [
  'id',
  'badgeId',
  'checkpoint',
  'deviceId',
  'result',
  'reason',
  'conflict',
  'offline',
  'scannedAt',
  'receivedAt',
  'scannedBy',
] as const;

/** The insert every scan makes, prepared once: a scan whose id is stored already, or an admission the partial unique index refuses, inserts nothing. */
const insertScan = (db: DbOrTx) =>
  prepared(db, 'scan_insert', (d) =>
    d
      .insert(scans)
      .values(
        Object.fromEntries(scanColumns.map((c) => [c, sql.placeholder(c)])) as unknown as typeof scans.$inferInsert,
      )
      .onConflictDoNothing()
      .returning()
      .prepare('scan_insert'),
  );

/** A stored admission or conflict moves its checkpoint's counters (prepared once). */
const tallyScan = (db: DbOrTx) =>
  prepared(db, 'scan_tally', (d) =>
    d
      .insert(checkpointTallies)
      .values({
        checkpoint: sql.placeholder('checkpoint'),
        arrivals: sql.placeholder('arrivals'),
        conflicts: sql.placeholder('conflicts'),
      } as unknown as typeof checkpointTallies.$inferInsert)
      .onConflictDoUpdate({
        target: checkpointTallies.checkpoint,
        set: {
          arrivals: sql`${checkpointTallies.arrivals} + excluded.arrivals`,
          conflicts: sql`${checkpointTallies.conflicts} + excluded.conflicts`,
        },
      })
      .prepare('scan_tally'),
  );

/** Makes the checkpoint counters again from the scans (the operator's `reports:rebuild`). */
export async function rebuildCheckpointTallies(db: DbOrTx): Promise<number> {
  await db.delete(checkpointTallies);
  const res = await db.execute(sql`
    insert into checkpoint_tallies (checkpoint, arrivals, conflicts)
    select checkpoint, count(*) filter (where result = 'admitted')::int, count(*) filter (where conflict)::int
    from scans group by checkpoint`);
  return (res as { rowCount?: number; affectedRows?: number }).rowCount ?? 0;
}

/** At the worker's start: empty checkpoint counters beside stored scans (a database from before them) are made again. */
export async function catchUpCheckpointTallies(db: Db): Promise<boolean> {
  const [t] = await db.select({ c: checkpointTallies.checkpoint }).from(checkpointTallies).limit(1);
  const [s] = t ? [] : await db.select({ id: scans.id }).from(scans).limit(1);
  if (!s) return false;
  await db.transaction((tx) => rebuildCheckpointTallies(tx));
  return true;
}

const byId = async (db: DbOrTx, id: string) => (await db.select().from(scans).where(eq(scans.id, id)))[0];

async function answerFor(db: DbOrTx, s: typeof scans.$inferSelect, holder?: Holder): Promise<ScanAnswer> {
  const out: ScanAnswer = {
    scanId: s.id,
    result: s.result,
    reason: (s.reason ?? undefined) as Refusal | undefined,
    badgeId: s.badgeId ?? undefined,
    conflict: s.conflict || undefined,
  };
  if (s.badgeId != null) {
    if (holder) out.person = holder.person;
    else {
      const [b] = await db
        .select({ category: badges.category, p: people })
        .from(badges)
        .innerJoin(people, eq(badges.personId, people.id))
        .where(eq(badges.id, s.badgeId));
      if (b)
        out.person = {
          id: b.p.id,
          name: displayName(b.p),
          nameLatin: latinIfDifferent(b.p),
          category: b.category,
        };
    }
    if (s.reason === 'already_checked_in' && holder?.admittedHere) out.previous = holder.admittedHere;
    else if (s.reason === 'already_checked_in') {
      const [first] = await db
        .select()
        .from(scans)
        .where(and(eq(scans.badgeId, s.badgeId), eq(scans.checkpoint, s.checkpoint), eq(scans.result, 'admitted')));
      if (first)
        out.previous = { at: first.scannedAt.toISOString(), checkpoint: first.checkpoint, deviceId: first.deviceId };
    }
  }
  return out;
}

/** A scanner's offline queue, in the order scanned. Each is decided again; conflicts are reported. */
export async function syncScans(ctx: Ctx & { db: Db }, list: ScanInput[]): Promise<ScanAnswer[]> {
  authorize(ctx, 'checkin.scan');
  const sorted = [...list].sort((a, b) => (a.scannedAt ?? '').localeCompare(b.scannedAt ?? ''));
  const out: ScanAnswer[] = [];
  for (const s of sorted) out.push(await scan(ctx, { ...s, offline: true }));
  return out;
}

/** h: hash of the token; r: hashes of the references printed on the badge (typed by hand); s: the answer. */
export type ManifestEntry = { h: string; r: string[]; n: string; l: string; c: string; s: 'ok' | Refusal };

/**
 * What a scanner needs to decide without the network at one checkpoint: for every badge, the hash of its token (never
 * the token), the names, the category and the answer it would get. Issues the badges not yet issued.
 */
export async function manifest(
  ctx: Ctx & { db: Db },
  checkpoint: string,
): Promise<{
  checkpoint: string;
  generatedAt: string;
  days?: EventNode['days'];
  hours: OpeningHours[];
  entries: ManifestEntry[];
}> {
  authorize(ctx, 'checkin.scan');
  await issueMissingBadges(ctx.db, ctx.now);
  const { target, all } = await resolveCheckpoint(ctx.db, checkpoint);
  const rows = await ctx.db
    .select({ b: badges, p: people })
    .from(badges)
    .innerJoin(people, eq(badges.personId, people.id));
  const regs = await ctx.db
    .select({ id: registrations.id, personId: registrations.personId, eventId: registrations.eventId })
    .from(registrations)
    .where(and(eq(registrations.state, 'approved'), eq(registrations.mode, 'in_person')));
  const byPerson = new Map<string, Set<number>>();
  const references = new Map<string, string[]>();
  for (const r of regs) {
    byPerson.set(r.personId, (byPerson.get(r.personId) ?? new Set()).add(r.eventId));
    references.set(r.personId, [...(references.get(r.personId) ?? []), tokenHash(registrationReference(r.id))]);
  }
  const admitted = new Set(
    (
      await ctx.db
        .select({ badgeId: scans.badgeId })
        .from(scans)
        .where(and(eq(scans.checkpoint, checkpoint), eq(scans.result, 'admitted')))
    ).map((s) => s.badgeId),
  );
  const entries = rows.map(({ b, p }) => {
    const d = decide({ badge: { revoked: !!b.revokedAt }, registered: byPerson.get(p.id) ?? new Set(), all, target });
    const s: ManifestEntry['s'] = d.result === 'refused' ? d.reason : admitted.has(b.id) ? 'already_checked_in' : 'ok';
    return {
      h: tokenHash(b.token),
      r: references.get(p.id) ?? [],
      n: displayName(p),
      l: latinIfDifferent(p),
      c: b.category,
      s,
    };
  });
  // The days and hours the doors open (Geneva time): the scanner refuses outside them offline too.
  const hours = await hoursOf(ctx.db, checkpoint);
  return { checkpoint, generatedAt: ctx.now.toISOString(), days: target.days, hours, entries };
}

/** Arrivals per checkpoint (each badge once) and the conflicts reported by scanners that were offline. */
export async function arrivalCounts(ctx: Ctx) {
  authorize(ctx, 'reports.view');
  return countArrivals(ctx.db);
}

/**
 * The counts themselves, for callers that checked the reader. A badge is admitted at most once per checkpoint (the
 * partial unique index), so arrivals are a plain count of admissions.
 */
export async function countArrivals(db: DbOrTx) {
  // From the counters: one row per checkpoint, whatever the number of scans.
  const perCheckpoint = await db
    .select({
      checkpoint: checkpointTallies.checkpoint,
      arrivals: checkpointTallies.arrivals,
      conflicts: checkpointTallies.conflicts,
    })
    .from(checkpointTallies)
    .where(sql`${checkpointTallies.arrivals} > 0 or ${checkpointTallies.conflicts} > 0`)
    .orderBy(checkpointTallies.checkpoint);
  // Live badges from their per-category counters (moved by triggers on every badge write), not a count of badges.
  const [{ n: badgesIssued }] = await db
    .select({ n: sql<number>`coalesce(sum(${badgeTallies.live}), 0)::int`.mapWith(Number) })
    .from(badgeTallies);
  return { badgesIssued, checkpoints: perCheckpoint };
}
