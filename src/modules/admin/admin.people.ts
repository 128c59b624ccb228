/**
 * The secretariat's people desk: the list of people with filters and keyset pages (and its export), today's figures
 * gathered from the modules' `adminFigures` contributions, and the audit trail about one person. Reads the people,
 * entities and registrations tables (the one data model); the rules stay in the accounts and registration services.
 */
import { and, desc, eq, exists, ilike, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { authorize, can } from '../../platform/permissions.js';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { people, personSearchText, personSortFamily, personSortGiven } from '../accounts/accounts.schema.js';
import { entities } from '../entities/entities.schema.js';
import { registrations } from '../registration/registration.schema.js';
import type { AdminFigure, AdminFigureGroup, AdminFigures } from './admin.slots.js';

export const PEOPLE_PAGE = 50;
const LIVE = ['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'] as const;

export type PeopleFilter = {
  q?: string;
  role?: 'admin' | 'staff' | 'participant';
  entity?: number;
  nationality?: string;
  /** Whether the person's organisation is verified. */
  verified?: 'yes' | 'no';
  /** Whether the person has a live registration. */
  registered?: 'yes' | 'no';
};
type Cursor = { f: string; g: string; id: string };

export const peopleCursor = (r: Cursor) => Buffer.from(JSON.stringify([r.f, r.g, r.id])).toString('base64url');
export function parsePeopleCursor(s: string): Cursor | undefined {
  try {
    const [f, g, id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown[];
    return typeof f === 'string' && typeof g === 'string' && typeof id === 'string' && id.length <= 40
      ? { f, g, id }
      : undefined;
  } catch {
    return undefined;
  }
}

const liveRegistration = (db: DbOrTx) =>
  db
    .select({ one: sql`1` })
    .from(registrations)
    .where(and(eq(registrations.personId, people.id), inArray(registrations.state, [...LIVE])));

function whereOf(db: DbOrTx, f: PeopleFilter): SQL[] {
  const where: SQL[] = [isNull(people.erasedAt), isNull(people.mergedInto)];
  // Every word typed, in either script, in the e-mail or the names (the trigram index).
  for (const word of (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 5))
    where.push(ilike(personSearchText(people), `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (f.role) where.push(eq(people.role, f.role));
  if (f.entity) where.push(eq(people.entityId, f.entity));
  if (f.nationality) where.push(eq(people.nationality, f.nationality));
  if (f.verified === 'yes') where.push(isNotNull(people.entityVerifiedAt));
  if (f.verified === 'no') where.push(isNull(people.entityVerifiedAt));
  if (f.registered === 'yes') where.push(exists(liveRegistration(db)));
  if (f.registered === 'no') where.push(sql`not ${exists(liveRegistration(db))}`);
  return where;
}

/** One page of people in list order (family name, given name, id; ICU root collation), and the cursor of the next. */
export async function listPeoplePage(ctx: Ctx, f: PeopleFilter & { after?: Cursor; limit?: number }) {
  authorize(ctx, 'accounts.manage');
  return peoplePage(ctx.db, f);
}

async function peoplePage(db: DbOrTx, f: PeopleFilter & { after?: Cursor; limit?: number }) {
  const limit = f.limit ?? PEOPLE_PAGE;
  const where = whereOf(db, f);
  const sortF = personSortFamily(people);
  const sortG = personSortGiven(people);
  if (f.after)
    where.push(
      sql`(${sortF}, ${sortG}, ${people.id}) > (${f.after.f}::text collate "und-x-icu", ${f.after.g}::text collate "und-x-icu", ${f.after.id}::text)`,
    );
  const rows = await db
    .select({
      person: people,
      entityName: entities.name,
      f: sql<string>`${sortF}`,
      g: sql<string>`${sortG}`,
      registrations: sql<number>`(select count(*)::int from ${registrations} where ${registrations.personId} = ${people.id} and ${inArray(registrations.state, [...LIVE])})`,
    })
    .from(people)
    .leftJoin(entities, eq(people.entityId, entities.id))
    .where(and(...where))
    .orderBy(sortF, sortG, people.id)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    next: rows.length > limit && last ? peopleCursor({ f: last.f, g: last.g, id: last.person.id }) : null,
  };
}

export type PeopleRow = Awaited<ReturnType<typeof peoplePage>>['rows'][number];

/** Every person the filters select, page by page (for the export: never all in memory). */
export async function* allPeople(ctx: Ctx, f: PeopleFilter): AsyncGenerator<PeopleRow> {
  authorize(ctx, 'accounts.manage');
  let after: Cursor | undefined;
  for (;;) {
    const page = await peoplePage(ctx.db, { ...f, after, limit: 500 });
    yield* page.rows;
    if (!page.next) return;
    const last = page.rows[page.rows.length - 1];
    after = { f: last.f, g: last.g, id: last.person.id };
  }
}

/** The admin module's own figures: messages that could not be sent. */
async function ownFigures(ctx: Ctx): Promise<AdminFigureGroup[]> {
  const [failed] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(and(eq(jobs.kind, 'mail.send'), eq(jobs.state, 'failed')));
  return [
    {
      group: 'mail',
      figures: [{ key: 'mail_failing', count: failed.n, href: '/admin/outbox', permission: 'outbox.view' }],
    },
  ];
}

/**
 * Today's figures from every module that contributes some, grouped, each shown only to those who may open its
 * worklist. Groups of the same name are merged, in the order of the module list.
 */
export async function homeFigures(ctx: Ctx, sources: AdminFigures[]): Promise<AdminFigureGroup[]> {
  authorize(ctx, 'entities.view');
  const groups = new Map<string, AdminFigure[]>();
  for (const source of [...sources, ownFigures]) {
    for (const g of await source(ctx)) {
      const visible = g.figures.filter((x) => can(ctx.actor, x.permission));
      if (visible.length) groups.set(g.group, [...(groups.get(g.group) ?? []), ...visible]);
    }
  }
  return [...groups].map(([group, figures]) => ({ group, figures }));
}

/** What the audit trail holds about a person: about them, done by them, about their registrations (latest first). */
export async function personAuditTrail(ctx: Ctx, personId: string, limit = 50) {
  authorize(ctx, 'accounts.manage');
  const theirRegistrations = ctx.db
    .select({ id: registrations.id })
    .from(registrations)
    .where(eq(registrations.personId, personId));
  // Duplicates merged into the person were the same person: what the log says about them is about this one.
  const mergedIn = ctx.db.select({ id: people.id }).from(people).where(eq(people.mergedInto, personId));
  return ctx.db
    .select()
    .from(auditLog)
    .where(
      or(
        and(eq(auditLog.subjectType, 'person'), eq(auditLog.subjectId, personId)),
        and(eq(auditLog.subjectType, 'person'), inArray(auditLog.subjectId, mergedIn)),
        eq(auditLog.actor, personId),
        and(eq(auditLog.subjectType, 'registration'), inArray(auditLog.subjectId, theirRegistrations)),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}

/** The names of people who appear in an audit trail (as actors), by id. */
export async function actorNames(db: DbOrTx, ids: string[]) {
  const wanted = [...new Set(ids.filter((x) => /^[0-9a-f-]{36}$/.test(x)))];
  return wanted.length ? db.select().from(people).where(inArray(people.id, wanted)) : [];
}
