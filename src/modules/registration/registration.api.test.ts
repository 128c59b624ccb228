import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { entities } from '../entities/index.js';
import { jobs } from '../../platform/platform.schema.js';

describe('registration API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('a participant registers with a Bearer token; their DFP approves; another DFP may not; all in the OpenAPI document', async () => {
    const [{ id: senegal }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'SN'));
    const [{ id: peru }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'PE'));
    const delegate = await createPerson(t, { entityId: senegal });
    const dc = await client(t, delegate);
    const token = (
      await dc.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        payload: { name: 'app' },
        headers: { 'x-csrf-token': dc.csrf },
      })
    ).json().token;
    const bearer = { authorization: `Bearer ${token}` };
    const dfpPerson = await createPerson(t, { focalPointOf: [senegal], entityId: senegal, locale: 'fr' });
    const dfp = await client(t, dfpPerson);
    const other = await client(t, await createPerson(t, { focalPointOf: [peru], entityId: peru }));

    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: bearer,
      payload: {
        events: ['wsis-forum-2026', 'wsis-high-level-track-2026'],
        mode: 'in_person',
        function: 'Deputy Minister',
      },
    });
    assert.equal(sub.statusCode, 200, sub.body);
    const [wsis] = sub.json().registrations;
    assert.equal(wsis.state, 'pending_dfp');

    const mails = async () =>
      (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map(
        (j) => j.payload as { to: string; template: string; locale: string; params: Record<string, string> },
      );
    const asked = (await mails()).filter((m) => m.to === dfpPerson.email && m.template === 'registration_request');
    assert.equal(asked.length, 1, 'one message per request to the DFP, not one per event');
    assert.equal(asked[0].locale, 'fr');
    assert.match(asked[0].params.event, /^Forum 2026 du Sommet .* · Volet de haut niveau du SMSI 2026$/);
    const queue = (await dfp.inject({ method: 'GET', url: '/api/v1/registrations/queue' })).json().registrations;
    assert.ok(queue.some((r: { id: string }) => r.id === wsis.id));
    assert.ok(
      !(await other.inject({ method: 'GET', url: '/api/v1/registrations/queue' }))
        .json()
        .registrations.some((r: { id: string }) => r.id === wsis.id),
    );
    const refused = await other.inject({
      method: 'POST',
      url: `/api/v1/registrations/${wsis.id}/decision`,
      payload: { decision: 'approve' },
      headers: { 'x-csrf-token': other.csrf },
    });
    assert.equal(refused.statusCode, 403);
    const ok = await dfp.inject({
      method: 'POST',
      url: `/api/v1/registrations/${wsis.id}/decision`,
      payload: { decision: 'approve' },
      headers: { 'x-csrf-token': dfp.csrf },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().state, 'approved');
    const twice = await dfp.inject({
      method: 'POST',
      url: `/api/v1/registrations/${wsis.id}/decision`,
      payload: { decision: 'reject' },
      headers: { 'x-csrf-token': dfp.csrf, 'accept-language': 'es' },
    });
    assert.equal(twice.statusCode, 200, 'an approved request can still be rejected by its DFP');
    const told = (await mails())
      .filter((m) => m.to === delegate.email && m.template === 'registration_decision')
      .map((m) => m.params.state);
    assert.deepEqual(told, ['approved', 'rejected']);
    const mine = (await t.app.inject({ url: '/api/v1/registrations/mine', headers: bearer })).json().registrations;
    assert.equal(mine.find((r: { id: string }) => r.id === wsis.id).state, 'rejected');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/registrations/${wsis.id}/withdraw`,
      headers: { ...bearer, 'accept-language': 'fr' },
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'registration_transition_invalid');
    assert.match(again.json().title, /état actuel/);

    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/v1/registrations',
      '/api/v1/registrations/queue',
      '/api/v1/registrations/{id}/decision',
      '/api/v1/events/{slug}/registration-settings',
    ])
      assert.ok(spec.paths[p], p);
  });

  it('the queue comes a page at a time, oldest first, with a cursor to the next page; a bad cursor is a 400', async () => {
    const [{ id: ghana }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'GH'));
    const dfp = await client(t, await createPerson(t, { focalPointOf: [ghana], entityId: ghana }));
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await client(t, await createPerson(t, { entityId: ghana }));
      t.clock.advance(1000);
      const res = await c.inject({
        method: 'POST',
        url: '/api/v1/registrations',
        payload: { events: ['wsis-forum-2026'], mode: 'remote', function: 'technical_expert' },
        headers: { 'x-csrf-token': c.csrf },
      });
      made.push(res.json().registrations[0].id);
    }
    const seen: string[] = [];
    let url = '/api/v1/registrations/queue?limit=2';
    const sizes: number[] = [];
    for (;;) {
      const page = (await dfp.inject({ method: 'GET', url })).json();
      sizes.push(page.registrations.length);
      seen.push(...page.registrations.map((r: { id: string }) => r.id));
      if (!page.next) break;
      url = `/api/v1/registrations/queue?limit=2&after=${page.next}`;
    }
    assert.deepEqual(seen, made);
    assert.deepEqual(sizes, [2, 2, 1]);
    const bad = await dfp.inject({ method: 'GET', url: '/api/v1/registrations/queue?after=not-a-cursor' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'invalid_query');
  });

  it("the secretariat's queue over both waiting states pages through them merged, oldest first, each request once", async () => {
    // Entities with and without a focal point: requests wait for the DFP or go straight to the secretariat.
    const codes = ['KE', 'UY'];
    const ids = await Promise.all(
      codes.map(
        async (code) =>
          (await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, code)))[0].id,
      ),
    );
    await createPerson(t, { focalPointOf: [ids[0]], entityId: ids[0] });
    const staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['registration.review'] }));
    const made: { id: string; state: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await client(t, await createPerson(t, { entityId: ids[i % 2] }));
      t.clock.advance(1000);
      const res = await c.inject({
        method: 'POST',
        url: '/api/v1/registrations',
        payload: { events: ['wsis-forum-2026'], mode: 'remote', function: 'technical_expert' },
        headers: { 'x-csrf-token': c.csrf },
      });
      assert.equal(res.statusCode, 200, res.body);
      made.push(res.json().registrations[0]);
    }
    assert.deepEqual(
      [...new Set(made.map((r) => r.state))].sort(),
      ['pending_dfp', 'pending_secretariat'],
      'both waiting states are in the queue',
    );
    const all = (
      await staff.inject({ method: 'GET', url: '/api/v1/registrations/queue?event=wsis-forum-2026&limit=1000' })
    )
      .json()
      .registrations.map((r: { id: string }) => r.id);
    const seen: string[] = [];
    let url = '/api/v1/registrations/queue?event=wsis-forum-2026&limit=3';
    for (;;) {
      const res = await staff.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json();
      assert.ok(page.registrations.length <= 3);
      for (const r of page.registrations) assert.ok(['pending_dfp', 'pending_secretariat'].includes(r.state));
      seen.push(...page.registrations.map((r: { id: string }) => r.id));
      if (!page.next) break;
      url = `/api/v1/registrations/queue?event=wsis-forum-2026&limit=3&after=${page.next}`;
    }
    assert.deepEqual(seen, all, 'the pages together are the whole queue, in order, without repeats');
    // The six requests made here are the last six of the queue, in the order they were made.
    assert.deepEqual(
      all.slice(-6),
      made.map((r) => r.id),
    );
  });
});
