/**
 * The organiser settings page in Chromium (issue 15 §7): an administrator uploads a logo through the file input and
 * saves a name, in English and Arabic, at 360 and 1366 px; the page fits the screen, has no serious axe violation,
 * and the header shows the new name and logo. Screenshots in test-results/screenshots/organiser-*.png.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

describe('organiser settings in a browser', { skip }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let admin: TestPerson;
  let logoFile: string;
  before(async () => {
    env = await startBrowserApp();
    admin = await createPerson(env.t, { role: 'admin' });
    logoFile = path.join(SCREENSHOTS, 'organiser-logo-upload.png');
    fs.writeFileSync(
      logoFile,
      await sharp({ create: { width: 300, height: 120, channels: 4, background: '#1d4f91' } })
        .png()
        .toBuffer(),
    );
  });
  after(() => env?.close());

  for (const lc of ['en', 'ar'] as const)
    for (const width of [360, 1366])
      it(`${lc} at ${width} px: fits, uploads a logo, saves a name, shows them in the header`, async () => {
        const context = await env.browser.newContext({ viewport: { width, height: 900 }, locale: lc, bypassCSP: true });
        await context.addCookies([{ name: 'cvn_session', value: admin.sessionToken, url: env.base }]);
        const page = await context.newPage();
        await page.goto(`${env.base}/${lc}/admin/organiser`);
        await page.setInputFiles('#f-logo', logoFile);
        await Promise.all([page.waitForURL(/done=logo/), page.click('form[action$="/organiser/logo"] button')]);
        const name = lc === 'ar' ? 'المكتب التجريبي' : 'Test Office';
        await page.fill(`#f-name_${lc}`, name);
        await Promise.all([page.waitForURL(/done=saved/), page.click('form[action$="/admin/organiser"] button')]);
        assert.equal(await page.textContent('.brand-org-name'), name);
        assert.ok(await page.isVisible('img.brand-logo'), 'the logo is in the header');
        const logoOk = await page.evaluate(
          () => (document.querySelector('img.brand-logo') as HTMLImageElement).naturalWidth,
        );
        assert.ok(logoOk > 0, 'the logo loads');
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= width, `document ${wide} px wide at ${width}`);
        assert.ok(await page.isVisible('h1'));
        assert.deepEqual(await seriousViolations(page), []);
        await page.screenshot({ path: path.join(SCREENSHOTS, `organiser-${lc}-${width}.png`), fullPage: true });
        await context.close();
      });
});
