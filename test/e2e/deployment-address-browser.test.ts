/**
 * The platform as a badge desk or a LAN deployment reaches it: over plain HTTP at an address that is not localhost
 * (127.0.0.2, a loopback address browsers treat like any other host, unlike `localhost`, which they deem secure), with
 * CONVENE_PUBLIC_URL naming it — and the page's own Content-Security-Policy in force (no bypass). The stylesheet and
 * scripts load from that address, no CSP violation is reported, cookies are not marked Secure (the browser would drop
 * them over HTTP), and forms submit: sign-up, sign-in and a signed-in form with its CSRF token.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { jobs } from '../../src/platform/platform.schema.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { browserSkipReason, launchChromium, SCREENSHOTS } from '../helpers/browser.js';

const skip = browserSkipReason();
const HOST = '127.0.0.2';

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().on('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** What the browser reports against the page: CSP violations, console errors, failed or redirected-away requests. */
function watch(page: Page, origin: string) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Mixed Content|insecure/i.test(m.text()))
      problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A request the browser itself abandons because the page moved on (the icon of a page left at once) is not a
    // failure of the site: net::ERR_ABORTED. Anything else is (blocked by CSP, refused, reset).
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) problems.push(`left the origin: ${r.url()}`);
  });
  return problems;
}

describe('served over HTTP at a LAN address (127.0.0.2), CSP in force', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  before(async () => {
    const port = await freePort(HOST);
    origin = `http://${HOST}:${port}`;
    t = await buildTestApp({ env: { CONVENE_PUBLIC_URL: origin } });
    await t.app.listen({ port, host: HOST });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('pages are styled and report no CSP violation; sign-up, sign-in and a signed-in form work', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await context.addInitScript(() => {
      (window as unknown as { cspViolations: string[] }).cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const page = await context.newPage();
    const problems = watch(page, origin);
    const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

    const home = await page.goto(`${origin}/en/`);
    assert.equal(home?.status(), 200);
    const csp = home?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/, 'the policy is sent');
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    // The stylesheet arrived over HTTP from this address and applies.
    const sheets = await page.evaluate(() =>
      [...document.styleSheets].map((s) => ({ href: s.href, rules: s.cssRules.length })),
    );
    assert.ok(
      sheets.some((s) => s.href?.startsWith(`${origin}/assets/`) && s.rules > 10),
      JSON.stringify(sheets),
    );
    for (const path of ['/en/programme', '/ar/programme', '/en/programme?q=AI', '/en/sign-in']) {
      const res = await page.goto(origin + path);
      assert.equal(res?.status(), 200, path);
      assert.deepEqual(await violations(), [], path);
    }

    // Sign up (a form with its CSRF token, over HTTP).
    await page.goto(`${origin}/en/sign-up`);
    await page.fill('input[name="givenName"]', 'Kofi');
    await page.fill('input[name="familyName"]', 'Mensah');
    await page.fill('input[name="email"]', 'kofi@example.org');
    await page.fill('input[name="password"]', 'a long enough password');
    const signedUp = page.waitForResponse((r) => r.url() === `${origin}/en/sign-up` && r.request().method() === 'POST');
    await page.click('form.stack button[type="submit"]');
    assert.equal((await signedUp).status(), 200);
    await page.waitForSelector('h1');
    assert.deepEqual(await violations(), []);

    const [job] = await t.database.db
      .select()
      .from(jobs)
      .where(eq(jobs.kind, 'mail.send'))
      .orderBy(desc(jobs.id))
      .limit(1);
    const link = new URL((job.payload as { params: { link: string } }).params.link);
    assert.equal(link.origin, origin, 'links in e-mails name the public address');
    await page.goto(link.toString());

    // Sign in: the session cookie must survive plain HTTP (not Secure), and stay HttpOnly and SameSite.
    await page.goto(`${origin}/en/sign-in`);
    await page.fill('form[action="/en/sign-in"] input[name="email"]', 'kofi@example.org');
    await page.fill('form[action="/en/sign-in"] input[name="password"]', 'a long enough password');
    await Promise.all([
      page.waitForURL(/\/en\/account$/),
      page.click('form[action="/en/sign-in"] button[type="submit"]'),
    ]);
    const cookies = await context.cookies(origin);
    assert.ok(cookies.length > 0);
    for (const c of cookies) {
      assert.equal(c.secure, false, `${c.name} over HTTP`);
      assert.equal(c.domain, HOST);
    }
    const session = cookies.find((c) => c.httpOnly && c.sameSite === 'Lax');
    assert.ok(session, JSON.stringify(cookies));

    // A signed-in form: the profile saves.
    await page.fill('input[name="givenNameLatin"]', 'Kofi');
    await page.fill('input[name="familyNameLatin"]', 'Mensah-Boateng');
    await Promise.all([page.waitForURL(/done=saved/), page.click('form[action="/en/account"] button[type="submit"]')]);
    assert.equal(await page.inputValue('input[name="familyNameLatin"]'), 'Mensah-Boateng');
    assert.deepEqual(await violations(), []);
    await page.screenshot({ path: `${SCREENSHOTS}/lan-address-account-en.png`, fullPage: true });

    assert.deepEqual(problems, []);
    await context.close();
  });
});
