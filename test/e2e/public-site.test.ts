/** The public site in a real browser: English and Arabic, filters without JavaScript, accessibility by axe-core. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { axeViolations, browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();
const shots = SCREENSHOTS;

describe('public site in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let sessionCode: string;

  let close: () => Promise<void>;

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
    const list = (await t.app.inject({ url: '/api/v1/events/wsis-high-level-track-2026/sessions' })).json();
    sessionCode = list.sessions[0].code;
  });
  after(() => close?.());

  async function open(path: string, opts: { js?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      javaScriptEnabled: opts.js ?? true,
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const res = await page.goto(base + path);
    assert.equal(res?.status(), 200, path);
    return page;
  }

  it('home in English: left-to-right, every event on the timeline', async () => {
    const page = await open('/en/');
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    assert.equal(await page.locator('h1').innerText(), 'The summit week at a glance');
    assert.equal(await page.locator('.timeline-row:not(.timeline-head)').count(), 6);
    await page.screenshot({ path: `${shots}/home-en.png`, fullPage: true });
    await page.context().close();
  });

  it('home in Arabic: right-to-left, and the layout really mirrors', async () => {
    const page = await open('/ar/');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    const brand = (await page.locator('.brand').boundingBox())!;
    const nav = (await page.locator('.main-nav').boundingBox())!;
    assert.ok(brand.x > nav.x + nav.width, 'the brand on the right, the main navigation on the left');
    const first = (await page.locator('.lang-switch li').first().boundingBox())!;
    const last = (await page.locator('.lang-switch li').last().boundingBox())!;
    assert.ok(first.x > last.x, 'the languages run from right to left');
    const name = (await page.locator('.timeline-name').first().boundingBox())!;
    const bar = (await page.locator('.timeline-bar').first().boundingBox())!;
    assert.ok(name.x > bar.x, 'timeline labels on the right, bars run leftwards');
    await page.screenshot({ path: `${shots}/home-ar.png`, fullPage: true });
    await page.context().close();
  });

  it('the language switcher keeps the page', async () => {
    const page = await open('/en/programme?day=2026-07-08');
    await page.locator('.lang-switch a[hreflang="fr"]').click();
    await page.waitForURL(/\/fr\/programme\?day=2026-07-08$/);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.context().close();
  });

  for (const lc of ['en', 'ar']) {
    it(`the programme filters work without JavaScript (${lc})`, async () => {
      const page = await open(`/${lc}/programme`, { js: false });
      const all = await page.locator('li.session').count();
      await page.selectOption('select[name="day"]', '2026-07-09');
      await page.selectOption('select[name="event"]', 'wsis-forum-2026');
      await Promise.all([
        page.waitForURL(/day=2026-07-09/),
        page.locator('form.filters button[type="submit"]').click(),
      ]);
      const filtered = await page.locator('li.session').count();
      assert.ok(filtered > 0 && filtered < all, `${filtered} of ${all}`);
      assert.deepEqual(await page.locator('section.day h2').evaluateAll((hs) => hs.length), 1);
      assert.equal(await page.inputValue('select[name="day"]'), '2026-07-09');
      await page.screenshot({ path: `${shots}/programme-${lc}.png`, fullPage: false });
      await page.context().close();
    });
  }

  for (const lc of ['en', 'ar']) {
    it(`axe-core finds no serious or critical violation on the public pages (${lc})`, async () => {
      const paths = [
        '/',
        '/programme',
        '/programme?line=C5',
        '/events/wsis-forum-2026',
        '/events/regulators-roundtable-2026',
        `/sessions/${sessionCode}`,
      ];
      const problems: string[] = [];
      for (const p of paths) {
        const page = await open(`/${lc}${p}`);
        const result = await axeViolations(page, ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']);
        for (const v of result)
          if (v.impact === 'serious' || v.impact === 'critical')
            problems.push(`${lc}${p}: ${v.impact} ${v.id} at ${v.targets.join(' | ')}`);
        await page.context().close();
      }
      assert.deepEqual(problems, []);
    });
  }

  it('a session page in Arabic shows Latin names and times the right way round', async () => {
    const page = await open(`/ar/sessions/${sessionCode}`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.match(await page.locator('.time').first().innerText(), /\d\d:\d\d/);
    await page.screenshot({ path: `${shots}/session-ar.png`, fullPage: true });
    await page.context().close();
  });
});
