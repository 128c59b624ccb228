import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, desc, eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { authSessions, people } from './accounts.schema.js';
import { entities } from '../entities/index.js';

/** The link in the newest mail job to `to`. */
async function lastMailLink(t: TestApp, to: string): Promise<{ template: string; link: string; locale: string }> {
  const rows = await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send')).orderBy(desc(jobs.id));
  const job = rows.find((j) => (j.payload as { to: string }).to === to);
  assert.ok(job, `no mail to ${to}`);
  const p = job.payload as { template: string; locale: string; params: { link?: string } };
  return { template: p.template, link: p.params.link ?? '', locale: p.locale };
}
const pathOf = (link: string) => new URL(link).pathname;

describe('accounts: sign-up, sign-in, reset, sessions', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('signs up in Arabic with names as typed, verifies by e-mail, signs in, and the session id changes at sign-in', async () => {
    const c = await client(t);
    const res = await c.inject({
      method: 'POST',
      url: '/ar/sign-up',
      form: {
        email: 'Minister@Example.ORG',
        password: 'a long enough password',
        givenName: 'ليلى',
        familyName: 'الحسيني',
        preferredLocale: 'ar',
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /minister@example\.org/);
    const mail = await lastMailLink(t, 'minister@example.org');
    assert.equal(mail.template, 'verify_email');
    assert.equal(mail.locale, 'ar');

    const early = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: 'minister@example.org', password: 'a long enough password' },
    });
    assert.equal(early.statusCode, 403, 'not before the address is confirmed');

    assert.equal((await c.inject({ method: 'GET', url: pathOf(mail.link) })).statusCode, 200);
    assert.equal((await c.inject({ method: 'GET', url: pathOf(mail.link) })).statusCode, 400, 'a link works once');

    const signIn = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: 'minister@example.org', password: 'a long enough password' },
    });
    assert.equal(signIn.statusCode, 303);
    const cookie = signIn.cookies.find((x) => x.name === 'cvn_session')!;
    assert.ok(cookie.httpOnly);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.secure, undefined, 'not Secure on http://localhost');
    const again = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: 'minister@example.org', password: 'a long enough password' },
    });
    assert.notEqual(
      again.cookies.find((x) => x.name === 'cvn_session')!.value,
      cookie.value,
      'a new session id at each sign-in',
    );

    const account = await c.inject({ method: 'GET', url: '/en/account' });
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /value="ليلى"/);
    assert.equal(account.headers['cache-control'], 'no-store');
  });

  const same = (body: string, email: string) =>
    body
      .split(email)
      .join('X')
      .replace(/name="_csrf" value="[^"]+"/g, '');

  it('does not tell whether an address has an account', async () => {
    const p = await createPerson(t);
    const c = await client(t);
    const wrong = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: p.email, password: 'not the password' },
    });
    const none = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: 'nobody@example.org', password: 'not the password' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(none.statusCode, 401);
    assert.equal(same(wrong.body, p.email), same(none.body, 'nobody@example.org'));
    const linkKnown = await c.inject({ method: 'POST', url: '/en/sign-in/link', form: { email: p.email } });
    const linkUnknown = await c.inject({
      method: 'POST',
      url: '/en/sign-in/link',
      form: { email: 'nobody@example.org' },
    });
    assert.equal(linkKnown.statusCode, linkUnknown.statusCode);
    assert.equal(same(linkKnown.body, p.email), same(linkUnknown.body, 'nobody@example.org'));
    const resetKnown = await c.inject({ method: 'POST', url: '/en/password/forgot', form: { email: p.email } });
    const resetUnknown = await c.inject({
      method: 'POST',
      url: '/en/password/forgot',
      form: { email: 'nobody@example.org' },
    });
    assert.equal(same(resetKnown.body, p.email), same(resetUnknown.body, 'nobody@example.org'));
    const signUpTaken = await c.inject({
      method: 'POST',
      url: '/en/sign-up',
      form: { email: p.email, password: 'another password!', givenName: 'A', familyName: 'B', preferredLocale: 'en' },
    });
    assert.equal(signUpTaken.statusCode, 200);
    assert.equal((await lastMailLink(t, p.email)).template, 'sign_in_link', 'the owner is told, not the visitor');
  });

  it('locks an account after repeated failures, then the right password is refused too', async () => {
    const p = await createPerson(t);
    const c = await client(t);
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await c.inject({ method: 'POST', url: '/en/sign-in', form: { email: p.email, password: `wrong ${i}` } }))
          .statusCode,
        401,
      );
    const locked = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: p.email, password: 'wrong again' },
    });
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal(
      (await c.inject({ method: 'POST', url: '/en/sign-in', form: { email: p.email, password: p.password } }))
        .statusCode,
      429,
    );
    t.clock.advance(16 * 60_000);
    assert.equal(
      (await c.inject({ method: 'POST', url: '/en/sign-in', form: { email: p.email, password: p.password } }))
        .statusCode,
      303,
    );
  });

  it('signs in with an e-mailed link (through a confirmation button)', async () => {
    const p = await createPerson(t, { locale: 'fr' });
    const c = await client(t);
    await c.inject({ method: 'POST', url: '/en/sign-in/link', form: { email: p.email } });
    const mail = await lastMailLink(t, p.email);
    assert.equal(mail.template, 'sign_in_link');
    assert.match(mail.link, /\/fr\/sign-in\/link\//);
    const view = await c.inject({ method: 'GET', url: pathOf(mail.link) });
    assert.equal(view.statusCode, 200);
    assert.equal(
      view.cookies.find((x) => x.name === 'cvn_session'),
      undefined,
      'opening the link does not sign in',
    );
    const go = await c.inject({ method: 'POST', url: pathOf(mail.link), form: {} });
    assert.equal(go.statusCode, 303);
    assert.equal((await c.inject({ method: 'GET', url: '/fr/account' })).statusCode, 200);
    t.clock.advance(31 * 60_000);
    await c.inject({ method: 'POST', url: '/en/sign-in/link', form: { email: p.email } });
    const late = await lastMailLink(t, p.email);
    t.clock.advance(31 * 60_000);
    assert.equal(
      (await c.inject({ method: 'POST', url: pathOf(late.link), form: {} })).statusCode,
      400,
      'expired after 30 minutes',
    );
  });

  it('resets a password: every session ends, the new password works', async () => {
    const p = await createPerson(t);
    const other = await client(t, p);
    assert.equal((await other.inject({ method: 'GET', url: '/en/account' })).statusCode, 200);
    const c = await client(t);
    await c.inject({ method: 'POST', url: '/en/password/forgot', form: { email: p.email } });
    const mail = await lastMailLink(t, p.email);
    assert.equal(mail.template, 'password_reset');
    const weak = await c.inject({ method: 'POST', url: pathOf(mail.link), form: { password: 'short' } });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /aria-invalid="true"/);
    assert.equal(
      (await c.inject({ method: 'POST', url: pathOf(mail.link), form: { password: 'a brand new password' } }))
        .statusCode,
      200,
    );
    assert.equal(
      (await other.inject({ method: 'GET', url: '/en/account' })).statusCode,
      401,
      'old sessions are revoked',
    );
    assert.equal(
      (
        await c.inject({
          method: 'POST',
          url: '/en/sign-in',
          form: { email: p.email, password: 'a brand new password' },
        })
      ).statusCode,
      303,
    );
  });

  it('signs out, and out of every session', async () => {
    const p = await createPerson(t);
    const a = await client(t, p);
    const res = await a.inject({ method: 'POST', url: '/en/account/sign-out-everywhere', form: {} });
    assert.equal(res.statusCode, 303);
    const live = await t.database.db.select().from(authSessions).where(eq(authSessions.personId, p.id));
    assert.ok(live.every((s) => s.revokedAt));
    assert.equal((await a.inject({ method: 'GET', url: '/en/account' })).statusCode, 401);
  });

  it('refuses a form without its CSRF token', async () => {
    const p = await createPerson(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/en/account/sign-out-everywhere',
      payload: '',
      headers: { cookie: `cvn_session=${p.sessionToken}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /expired|reload/i);
    const live = await t.database.db
      .select()
      .from(authSessions)
      .where(and(eq(authSessions.personId, p.id)));
    assert.ok(
      live.some((s) => !s.revokedAt),
      'nothing changed',
    );
  });

  it('keeps profile edits that are valid, refuses the rest with field errors, and escapes what was typed', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const bad = await c.inject({
      method: 'POST',
      url: '/fr/account',
      form: { givenName: 'x'.repeat(101), familyName: 'Ok\u0007', preferredLocale: 'fr', honorific: '' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="givenName-error"/);
    assert.match(bad.body, /id="familyName-error"/);
    const [unchanged] = await t.database.db.select().from(people).where(eq(people.id, p.id));
    assert.match(unchanged.givenName, /^Given/);
    const ok = await c.inject({
      method: 'POST',
      url: '/en/account',
      form: {
        honorific: 'H.E.',
        givenName: '<script>alert(1)</script>',
        familyName: 'Соколова',
        givenNameLatin: 'Irina',
        familyNameLatin: 'Sokolova',
        jobTitle: 'Minister',
        function: 'Minister',
        nationality: 'RU',
        preferredLocale: 'ru',
      },
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/ru/account?done=saved');
    const page = await c.inject({ method: 'GET', url: '/ru/account' });
    assert.ok(!page.body.includes('<script>alert(1)</script>'));
    assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>') || page.body.includes('&lt;script&gt;'));
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, p.id), eq(auditLog.action, 'accounts.profile_updated')));
    assert.deepEqual(entry.changes.familyName, [
      `Family${entry.changes.familyName[0]!.toString().slice(6)}`,
      'Соколова',
    ]);
    assert.equal(entry.actor, p.id);
  });

  it('exports everything about me, without secrets', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const res = await c.inject({ method: 'GET', url: '/en/account/export.json' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-disposition'] as string, /attachment/);
    const data = res.json();
    assert.equal(data.person.email, p.email);
    assert.equal(data.person.passwordHash, undefined);
    assert.ok(data.sessions.length >= 1);
    assert.ok(!res.body.includes(p.sessionToken));
  });
});

describe('accounts: API tokens, roles and erasure', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('creates a token shown once, uses it as Bearer, revokes it', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const created = await c.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: { name: 'sync script', days: 30 },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { token, id } = created.json();
    assert.match(token, /^cvn_/);
    const me = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().email, p.email);
    const list = await t.app.inject({ url: '/api/v1/me/tokens', headers: { authorization: `Bearer ${token}` } });
    assert.ok(!list.body.includes(token), 'never shown again');
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(del.statusCode, 204);
    assert.equal(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
      401,
    );
    assert.equal(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer cvn_made_up' } })).json().code,
      'unauthenticated',
    );
  });

  it('a cookie-authenticated API write needs the CSRF header', async () => {
    const p = await createPerson(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: { name: 'x' },
      headers: { cookie: `cvn_session=${p.sessionToken}` },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'csrf_invalid');
  });

  it('malformed JSON and bad fields are 400 with the reason, in the caller’s language', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const broken = await c.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: '{"name": ',
      headers: { 'content-type': 'application/json', 'x-csrf-token': c.csrf, 'accept-language': 'fr' },
    });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().code, 'invalid_json');
    const long = await c.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      payload: { name: 'n'.repeat(200) },
      headers: { 'x-csrf-token': c.csrf, 'accept-language': 'fr' },
    });
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().code, 'invalid_input');
    assert.equal(long.json().errors[0].field, 'name');
    assert.doesNotMatch(long.json().errors[0].message, /Too big/, 'in French');
  });

  it('administrators set roles; the last administrator cannot step down', async () => {
    const admin = await createPerson(t, { role: 'admin' });
    const p = await createPerson(t);
    const c = await client(t, admin);
    const res = await c.inject({
      method: 'PUT',
      url: `/api/v1/people/${p.id}/role`,
      payload: { role: 'staff', capabilities: ['registration.review'] },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().capabilities, ['registration.review']);
    const unknown = await c.inject({
      method: 'PUT',
      url: `/api/v1/people/${p.id}/role`,
      payload: { role: 'staff', capabilities: ['everything'] },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(unknown.json().code, 'unknown_capability');
    const last = await c.inject({
      method: 'PUT',
      url: `/api/v1/people/${admin.id}/role`,
      payload: { role: 'participant' },
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(last.statusCode, 409);
    assert.equal(last.json().code, 'last_admin');
  });

  it('erasure keeps an anonymous row and ends every way in', async () => {
    const admin = await createPerson(t, { role: 'admin' });
    const p = await createPerson(t);
    const self = await client(t, p);
    assert.equal((await self.inject({ method: 'POST', url: '/en/account/erase', form: {} })).statusCode, 303);
    const c = await client(t, admin);
    const res = await c.inject({
      method: 'POST',
      url: `/api/v1/people/${p.id}/erase`,
      headers: { 'x-csrf-token': c.csrf },
    });
    assert.equal(res.statusCode, 204);
    const [row] = await t.database.db.select().from(people).where(eq(people.id, p.id));
    assert.equal(row.email, null);
    assert.equal(row.givenName, '');
    assert.ok(row.erasedAt);
    assert.equal(row.role, 'participant', 'counts for statistics stay');
    assert.equal((await self.inject({ method: 'GET', url: '/en/account' })).statusCode, 401);
    const actions = (await t.database.db.select().from(auditLog).where(eq(auditLog.subjectId, p.id))).map(
      (a) => a.action,
    );
    assert.ok(actions.includes('accounts.erasure_requested') && actions.includes('accounts.erased'));
  });
});

describe('accounts: deployment details', () => {
  it('sends Secure cookies when the site is served over https', async () => {
    const t = await buildTestApp({ env: { CONVENE_PUBLIC_URL: 'https://wsis.example.org' } });
    try {
      const p = await createPerson(t);
      const c = await client(t);
      const res = await c.inject({
        method: 'POST',
        url: '/en/sign-in',
        form: { email: p.email, password: p.password },
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.cookies.find((x) => x.name === 'cvn_session')!.secure, true);
    } finally {
      await t.close();
    }
  });

  it('limits requests per address, whatever the accounts tried', async () => {
    const t = await buildTestApp();
    try {
      const c = await client(t);
      const codes: number[] = [];
      for (let i = 0; i < 32; i++) {
        const res = await c.inject({
          method: 'POST',
          url: '/en/password/forgot',
          form: { email: `someone${i}@example.org` },
          remoteAddress: '203.0.113.7',
        } as never);
        codes.push(res.statusCode);
      }
      assert.deepEqual(codes.slice(0, 30), Array(30).fill(200));
      assert.equal(codes[30], 429);
      const other = await c.inject({
        method: 'POST',
        url: '/en/password/forgot',
        form: { email: 'x@example.org' },
        remoteAddress: '203.0.113.8',
      } as never);
      assert.equal(other.statusCode, 200, 'another address is not affected');
    } finally {
      await t.close();
    }
  });

  it('a person names their administration; the audit records the change', async () => {
    const t = await buildTestApp();
    try {
      const p = await createPerson(t);
      const c = await client(t, p);
      const [ch] = await t.database.db.select().from(entities).where(eq(entities.code, 'CH'));
      const res = await c.inject({
        method: 'POST',
        url: '/en/account',
        form: {
          givenName: 'Anna',
          familyName: 'Muster',
          preferredLocale: 'en',
          honorific: '',
          entityId: String(ch.id),
        },
      });
      assert.equal(res.statusCode, 303);
      const [row] = await t.database.db.select().from(people).where(eq(people.id, p.id));
      assert.equal(row.entityId, ch.id);
      const bad = await c.inject({
        method: 'POST',
        url: '/en/account',
        form: { givenName: 'Anna', familyName: 'Muster', preferredLocale: 'en', honorific: '', entityId: '999999' },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(
        (await t.database.db.select().from(people).where(eq(people.id, p.id)))[0].entityId,
        ch.id,
        'nothing lost',
      );
    } finally {
      await t.close();
    }
  });
});
