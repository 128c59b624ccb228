/**
 * The Trust Fund in Chromium: a focal point announces a pledge in Arabic; the secretariat, in English, confirms it
 * and records two payments in euros; the Arabic acknowledgement PDF arrives by e-mail (real SMTP) and is checked as
 * text and PNG; the partner appears on /ar/partners and /en/partners; the totals page adds up.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { fundingHandlers } from '../../src/modules/funding/index.js';
import { runDueJobs } from '../../src/platform/jobs.js';
import { mailHandlers } from '../../src/platform/mail/mail.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';
import { pdfText } from '../helpers/pdf.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const skip = browserSkipReason();
const shots = SCREENSHOTS;

describe('the Trust Fund in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink();
    ({ t, browser, base, close } = await startBrowserApp());
  });
  after(async () => {
    await close?.();
    await smtp?.close();
  });

  it('pledge in Arabic → confirmed and paid in euros → Arabic letter by e-mail → partners page → totals', async () => {
    const [{ id: egypt }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'EG'));
    const dfp = await createPerson(t, { entityId: egypt, focalPointOf: [egypt], locale: 'ar' });
    const staff = await createPerson(t, { role: 'staff', capabilities: ['pledges.manage'] });

    // The focal point, in Arabic, on a phone.
    const dctx = await browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 } });
    await dctx.addCookies([{ name: 'cvn_session', value: dfp.sessionToken, url: base }]);
    const page = await dctx.newPage();
    await page.goto(`${base}/ar/registrations`);
    await page.click('details.menu > summary'); // on a phone the header's links fold into the menu
    await Promise.all([page.waitForURL(/\/ar\/funding$/), page.click('nav.main-nav a[href="/ar/funding"]')]);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.fill('input[name="currency"]', 'USD');
    await page.fill('input[name="amount"]', '١٠٠٬٠٠٠');
    await page.selectOption('select[name="purpose"]', 'ldc_fellowships');
    await page.selectOption('select[name="recognition"]', 'name');
    await page.fill('input[name="contactName"]', 'د. عمرو طلعت');
    await page.fill('input[name="contactEmail"]', 'minister@mcit.example.eg');
    await page.screenshot({ path: `${shots}/funding-desk-ar-360.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await Promise.all([
      page.waitForURL(/\/ar\/funding\/\d+\?done=announced/),
      page.click('form.pledge-form button[type="submit"]'),
    ]);
    assert.equal(await page.getAttribute('#pledge-state', 'data-state'), 'announced');
    assert.match(await page.locator('#total-pledged').innerText(), /100,000\.00/);
    const pledgeId = /\/funding\/(\d+)/.exec(page.url())?.[1];

    // The secretariat, in English, on a desktop.
    const sctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    await sctx.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
    const desk = await sctx.newPage();
    await desk.goto(`${base}/en/registrations`);
    await Promise.all([
      desk.waitForURL(/\/en\/secretariat\/funding$/),
      desk.click('nav.main-nav a[href="/en/secretariat/funding"]'),
    ]);
    await Promise.all([
      desk.waitForURL(new RegExp(`/en/secretariat/funding/${pledgeId}$`)),
      desk.click(`#pledges a[href="/en/secretariat/funding/${pledgeId}"]`),
    ]);
    await desk.fill('input[name="rateToChf"]', '0.8');
    await desk.fill('input[name="commitmentReference"]', 'AGR-EG-2026');
    await Promise.all([desk.waitForURL(/done=confirmed/), desk.click('form[action$="/confirm"] button')]);
    for (const [amount, rate, day] of [
      ['50,000.00', '0.94', '2026-05-04'],
      ['40000', '0.95', '2026-06-15'],
    ]) {
      await desk.fill('.payment-form input[name="receivedOn"]', day);
      await desk.fill('.payment-form input[name="amount"]', amount);
      await desk.fill('.payment-form input[name="currency"]', 'EUR');
      await desk.fill('.payment-form input[name="rateToChf"]', rate);
      await desk.fill('.payment-form input[name="bankReference"]', `UBS-${day}`);
      await Promise.all([desk.waitForURL(/done=paid/), desk.click('.payment-form button')]);
    }
    assert.equal(await desk.getAttribute('#pledge-state', 'data-state'), 'paid');
    assert.equal(await desk.locator('#payments tbody tr').count(), 2);
    // USD 100,000 at 0.8 = CHF 80,000; EUR 50,000 × 0.94 + EUR 40,000 × 0.95 = CHF 85,000 (USD 106,250 counted).
    assert.match(await desk.locator('#total-pledged').innerText(), /US\$100,000\.00 · CHF\s?80,000\.00/);
    assert.match(await desk.locator('#total-received').innerText(), /US\$106,250\.00 · CHF\s?85,000\.00/);
    assert.match(await desk.locator('#flags').innerText(), /Overpaid · Paid in another currency/);
    await desk.screenshot({ path: `${shots}/funding-pledge-en.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(desk), []);

    // The letters leave through the outbox, over SMTP, in Arabic.
    await runDueJobs(t.database.db, t.clock, {
      ...fundingHandlers(t.database.db, t.clock),
      ...mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    });
    await runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <x@wsis.test>' }, 'memory://'),
    );
    const mails = smtp.received.filter((m) => (m.to as { text: string }).text.includes('minister@mcit.example.eg'));
    assert.equal(mails.length, 2);
    const paid = mails.find((m) => m.subject?.includes('استُلمت المساهمة كاملةً'));
    assert.ok(paid, mails.map((m) => m.subject).join(' | '));
    const file = path.resolve('test-results/funding-e2e-ack-ar.pdf');
    fs.writeFileSync(file, paid.attachments[0].content);
    const txt = pdfText(file);
    assert.match(txt, /106,250\.00/);
    assert.match(txt, /مصر/);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', file, file.replace(/\.pdf$/, '')]);
    assert.ok(fs.statSync(file.replace(/\.pdf$/, '.png')).size > 10_000);

    // The focal point sees the pledge paid and downloads the letter.
    await page.goto(`${base}/ar/funding/${pledgeId}`);
    assert.equal(await page.getAttribute('#pledge-state', 'data-state'), 'paid');
    const dl = await page.request.get(`${base}/api/v1/pledges/${pledgeId}/acknowledgements/paid.pdf`);
    assert.equal(dl.status(), 200);
    assert.deepEqual(Buffer.from(await dl.body()), paid.attachments[0].content);
    await page.screenshot({ path: `${shots}/funding-paid-ar-360.png`, fullPage: true });

    // Public recognition, in both languages, without the amount (not consented).
    const pub = await browser.newContext({ bypassCSP: true });
    const pp = await pub.newPage();
    await pp.goto(`${base}/ar/partners`);
    assert.match(await pp.locator('main').innerText(), /مصر/);
    assert.doesNotMatch(await pp.locator('main').innerText(), /100,000|106,250/);
    await pp.screenshot({ path: `${shots}/funding-partners-ar.png`, fullPage: true });
    await pp.goto(`${base}/en/partners`);
    assert.match(await pp.locator('main').innerText(), /Egypt/);
    assert.match(await pp.locator('main').innerText(), /fellowships for participants from Least Developed Countries/);
    assert.deepEqual(await seriousViolations(pp), []);

    // The totals page adds up.
    await desk.goto(`${base}/en/secretariat/funding/report`);
    assert.match(await desk.locator('#report-pledged').innerText(), /CHF\s?80,000\.00/);
    assert.match(await desk.locator('#report-received').innerText(), /CHF\s?85,000\.00/);
    assert.match(await desk.locator('#report-outstanding').innerText(), /CHF\s?0\.00/);
    assert.match(await desk.locator('#over-time').innerText(), /2026-06[\s\S]*CHF\s?38,000\.00/);
    await desk.screenshot({ path: `${shots}/funding-report-en.png`, fullPage: true });
    await Promise.all([dctx.close(), sctx.close(), pub.close()]);
  });
});
