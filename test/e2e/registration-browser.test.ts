/**
 * The registration path in Chromium: a delegate registers in Arabic, adds a badge photo and asks for a visa-support
 * letter; their focal point approves in English (in bulk) and rejects another request; the confirmation arrives over
 * real SMTP on loopback, in Arabic, with its QR code; the secretariat issues the visa letter, rendered to PNG.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { confirmationCode } from '../../src/modules/registration/registration.service.js';
import { personPhotos, registrations, visaRequests } from '../../src/modules/registration/registration.schema.js';
import { runDueJobs } from '../../src/platform/jobs.js';
import { mailHandlers } from '../../src/platform/mail/mail.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const skip = browserSkipReason();
const shots = SCREENSHOTS;

describe('registration in Chromium', { skip }, () => {
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

  it('registers in Arabic with a photo and a visa request, is approved in English, gets the Arabic confirmation with its QR, and the letter is issued', async () => {
    const [{ id: egypt }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'EG'));
    const delegate = await createPerson(t, { entityId: egypt, locale: 'ar' });
    const dfp = await createPerson(t, { entityId: egypt, focalPointOf: [egypt] });
    const staff = await createPerson(t, { role: 'staff', capabilities: ['registration.review'] });

    // The delegate, in Arabic.
    const dctx = await browser.newContext({ bypassCSP: true });
    await dctx.addCookies([{ name: 'cvn_session', value: delegate.sessionToken, url: base }]);
    const page = await dctx.newPage();
    await page.goto(`${base}/ar/register`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.check('input[name="events"][value="wsis-forum-2026"]');
    await page.check('input[name="events"][value="wsis-high-level-track-2026"]');
    await page.selectOption('select[name="function"]', 'minister');
    await page.screenshot({ path: `${shots}/register-ar.png`, fullPage: true });
    await Promise.all([
      page.waitForURL(/\/ar\/registrations\?done=submitted/),
      page.click('form[action="/ar/register"] button[type="submit"]'),
    ]);
    assert.equal(await page.locator('tbody tr').count(), 2);
    assert.match(await page.locator('tbody').innerText(), /بانتظار جهة الاتصال/);

    // A badge photo: a text file first (refused, in Arabic), then a real photo.
    await page.goto(`${base}/ar/photo`);
    const bad = path.join(shots, 'not-a-photo.jpg');
    fs.writeFileSync(bad, 'this is not an image');
    await page.setInputFiles('input[name="photo"]', bad);
    await page.click('form[action="/ar/photo"] button[type="submit"]');
    assert.match(await page.locator('.error-summary').innerText(), /ليس صورة/);
    const good = path.join(shots, 'delegate-photo.png');
    await sharp({ create: { width: 900, height: 1200, channels: 3, background: { r: 190, g: 140, b: 110 } } })
      .png()
      .toFile(good);
    await page.setInputFiles('input[name="photo"]', good);
    await Promise.all([
      page.waitForURL(/\/ar\/photo\?done=1/),
      page.click('form[action="/ar/photo"] button[type="submit"]'),
    ]);
    assert.ok(
      await page
        .locator('img.badge-photo')
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 600),
    );
    const [photo] = await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, delegate.id));
    assert.deepEqual([photo.width, photo.height], [600, 800]);

    // A visa-support letter for the Forum.
    const [forumReg] = await t.database.db
      .select()
      .from(registrations)
      .where(eq(registrations.personId, delegate.id))
      .orderBy(registrations.eventId);
    await page.goto(`${base}/ar/registrations/${forumReg.id}/visa`);
    await page.fill('input[name="passportName"]', 'EL-SAYED Mohamed Ahmed');
    await page.fill('input[name="passportNumber"]', 'A12345678');
    await page.selectOption('select[name="nationality"]', 'EG');
    await page.fill('input[name="dateOfBirth"]', '1975-09-12');
    await page.fill('input[name="visaPlace"]', 'Embassy of Switzerland, Cairo');
    await page.screenshot({ path: `${shots}/visa-request-ar.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await Promise.all([page.waitForURL(/done=visa$/), page.click('form[action$="/visa"] button[type="submit"]')]);

    // The focal point, in English: one row for the delegate naming both events; filter to the Forum, select all and
    // approve in bulk; then refuse the High-Level Track, which asks for a reason first.
    const fctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    await fctx.addCookies([{ name: 'cvn_session', value: dfp.sessionToken, url: base }]);
    const fp = await fctx.newPage();
    await fp.goto(`${base}/en/focal-point`);
    assert.equal(await fp.locator('form.bulk tbody tr').count(), 1, 'one row per person');
    assert.match(await fp.locator('form.bulk tbody tr').innerText(), /Forum[\s\S]*High-Level Track/);
    await fp.screenshot({ path: `${shots}/focal-point-desk-en-1366.png`, fullPage: true });
    await fp.selectOption('select[name="event"]', 'wsis-forum-2026');
    await Promise.all([fp.waitForURL(/event=wsis-forum-2026/), fp.click('form.filters button[type="submit"]')]);
    assert.equal(await fp.locator('form.bulk tbody tr').count(), 1);
    assert.deepEqual(await seriousViolations(fp), []);
    // "Select all" ticks the boxes in place (site.js); without script the link reloads the page ticked.
    await fp.click('a[data-select="ids"][data-checked="true"]');
    assert.ok(await fp.locator('form.bulk input[name="ids"]').isChecked());
    await Promise.all([fp.waitForURL(/done=1/), fp.click('form.bulk button[value="approve"]')]);
    assert.match(await fp.locator('.notice-ok').innerText(), /1 decision recorded/);
    await fp.goto(`${base}/en/focal-point`);
    assert.equal(await fp.locator('form.bulk tbody tr').count(), 1);
    await fp.check('form.bulk input[name="ids"]');
    await Promise.all([fp.waitForURL(/error=reason_required/), fp.click('form.bulk button[value="reject"]')]);
    assert.match(await fp.locator('.notice-error').innerText(), /reason/);
    await fp.fill('form.bulk input[name="reason"]', 'The delegation is complete.');
    await fp.check('form.bulk input[name="ids"]');
    // Rejecting asks first: the confirmation page shows the reason; only its button rejects.
    await Promise.all([fp.waitForNavigation(), fp.click('form.bulk button[value="reject"]')]);
    assert.match(await fp.innerText('main'), /The delegation is complete\./);
    await Promise.all([fp.waitForURL(/done=1/), fp.click('main button.danger')]);
    assert.equal(await fp.locator('form.bulk tbody tr').count(), 0);
    // The delegation to the Forum, in Arabic, on a phone and on a desk.
    for (const [width, height] of [
      [360, 740],
      [1366, 900],
    ] as const) {
      await fp.setViewportSize({ width, height });
      for (const lc of ['en', 'ar']) {
        await fp.goto(`${base}/${lc}/focal-point?state=approved`);
        assert.ok(
          await fp.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          `the desk fits ${width} px in ${lc}`,
        );
        await fp.screenshot({ path: `${shots}/focal-point-desk-${lc}-${width}.png`, fullPage: true });
        await fp.goto(`${base}/${lc}/focal-point/delegation?event=wsis-forum-2026`);
        assert.equal(await fp.locator('table.delegation tbody tr').count(), 1);
        assert.ok(await fp.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
        await fp.screenshot({ path: `${shots}/delegation-${lc}-${width}.png`, fullPage: true });
      }
    }

    await page.goto(`${base}/ar/registrations`);
    const states = await page.locator('tbody').innerText();
    assert.match(states, /تمت الموافقة/);
    assert.match(states, /لم تتم الموافقة/);

    // The e-mails leave through the outbox to a real SMTP server; the confirmation is in Arabic and carries the QR.
    await runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS Forum 2026 <no-reply@wsis.test>' }, 'memory://'),
    );
    const toDelegate = smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text.includes(delegate.email));
    const confirmation = toDelegate.find((m) => m.subject?.startsWith('تم تأكيد تسجيلكم'));
    assert.ok(confirmation, `a confirmation in Arabic among: ${toDelegate.map((m) => m.subject).join(' | ')}`);
    assert.equal(confirmation.headers.get('content-language'), 'ar');
    assert.match(confirmation.text ?? '', /الرقم المرجعي: R-[0-9A-F]{8}/);
    const qr = confirmation.attachments.find((a) => a.contentType === 'image/png');
    // mailparser turns cid: links into data: URIs; `related` says the image belongs to the HTML part.
    assert.ok(
      qr?.cid && qr.related && confirmation.html && /<img src="(cid:|data:image\/png;base64,)/.test(confirmation.html),
      'the QR is an inline image of the HTML part',
    );
    const expected = await QRCode.toBuffer(await confirmationCode(t.database.db, forumReg.id), {
      type: 'png',
      width: 220,
      margin: 2,
      errorCorrectionLevel: 'M',
    });
    assert.ok(qr.content.equals(expected), 'the QR encodes the signed reference of this registration');
    fs.writeFileSync(path.join(shots, 'confirmation-qr.png'), qr.content);
    assert.ok(
      toDelegate.some((m) => m.subject?.startsWith('لم تتم الموافقة على تسجيلكم')),
      'the rejection too, in Arabic',
    );

    // The secretariat issues the visa letter; the participant downloads it.
    const sctx = await browser.newContext({ bypassCSP: true });
    await sctx.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
    const sp = await sctx.newPage();
    await sp.goto(`${base}/en/secretariat/registration`);
    await sp.screenshot({ path: `${shots}/secretariat-registration-en.png`, fullPage: true });
    await Promise.all([sp.waitForURL(/done=1/), sp.click('form[action*="/issue"] button')]);
    assert.match(await sp.locator('table.data').innerText(), /WSIS26\/VISA\/\d{6}/);
    const [visa] = await t.database.db.select().from(visaRequests).where(eq(visaRequests.registrationId, forumReg.id));
    assert.equal(visa.state, 'issued');
    const download = await page.request.get(`${base}/api/v1/visa-requests/${visa.id}/letter.pdf`);
    assert.equal(download.status(), 200);
    const pdf = path.join(shots, 'visa-letter-issued.pdf');
    fs.writeFileSync(pdf, await download.body());
    if (process.env.CI === 'true' || fs.existsSync('/usr/bin/pdftoppm')) {
      execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', pdf, path.join(shots, 'visa-letter-issued')]);
      assert.ok(fs.statSync(path.join(shots, 'visa-letter-issued.png')).size > 10_000);
      assert.match(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }), /EL-SAYED Mohamed Ahmed/);
    }
    await runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS Forum 2026 <no-reply@wsis.test>' }, 'memory://'),
    );
    const letterMail = smtp.received.find((m) => m.attachments.some((a) => a.contentType === 'application/pdf'));
    assert.ok(letterMail?.subject?.includes(visa.reference!), 'the letter is e-mailed with the PDF attached');
    await Promise.all([dctx.close(), fctx.close(), sctx.close()]);
  });
});
