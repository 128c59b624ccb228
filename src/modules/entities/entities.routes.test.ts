import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { people } from '../accounts/index.js';
import { entities } from './entities.schema.js';
import { seedMemberStates } from './entities.seed.js';

describe('entities over HTTP: API and back office', () => {
  let t: TestApp;
  let admin: Client;
  let staff: Client;
  let participant: Client;
  let ids: Record<string, number>;

  before(async () => {
    t = await buildTestApp();
    await seedMemberStates(t.database.db, t.clock.now()); // a template seeded before the Member States existed
    const rows = await t.database.db.select().from(entities).where(eq(entities.kind, 'member_state'));
    ids = Object.fromEntries(rows.map((e) => [e.code!, e.id]));
    admin = await client(t, await createPerson(t, { role: 'admin' }));
    staff = await client(t, await createPerson(t, { role: 'staff' }));
    participant = await client(t, await createPerson(t));
  });
  after(() => t.close());

  const json = (c: Client, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    c.inject({ method, url, payload: payload as object, headers: { 'x-csrf-token': c.csrf } });

  it('the public list carries every Member State with its regions, in the requested language', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/entities?kind=member_state&lang=fr' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.count, 194);
    const ch = body.entities.find((e: { code: string }) => e.code === 'CH');
    assert.equal(ch.name, 'Suisse');
    assert.deepEqual([ch.ituRegion, ch.itudRegion, ch.unGroup], ['B', 'europe', 'weog']);
    assert.ok(res.headers.etag);
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/entities/${ids.PW}?lang=zh` });
    assert.equal(one.json().name, '帕劳');
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/entities/999999' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'entity_not_found');
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/entities?kind=unicorn' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'invalid_query');
  });

  it("Member States carry their UN (M49) names in the six languages, sorted by the language's collation", async () => {
    const want: Record<string, Record<string, string>> = {
      en: {
        KR: 'Republic of Korea',
        IR: 'Iran (Islamic Republic of)',
        RU: 'Russian Federation',
        KP: "Democratic People's Republic of Korea",
        TR: 'Türkiye',
        CI: 'Côte d’Ivoire',
        NL: 'Netherlands (Kingdom of the)',
        VA: 'Vatican',
        US: 'United States of America',
        VN: 'Viet Nam',
        SY: 'Syrian Arab Republic',
      },
      fr: {
        KR: 'République de Corée',
        IR: 'Iran (République islamique d’)',
        RU: 'Fédération de Russie',
        TZ: 'République-Unie de Tanzanie',
      },
      es: {
        KR: 'República de Corea',
        IR: 'Irán (República Islámica del)',
        RU: 'Federación de Rusia',
        LA: 'República Democrática Popular Lao',
      },
      ru: { KR: 'Республика Корея', IR: 'Иран (Исламская Республика)', RU: 'Российская Федерация', MM: 'Мьянма' },
      zh: { KR: '大韩民国', IR: '伊朗伊斯兰共和国', RU: '俄罗斯联邦', KP: '朝鲜民主主义人民共和国' },
      ar: {
        KR: 'جمهورية كوريا',
        IR: 'إيران (جمهورية - الإسلامية)',
        RU: 'الاتحاد الروسي',
        SY: 'الجمهورية العربية السورية',
      },
    };
    for (const [lang, names] of Object.entries(want)) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/entities?kind=member_state&lang=${lang}` });
      const list: { code: string; name: string }[] = res.json().entities;
      const byCode = Object.fromEntries(list.map((e) => [e.code, e.name]));
      for (const [code, name] of Object.entries(names)) assert.equal(byCode[code], name, `${lang} ${code}`);
      const tag = { en: 'en-GB', fr: 'fr-CH', zh: 'zh-Hans' }[lang] ?? lang;
      const shown = list.map((e) => e.name);
      assert.deepEqual(shown, [...shown].sort(new Intl.Collator(tag).compare), lang);
    }
    // Sorted by name, not by code: Afghanistan before Andorra before the United Arab Emirates in English.
    const en = (await t.app.inject({ method: 'GET', url: '/api/v1/entities?kind=member_state&lang=en' })).json();
    const codes = en.entities.map((e: { code: string }) => e.code);
    assert.ok(codes.indexOf('AF') < codes.indexOf('AD') && codes.indexOf('AD') < codes.indexOf('AE'));
  });

  it('a Member State still holding the everyday name an earlier version stored is renamed; an edited one is not', async () => {
    const db = t.database.db;
    await db
      .update(entities)
      .set({ name: { en: 'South Korea', fr: 'Corée du Sud', ru: 'Республика Корея' } })
      .where(eq(entities.id, ids.KR));
    await db
      .update(entities)
      .set({ name: { en: 'Russia (edited)', fr: 'Russie' } })
      .where(eq(entities.id, ids.RU));
    assert.equal(await seedMemberStates(db, t.clock.now()), 2);
    assert.equal(await seedMemberStates(db, t.clock.now()), 0);
    const [kr] = await db.select().from(entities).where(eq(entities.id, ids.KR));
    assert.deepEqual(kr!.name, { en: 'Republic of Korea', fr: 'République de Corée', ru: 'Республика Корея' });
    const [ru] = await db.select().from(entities).where(eq(entities.id, ids.RU));
    assert.deepEqual(ru!.name, { en: 'Russia (edited)', fr: 'Fédération de Russie' });
  });

  it('writes are refused before the handler to anonymous (401) and unprivileged (403) callers', async () => {
    const body = { kind: 'media', name: { en: 'Daily' } };
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/entities', payload: body })).statusCode, 401);
    const res = await json(participant, 'POST', '/api/v1/entities', body);
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'forbidden');
    assert.equal((await json(staff, 'POST', `/api/v1/entities/${ids.CH}/merge`, { into: ids.FR })).statusCode, 403);
  });

  it('malformed JSON is a 400 problem+json with code invalid_json', async () => {
    const res = await admin.inject({
      method: 'POST',
      url: '/api/v1/entities',
      payload: '{"kind": "media", "name": ',
      headers: { 'content-type': 'application/json', 'x-csrf-token': admin.csrf },
    });
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.json().code, 'invalid_json');
  });

  it('creates, changes and merges entities through the API', async () => {
    const created = await json(admin, 'POST', '/api/v1/entities', {
      kind: 'intl_org',
      code: 'WIPO-X',
      name: { en: 'Organisation X', fr: 'Organisation X (fr)' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    const taken = await json(admin, 'POST', '/api/v1/entities', { kind: 'member_state', code: 'CH' });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().code, 'entity_code_taken');
    const invalid = await json(admin, 'POST', '/api/v1/entities', { kind: 'academia', name: { en: 'A\u0000B' } });
    assert.equal(invalid.statusCode, 400);
    // Text PostgreSQL cannot store is refused by the one input guard before any route sees it.
    assert.equal(invalid.json().code, 'text_unstorable');

    const patched = await json(admin, 'PATCH', `/api/v1/entities/${id}`, { name: { fr: null }, country: 'CH' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().names, { en: 'Organisation X' });

    const dup = (
      await json(admin, 'POST', '/api/v1/entities', { kind: 'intl_org', name: { en: 'Organisation X (duplicate)' } })
    ).json().id;
    const p = await createPerson(t, { entityId: dup, focalPointOf: [dup] });
    const merged = await json(admin, 'POST', `/api/v1/entities/${dup}/merge`, { into: id });
    assert.equal(merged.statusCode, 200, merged.body);
    assert.deepEqual(merged.json(), { from: dup, into: id, people: 1, focalPoints: 1 });
    const [moved] = await t.database.db.select().from(people).where(eq(people.id, p.id));
    assert.equal(moved.entityId, id);
    const again = await json(admin, 'POST', `/api/v1/entities/${dup}/merge`, { into: id });
    assert.equal(again.json().code, 'entity_merge_invalid');
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/entities?kind=intl_org' })).json();
    assert.ok(!list.entities.some((e: { id: number }) => e.id === dup), 'the merged one has left the public list');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/entities/${dup}` })).json().mergedInto, id);
  });

  it('imports CSV posted as text/csv or as JSON, reporting rejected lines', async () => {
    const csv =
      'kind,code,name_en,itu_region\nacademia,CSV-U1,CSV University One,B\nacademia,,Bad Region U,F\nunicorn,,Nope,\n';
    const res = await admin.inject({
      method: 'POST',
      url: '/api/v1/entities/import',
      payload: csv,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'x-csrf-token': admin.csrf },
    });
    assert.equal(res.statusCode, 200, res.body);
    const report = res.json();
    assert.deepEqual([report.inserted, report.updated], [1, 0]);
    assert.deepEqual(
      report.rejected.map((r: { line: number }) => r.line),
      [3, 4],
    );
    const viaJson = await json(admin, 'POST', '/api/v1/entities/import', { csv });
    assert.deepEqual([viaJson.json().inserted, viaJson.json().updated], [0, 1]);
    assert.equal((await json(staff, 'POST', '/api/v1/entities/import', { csv })).statusCode, 403);
  });

  it('a DFP cannot list another entity’s focal points (403); administrators appoint and remove', async () => {
    const kenya = ids.KE;
    const ghana = ids.GH;
    const dfp = await client(t, await createPerson(t, { focalPointOf: [kenya], entityId: kenya }));
    const other = await dfp.inject({ method: 'GET', url: `/api/v1/entities/${ghana}/focal-points` });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'forbidden');
    assert.equal(
      (await participant.inject({ method: 'GET', url: `/api/v1/entities/${kenya}/focal-points` })).statusCode,
      403,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/entities/${kenya}/focal-points` })).statusCode,
      401,
    );

    const newcomer = await createPerson(t, { email: 'newcomer.ghana@example.org' });
    const appointed = await json(admin, 'POST', `/api/v1/entities/${ghana}/focal-points`, {
      email: 'Newcomer.Ghana@example.org',
    });
    assert.equal(appointed.statusCode, 201, appointed.body);
    assert.equal(
      (await json(admin, 'POST', `/api/v1/entities/${ghana}/focal-points`, { email: 'newcomer.ghana@example.org' }))
        .statusCode,
      200,
      'idempotent',
    );
    const unknown = await json(admin, 'POST', `/api/v1/entities/${ghana}/focal-points`, {
      email: 'nobody@example.org',
    });
    assert.equal(unknown.json().code, 'person_not_found');
    assert.equal(
      (await json(dfp, 'POST', `/api/v1/entities/${kenya}/focal-points`, { email: 'newcomer.ghana@example.org' }))
        .statusCode,
      403,
      'a DFP does not appoint',
    );
    const listed = await admin.inject({ method: 'GET', url: `/api/v1/entities/${ghana}/focal-points` });
    assert.deepEqual(
      listed.json().focalPoints.map((f: { email: string }) => f.email),
      ['newcomer.ghana@example.org'],
    );
    assert.equal(
      (await json(admin, 'DELETE', `/api/v1/entities/${ghana}/focal-points/${newcomer.id}`)).statusCode,
      204,
    );
    assert.equal(
      (await admin.inject({ method: 'GET', url: `/api/v1/entities/${ghana}/focal-points` })).json().focalPoints.length,
      0,
    );
  });

  // The route gate takes the entity from the route's :id for `entity.act`.
  it('a DFP lists their own entity’s focal points through the API', async () => {
    const dfpPerson = await createPerson(t, { focalPointOf: [ids.UG], entityId: ids.UG });
    const own = await (await client(t, dfpPerson)).inject({
      method: 'GET',
      url: `/api/v1/entities/${ids.UG}/focal-points`,
    });
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual(
      own.json().focalPoints.map((f: { personId: string }) => f.personId),
      [dfpPerson.id],
    );
  });

  it('the back office lists entities with filters, Member States with their three groupings, in all six languages', async () => {
    for (const lc of LOCALES) {
      const res = await staff.inject({ method: 'GET', url: `/${lc}/admin/entities?kind=member_state&region=B` });
      assert.equal(res.statusCode, 200, `${lc}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /entities\.[a-z_]+\.?[a-z_]*/, `${lc}: an untranslated key`);
      assert.match(res.body, new RegExp(`href="/${lc}/admin/entities/${ids.CH}"`));
      assert.doesNotMatch(res.body, new RegExp(`href="/${lc}/admin/entities/${ids.PW}"`), 'Palau is in region E');
    }
    const en = await staff.inject({ method: 'GET', url: '/en/admin/entities?q=palau' });
    assert.match(en.body, /Palau/);
    assert.match(en.body, /Asia and the Pacific/);
    assert.match(en.body, /<abbr title="Region E – Asia and Australasia">E<\/abbr>/);
    assert.doesNotMatch(en.body, /\/admin\/entities\/new/, 'staff read, they do not create');
    assert.equal((await participant.inject({ method: 'GET', url: '/en/admin/entities' })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/en/admin/entities' })).statusCode, 401);
  });

  it('HTML typed into a name is shown escaped; forms redirect with 303 and report errors in place', async () => {
    const evil = '<script>alert("x")</script> & <b>Co</b>';
    const created = await admin.inject({
      method: 'POST',
      url: '/en/admin/entities/new',
      form: { kind: 'civil_society', name_en: evil, code: '', itu_region: '', itud_region: '', un_group: '' },
    });
    assert.equal(created.statusCode, 303, created.body);
    const location = String(created.headers.location);
    assert.match(location, /^\/en\/admin\/entities\/\d+\?done=created$/);
    const page = await admin.inject({ method: 'GET', url: location });
    assert.equal(page.statusCode, 200);
    assert.ok(
      page.body.includes('<bdi>&lt;script>alert(&quot;x&quot;)&lt;/script> &amp; &lt;b>Co&lt;/b></bdi>'),
      'escaped in the heading',
    );
    assert.ok(
      page.body.includes('value="&lt;script>alert(&quot;x&quot;)&lt;/script> &amp; &lt;b>Co&lt;/b>"'),
      'escaped in the form',
    );
    assert.ok(!page.body.includes('<script>alert') && !page.body.includes('<b>Co'), 'never raw');
    const list = await admin.inject({ method: 'GET', url: '/en/admin/entities?kind=civil_society' });
    assert.ok(list.body.includes('&lt;script>alert') && !list.body.includes('<script>alert'));

    const bad = await admin.inject({
      method: 'POST',
      url: '/fr/admin/entities/new',
      form: { kind: 'media', name_en: 'Bad\u0001Name' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /contient des caractères de contrôle invisibles/);
    assert.match(bad.body, /value="Bad/, 'what was typed is kept');

    const id = Number(/\/(\d+)\?/.exec(location)![1]);
    const saved = await admin.inject({
      method: 'POST',
      url: `/en/admin/entities/${id}`,
      form: { kind: 'civil_society', name_en: 'Civil Voices', name_fr: 'Voix civiles' },
    });
    assert.equal(saved.statusCode, 303);
    const [row] = await t.database.db.select().from(entities).where(eq(entities.id, id));
    assert.deepEqual(row.name, { en: 'Civil Voices', fr: 'Voix civiles' });
    const taken = await admin.inject({
      method: 'POST',
      url: `/en/admin/entities/${ids.FR}`,
      form: { kind: 'member_state', code: 'DE' },
    });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /Another entity already has this code/);
  });

  it('appoints and removes focal points, and merges, from the entity page without JavaScript', async () => {
    const a = (await json(admin, 'POST', '/api/v1/entities', { kind: 'academia', name: { en: 'Page Uni' } })).json().id;
    const b = (
      await json(admin, 'POST', '/api/v1/entities', { kind: 'academia', name: { en: 'Page University' } })
    ).json().id;
    const p = await createPerson(t, { email: 'page.dfp@example.org' });
    const appointed = await admin.inject({
      method: 'POST',
      url: `/en/admin/entities/${a}/focal-points`,
      form: { email: 'page.dfp@example.org' },
    });
    assert.equal(appointed.statusCode, 303);
    const page = await admin.inject({ method: 'GET', url: `/en/admin/entities/${a}?done=appointed` });
    assert.match(page.body, /page\.dfp@example\.org/);
    assert.match(page.body, new RegExp(`action="/en/admin/entities/${a}/focal-points/${p.id}/remove"`));
    assert.match(
      page.body,
      new RegExp(`<option value="${b}">Page University`),
      'the merge form offers the other entity',
    );
    const unknown = await admin.inject({
      method: 'POST',
      url: `/es/admin/entities/${a}/focal-points`,
      form: { email: 'nadie@example.org' },
    });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /<html lang="es"/);

    const removed = await admin.inject({
      method: 'POST',
      url: `/en/admin/entities/${a}/focal-points/${p.id}/remove`,
      form: {},
    });
    assert.equal(removed.statusCode, 303);
    await admin.inject({
      method: 'POST',
      url: `/en/admin/entities/${a}/focal-points`,
      form: { email: 'page.dfp@example.org' },
    });
    const merged = await admin.inject({
      method: 'POST',
      url: `/en/admin/entities/${a}/merge`,
      form: { into: String(b) },
    });
    assert.equal(merged.statusCode, 303);
    assert.equal(merged.headers.location, `/en/admin/entities/${b}?done=merged`);
    const target = await admin.inject({ method: 'GET', url: String(merged.headers.location) });
    assert.match(target.body, /page\.dfp@example\.org/);
    const old = await admin.inject({ method: 'GET', url: `/en/admin/entities/${a}` });
    assert.match(old.body, new RegExp(`href="/en/admin/entities/${b}"`));
    assert.doesNotMatch(old.body, /name="name_en"/, 'a merged entity is not edited');
  });

  it('the import page takes pasted CSV and shows inserted, updated and rejected lines', async () => {
    const form = await admin.inject({ method: 'GET', url: '/ar/admin/entities/import' });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<textarea id="f-csv" name="csv"/);
    const csv = 'kind,code,name_en,un_group\nmedia,PAGE-M1,Page Media One,\nmedia,,Page Media Two,nowhere\n';
    const res = await admin.inject({ method: 'POST', url: '/en/admin/entities/import', form: { csv } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /1 entity added/);
    assert.match(res.body, /0 entities updated/);
    assert.match(res.body, /1 line rejected/);
    assert.match(res.body, /<td>3<\/td>/);
    assert.match(res.body, /<code dir="ltr">un_group<\/code>/);
    const rows = await t.database.db
      .select()
      .from(entities)
      .where(and(eq(entities.kind, 'media'), eq(entities.code, 'PAGE-M1')));
    assert.equal(rows.length, 1);
    assert.equal((await staff.inject({ method: 'GET', url: '/en/admin/entities/import' })).statusCode, 403);
  });

  it('the API documents the entities routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of [
      '/api/v1/entities',
      '/api/v1/entities/{id}',
      '/api/v1/entities/import',
      '/api/v1/entities/{id}/focal-points',
    ])
      assert.ok(doc.paths[p], p);
  });
});
