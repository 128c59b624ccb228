/** The registration path in Chromium: a delegate registers in Arabic, their focal point approves in English. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { jobs } from '../../src/platform/platform.schema.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();
const shots = SCREENSHOTS;

describe('registration in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
  });
  after(() => close?.());

  it('registers in Arabic, is approved by the focal point in English, and is told in Arabic', async () => {
    const [{ id: egypt }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'EG'));
    const delegate = await createPerson(t, { entityId: egypt, locale: 'ar' });
    const dfp = await createPerson(t, { entityId: egypt, focalPointOf: [egypt] });

    const dctx = await browser.newContext();
    await dctx.addCookies([{ name: 'cvn_session', value: delegate.sessionToken, url: base }]);
    const page = await dctx.newPage();
    await page.goto(`${base}/ar/register`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.check('input[name="events"][value="wsis-forum-2026"]');
    await page.check('input[name="events"][value="wsis-high-level-track-2026"]');
    await page.selectOption('select[name="function"]', 'minister');
    await page.selectOption('select[name="vipCategory"]', 'MIN');
    await page.screenshot({ path: `${shots}/register-ar.png`, fullPage: true });
    await Promise.all([page.waitForURL(/\/ar\/registrations\?done=submitted/), page.click('form[action="/ar/register"] button[type="submit"]')]);
    assert.equal(await page.locator('tbody tr').count(), 2);
    assert.match(await page.locator('tbody').innerText(), /بانتظار جهة الاتصال/);

    const fctx = await browser.newContext();
    await fctx.addCookies([{ name: 'cvn_session', value: dfp.sessionToken, url: base }]);
    const fp = await fctx.newPage();
    await fp.goto(`${base}/en/focal-point`);
    assert.equal(await fp.locator('tbody tr').count(), 2);
    await fp.screenshot({ path: `${shots}/focal-point-en.png`, fullPage: true });
    await Promise.all([fp.waitForURL(/done=1/), fp.locator('tbody tr').first().locator('button[value="approve"]').click()]);
    await Promise.all([fp.waitForURL(/done=1/), fp.locator('tbody tr').first().locator('button[value="reject"]').click()]);
    assert.equal(await fp.locator('tbody tr').count(), 0);

    await page.reload();
    const states = await page.locator('tbody').innerText();
    assert.match(states, /تمت الموافقة/);
    assert.match(states, /لم تتم الموافقة/);
    const [mail] = await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send')).orderBy(desc(jobs.id)).limit(1);
    const payload = mail.payload as { to: string; locale: string; template: string };
    assert.deepEqual([payload.to, payload.locale, payload.template], [delegate.email, 'ar', 'registration_decision']);
    await dctx.close();
    await fctx.close();
  });
});
