import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { buildReportWorld, type World } from '../../../test/helpers/report-world.js';
import { countryName } from '../../platform/i18n/countries.js';
import { webhookMessages } from '../webhooks/index.js';
import { getFigures } from './reports.figures.js';

describe('reports: the dashboard, the downloads and the API', () => {
  let t: TestApp;
  let world: World;
  let staff: Client;
  let dfp: Client;
  let participant: Client;

  before(async () => {
    t = await buildTestApp();
    world = await buildReportWorld(t.database.db, { people: 40 });
    staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    dfp = await client(t, await createPerson(t, { focalPointOf: [world.entityIds.FR] }));
    participant = await client(t, await createPerson(t, { entityId: world.entityIds.FR }));
  });
  after(async () => t?.close());

  it('the API gives every figure, and one figure with its definition and named groups', async () => {
    const all = await staff.inject({ method: 'GET', url: '/api/v1/reports/figures?event=wsis-forum-2026' });
    assert.equal(all.statusCode, 200);
    const body = all.json();
    const direct = await getFigures({ ...t.ctx() }, { event: 'wsis-forum-2026' });
    assert.deepEqual(body.headline, direct.headline);
    const one = await staff.inject({ method: 'GET', url: '/api/v1/reports/figures/byCountry?lang=fr' });
    assert.equal(one.statusCode, 200);
    const fig = one.json();
    assert.match(fig.definition, /nationalité/);
    const ch = fig.groups.find((g: { key: string }) => g.key === 'CH');
    assert.equal(ch.label, countryName('fr', 'CH'));
    assert.equal(ch.count, (await getFigures(t.ctx(), {})).byCountry.find((g) => g.key === 'CH')?.count);
  });

  it('a focal point gets their own delegation only; a verified member and the anonymous get nothing', async () => {
    const own = (await dfp.inject({ method: 'GET', url: '/api/v1/reports/figures' })).json();
    const everyone = (await staff.inject({ method: 'GET', url: '/api/v1/reports/figures' })).json();
    assert.deepEqual(own.scope, { entityIds: [world.entityIds.FR] });
    assert.ok(own.headline.participants < everyone.headline.participants);
    assert.ok(own.byEntity.every((e: { key: string }) => e.key === String(world.entityIds.FR)));
    assert.equal((await participant.inject({ method: 'GET', url: '/api/v1/reports/figures' })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/reports/figures' })).statusCode, 401);
    assert.equal((await participant.inject({ method: 'GET', url: '/en/reports' })).statusCode, 403);
  });

  it('the dashboard in English and Arabic: headline numbers, definitions, the map with named countries, tables', async () => {
    const f = await getFigures(t.ctx(), {});
    for (const lc of ['en', 'ar'] as const) {
      const res = await staff.inject({ method: 'GET', url: `/${lc}/reports` });
      assert.equal(res.statusCode, 200);
      const html = res.body;
      if (lc === 'ar') assert.match(html, /dir="rtl"/);
      assert.match(html, /data-figure="participants"/);
      const top = f.byCountry.find((c) => c.key)!;
      assert.ok(html.includes(`data-country="${top.key}"`), 'a country on the map');
      assert.ok(html.includes(`${countryName(lc, top.key!)}: ${top.count}`), 'its name and value as label and tooltip');
      assert.match(html, /<table class="data">/);
    }
    const en = (await staff.inject({ method: 'GET', url: '/en/reports' })).body;
    assert.match(en, /Approved participants, each once, by the nationality on their profile/);
  });

  it('filters by event and dates; a wrong date is said, not obeyed', async () => {
    const res = await staff.inject({
      method: 'GET',
      url: '/en/reports?event=ai-for-good-2026&from=2026-04-02&to=nope',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /aria-invalid="true"/);
    const f = await getFigures(t.ctx(), { event: 'ai-for-good-2026', from: '2026-04-02' });
    assert.match(
      res.body,
      new RegExp(`data-figure="participants"><dt>[^<]*</dt><dd class="big">${f.headline.participants}<`),
    );
  });

  it('each chart downloads as SVG and PNG, and its data as CSV and XLSX through the export writer', async () => {
    const svg = await staff.inject({ method: 'GET', url: '/en/reports/charts/map?format=svg' });
    assert.equal(svg.statusCode, 200);
    assert.match(svg.headers['content-type'] as string, /image\/svg\+xml/);
    assert.match(svg.body, /<svg[^>]+role="img"/);
    const png = await staff.inject({ method: 'GET', url: '/en/reports/charts/regions?format=png' });
    assert.equal(png.rawPayload.subarray(1, 4).toString(), 'PNG');
    const csv = await staff.inject({ method: 'GET', url: '/en/reports/figures/byFunction?format=csv' });
    assert.match(csv.headers['content-disposition'] as string, /figures-byFunction\.csv/);
    const f = await getFigures(t.ctx(), {});
    const minister = f.byFunction.find((g) => g.key === 'minister')!;
    assert.ok(csv.body.includes(`"minister","Minister",${minister.count}`));
    const xlsx = await staff.inject({ method: 'GET', url: '/en/reports/figures/byCountry?format=xlsx' });
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
  });

  it('public figures: shown on the home and event pages only once the secretariat publishes them, counts only', async () => {
    const f = await getFigures(t.ctx(), {});
    const forum = await getFigures(t.ctx(), { event: 'wsis-forum-2026' });
    const line = (p: number, c: number) => `${p} participants from ${c} countries`;
    assert.ok(!(await t.app.inject({ method: 'GET', url: '/en' })).body.includes('public-figures'));
    assert.equal(
      (await participant.inject({ method: 'POST', url: '/en/reports/public', form: { published: 'true' } })).statusCode,
      403,
    );
    // Integrators may follow the switch through a webhook.
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    const sub = await admin.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://erp.example.org/hooks', eventTypes: ['reports.figures_published'] },
      headers: { 'x-csrf-token': admin.csrf },
    });
    assert.equal(sub.statusCode, 201, sub.body);
    const on = await staff.inject({ method: 'POST', url: '/en/reports/public', form: { published: 'true' } });
    assert.equal(on.statusCode, 303);
    const home = (await t.app.inject({ method: 'GET', url: '/en' })).body;
    assert.ok(home.includes(line(f.headline.participants, f.headline.countries)), 'the week on the home page');
    const ev = (await t.app.inject({ method: 'GET', url: '/en/events/wsis-forum-2026' })).body;
    assert.ok(ev.includes(line(forum.headline.participants, forum.headline.countries)), 'the event’s own numbers');
    assert.ok(!ev.includes('Given1 '), 'no names');
    await staff.inject({ method: 'POST', url: '/en/reports/public', form: { published: 'false' } });
    assert.ok(
      !(await t.app.inject({ method: 'GET', url: '/en/events/wsis-forum-2026' })).body.includes('public-figures'),
    );
    const messages = await t.database.db
      .select({ type: webhookMessages.type, data: webhookMessages.data })
      .from(webhookMessages);
    assert.deepEqual(
      messages
        .filter((m) => m.type === 'reports.figures_published')
        .map((m) => m.data.published)
        .sort(),
      [false, true],
    );
  });
});
