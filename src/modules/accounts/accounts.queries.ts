import { and, asc, desc, eq, gt, ilike, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { prepared } from '../../db/prepared.js';
import { focalPoints } from '../entities/index.js';
import {
  apiTokens,
  authSessions,
  oneTimeTokens,
  people,
  personAtEmail,
  personSearchText,
  personSortFamily,
  personSortGiven,
} from './accounts.schema.js';

export type Person = typeof people.$inferSelect;

/**
 * The live person with this address. A duplicate merged into another person keeps its address, which leads to the
 * person it was merged into (signing in, links, sign-up with a taken address all reach them).
 */
export async function getPersonByEmail(db: DbOrTx, email: string): Promise<Person | undefined> {
  const [row] = await db.select().from(people).where(personAtEmail(email));
  return row;
}

export async function getPerson(db: DbOrTx, id: string): Promise<Person | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id));
  return row;
}

export async function getPersonForUpdate(db: DbOrTx, id: string): Promise<Person | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id)).for('update');
  return row;
}

export async function listFocalEntities(db: DbOrTx, personId: string): Promise<number[]> {
  const rows = await db
    .select({ id: focalPoints.entityId })
    .from(focalPoints)
    .where(eq(focalPoints.personId, personId));
  return rows.map((r) => r.id);
}

/** The entities a person is a focal point of, read with the person (every request resolves its actor: one query). */
const focalOf = sql<
  number[]
>`array(select ${focalPoints.entityId} from ${focalPoints} where ${focalPoints.personId} = ${people.id})`.mapWith(
  (v: unknown) =>
    (Array.isArray(v)
      ? v
      : String(v ?? '')
          .replace(/[{}]/g, '')
          .split(',')
          .filter(Boolean)
    ).map(Number),
);

/** The live session with this token hash, and its person (every request with a cookie: a prepared statement). */
export async function getLiveSession(db: DbOrTx, id: string, now: Date) {
  const statement = prepared(db, 'live_session', (d) =>
    d
      .select({ session: authSessions, person: people, focalPointOf: focalOf })
      .from(authSessions)
      .innerJoin(people, eq(authSessions.personId, people.id))
      .where(
        and(
          eq(authSessions.id, sql.placeholder('id')),
          isNull(authSessions.revokedAt),
          gt(authSessions.expiresAt, sql.placeholder('now')),
          isNull(people.erasedAt),
          isNull(people.mergedInto),
        ),
      )
      .prepare('live_session'),
  );
  const [row] = await statement.execute({ id, now });
  return row;
}

/** The live API token with this hash, and its person (every request with a Bearer token: a prepared statement). */
export async function getLiveApiToken(db: DbOrTx, hash: string, now: Date) {
  const statement = prepared(db, 'live_api_token', (d) =>
    d
      .select({ token: apiTokens, person: people, focalPointOf: focalOf })
      .from(apiTokens)
      .innerJoin(people, eq(apiTokens.personId, people.id))
      .where(
        and(
          eq(apiTokens.tokenHash, sql.placeholder('hash')),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, sql.placeholder('now')),
          isNull(people.erasedAt),
          isNull(people.mergedInto),
        ),
      )
      .prepare('live_api_token'),
  );
  const [row] = await statement.execute({ hash, now });
  return row;
}

export async function getOneTimeTokenForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(oneTimeTokens).where(eq(oneTimeTokens.id, id)).for('update');
  return row;
}

export async function listSessions(db: DbOrTx, personId: string) {
  return db
    .select()
    .from(authSessions)
    .where(eq(authSessions.personId, personId))
    .orderBy(desc(authSessions.lastSeenAt));
}

export async function listApiTokens(db: DbOrTx, personId: string) {
  return db.select().from(apiTokens).where(eq(apiTokens.personId, personId)).orderBy(desc(apiTokens.createdAt));
}

export async function listPeople(db: DbOrTx, q: string | undefined, limit: number) {
  const where = [isNull(people.erasedAt), isNull(people.mergedInto)];
  const words = (q ?? '').split(/\s+/).filter(Boolean).slice(0, 5);
  // Every word typed must appear in the e-mail or the names (either script), in any case.
  for (const word of words) {
    where.push(ilike(personSearchText(people), `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  }
  const order = [personSortFamily(people), personSortGiven(people), asc(people.id)];
  // A word of three letters or more has trigrams: the matches come from the trigram index first, then only they are
  // sorted. Left to itself the planner walks the whole name index in order and filters (2.4 s for "Smith" among
  // 200,000 people: it sorts late). Shorter words have no trigram: walking in name order until the page is full is
  // then the better plan (such a word is in many names).
  if (words.some((w) => [...w].length >= 3)) {
    // `offset 0` keeps the matches a subquery of their own (PostgreSQL does not fold it into the sorted walk).
    const m = db
      .select()
      .from(people)
      .where(and(...where))
      .offset(sql`0` as unknown as number)
      .as('matches');
    return db.select().from(m).orderBy(personSortFamily(m), personSortGiven(m), asc(m.id)).limit(limit);
  }
  return db
    .select()
    .from(people)
    .where(and(...where))
    .orderBy(...order)
    .limit(limit);
}

export async function countAdmins(db: DbOrTx): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(people)
    .where(and(eq(people.role, 'admin'), isNull(people.erasedAt)));
  return r.n;
}
