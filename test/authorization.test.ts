/**
 * Who may call what, across every route: each route declares a permission, and the matrix below calls every
 * non-public route as anonymous, participant, DFP, staff without the capability and administrator, and as two people
 * of one organisation X (not a Member State): one who only claims X on their profile, one whose membership of X is
 * verified. A claim grants exactly what a participant has; verified membership adds X's speaking requests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { entities } from '../src/modules/entities/entities.schema.js';
import { PERMISSIONS } from '../src/platform/permissions.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { client, createPerson, type Client } from './helpers/actors.js';

const ADMIN_ONLY = new Set(['accounts.manage', 'audit.view', 'outbox.view', 'entities.manage', 'focal_points.manage']);

describe('authorization', () => {
  let t: TestApp;
  let as: Record<'participant' | 'dfp' | 'staff' | 'admin' | 'claimant' | 'member', Client>;
  let personId: string;
  let orgX: number;

  before(async () => {
    t = await buildTestApp();
    const target = await createPerson(t);
    personId = target.id;
    [{ id: orgX }] = await t.database.db
      .insert(entities)
      .values({
        kind: 'private_sector',
        name: { en: 'Organisation X' },
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      })
      .returning();
    as = {
      participant: await client(t, await createPerson(t)),
      dfp: await client(t, await createPerson(t, { focalPointOf: [] })),
      staff: await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] })),
      admin: await client(t, await createPerson(t, { role: 'admin' })),
      claimant: await client(t, await createPerson(t, { entityId: orgX, verified: false })),
      member: await client(t, await createPerson(t, { entityId: orgX })),
    };
  });
  after(() => t.close());

  it('every route declares a permission from the one table', () => {
    const missing = t.app.routeRegistry.filter((r) => r.permission === undefined).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, []);
    for (const r of t.app.routeRegistry)
      assert.ok(r.permission === 'public' || r.permission! in PERMISSIONS, `${r.method} ${r.url}: ${r.permission}`);
    assert.ok(t.app.routeRegistry.length > 30);
  });

  function urlOf(pattern: string): string {
    return pattern
      .replace(':lc', 'en')
      .replace(/\/people\/:id/, `/people/${personId}`)
      .replace(':personId', personId)
      .replace(':token', 'x'.repeat(43))
      .replace(':slug', 'wsis-forum-2026')
      .replace(':code', 'HLT-01')
      .replace(/:id/g, '1')
      .replace(/\*$/, '');
  }

  it('anonymous callers are asked to sign in (401) on every non-public route', async () => {
    for (const r of t.app.routeRegistry.filter((x) => x.permission !== 'public')) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: urlOf(r.url),
        payload: r.method === 'GET' ? undefined : {},
      });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} → ${res.statusCode}`);
    }
  });

  it('each signed-in role gets 403 exactly where the table says, and otherwise passes the gate', async () => {
    const failures: string[] = [];
    // Signing out would end the very sessions this sweep uses: those routes are covered by the accounts tests.
    for (const r of t.app.routeRegistry.filter((x) => x.permission !== 'public' && !x.url.includes('sign-out'))) {
      let participantStatus = 0;
      for (const [who, c] of Object.entries(as)) {
        const perm = r.permission!;
        const allowed =
          who === 'admin' ||
          perm === 'account.self' ||
          (perm === 'entities.view' && who === 'staff') ||
          (perm === 'reports.view' && who === 'staff') ||
          (perm === 'reports.delegation' && who === 'staff') ||
          (perm === 'speaking.request' && who === 'member') ||
          (perm === 'pledges.announce' && who === 'member') ||
          (perm === 'entity.act' && false);
        const opts = r.method === 'GET' ? {} : { payload: {}, headers: { 'x-csrf-token': c.csrf } };
        const res = await c.inject({ method: r.method as 'GET', url: urlOf(r.url), ...opts });
        const gated = res.statusCode === 401 || res.statusCode === 403;
        if (allowed && gated && !(perm === 'entity.act'))
          failures.push(`${who} ${r.method} ${r.url}: expected access, got ${res.statusCode}`);
        if (!allowed && res.statusCode !== 403 && !(perm === 'entity.act' && res.statusCode === 404)) {
          failures.push(`${who} ${r.method} ${r.url}: expected 403, got ${res.statusCode}`);
        }
        if (who === 'participant') participantStatus = res.statusCode;
        // A claimed organisation grants nothing: the claimant is answered exactly as a participant without one.
        if (who === 'claimant' && res.statusCode !== participantStatus && r.method === 'GET')
          failures.push(`claimant ${r.method} ${r.url}: ${res.statusCode}, a participant gets ${participantStatus}`);
        if (ADMIN_ONLY.has(perm) && who !== 'admin' && res.statusCode !== 403)
          failures.push(`${who} reached admin-only ${r.method} ${r.url}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('speaking requests: a focal point or a person of an organization passes the speaking.request gate, not the secretariat’s', async () => {
    const [{ id: entityId }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'CH'));
    const dfp = await client(t, await createPerson(t, { focalPointOf: [entityId], entityId }));
    const member = await client(t, await createPerson(t, { entityId }));
    const reviewer = await client(t, await createPerson(t, { role: 'staff', capabilities: ['speaking.review'] }));
    for (const r of t.app.routeRegistry.filter(
      (x) => x.permission === 'speaking.request' || x.permission === 'speaking.review',
    )) {
      for (const [who, c] of Object.entries({ dfp, member, reviewer })) {
        const opts = r.method === 'GET' ? {} : { payload: {}, headers: { 'x-csrf-token': c.csrf } };
        const res = await c.inject({ method: r.method as 'GET', url: urlOf(r.url), ...opts });
        const gated = res.statusCode === 401 || res.statusCode === 403;
        const expectGated = r.permission === 'speaking.review' && who !== 'reviewer';
        assert.equal(gated, expectGated, `${who} ${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
  });

  it('a person cannot see or revoke another person’s token', async () => {
    const a = await createPerson(t);
    const ca = await client(t, a);
    const { id } = (
      await ca.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        payload: { name: 'a' },
        headers: { 'x-csrf-token': ca.csrf },
      })
    ).json();
    const res = await as.participant.inject({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${id}`,
      headers: { 'x-csrf-token': as.participant.csrf },
    });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'token_not_found');
  });
});
