/**
 * Merging duplicate people (issue 15 §5: "merging duplicate people keeps every record"): every foreign key to people in
 * the database's catalogue is moved by some module's `personMerge`; a merge with rows in every module keeps every
 * record (counts before = after, none left on the duplicate), decides the clashes as the preview said, leaves a
 * tombstone that cannot sign in (its address leads to the person kept), is audited and worded; only administrators
 * may; and the person's page lists the e-mails sent to them (and to the duplicate) from the outbox's recipient index.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import { client, createPerson, type TestPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { collectContributions } from '../../platform/module.js';
import { auditLog } from '../../platform/platform.schema.js';
import { modules } from '../index.js';
import { hashPassword, randomToken, sha256 } from '../accounts/accounts.crypto.js';
import { apiTokens, oneTimeTokens, people, personIdentities } from '../accounts/accounts.schema.js';
import { accounts } from '../accounts/index.js';
import { badges } from '../badges/badges.schema.js';
import { scans } from '../checkin/checkin.schema.js';
import { entities } from '../entities/entities.schema.js';
import { events } from '../events/events.schema.js';
import {
  agendaFeeds,
  agendaItems,
  sessionReminders,
  sessions,
  sessionSpeakers,
} from '../programme/programme.schema.js';
import { personPhotos, registrations, visaRequests } from '../registration/registration.schema.js';
import { speakingReminders, speakingRequests } from '../speaking/speaking.schema.js';

const merges = collectContributions(modules, 'personMerge');

/** Node-postgres answers `{ rows }`, PGlite too. */
const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? (res as T[]) : ((res as { rows: T[] }).rows ?? []));

/** Every column with a foreign key to people, from the database's own catalogue. */
async function foreignKeysToPeople(t: TestApp): Promise<{ table: string; column: string }[]> {
  const res = await t.database.db.execute(sql`
    select kcu.table_name as "table", kcu.column_name as "column"
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.constraint_schema = tc.constraint_schema
    join information_schema.constraint_column_usage ccu
      on ccu.constraint_name = tc.constraint_name and ccu.constraint_schema = tc.constraint_schema
    where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'people' and ccu.column_name = 'id'
    order by 1, 2`);
  return rowsOf<{ table: string; column: string }>(res);
}

