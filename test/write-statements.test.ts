/**
 * How many statements each hot write sends to the database (issue 20: count the round trips, then cut them). Counts,
 * never times: each request runs alone and every statement the process sends while it runs is counted (the
 * transaction's begin and commit apart; on PostgreSQL they add two round trips). Ceilings are the counts measured
 * after the work on issue 20; a change that adds statements to these paths must show up here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { countStatements } from '../src/db/statements.js';
import { people } from '../src/modules/accounts/index.js';
import { entities } from '../src/modules/entities/index.js';
import { registrations } from '../src/modules/registration/index.js';
import { jobs } from '../src/platform/platform.schema.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { client, createPerson, type Client } from './helpers/actors.js';

/**
 * Measured before issue 20 → after (PGlite and PostgreSQL alike): submit 11 → 9, one approval 13 → 10, a bulk
 * approval of 50 people 554 (50 transactions) → 11 (one), speaking request 6–7 (unchanged; the seventh is the
 * once-a-second refresh of the subscribed webhook types). Each includes the session lookup.
 * The report counters (issue 18) then added their work to the same transactions, one advisory lock and one upsert per
 * person or speaking request changed: submit 10, one approval 12, the bulk of 50 110–111, speaking 8–9. Tallying a
 * transaction's people in one statement would bring the bulk back near 13.
 * Then (issue 20 again): the counters' work appends to a table instead of updating shared rows, a bulk decision
 * refreshes its fifty people in two statements (111 → 12), and the speaking request reads its event, settings and
 * entity in one prepared statement before its transaction (7 → 6). The once-a-second refresh of the subscribed
 * webhook types is left out of every count.
 */
const CEILING = {
  submit: 10,
  approveOne: 12,
  approveFifty: 12,
  speaking: 6,
};

describe('statements per write', () => {
  let t: TestApp;
  let ghana: number;
  let dfp: Client;
  const counts: Record<string, number> = {};
  const post = (c: Client, url: string, payload: unknown) =>
    c.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { 'x-csrf-token': c.csrf } });
  const measure = async (what: keyof typeof CEILING, fn: () => Promise<{ statusCode: number; body: string }>) => {
    const { result, work: all, statements } = await countStatements(fn);
    assert.equal(result.statusCode, 200, result.body);
    // The once-a-second refresh of the subscribed webhook types belongs to the process, not to the request (on a
    // loaded machine a second may pass between the warm-up and the request measured).
    const work = all.filter((s) => !/from webhook_subscriptions where active$/.test(s.trim()));
    counts[what] = work.length;
    if (process.env.SHOW_STATEMENTS) console.log(what, statements);
    assert.ok(
      work.length <= CEILING[what],
      `${what}: ${work.length} statements > ${CEILING[what]}:\n${work.join('\n')}`,
    );
    return result;
  };

  before(async () => {
    t = await buildTestApp();
    [{ id: ghana }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    dfp = await client(t, await createPerson(t, { entityId: ghana, focalPointOf: [ghana] }));
    // Warm the per-process caches (event list, signing key, subscribed webhook types) as a running server has them.
    const warm = await client(t, await createPerson(t, { entityId: ghana }));
    await post(warm, '/api/v1/registrations', { events: ['wsis-forum-2026'], mode: 'in_person', function: 'other' });
  });
  after(async () => {
    console.log('statements per request (begin/commit apart):', counts);
    await t.close();
  });

  it('a registration submit, one approval and a bulk approval of 50 stay within their statement counts, with their e-mails and audit rows', async () => {
    const applicant = await client(t, await createPerson(t, { entityId: ghana }));
    const sub = await measure('submit', () =>
      post(applicant, '/api/v1/registrations', { events: ['wsis-forum-2026'], mode: 'in_person', function: 'other' }),
    );
    const [reg] = JSON.parse(sub.body).registrations;
    assert.equal(reg.state, 'pending_dfp');
    await measure('approveOne', () => post(dfp, `/api/v1/registrations/${reg.id}/decision`, { decision: 'approve' }));
    // 50 people of Ghana, each with a request awaiting the focal point.
    const now = t.clock.now();
    const many = await t.database.db
      .insert(people)
      .values(
        Array.from({ length: 50 }, (_, i) => ({
          email: `bulk${i}@moc.gov.gh`,
          givenName: `Ama${i}`,
          familyName: `Owusu${i}`,
          entityId: ghana,
          entityVerifiedAt: now,
          entityVerifiedBy: 'test',
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning();
    const forum =
      reg.eventId ?? (await t.database.db.select().from(registrations).where(eq(registrations.id, reg.id)))[0].eventId;
    const regs = await t.database.db
      .insert(registrations)
      .values(
        many.map((p) => ({
          personId: p.id,
          eventId: forum,
          entityId: ghana,
          mode: 'in_person' as const,
          state: 'pending_dfp' as const,
          stakeholderType: 'government',
          function: 'other',
          registeredBy: p.id,
          submittedAt: now,
          updatedAt: now,
        })),
      )
      .returning();
    const mailsBefore = (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send'))).length;
    const bulk = await measure('approveFifty', () =>
      post(dfp, '/api/v1/registrations/decisions', { ids: regs.map((r) => r.id), decision: 'approve' }),
    );
    assert.ok(JSON.parse(bulk.body).results.every((r: { ok: boolean }) => r.ok));
    const mails = (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send'))).slice(mailsBefore);
    assert.deepEqual(
      mails.map((m) => (m.payload as { to: string }).to).sort(),
      many.map((p) => p.email).sort(),
      'one e-mail to each person approved',
    );
  });

  it('a speaking request submit stays within its statement count', async () => {
    const [{ id: senegal }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'SN'));
    const sn = await client(t, await createPerson(t, { entityId: senegal, focalPointOf: [senegal] }));
    await measure('speaking', () =>
      post(sn, '/api/v1/events/wsis-high-level-track-2026/speaking-requests', {
        entityId: senegal,
        kind: 'policy_statement',
        rank: 'minister',
        givenName: 'Amina',
        familyName: 'Diallo',
        givenNameLatin: 'Amina',
        familyNameLatin: 'DIALLO',
        title: 'Minister of Communication',
        language: 'fr',
        abstract: 'Connectivity for all.',
      }),
    );
  });
});
