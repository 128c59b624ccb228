/**
 * Every input answered cleanly (issue 13 §4): text PostgreSQL cannot store is refused centrally with 400
 * `text_unstorable` (translated), a multipart body to the JSON API with 415, bidirectional controls in names with a
 * clear message; joiners that scripts need stay allowed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { people } from '../src/modules/accounts/accounts.schema.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { client, createPerson, type Client } from './helpers/actors.js';

describe('input guard', () => {
  let t: TestApp;
  let me: Client;
  let meId: string;
  before(async () => {
    t = await buildTestApp();
    const p = await createPerson(t);
    meId = p.id;
    me = await client(t, p);
  });
  after(() => t.close());

  it('refuses a NUL in a path or a query with 400 text_unstorable, on pages and the API, in the visitor’s language', async () => {
    for (const url of [
      '/en/programme?q=%00',
      '/api/v1/sessions/%00',
      '/api/v1/sessions/HLT-01%00',
      '/fr/programme?q=a%00b',
      '/api/v1/events?x=%00',
      '/en/nowhere/%00',
    ]) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 400, `${url} → ${res.statusCode}`);
      if (url.startsWith('/api/')) assert.equal(res.json().code, 'text_unstorable', url);
    }
    const fr = await t.app.inject({ url: '/fr/programme?q=%00' });
    assert.match(fr.body, /ne peuvent pas être enregistrés/);
  });

  it('refuses NUL, unpaired surrogates and invalid UTF-8 in JSON bodies; a valid body still works', async () => {
    const send = (payload: string | Buffer) =>
      me.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        payload,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf },
      });
    for (const body of [
      '{"name":"a\\u0000b"}',
      '{"name":"\\ud800"}',
      '{"name":"x\\udc00y"}',
      '{"na\\u0000me":"ok"}',
      Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    ]) {
      const res = await send(body);
      assert.equal(res.statusCode, 400, `${body} → ${res.statusCode} ${res.body}`);
      assert.equal(res.json().code, 'text_unstorable');
    }
    const ok = await send(JSON.stringify({ name: 'Téléphone 😀 عربي' }));
    assert.equal(ok.statusCode, 201, ok.body);
    // A form body (pages) is walked too.
    const form = await me.inject({
      method: 'POST',
      url: '/en/account/tokens',
      payload: `_csrf=${encodeURIComponent(me.csrf)}&name=a%00b`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.statusCode, 400);
  });

  it('answers a number the database cannot hold with 400, not 500 (found by the fuzz test on PostgreSQL)', async () => {
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    const res = await admin.inject({ url: '/api/v1/badge-batches/2147483648' });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'bad_request');
  });

  it('answers a multipart body to a JSON route with 415', async () => {
    const boundary = '----x';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nabc\r\n--${boundary}--\r\n`;
    for (const url of ['/api/v1/me/tokens', '/api/v1/registrations']) {
      const res = await me.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': me.csrf },
      });
      assert.equal(res.statusCode, 415, `${url} → ${res.statusCode}`);
      assert.equal(res.json().code, 'unsupported_media_type');
    }
  });

  it('refuses bidirectional override and isolate controls in names, allows ZWJ and ZWNJ', async () => {
    const save = (givenName: string, locale = 'en') =>
      me.inject({
        method: 'POST',
        url: `/${locale}/account`,
        form: { givenName, familyName: 'Family', preferredLocale: locale },
      });
    for (const c of ['\u202e', '\u202a', '\u2066', '\u2069']) {
      const res = await save(`Amina${c}gpj.exe`);
      assert.equal(res.statusCode, 400, JSON.stringify(c));
      assert.match(res.body, /text-direction controls/);
    }
    const ar = await save('أمينة\u202e', 'ar');
    assert.match(ar.body, /رموز خفية للتحكم في اتجاه النص/);
    // Persian needs ZWNJ, Indic scripts ZWJ.
    assert.equal((await save('می\u200cخواهم')).statusCode, 303);
    assert.equal((await save('क्\u200dष')).statusCode, 303);
    const [row] = await t.database.db.select().from(people).where(eq(people.id, meId));
    assert.equal(row.givenName, 'क्\u200dष');
    // The API says the same, with the field.
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    const vip = await admin.inject({
      method: 'POST',
      headers: { 'x-csrf-token': admin.csrf },
      url: '/api/v1/registrations/vip',
      payload: {
        entityId: 1,
        email: 'bidi@example.org',
        givenName: 'Awa\u202e',
        familyName: 'N',
        events: ['wsis-forum-2026'],
        mode: 'in_person',
      },
    });
    assert.equal(vip.statusCode, 400, vip.body);
    assert.ok(vip.json().errors.some((e: { field: string }) => e.field === 'givenName'));
  });
});
