/**
 * Verified affiliation (issue 13 §1): the organisation on one's profile is a claim and grants nothing until a focal
 * point of that entity or the secretariat verifies it. Regression tests for the two holes found by trying the platform
 * as a new user: a claimed organisation listed another entity's speaking requests (also a Member State's), and let a
 * claimant submit, edit and withdraw a non-Member-State organisation's requests.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { people } from '../src/modules/accounts/accounts.schema.js';
import { entities } from '../src/modules/entities/entities.schema.js';
import { speakingRequests } from '../src/modules/speaking/speaking.schema.js';
import { auditLog } from '../src/platform/platform.schema.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { client, createPerson, type Client } from './helpers/actors.js';
import { TEST_NOW } from './helpers/db.js';

const EVENT = 'wsis-high-level-track-2026';
const URL = `/api/v1/events/${EVENT}/speaking-requests`;

describe('verified affiliation', () => {
  let t: TestApp;
  let acme: number;
  let senegal: number;
  const speaker = (over: Record<string, unknown> = {}) => ({
    kind: 'high_level_session',
    rank: 'other',
    givenName: 'Amina',
    familyName: 'Diallo',
    givenNameLatin: 'Amina',
    familyNameLatin: 'DIALLO',
    title: 'Chief Executive',
    language: 'en',
    abstract: 'Connectivity for all.',
    ...over,
  });
  const post = (c: Client, url: string, payload: unknown) =>
    c.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { 'x-csrf-token': c.csrf } });
  const verified = async (id: string) =>
    (await t.database.db.select().from(people).where(eq(people.id, id)))[0].entityVerifiedAt != null;

  before(async () => {
    t = await buildTestApp();
    [{ id: acme }] = await t.database.db
      .insert(entities)
      .values({ kind: 'private_sector', name: { en: 'Acme Networks' }, createdAt: TEST_NOW, updatedAt: TEST_NOW })
      .returning();
    [{ id: senegal }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'SN'));
  });
  after(() => t.close());
  beforeEach(() => t.clock.set(TEST_NOW));

  it("a claimed organisation neither lists nor submits, edits or withdraws that organisation's speaking requests", async () => {
    // The real organisation's verified member submits; a Member State's focal point too.
    const real = await client(t, await createPerson(t, { entityId: acme }));
    const ok = await post(real, URL, { entityId: acme, ...speaker() });
    assert.equal(ok.statusCode, 200, ok.body);
    const id = ok.json().id as string;
    const sn = await client(t, await createPerson(t, { focalPointOf: [senegal], entityId: senegal }));
    assert.equal(
      (await post(sn, URL, { entityId: senegal, ...speaker({ kind: 'policy_statement' }) })).statusCode,
      200,
    );

    // Someone who merely typed "Acme Networks" (or Senegal) on their profile.
    for (const entityId of [acme, senegal]) {
      const claimant = await client(t, await createPerson(t, { entityId, verified: false }));
      const list = await claimant.inject({ url: URL });
      assert.ok(
        list.statusCode === 403 || (list.statusCode === 200 && list.json().requests.length === 0),
        `${entityId}: ${list.statusCode} ${list.body}`,
      );
      const page = await claimant.inject({ url: '/en/speaking' });
      assert.ok(!page.body.includes('Amina'), 'the page shows nothing either');
    }
    const claimant = await client(t, await createPerson(t, { entityId: acme, verified: false }));
    const submit = await post(claimant, URL, { entityId: acme, ...speaker({ givenName: 'Impostor' }) });
    assert.equal(submit.statusCode, 403);
    const edit = await claimant.inject({
      method: 'PATCH',
      url: `/api/v1/speaking-requests/${id}`,
      payload: speaker({ givenName: 'Impostor' }),
      headers: { 'x-csrf-token': claimant.csrf },
    });
    assert.ok([403, 404].includes(edit.statusCode), `edit: ${edit.statusCode}`);
    const withdraw = await post(claimant, `/api/v1/speaking-requests/${id}/withdraw`, {});
    assert.ok([403, 404].includes(withdraw.statusCode), `withdraw: ${withdraw.statusCode}`);
    const [row] = await t.database.db.select().from(speakingRequests).where(eq(speakingRequests.id, id));
    assert.equal(row.givenName, 'Amina');
    assert.equal(row.state, 'submitted');

    // By submitting first, a claimant could block the real organisation's request: not any more.
    const [beta] = await t.database.db
      .insert(entities)
      .values({ kind: 'civil_society', name: { en: 'Beta Foundation' }, createdAt: TEST_NOW, updatedAt: TEST_NOW })
      .returning();
    const squatter = await client(t, await createPerson(t, { entityId: beta.id, verified: false }));
    assert.equal((await post(squatter, URL, { entityId: beta.id, ...speaker() })).statusCode, 403);
    const owner = await client(t, await createPerson(t, { entityId: beta.id }));
    assert.equal((await post(owner, URL, { entityId: beta.id, ...speaker() })).statusCode, 200);

    // A verified member of a Member State is not its focal point: the API lists nothing, as the page shows nothing.
    const citizen = await client(t, await createPerson(t, { entityId: senegal }));
    const l = await citizen.inject({ url: URL });
    assert.ok(l.statusCode === 403 || l.json().requests.length === 0, l.body);
  });

  it('becomes verified when the focal point approves a registration, or adds the person; changing organisation drops it', async () => {
    const dfp = await client(t, await createPerson(t, { focalPointOf: [senegal], entityId: senegal }));
    const delegate = await createPerson(t, { entityId: senegal, verified: false });
    const dc = await client(t, delegate);
    const sub = await post(dc, '/api/v1/registrations', {
      events: ['wsis-forum-2026'],
      mode: 'in_person',
      function: 'Deputy Minister',
    });
    assert.equal(sub.statusCode, 200, sub.body);
    const [reg] = sub.json().registrations;
    assert.equal(reg.state, 'pending_dfp');
    assert.equal(await verified(delegate.id), false);
    assert.equal(
      (await post(dfp, `/api/v1/registrations/${reg.id}/decision`, { decision: 'approve' })).statusCode,
      200,
    );
    assert.equal(await verified(delegate.id), true);
    const [trail] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'affiliation.verified'), eq(auditLog.subjectId, delegate.id)));
    assert.equal((trail.data as { how: string }).how, 'registration_approved');
    assert.equal((await dc.inject({ url: '/api/v1/me' })).json().entityVerified, true);

    // A VIP added by the focal point is verified.
    const vip = await post(dfp, '/api/v1/registrations/vip', {
      entityId: senegal,
      email: 'minister.vip@example.org',
      givenName: 'Awa',
      familyName: 'Ndiaye',
      givenNameLatin: 'Awa',
      familyNameLatin: 'NDIAYE',
      function: 'Minister',
      preferredLocale: 'fr',
      events: ['wsis-forum-2026'],
      mode: 'in_person',
    });
    assert.equal(vip.statusCode, 200, vip.body);
    assert.equal(await verified(vip.json().personId), true);

    // Changing one's organisation on the profile is a new claim.
    const moved = await dc.inject({
      method: 'POST',
      url: '/en/account',
      form: { givenName: 'Given', familyName: 'Family', entityId: String(acme), preferredLocale: 'en' },
    });
    assert.equal(moved.statusCode, 303, moved.body);
    assert.equal(await verified(delegate.id), false);
    const me = (await dc.inject({ url: '/api/v1/me' })).json();
    assert.deepEqual([me.entityId, me.entityVerified], [acme, false]);
  });

  it('the secretariat and the focal point see pending claims and confirm or refuse them, one by one or in bulk, audited; the profile says who will confirm, in six languages', async () => {
    const secretariat = await client(
      t,
      await createPerson(t, { role: 'staff', capabilities: ['registration.review'] }),
    );
    const dfp = await client(t, await createPerson(t, { focalPointOf: [senegal], entityId: senegal }));
    const otherDfp = await client(t, await createPerson(t, { focalPointOf: [acme], entityId: acme }));
    const a = await createPerson(t, { entityId: senegal, verified: false, locale: 'fr' });
    const b = await createPerson(t, { entityId: senegal, verified: false });
    const c = await createPerson(t, { entityId: acme, verified: false });
    const [noDfp] = await t.database.db
      .insert(entities)
      .values({ kind: 'academia', name: { en: 'Gamma University' }, createdAt: TEST_NOW, updatedAt: TEST_NOW })
      .returning();
    const d = await createPerson(t, { entityId: noDfp.id, verified: false, locale: 'ar' });

    // The profile says who is to confirm.
    const fr = await (await client(t, a)).inject({ url: '/fr/account' });
    assert.match(fr.body, /En attente de confirmation par le point focal désigné/);
    const ar = await (await client(t, d)).inject({ url: '/ar/account' });
    assert.match(ar.body, /في انتظار تأكيد الأمانة/);

    // Who sees what.
    const pending = (who: Client) => who.inject({ url: '/api/v1/affiliations/pending' });
    const all = (await pending(secretariat)).json().pending.map((p: { personId: string }) => p.personId);
    for (const x of [a, b, c, d]) assert.ok(all.includes(x.id));
    const queue = await dfp.inject({ url: '/en/focal-point' });
    assert.match(queue.body, /\d+ people say they belong to your organization: confirm or refuse/);
    const mine = (await pending(dfp)).json().pending.map((p: { personId: string }) => p.personId);
    assert.ok(mine.includes(a.id) && mine.includes(b.id) && !mine.includes(c.id) && !mine.includes(d.id));
    assert.equal((await pending(await client(t, await createPerson(t)))).statusCode, 403);

    // A focal point of another entity may not confirm; the right one may; twice is a conflict.
    const wrong = await post(otherDfp, `/api/v1/people/${a.id}/affiliation`, { decision: 'confirm' });
    assert.equal(wrong.statusCode, 403);
    const one = await post(dfp, `/api/v1/people/${a.id}/affiliation`, { decision: 'confirm' });
    assert.equal(one.statusCode, 200, one.body);
    assert.equal(one.json().state, 'verified');
    assert.equal(await verified(a.id), true);
    const twice = await post(dfp, `/api/v1/people/${a.id}/affiliation`, { decision: 'confirm' });
    assert.equal(twice.json().code, 'affiliation_not_pending');

    // The secretariat refuses one and confirms in bulk through the page.
    const refused = await post(secretariat, `/api/v1/people/${c.id}/affiliation`, { decision: 'refuse' });
    assert.equal(refused.json().state, 'refused');
    assert.equal((await t.database.db.select().from(people).where(eq(people.id, c.id)))[0].entityId, null);
    const page = await secretariat.inject({ url: '/en/affiliations' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Gamma University/);
    const bulk = await secretariat.inject({
      method: 'POST',
      url: '/en/affiliations',
      form: { personId: [b.id, d.id], decision: 'confirm' },
    });
    assert.equal(bulk.statusCode, 303);
    assert.match(bulk.headers.location as string, /done=2/);
    assert.equal(await verified(b.id), true);
    assert.equal(await verified(d.id), true);
    const trail = await t.database.db.select().from(auditLog).where(eq(auditLog.subjectId, d.id));
    assert.ok(
      trail.some((x) => x.action === 'affiliation.verified' && (x.data as { how: string }).how === 'confirmed'),
    );
    assert.ok(
      (await t.database.db.select().from(auditLog).where(eq(auditLog.subjectId, c.id))).some(
        (x) => x.action === 'affiliation.refused',
      ),
    );
    const api = await post(secretariat, '/api/v1/affiliations/decisions', {
      personIds: [b.id, '00000000-0000-4000-8000-000000000000'],
      decision: 'confirm',
    });
    assert.deepEqual(
      api.json().results.map((r: { ok: boolean; code?: string }) => r.code ?? 'ok'),
      ['affiliation_not_pending', 'person_not_found'],
    );
  });

  it('a claimed organisation cannot pledge to the Trust Fund in its name, nor see its pledges; a verified member can', async () => {
    const pledge = {
      entityId: acme,
      currency: 'CHF',
      amount: '5000',
      contactName: 'Amina Diallo',
      contactEmail: 'amina@acme.example',
    };
    const claimant = await client(t, await createPerson(t, { entityId: acme, verified: false }));
    const refused = await post(claimant, '/api/v1/pledges', pledge);
    assert.equal(refused.statusCode, 403, refused.body);
    const member = await client(t, await createPerson(t, { entityId: acme }));
    const ok = await post(member, '/api/v1/pledges', pledge);
    assert.equal(ok.statusCode, 200, ok.body);
    const list = await claimant.inject({ url: '/api/v1/pledges' });
    assert.ok(list.statusCode === 403 || (list.json() as { pledges: unknown[] }).pledges.length === 0, list.body);
  });
});
