/** The statistics dashboard in Chromium, in English and Arabic, on a desktop and a phone: the map names its countries. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { countryName } from '../../src/platform/i18n/countries.js';
import fs from 'node:fs';
import path from 'node:path';
import { getFigures, getListOfParticipants, lopJobHandlers } from '../../src/modules/reports/index.js';
import { runDueJobs } from '../../src/platform/jobs.js';
import { fullName } from '../../src/platform/i18n/names.js';
import { needPoppler, pdfText, pdfToPngs, RESULTS } from '../helpers/pdf.js';
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

  it('the List of Participants made by the worker: its page follows the progress by itself, then the PDF shows a Member State heading and its head of delegation first (PNG)', async (tc) => {
    if (!needPoppler(tc)) return;
    const lop = await getListOfParticipants(t.ctx(), {}, 'en');
    const g = lop.groups.find((x) => x.kind === 'member_state' && x.entries.length >= 2)!;
    assert.ok(g, 'a delegation of two or more');
    const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true });
    await context.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/en/reports/list-of-participants`);
    await page.selectOption('select[name="lang"]', 'en');
    await page.selectOption('select[name="edition"]', 'provisional');
    await Promise.all([page.waitForURL(/\/editions\/\d+/), page.click('form.filters button[type="submit"]')]);
    assert.equal(await page.getAttribute('.lop-edition', 'data-state'), 'queued');
    await page.screenshot({ path: `${SCREENSHOTS}/lop-edition-queued-en.png` });
    // The worker (off in tests) runs the job; the page, reloaded by its small script, then offers the files.
    await runDueJobs(t.database.db, t.clock, lopJobHandlers(t.database.db, t.clock));
    await page.waitForSelector('.lop-edition[data-state="done"] a.lop-pdf', { timeout: 20_000 });
    await page.screenshot({ path: `${SCREENSHOTS}/lop-edition-done-en.png` });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.lop-download a.lop-pdf')]);
    const dir = path.join(RESULTS, 'lop');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'lop-browser.pdf');
    await download.saveAs(file);
    const txt = pdfText(file);
    const at = txt.indexOf(`\n${g.heading}\n`);
    assert.ok(at >= 0, `the heading ${g.heading}`);
    const rest = txt.slice(at);
    const first = rest.indexOf(`${fullName(g.entries[0])} — Head of Delegation`);
    const second = rest.indexOf(fullName(g.entries[1]));
    assert.ok(first >= 0 && first < second, 'the head of delegation first, marked');
    assert.ok(pdfToPngs(file, path.join(dir, 'lop-browser'), 60, { last: 1 }).length === 1);
    await context.close();
  });

  for (const lc of ['en', 'ar'] as const)
    it(`the List of Participants' pages in ${lc} at 360 and 1366 px: the editions and the order of the entity kinds`, async () => {
      for (const width of [1366, 360]) {
        const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
        await context.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
        const page = await context.newPage();
        for (const [name, url] of [
          ['lop', `/${lc}/reports/list-of-participants`],
          ['lop-order', `/${lc}/reports/list-of-participants/order`],
        ] as const) {
          await page.goto(`${base}${url}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `${name}: no sideways scrolling at ${width}px (${overflow}px)`);
          if (width === 1366) assert.deepEqual(await seriousViolations(page), [], name);
          await page.screenshot({ path: `${SCREENSHOTS}/${name}-${lc}-${width}.png`, fullPage: true });
        }
        await context.close();
      }
    });
});
