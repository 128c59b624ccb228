/**
 * Names on Arabic staff pages: each name isolated, the honorific in Arabic on its right, the Latin form to its left
 * only when it differs; Chinese names family first without a space. Screenshots: test-results/screenshots/names-*.png
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { people } from '../../src/modules/accounts/index.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

describe('names in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
  });
  after(() => close?.());

  it('the Arabic people list shows Cyrillic, Chinese and Latin names unscrambled', async () => {
    const admin = await createPerson(t, { role: 'admin' });
    const named = async (values: Partial<typeof people.$inferInsert>) => {
      const p = await createPerson(t);
      await t.database.db.update(people).set(values).where(eq(people.id, p.id));
    };
    await named({
      givenName: 'Айгерим',
      familyName: 'Иванова',
      givenNameLatin: 'Aigerim',
      familyNameLatin: 'Ivanova',
      honorific: 'H.E.',
    });
    await named({
      givenName: '超',
      familyName: '陈',
      givenNameLatin: 'Chao',
      familyNameLatin: 'Chen',
      honorific: 'Dr',
    });
    await named({
      givenName: 'Min-jun',
      familyName: 'Smith',
      givenNameLatin: 'Min-jun',
      familyNameLatin: 'Smith',
      honorific: 'Mr',
    });

    for (const width of [1280, 360]) {
      const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
      await context.addCookies([{ name: 'cvn_session', value: admin.sessionToken, url: base }]);
      const page = await context.newPage();
      await page.goto(`${base}/ar/admin/people`);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      await page.screenshot({ path: `${SCREENSHOTS}/names-people-ar-${width}.png`, fullPage: true });

      const cell = page.locator('.person-name', { hasText: 'Айгерим' });
      assert.equal(await cell.innerText(), 'سعادة Айгерим Иванова (Aigerim Ivanova)');
      // Visual order in a right-to-left line: honorific rightmost, then the name, the Latin form leftmost.
      const own = await cell.locator('bdi').first().boundingBox();
      const latin = await cell.locator('bdi.name-latin').boundingBox();
      if (width === 1280) assert.ok(own && latin && latin.x + latin.width <= own.x + 1, 'Latin form to the left');
      assert.equal(await page.locator('.person-name', { hasText: '陈超' }).innerText(), 'د. 陈超 (Chen Chao)');
      assert.equal(
        await page.locator('.person-name', { hasText: 'Min-jun' }).innerText(),
        'السيد Min-jun Smith',
        'no repetition when both forms are equal',
      );
      await context.close();
    }
  });
});
