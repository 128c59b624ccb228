/**
 * Long names, e-mail addresses and organizations in staff tables, in Chromium at 360 and 1366 px, English and Arabic:
 * every cell holds its text (it wraps; nothing spills over the next column), and each name carries the language of
 * its script when it is not the page's. Screenshots: test-results/screenshots/tables-*.png
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { people } from '../../src/modules/accounts/index.js';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

const LONG_ORG =
  'International Organization for Standardization and International Electrotechnical Commission Joint Technical Committee';

/** Cells whose content is wider than the cell (text that would overprint the next column). */
async function overflowingCells(page: Page): Promise<string[]> {
  return page.$$eval('table.data td, table.data th', (cells) =>
    cells
      .filter((c) => (c as HTMLElement).scrollWidth > (c as HTMLElement).clientWidth + 1)
      .map((c) => (c as HTMLElement).innerText.slice(0, 60)),
  );
}

/** How many lines the element's text takes. */
const lines = (page: Page, selector: string) =>
  page.$eval(selector, (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set<number>();
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.bottom / 4));
    return tops.size;
  });

describe('tables in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
  });
  after(() => close?.());

  it('long names, addresses and organizations wrap inside their cells at 360 and 1366 px, and names say their language', async () => {
    const admin = await createPerson(t, { role: 'admin' });
    const long = await createPerson(t, {
      email: 'maria.de.los.angeles.fernandez.de.cordoba.y.villalobos@ministerio-de-telecomunicaciones.example',
    });
    await t.database.db
      .update(people)
      .set({
        givenName: 'María de los Ángeles Guadalupe',
        familyName: 'Fernández de Córdoba y Villalobos-Montenegro',
        givenNameLatin: 'María de los Ángeles Guadalupe',
        familyNameLatin: 'Fernández de Córdoba y Villalobos-Montenegro',
        honorific: 'H.E.',
        nationality: 'ES',
      })
      .where(eq(people.id, long.id));
    const russian = await createPerson(t);
    await t.database.db
      .update(people)
      .set({ givenName: 'Айгерим', familyName: 'Иванова', givenNameLatin: 'Aigerim', familyNameLatin: 'Ivanova' })
      .where(eq(people.id, russian.id));
    const now = new Date();
    await t.database.db.insert(entities).values({
      kind: 'intl_org',
      code: 'ISO-IEC-JTC1',
      name: {
        en: LONG_ORG,
        ar: 'اللجنة التقنية المشتركة بين المنظمة الدولية لتوحيد المقاييس واللجنة الكهرتقنية الدولية',
      },
      createdAt: now,
      updatedAt: now,
    });

    for (const locale of ['en', 'ar'] as const) {
      for (const width of [360, 1366]) {
        const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
        await context.addCookies([{ name: 'cvn_session', value: admin.sessionToken, url: base }]);
        const page = await context.newPage();

        await page.goto(`${base}/${locale}/admin/people`);
        await page.screenshot({ path: `${SCREENSHOTS}/tables-people-${locale}-${width}.png`, fullPage: true });
        assert.deepEqual(await overflowingCells(page), [], `people ${locale} ${width}`);
        // On a phone the long name wraps inside its cell (on a desk the people list's name column may hold it whole).
        if (width === 360)
          assert.ok((await lines(page, '.person-name:has-text("Villalobos")')) >= 2, 'the long name wraps');
        // …at word boundaries: short words are never split letter by letter to narrow a column.
        for (const i of [1, 3])
          assert.equal(await lines(page, `table.data thead th:nth-child(${i})`), 1, `one-word header ${i} on one line`);
        assert.equal(
          await lines(page, 'table.data tbody tr:has-text("Айгерим") td:nth-child(4)'),
          1,
          'role on one line',
        );
        // Language of parts: Cyrillic on both pages, the Latin form on the Arabic page only.
        assert.equal(await page.getAttribute('.person-name:has-text("Айгерим") bdi >> nth=0', 'lang'), 'ru');
        assert.equal(
          await page.getAttribute('.person-name:has-text("Айгерим") bdi.name-latin', 'lang'),
          locale === 'ar' ? 'en' : null,
        );
        assert.equal(
          await page.getAttribute('.person-name:has-text("Villalobos") bdi >> nth=0', 'lang'),
          'es',
          'a Spanish name on an English or Arabic page',
        );

        await page.goto(`${base}/${locale}/admin/entities?q=iso-iec-jtc1`);
        await page.screenshot({ path: `${SCREENSHOTS}/tables-entities-${locale}-${width}.png`, fullPage: true });
        assert.deepEqual(await overflowingCells(page), [], `entities ${locale} ${width}`);
        assert.equal(await page.locator('table.data tbody tr').count(), 1, 'the organization is listed');
        if (locale === 'en') assert.ok((await lines(page, `table.data td:has-text("Electrotechnical") bdi`)) >= 2);
        // No page-wide horizontal scroll at desktop width.
        if (width === 1366)
          assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
        await context.close();
      }
    }
  });
});
