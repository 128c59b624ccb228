/** The Exports page in Chromium, in English and Arabic, on a desk and a phone: filters, preview, downloads. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';
import { buildReportWorld } from '../helpers/report-world.js';

const skip = browserSkipReason();

describe('the Exports page in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  let staff: TestPerson;

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
    await buildReportWorld(t.database.db, { people: 40 });
    staff = await createPerson(t, { role: 'staff', capabilities: ['reports.view'] });
  });
  after(() => close?.());

  for (const lc of ['en', 'ar'] as const)
    it(`filters a list, previews it and downloads it (${lc})`, async () => {
      for (const width of [1366, 360]) {
        const context = await browser.newContext({
          bypassCSP: true,
          viewport: { width, height: 900 },
          acceptDownloads: true,
        });
        await context.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
        const page = await context.newPage();
        await page.goto(`${base}/${lc}/reports`);
        await page.click(`a[href="/${lc}/reports/exports"]`);
        await page.click(`a[href="/${lc}/reports/exports/registrations"]`);
        assert.equal(await page.getAttribute('html', 'dir'), lc === 'ar' ? 'rtl' : 'ltr');
        await page.selectOption('select[name="mode"]', 'remote');
        await page.click('form.filters button[type="submit"]');
        assert.match(page.url(), /mode=remote/);
        assert.ok((await page.locator('table.data tbody tr').count()) > 0, 'a preview');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `no sideways scrolling at ${width}px (${overflow}px)`);
        if (width === 1366) assert.deepEqual(await seriousViolations(page), []);
        await page.screenshot({ path: `${SCREENSHOTS}/reports-exports-${lc}-${width}.png`, fullPage: true });
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.click('a[href*="/download?"][href*="format=csv"]'),
        ]);
        assert.match(download.suggestedFilename(), /^registrations\.csv$/);
        await context.close();
      }
    });
});
