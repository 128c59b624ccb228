/**
 * A way in: "Register" on the public pages; signed out, /register explains and offers sign-in and sign-up; both return
 * to where the visitor was going (a same-origin path only); after sign-up the profile comes first, then the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { safeReturnPath } from '../src/platform/http/return-path.js';
import { client, createPerson } from './helpers/actors.js';
import { buildTestApp, type TestApp } from './helpers/app.js';

describe('a way in', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t?.close());

  it('returns only to paths of this site', () => {
    for (const ok of ['/en/register', '/ar/registrations?done=submitted', '/fr/account?next=%2Ffr%2Fregister'])
      assert.equal(safeReturnPath(ok), ok);
    for (const bad of [
      'https://evil.example/en/',
      '//evil.example/en/register',
      '/en//evil.example',
      '/\\evil.example',
      '/en/\\evil',
      'javascript:alert(1)',
      '/xx/register',
      '/en/register\nSet-Cookie: x=1',
      undefined,
      42,
    ])
      assert.equal(safeReturnPath(bad), undefined, String(bad));
  });

  it('the home page and the event pages offer "Register"', async () => {
    for (const url of ['/en/', '/en/events/wsis-forum-2026', '/ar/']) {
      const res = await t.app.inject({ url });
      assert.match(res.body, new RegExp(`<a class="button" href="/${url.slice(1, 3)}/register">`), url);
    }
  });

  it('signed out, /register explains and offers sign-in and sign-up that come back', async () => {
    const res = await t.app.inject({ url: '/en/register' });
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /<h1 id="way-in-title">Register for the summit week<\/h1>/);
    assert.match(res.body, /href="\/en\/sign-in\?next=%2Fen%2Fregister"/);
    assert.match(res.body, /href="\/en\/sign-up\?next=%2Fen%2Fregister"/);
    const ar = await t.app.inject({ url: '/ar/register' });
    assert.match(ar.body, /التسجيل في أسبوع القمة/);
    const other = await t.app.inject({ url: '/fr/registrations' });
    assert.match(other.body, /Connectez-vous pour continuer/);
    assert.match(other.body, /href="\/fr\/sign-in\?next=%2Ffr%2Fregistrations"/);
  });

  it('sign-in returns to the page the visitor came from; a foreign address is ignored', async () => {
    const p = await createPerson(t);
    const c = await client(t);
    await c.inject({ url: '/en/sign-in?next=%2Fen%2Fregister' });
    const res = await c.inject({ method: 'POST', url: '/en/sign-in', form: { email: p.email, password: p.password } });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/en/register');
    const again = await c.inject({ url: '/en/register' });
    assert.equal(again.statusCode, 200, 'signed in, the form');

    const d = await client(t);
    await d.inject({ url: '/en/sign-in?next=%2F%2Fevil.example%2F' });
    const res2 = await d.inject({ method: 'POST', url: '/en/sign-in', form: { email: p.email, password: p.password } });
    assert.equal(res2.headers.location, '/en/account');
  });

  it('sign-up → profile → registration is one guided path', async () => {
    const c = await client(t);
    await c.inject({ url: '/es/sign-up?next=%2Fes%2Fregister' });
    const res = await c.inject({
      method: 'POST',
      url: '/es/sign-up',
      form: {
        givenName: 'Lucía',
        familyName: 'Pérez',
        email: `lucia.${Date.now()}@example.org`,
        password: 'a long enough password',
        preferredLocale: 'es',
      },
    });
    assert.equal(res.statusCode, 200);
    const cookie = (res.cookies as { name: string; value: string }[]).find((x) => x.name === 'cvn_next');
    assert.equal(cookie?.value, '/es/account?next=%2Fes%2Fregister', 'after the e-mail step: the profile first');

    const p = await createPerson(t, { locale: 'es' });
    const me = await client(t, p);
    const page = await me.inject({ url: '/es/account?next=%2Fes%2Fregister' });
    assert.match(page.body, /Revise primero su perfil/);
    assert.match(page.body, /<a href="\/es\/register">Continuar con la inscripción<\/a>/);
    assert.match(page.body, /<input type="hidden" name="next" value="\/es\/register"\/>/);
    const saved = await me.inject({
      method: 'POST',
      url: '/es/account',
      form: { givenName: 'Ana', familyName: 'Ruiz', preferredLocale: 'es', next: '/es/register' },
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/es/register');
  });
});

describe('public pages know who is reading', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t?.close());

  it('a signed-in person sees their links on cached pages; signed out, the same page offers sign-in', async () => {
    const anon1 = await t.app.inject({ url: '/en/programme' });
    assert.match(anon1.body, /href="\/en\/sign-in">Sign in</);
    assert.match(String(anon1.headers['cache-control']), /^public/);

    const p = await createPerson(t);
    const cookie = `cvn_session=${p.sessionToken}`;
    for (const url of ['/en/', '/en/programme', '/en/events/wsis-forum-2026']) {
      const res = await t.app.inject({ url, headers: { cookie } });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /href="\/en\/account">My account</, url);
      assert.match(res.body, /href="\/en\/registrations">Registrations</, url);
      assert.match(res.body, /href="\/en\/sign-out">Sign out</, url);
      assert.doesNotMatch(res.body, /href="\/en\/sign-in"/, url);
      assert.doesNotMatch(res.body, /href="\/en\/admin"/, 'no links the person may not use');
      assert.equal(res.headers['cache-control'], 'private, no-cache', 'never kept by a shared cache');
    }
    // The signed-out page is still the signed-out page, from the same cache.
    const anon2 = await t.app.inject({ url: '/en/programme' });
    assert.equal(anon2.headers.etag, anon1.headers.etag);
    assert.match(anon2.body, /href="\/en\/sign-in">Sign in</);

    // Another person with the same links gets the same cached page (chosen by the links, not by who it is).
    const q = await createPerson(t);
    const other = await t.app.inject({ url: '/en/programme', headers: { cookie: `cvn_session=${q.sessionToken}` } });
    const mine = await t.app.inject({ url: '/en/programme', headers: { cookie } });
    assert.equal(other.headers.etag, mine.headers.etag);
    assert.doesNotMatch(mine.body, new RegExp(p.email));

    const admin = await createPerson(t, { role: 'admin' });
    const adm = await t.app.inject({ url: '/en/programme', headers: { cookie: `cvn_session=${admin.sessionToken}` } });
    assert.match(adm.body, /href="\/en\/admin">Secretariat</);

    // A session that is no longer valid is signed out.
    const stale = await t.app.inject({ url: '/en/programme', headers: { cookie: 'cvn_session=not-a-session' } });
    assert.match(stale.body, /href="\/en\/sign-in">Sign in</);
  });

  it('"Sign out" from a cached page leads to a confirmation with the form', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const res = await c.inject({ url: '/en/sign-out' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="post" action="\/en\/sign-out"/);
    const out = await c.inject({ method: 'POST', url: '/en/sign-out', form: {} });
    assert.equal(out.statusCode, 303);
  });
});
