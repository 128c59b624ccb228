/** The statistics dashboard in Chromium, in English and Arabic, on a desktop and a phone: the map names its countries. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { countryName } from '../../src/platform/i18n/countries.js';
import { getFigures } from '../../src/modules/reports/index.js';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';
import { buildReportWorld } from '../helpers/report-world.js';

const skip = browserSkipReason();

describe('statistics in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  let staff: TestPerson;

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
    await buildReportWorld(t.database.db, { people: 60 });
    staff = await createPerson(t, { role: 'staff', capabilities: ['reports.view'] });
  });
  after(() => close?.());

  for (const lc of ['en', 'ar'] as const) {
    it(`the dashboard in ${lc}: headline numbers, a country on the map with its value as name and tooltip`, async () => {
      const f = await getFigures(t.ctx(), {});
      const top = f.byCountry.find((c) => c.key)!;
      for (const width of [1366, 360]) {
        const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
        await context.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
        const page = await context.newPage();
        await page.goto(`${base}/${lc}/reports`);
        assert.equal(await page.getAttribute('html', 'dir'), lc === 'ar' ? 'rtl' : 'ltr');
        assert.equal(
          (await page.textContent('[data-figure="participants"] .big'))?.trim(),
          String(f.headline.participants),
        );
        const country = page.locator(`#world-map path[data-country="${top.key}"]`);
        const label = `${countryName(lc, top.key!)}: ${top.count}`;
        assert.equal(await country.getAttribute('aria-label'), label);
        assert.equal(await country.locator('title').textContent(), label, 'the tooltip');
        assert.ok(await country.isVisible());
        // accessible name through the accessibility tree, as a screen reader hears it
        assert.ok(await page.getByRole('img', { name: label }).count());
        // the page does not scroll sideways on a phone
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `no sideways scrolling at ${width}px (${overflow}px)`);
        if (width === 1366) assert.deepEqual(await seriousViolations(page), []);
        await page.screenshot({ path: `${SCREENSHOTS}/reports-${lc}-${width}.png`, fullPage: width === 1366 });
        await context.close();
      }
    });
  }
});
