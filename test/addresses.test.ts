/**
 * Addresses and rate limits (issue 13 §2): no proxy is trusted unless CONVENE_TRUST_PROXY says so (a forged
 * X-Forwarded-For neither escapes a limit nor writes its address into the audit trail); sign-in limits per address and
 * per account are separate (a shared NAT's typos lock nobody out); a locked account still signs in by e-mailed link.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { authSessions } from '../src/modules/accounts/accounts.schema.js';
import { ConfigError, loadConfig, parseTrustProxy } from '../src/config.js';
import { jobs } from '../src/platform/platform.schema.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { client, createPerson } from './helpers/actors.js';

describe('CONVENE_TRUST_PROXY', () => {
  it('is off by default, and validated', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ CONVENE_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.deepEqual(loadConfig({ CONVENE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy, [
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
    ]);
    assert.deepEqual(parseTrustProxy('loopback'), ['loopback']);
    assert.equal(parseTrustProxy('off'), false);
    for (const bad of ['true', 'yes please', '10.0.0.0/33', '300.1.1.1', '0.0.0.0/0/1', '99', 'example.org'])
      assert.throws(() => loadConfig({ CONVENE_TRUST_PROXY: bad }), ConfigError, bad);
  });
});

describe('addresses and sign-in limits', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('ignores a forged X-Forwarded-For: the session records the real address', async () => {
    const p = await createPerson(t);
    const c = await client(t);
    const res = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: p.email, password: p.password },
      remoteAddress: '198.51.100.20',
      headers: { 'x-forwarded-for': '1.2.3.4' },
    } as never);
    assert.equal(res.statusCode, 303, res.body);
    // (the test helper's own session has no address)
    const ips = (await t.database.db.select().from(authSessions).where(eq(authSessions.personId, p.id)))
      .map((x) => x.ip)
      .filter(Boolean);
    assert.deepEqual(ips, ['198.51.100.20']);
  });

  it('counts failures per address apart from accounts: 30 typos behind one NAT lock nobody out', async () => {
    const nat = '203.0.113.50';
    const people = await Promise.all(Array.from({ length: 6 }, () => createPerson(t)));
    // 30 wrong passwords from one address, spread over six people (5 each would lock each account: 4 each here).
    for (let i = 0; i < 24; i++) {
      const p = people[i % 6];
      const c = await client(t);
      const r = await c.inject({
        method: 'POST',
        url: '/en/sign-in',
        form: { email: p.email, password: `wrong ${i}` },
        remoteAddress: nat,
      } as never);
      assert.equal(r.statusCode, 401, `attempt ${i}`);
    }
    for (let i = 0; i < 6; i++) {
      const c = await client(t);
      const r = await c.inject({
        method: 'POST',
        url: '/en/sign-in',
        form: { email: `nobody${i}@example.org`, password: 'x' },
        remoteAddress: nat,
      } as never);
      assert.equal(r.statusCode, 401);
    }
    // Then many successful sign-ins from the same address.
    for (const p of [...people, ...(await Promise.all(Array.from({ length: 30 }, () => createPerson(t))))]) {
      const c = await client(t);
      const r = await c.inject({
        method: 'POST',
        url: '/en/sign-in',
        form: { email: p.email, password: p.password },
        remoteAddress: nat,
      } as never);
      assert.equal(r.statusCode, 303, `${p.email}: ${r.statusCode}`);
    }
  });

  it('a locked account still signs in with the e-mailed link; a forged address does not reset the limit', async () => {
    const p = await createPerson(t);
    const c = await client(t);
    for (let i = 0; i < 6; i++)
      await c.inject({
        method: 'POST',
        url: '/en/sign-in',
        form: { email: p.email, password: `wrong ${i}` },
        remoteAddress: '192.0.2.9',
        headers: { 'x-forwarded-for': `10.9.9.${i}` },
      } as never);
    const locked = await c.inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: p.email, password: p.password },
      remoteAddress: '192.0.2.9',
    } as never);
    assert.equal(locked.statusCode, 429);
    const ask = await c.inject({ method: 'POST', url: '/en/sign-in/link', form: { email: p.email } });
    assert.ok(ask.statusCode < 400, `${ask.statusCode}`);
    const rows = await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send')).orderBy(desc(jobs.id));
    const mail = rows.find((j) => (j.payload as { to: string }).to === p.email)!.payload as {
      params: { link: string };
    };
    const go = await c.inject({ method: 'POST', url: new URL(mail.params.link).pathname, form: {} });
    assert.equal(go.statusCode, 303, go.body);
    assert.equal((await c.inject({ url: '/en/account' })).statusCode, 200, 'signed in by the link while locked');
  });
});

describe('Content-Security-Policy', () => {
  it('asks browsers to upgrade to https only when the public address is https', async () => {
    for (const [url, upgrade] of [
      [undefined, false],
      ['http://192.168.1.20:3000', false],
      ['https://convene.example.org', true],
    ] as const) {
      const t = await buildTestApp({ env: url ? { CONVENE_PUBLIC_URL: url } : {} });
      try {
        const csp = String((await t.app.inject({ url: '/en/' })).headers['content-security-policy']);
        assert.equal(csp.includes('upgrade-insecure-requests'), upgrade, `${url}: ${csp}`);
      } finally {
        await t.close();
      }
    }
  });
});
