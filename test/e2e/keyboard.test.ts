/**
 * A participant registers with the keyboard alone: the skip link first, focus always visible, the error summary
 * focused and announced after a failed submit, its link leading to the field, and the success notice focused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

/** The focused element: its name or text, and whether a focus ring is drawn. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const cs = el ? getComputedStyle(el) : null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      name: el?.getAttribute('name') ?? '',
      id: el?.id ?? '',
      text: (el?.innerText ?? '').trim().slice(0, 40),
      submit: el instanceof HTMLButtonElement && el.type === 'submit' && !!el.form?.action.endsWith('/register'),
      ring: !!cs && cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) >= 2,
    };
  });

/** Presses Tab until `pred` holds (at most `max` times), checking the ring at every step. */
async function tabTo(page: Page, pred: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    assert.ok(f.ring || f.tag === 'body', `focus is visible on ${f.tag} ${f.name || f.text}`);
    if (pred(f)) return f;
  }
  throw new Error('not reached by Tab');
}

describe('keyboard only', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
  });
  after(() => close?.());

  for (const lc of ['en', 'ar'] as const) {
    it(`a participant registers by keyboard (${lc})`, async () => {
      const p = await createPerson(t, { locale: lc });
      const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
      await ctx.addCookies([{ name: 'cvn_session', value: p.sessionToken, url: base }]);
      const page = await ctx.newPage();
      await page.goto(`${base}/${lc}/register`);
      // The skip link comes first and leads to the content.
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).text, lc === 'en' ? 'Skip to content' : 'الانتقال إلى المحتوى');
      // Submit with nothing chosen: the summary is focused and announced.
      await tabTo(page, (f) => f.submit);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      const summary = await focused(page);
      assert.equal(summary.id, 'error-summary-title', 'the error summary heading has focus');
      assert.equal(await page.getAttribute('.error-summary', 'role'), 'alert');
      await page.screenshot({ path: `${SCREENSHOTS}/keyboard-register-error-${lc}.png` });
      // Its link leads to the first event's checkbox; Space checks it.
      await tabTo(page, (f) => f.tag === 'a' && f.text.length > 0, 5);
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).name, 'events');
      await page.keyboard.press('Space');
      // No function is chosen for the participant: the first one is taken with the arrow key.
      await tabTo(page, (f) => f.name === 'function');
      await page.keyboard.press('ArrowDown');
      await tabTo(page, (f) => f.submit);
      await Promise.all([page.waitForURL(/registrations\?done=submitted/), page.keyboard.press('Enter')]);
      const done = await page.evaluate(() => document.activeElement?.classList.contains('notice-ok'));
      assert.equal(done, true, 'the success notice has focus');
      await page.screenshot({ path: `${SCREENSHOTS}/keyboard-register-done-${lc}.png` });
      await ctx.close();
    });
  }
});