async function count(t: TestApp, table: string, where = sql`true`) {
  const res = await t.database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`);
  return rowsOf<{ n: number }>(res)[0].n;
}

describe('merging duplicate people', () => {
  let t: TestApp;
  let admin: TestPerson;
  let ghana: number;
  let egypt: number;
  let forum: number;
  let summit: number;
  let sessionIds: number[];
  const now = () => t.clock.now();

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    [{ id: ghana }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    [{ id: egypt }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'EG'));
    [{ id: forum }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
    [{ id: summit }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'ai-for-good-2026'));
    sessionIds = (await db.select({ id: sessions.id }).from(sessions).orderBy(sessions.id).limit(2)).map((s) => s.id);
    assert.equal(sessionIds.length, 2, 'the seed has programme sessions');
    admin = await createPerson(t, { role: 'admin' });
  });
  after(() => t.close());

  /** The administrator's context, as a request would resolve it. */
  async function adminCtx() {
    const actor = await accounts.resolveActor(t.database.db, now(), { session: admin.sessionToken });
    assert.ok(actor);
    return { ...t.ctx({ actor }), db: t.database.db };
  }
  /** What every module holds about a person. */
  async function holdings(personId: string) {
    const out: Record<string, number> = {};
    for (const m of merges)
      for (const [k, n] of Object.entries(await m.holdings(t.database.db, personId))) out[k] = (out[k] ?? 0) + n;
    return out;
  }

  it('every foreign key to people in the database is moved by some module’s personMerge', async () => {
    const claimed = new Set(merges.flatMap((m) => m.columns));
    const fks = await foreignKeysToPeople(t);
    assert.ok(fks.length >= 14, `found ${fks.length} foreign keys to people`);
    const missing = fks.map((f) => `${f.table}.${f.column}`).filter((c) => !claimed.has(c));
    assert.deepEqual(missing, [], 'a table that points at people has no merge contribution');
    const stale = [...claimed].filter((c) => !fks.some((f) => `${f.table}.${f.column}` === c));
    assert.deepEqual(stale, [], 'a contribution names a column that is no foreign key to people');
  });

  /** A and B, the same human, with rows in every module; the clashes: both registered for the Forum, both badged. */
  let worlds = 0;
  async function world() {
    worlds++;
    const db = t.database.db;
    const a = await createPerson(t, { entityId: ghana, focalPointOf: [egypt] });
    const b = await createPerson(t, { entityId: ghana, focalPointOf: [ghana, egypt] });
    await db
      .update(people)
      .set({ givenName: 'Kwame', familyName: 'Mensah', nationality: null, jobTitle: '' })
      .where(eq(people.id, a.id));
    await db
      .update(people)
      .set({
        givenName: 'كوامي',
        familyName: 'منساه',
        givenNameLatin: 'Kwame',
        familyNameLatin: 'Mensah',
        nationality: 'GH',
        jobTitle: 'Director',
      })
      .where(eq(people.id, b.id));
    // A signs in with another password than B's.
    await db
      .update(people)
      .set({ passwordHash: await hashPassword('a different long password') })
      .where(eq(people.id, a.id));
    const reg = async (personId: string, eventId: number, state: (typeof registrations.$inferInsert)['state']) =>
      (
        await db
          .insert(registrations)
          .values({
            personId,
            eventId,
            entityId: ghana,
            mode: 'in_person',
            state,
            registeredBy: personId,
            submittedAt: now(),
            updatedAt: now(),
          })
          .returning()
      )[0];
    const aForum = await reg(a.id, forum, 'pending_secretariat');
    const bForum = await reg(b.id, forum, 'approved');
    const bSummit = await reg(b.id, summit, 'approved');
    await db.insert(visaRequests).values({
      registrationId: bSummit.id,
      passportName: 'KWAME MENSAH',
      passportNumber: 'G1234567',
      nationality: 'GH',
      dateOfBirth: '1980-01-01',
      visaPlace: 'Accra',
      requestedAt: now(),
      updatedAt: now(),
    });
    await db.insert(personPhotos).values({
      personId: b.id,
      jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
      width: 1,
      height: 1,
      sha256: 'x',
      uploadedAt: now(),
    });
    const [aBadge] = await db
      .insert(badges)
      .values({ personId: a.id, token: `CVB1.${randomToken()}.m`, category: 'D', issuedAt: now() })
      .returning();
    const [bBadge] = await db
      .insert(badges)
      .values({ personId: b.id, token: `CVB1.${randomToken()}.m`, category: 'D', issuedAt: now(), collectedAt: now() })
      .returning();
    await db.insert(scans).values({
      id: randomToken(),
      badgeId: bBadge.id,
      checkpoint: 'event:wsis-forum-2026',
      deviceId: 'd',
      result: 'admitted',
      scannedAt: now(),
      receivedAt: now(),
      scannedBy: 'test',
    });
    const [speech] = await db
      .insert(speakingRequests)
      .values({
        eventId: forum,
        entityId: ghana,
        kind: 'policy_statement',
        // Declined: each world of this file adds one, and one live request per entity and kind is the rule.
        state: 'declined',
        speakerPersonId: b.id,
        givenName: 'Kwame',
        familyName: 'Mensah',
        rank: 'minister',
        language: 'en',
        submittedBy: b.id,
        submittedAt: now(),
        updatedAt: now(),
      })
      .returning();
    await db.insert(speakingReminders).values({ eventId: forum, days: 7, deadline: now(), personId: b.id, at: now() });
    await db
      .insert(sessionSpeakers)
      .values({ sessionId: sessionIds[0], position: 90 + worlds, name: 'Kwame Mensah', personId: b.id });
    await db.insert(agendaItems).values([
      { personId: a.id, sessionId: sessionIds[0], addedAt: now() },
      { personId: b.id, sessionId: sessionIds[0], addedAt: now() },
      { personId: b.id, sessionId: sessionIds[1], addedAt: now() },
    ]);
    await db.insert(agendaFeeds).values({ personId: b.id, token: randomToken(), createdAt: now() });
    await db.insert(sessionReminders).values({ personId: b.id, sessionId: sessionIds[1], sentAt: now() });
    await db.insert(personIdentities).values({
      issuer: 'https://id.example.org',
      subject: `sub-${b.id}`,
      personId: b.id,
      linkedAt: now(),
      lastUsedAt: now(),
    });
    const bearer = `cvn_${randomToken()}`;
    await db.insert(apiTokens).values({
      personId: b.id,
      name: 'script',
      tokenHash: sha256(bearer),
      prefix: bearer.slice(0, 8),
      createdAt: now(),
      expiresAt: new Date(now().getTime() + 86_400_000),
    });
    await db.insert(oneTimeTokens).values({
      id: sha256(randomToken()),
      kind: 'sign_in',
      personId: b.id,
      createdAt: now(),
      expiresAt: new Date(now().getTime() + 600_000),
    });
    return { a, b, aForum, bForum, bSummit, aBadge, bBadge, speech, bearer };
  }

  it('keeps every record: counts before = after, nothing left on the duplicate, clashes decided as previewed', async () => {
    const w = await world();
    const db = t.database.db;
    const fks = await foreignKeysToPeople(t);
    const tables = [...new Set(fks.map((f) => f.table))];
    const before = new Map<string, number>();
    for (const table of tables) before.set(table, await count(t, table));
    const pair = { from: w.b.id, into: w.a.id };

    const preview = await accounts.previewMerge(await adminCtx(), pair, merges);
    assert.deepEqual(preview.conflicts.map((c) => c.key).sort(), [
      'agenda_once',
      'badge_revoked',
      'registration_withdrawn',
    ]);
    assert.equal(preview.holdings.from.registrations, 2);
    assert.equal(preview.holdings.from.badges, 1);
    assert.equal(preview.holdings.from.scans, 1);
    assert.equal(preview.holdings.from.speaking_requests, 1);
    assert.deepEqual(preview.filled.sort(), ['familyNameLatin', 'givenNameLatin', 'jobTitle', 'nationality']);
    const sumBefore = (k: string) => (preview.holdings.from[k] ?? 0) + (preview.holdings.into[k] ?? 0);

    // Through the page: no reason, the form comes back; with one, merged.
    const c = await client(t, admin);
    const page = await c.inject({ url: `/en/admin/people/${w.a.id}/merge?from=${w.b.id}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /كوامي/);
    assert.match(page.body, new RegExp(w.b.email.replace(/\./g, '\\.')));
    for (const k of ['registration_withdrawn', 'badge_revoked', 'agenda_once', 'filled'])
      assert.match(page.body, new RegExp(`data-conflict="${k}"`), k);
    assert.match(page.body, /Both were registered for [^:]+: the duplicate’s registration \(Approved\) is kept/);
    const noReason = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${w.a.id}/merge`,
      form: { from: w.b.id, reason: '  ' },
    });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Please give a reason/);
    assert.equal((await db.select().from(people).where(eq(people.id, w.b.id)))[0].mergedInto, null, 'nothing moved');
    const res = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${w.a.id}/merge`,
      form: { from: w.b.id, reason: 'Registered twice, once in Arabic script' },
    });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, `/en/admin/people/${w.a.id}?done=merged`);

    // Every record kept: the same number of rows in every table that points at people (a session on both agendas
    // is one), and none left on the duplicate in any of them.
    for (const table of tables) {
      // A session on both agendas, and a focal-point seat both held, are one record each.
      const expected = (before.get(table) ?? 0) - (table === 'agenda_items' || table === 'focal_points' ? 1 : 0);
      assert.equal(await count(t, table), expected, table);
    }
    for (const f of fks)
      assert.equal(
        await count(t, f.table, sql`${sql.identifier(f.column)} = ${w.b.id}`),
        0,
        `${f.table}.${f.column} still points at the duplicate`,
      );
    const afterHoldings = await holdings(w.a.id);
    for (const k of [
      'registrations',
      'badges',
      'scans',
      'speaking_requests',
      'visa_requests',
      'photo',
      'speaker_places',
      'sessions',
      'api_tokens',
      'sso_identities',
    ])
      assert.equal(afterHoldings[k], sumBefore(k), k);
    assert.equal(afterHoldings.agenda_items, sumBefore('agenda_items') - 1);
    assert.equal(afterHoldings.focal_point_seats, 2, 'Egypt held by both is one seat; Ghana moved');
    assert.deepEqual(
      Object.values(await holdings(w.b.id)).filter((n) => n > 0),
      [],
      'the duplicate holds nothing',
    );

    // The clashes, as previewed: B's approved Forum registration kept, A's pending one withdrawn with the note;
    // B's collected badge kept, A's revoked.
    const [aForum] = await db.select().from(registrations).where(eq(registrations.id, w.aForum.id));
    const [bForum] = await db.select().from(registrations).where(eq(registrations.id, w.bForum.id));
    assert.equal(aForum.state, 'withdrawn');
    assert.match(aForum.reason ?? '', /Merged duplicate: Registered twice/);
    assert.equal(bForum.state, 'approved');
    assert.equal(bForum.personId, w.a.id);
    assert.equal(bForum.registeredBy, w.a.id);
    const [aBadge] = await db.select().from(badges).where(eq(badges.id, w.aBadge.id));
    const [bBadge] = await db.select().from(badges).where(eq(badges.id, w.bBadge.id));
    assert.ok(aBadge.revokedAt);
    assert.equal(bBadge.revokedAt, null);
    assert.equal(bBadge.personId, w.a.id);
    assert.match(bBadge.searchKey, /mensah/, 'the badge desk finds the kept person');

    // A's empty fields filled from B; B a tombstone.
    const [a] = await db.select().from(people).where(eq(people.id, w.a.id));
    const [b] = await db.select().from(people).where(eq(people.id, w.b.id));
    assert.equal(a.nationality, 'GH');
    assert.equal(a.jobTitle, 'Director');
    assert.equal(a.givenName, 'Kwame', 'A’s own names stay');
    assert.equal(b.mergedInto, w.a.id);
    assert.equal(b.passwordHash, null);
    assert.equal(b.email, w.b.email, 'the address stays on the tombstone, reserved');

    // Audited, and worded in the log; the person's trail shows it.
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'accounts.people_merged'), eq(auditLog.subjectId, w.a.id)));
    assert.equal(entry.actor, admin.id);
    assert.equal(entry.data.from, w.b.id);
    assert.equal(entry.data.reason, 'Registered twice, once in Arabic script');
    assert.deepEqual(entry.changes.nationality, [null, 'GH']);
    const log = await c.inject({ url: '/en/admin/audit?action=accounts.people_merged' });
    assert.match(log.body, /merged a duplicate record into/);
    const personPage = await c.inject({ url: `/en/admin/people/${w.a.id}?done=merged` });
    assert.match(personPage.body, /The duplicate is merged/);
    const tombPage = await c.inject({ url: `/ar/admin/people/${w.b.id}` });
    assert.equal(tombPage.statusCode, 303);
    assert.equal(tombPage.headers.location, `/ar/admin/people/${w.a.id}`);
  });

  it('the duplicate cannot sign in; its address leads to the person kept; its credentials are revoked', async () => {
    const w = await world();
    const bClient = await client(t, w.b);
    await accounts.mergePeople(await adminCtx(), { from: w.b.id, into: w.a.id, reason: 'duplicate' }, merges);
    const wctx = { ...t.ctx({ actor: { kind: 'anonymous' } }), db: t.database.db };
    await assert.rejects(accounts.signInWithPassword(wctx, { email: w.b.email, password: w.b.password }), {
      code: 'invalid_credentials',
    });
    const session = await accounts.signInWithPassword(wctx, {
      email: w.b.email,
      password: 'a different long password',
    });
    assert.equal(session.personId, w.a.id, 'the duplicate’s address signs the kept person in');
    // The duplicate's old session and API token no longer work.
    const account = await bClient.inject({ url: '/en/account' });
    assert.notEqual(account.statusCode, 200);
    const api = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${w.bearer}` } });
    assert.equal(api.statusCode, 401);
    // The organisation's single sign-on for the duplicate's identity now signs the kept person in.
    const [identity] = await t.database.db
      .select()
      .from(personIdentities)
      .where(eq(personIdentities.subject, `sub-${w.b.id}`));
    assert.equal(identity.personId, w.a.id);
  });

  it('refuses: a participant, a focal point and staff get 403; merging into oneself; merging a staff account', async () => {
    const x = await createPerson(t, { entityId: ghana });
    const y = await createPerson(t, { entityId: ghana });
    const dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const staff = await createPerson(t, { role: 'staff', capabilities: ['registration.review', 'badges.print'] });
    for (const who of [x, dfp, staff]) {
      const c = await client(t, who);
      assert.equal((await c.inject({ url: `/en/admin/people/${x.id}/merge` })).statusCode, 403);
      assert.equal((await c.inject({ url: `/en/admin/people/${x.id}/merge?from=${y.id}` })).statusCode, 403);
      const post = await c.inject({
        method: 'POST',
        url: `/en/admin/people/${x.id}/merge`,
        form: { from: y.id, reason: 'r' },
      });
      assert.equal(post.statusCode, 403);
    }
    assert.equal((await t.database.db.select().from(people).where(eq(people.id, y.id)))[0].mergedInto, null);
    const c = await client(t, admin);
    const self = await c.inject({ url: `/fr/admin/people/${x.id}/merge?from=${x.id}` });
    assert.equal(self.statusCode, 400);
    assert.match(self.body, /ne peut pas être fusionnée avec elle-même/);
    const staffMerge = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${x.id}/merge`,
      form: { from: staff.id, reason: 'duplicate' },
    });
    assert.equal(staffMerge.statusCode, 409);
    assert.match(staffMerge.body, /make it a participant first/);
  });

  it('finds the duplicate by a name in either script, on the person’s page', async () => {
    const w = await world();
    const c = await client(t, admin);
    const page = await c.inject({ url: `/ar/admin/people/${w.a.id}/merge?q=${encodeURIComponent('منساه')}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`merge\\?from=${w.b.id}`));
    assert.doesNotMatch(page.body, new RegExp(`merge\\?from=${w.a.id}`), 'not the person themselves');
    const person = await c.inject({ url: `/en/admin/people/${w.a.id}` });
    assert.match(person.body, new RegExp(`/en/admin/people/${w.a.id}/merge`));
  });

  it('the person’s page lists the e-mails sent to them (and to a duplicate merged into them), by the recipient index', async () => {
    const w = await world();
    const db = t.database.db;
    const toA = await enqueueMail(db, now(), {
      to: w.a.email.toUpperCase(),
      locale: 'en',
      template: 'account_erased',
      params: { greeting: 'Dear Mr Mensah,' },
    });
    const toB = await enqueueMail(db, now(), {
      to: w.b.email,
      locale: 'fr',
      template: 'account_erased',
      params: { greeting: 'Monsieur,' },
    });
    const toOther = await enqueueMail(db, now(), {
      to: admin.email,
      locale: 'en',
      template: 'account_erased',
      params: { greeting: 'Hello,' },
    });
    const c = await client(t, admin);
    let page = await c.inject({ url: `/en/admin/people/${w.a.id}` });
    assert.match(page.body, /E-mails sent/);
    assert.match(page.body, new RegExp(`data-message="${toA}"`));
    assert.match(page.body, new RegExp(`href="/en/admin/outbox/${toA}"`));
    assert.doesNotMatch(page.body, new RegExp(`data-message="${toB}"`));
    assert.doesNotMatch(page.body, new RegExp(`data-message="${toOther}"`));
    await accounts.mergePeople(await adminCtx(), { from: w.b.id, into: w.a.id, reason: 'duplicate' }, merges);
    page = await c.inject({ url: `/en/admin/people/${w.a.id}` });
    assert.match(page.body, new RegExp(`data-message="${toB}"`), 'the duplicate’s e-mails come along');
    assert.doesNotMatch(page.body, new RegExp(`data-message="${toOther}"`));
    // The index the list reads.
    const idx = rowsOf<{ indexdef: string }>(
      await db.execute(sql`select indexdef from pg_indexes where indexname = 'jobs_mail_to_idx'`),
    );
    assert.equal(idx.length, 1);
    assert.match(idx[0].indexdef, /lower/);
  });
});
