/**
 * Single sign-on for staff, in Chromium, against a real OpenID Connect provider (oidc-provider) on loopback:
 * authorization code with PKCE, the ID token checked by openid-client, the staff account linked by its verified
 * e-mail on first use and found by issuer and subject afterwards; a participant's or an unverified address is
 * refused on the sign-in page, in the reader's language; a callback without the flow's cookie is refused.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { personIdentities } from '../../src/modules/accounts/accounts.schema.js';
import { createPerson } from '../helpers/actors.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { browserSkipReason, launchChromium } from '../helpers/browser.js';

const skip = browserSkipReason();

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('single sign-on for staff (OpenID Connect)', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let idp: http.Server;
  let base: string;
  const staffEmail = `protocol.officer.${Date.now()}@itu.test`;
  const participantEmail = `participant.${Date.now()}@example.org`;
  const claims: Record<string, Record<string, unknown>> = {};

  before(async () => {
    idp = http.createServer();
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    const issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const appPort = await freePort();
    base = `http://127.0.0.1:${appPort}`;
    Object.assign(claims, {
      'staff-1': { sub: 'staff-1', email: staffEmail.toUpperCase(), email_verified: true },
      'participant-1': { sub: 'participant-1', email: participantEmail, email_verified: true },
      'unverified-1': { sub: 'unverified-1', email: staffEmail, email_verified: false },
    });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'convene',
          client_secret: 'a-test-client-secret-of-some-length',
          redirect_uris: [`${base}/auth/sso/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      findAccount: (_ctx, id) => ({ accountId: id, claims: () => (claims[id] ?? { sub: id }) as { sub: string } }),
      cookies: { keys: ['a-test-cookie-key'] },
      features: { devInteractions: { enabled: true } },
    });
    idp.on('request', provider.callback());
    t = await buildTestApp({
      env: {
        CONVENE_PUBLIC_URL: base,
        CONVENE_OIDC_ISSUER: issuer,
        CONVENE_OIDC_CLIENT_ID: 'convene',
        CONVENE_OIDC_CLIENT_SECRET: 'a-test-client-secret-of-some-length',
        CONVENE_OIDC_LABEL: 'ITU staff account',
      },
    });
    await t.app.listen({ port: appPort, host: '127.0.0.1' });
    await createPerson(t, { role: 'staff', capabilities: ['registration.review'], email: staffEmail });
    await createPerson(t, { email: participantEmail });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await new Promise<void>((r) => (idp ? idp.close(() => r()) : r()));
  });

  /** Through the provider's own sign-in and consent pages, as `login`; ends wherever the app sends the browser. */
  async function signOn(login: string, lc = 'en') {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/${lc}/sign-in`);
    await page.locator('.sso a.button').click();
    await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'anything');
    await page.click('button[type=submit]');
    // Consent to share the e-mail address, the first time.
    if (await page.locator('input[name=prompt][value=consent]').count()) await page.click('button[type=submit]');
    await page.waitForURL(new RegExp(`^${base}/`));
    return { context, page };
  }

  it('staff sign on with the organisation account, linked by verified e-mail, then by subject', async () => {
    const { context, page } = await signOn('staff-1');
    assert.match(page.url(), /\/en\/account$/);
    const cookies = await context.cookies(base);
    assert.ok(cookies.some((c) => c.name === 'cvn_session' && c.httpOnly));
    const links = await t.database.db.select().from(personIdentities).where(eq(personIdentities.subject, 'staff-1'));
    assert.equal(links.length, 1);
    // The person's data export says which sign-on identity is linked.
    const session = cookies.find((c) => c.name === 'cvn_session')!.value;
    const exported = await t.app.inject({ url: '/api/v1/me/export', headers: { cookie: `cvn_session=${session}` } });
    assert.equal(exported.statusCode, 200);
    assert.deepEqual(
      (exported.json() as { singleSignOn: { subject: string }[] }).singleSignOn.map((i) => i.subject),
      ['staff-1'],
    );
    await context.close();
    // The provider's address changes: the link by subject still finds the same account.
    claims['staff-1'].email = 'renamed@itu.test';
    const again = await signOn('staff-1');
    assert.match(again.page.url(), /\/en\/account$/);
    await again.context.close();
  });

  it('a participant is refused, and told how to sign in, in their language', async () => {
    const { context, page } = await signOn('participant-1', 'fr');
    assert.match(page.url(), /\/fr\/sign-in\?sso_error=sso_not_staff$/);
    assert.match(await page.locator('.error-summary, [role=alert]').first().innerText(), /réservée au personnel/);
    assert.ok(!(await context.cookies(base)).some((c) => c.name === 'cvn_session'));
    await context.close();
  });

  it('an address the provider has not verified is not linked', async () => {
    const { context, page } = await signOn('unverified-1');
    assert.match(page.url(), /sso_error=sso_email_unverified$/);
    await context.close();
  });

  it('a callback without the flow’s signed cookie is refused', async () => {
    const res = await t.app.inject({ url: '/auth/sso/callback?code=stolen&state=guessed' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/en/sign-in?sso_error=sso_expired');
  });
});
