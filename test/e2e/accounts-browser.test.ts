/** Sign-up, e-mail confirmation and sign-in in a real browser, in Arabic; accessibility of the account pages. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { jobs } from '../../src/platform/platform.schema.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();
const shots = SCREENSHOTS;

describe('accounts in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
  });
  after(() => close?.());

  it('a participant signs up in Arabic, confirms the address from the e-mail, signs in and edits their profile', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/ar/sign-up`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.deepEqual(await seriousViolations(page), []);
    await page.fill('input[name="givenName"]', 'ليلى');
    await page.fill('input[name="familyName"]', 'الحسيني');
    await page.fill('input[name="email"]', 'leila@example.org');
    await page.fill('input[name="password"]', 'a long enough password');
    await page.screenshot({ path: `${shots}/sign-up-ar.png`, fullPage: true });
    await page.click('form.stack button[type="submit"]');
    await page.waitForSelector('h1');

    const [job] = await t.database.db
      .select()
      .from(jobs)
      .where(eq(jobs.kind, 'mail.send'))
      .orderBy(desc(jobs.id))
      .limit(1);
    const link = new URL((job.payload as { params: { link: string } }).params.link);
    await page.goto(base + link.pathname);
    await page.goto(`${base}/ar/sign-in`);
    assert.deepEqual(await seriousViolations(page), []);
    await page.fill('form[action="/ar/sign-in"] input[name="email"]', 'leila@example.org');
    await page.fill('form[action="/ar/sign-in"] input[name="password"]', 'a long enough password');
    await Promise.all([
      page.waitForURL(/\/ar\/account$/),
      page.click('form[action="/ar/sign-in"] button[type="submit"]'),
    ]);
    assert.equal(await page.inputValue('input[name="givenName"]'), 'ليلى');
    assert.deepEqual(await seriousViolations(page), []);
    await page.fill('input[name="givenNameLatin"]', 'Leila');
    await page.fill('input[name="familyNameLatin"]', 'Al-Husseini');
    await Promise.all([page.waitForURL(/done=saved/), page.click('form[action="/ar/account"] button[type="submit"]')]);
    assert.equal(await page.inputValue('input[name="familyNameLatin"]'), 'Al-Husseini');
    await page.screenshot({ path: `${shots}/account-ar.png`, fullPage: true });
    await context.close();
  });
});
