/**
 * The speaking-request path in Chromium: a focal point submits in Arabic (the page counts down to the deadline); the
 * secretariat, in English, accepts and assigns the request to a session; the speaker appears on the public session page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { speakingRequests } from '../../src/modules/speaking/speaking.schema.js';
import { runDueJobs } from '../../src/platform/jobs.js';
import { mailHandlers } from '../../src/platform/mail/mail.js';
import { createPerson } from '../helpers/actors.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();
const shots = SCREENSHOTS;

describe('speaking requests in Chromium', { skip }, () => {
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

  it('a focal point submits in Arabic, the secretariat accepts and assigns it in English, and the minister appears on the public session page', async () => {
    const [{ id: egypt }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'EG'));
    const dfp = await createPerson(t, { entityId: egypt, focalPointOf: [egypt], locale: 'ar' });
    const staff = await createPerson(t, { role: 'staff', capabilities: ['speaking.review'] });

    // The focal point, in Arabic: the countdown, then the form.
    const dctx = await browser.newContext({ bypassCSP: true });
    await dctx.addCookies([{ name: 'cvn_session', value: dfp.sessionToken, url: base }]);
    const page = await dctx.newPage();
    await page.goto(`${base}/ar/registrations`);
    await Promise.all([page.waitForURL(/\/ar\/speaking$/), page.click('nav.main-nav a[href="/ar/speaking"]')]);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    // 20 April 10:00 → 1 May 23:59:59 (Geneva): 11 days and 14 hours left.
    assert.match(await page.locator('#deadline').innerText(), /الوقت المتبقي: 11 يومًا، 14 ساعة، لا دقائق/);
    await page.selectOption('select[name="kind"]', 'policy_statement');
    await page.selectOption('select[name="honorific"]', 'H.E.');
    await page.fill('input[name="givenName"]', 'عمرو');
    await page.fill('input[name="familyName"]', 'طلعت');
    await page.fill('input[name="givenNameLatin"]', 'Amr');
    await page.fill('input[name="familyNameLatin"]', 'TALAAT');
    await page.fill('input[name="title"]', 'وزير الاتصالات وتكنولوجيا المعلومات');
    await page.selectOption('select[name="rank"]', 'minister');
    await page.fill('input[name="speakerEmail"]', 'minister@mcit.example');
    await page.selectOption('select[name="preferredDay"]', '2026-07-08');
    await page.selectOption('select[name="language"]', 'ar');
    await page.fill('textarea[name="abstract"]', 'مصر الرقمية: البنية التحتية والمهارات.');
    await page.screenshot({ path: `${shots}/speaking-request-ar.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await Promise.all([
      page.waitForURL(/\/ar\/speaking\?done=submitted/),
      page.click('form.speaking-form button[type="submit"]'),
    ]);
    assert.equal(await page.locator('#my-requests tbody tr').count(), 1);
    assert.match(await page.locator('#my-requests tbody').innerText(), /مقدَّم/);
    await page.screenshot({ path: `${shots}/speaking-submitted-ar.png`, fullPage: true });
    const [req] = await t.database.db.select().from(speakingRequests).where(eq(speakingRequests.entityId, egypt));
    assert.deepEqual(
      [req.kind, req.rank, req.language, req.givenName, req.familyNameLatin, req.speakerLocale],
      ['policy_statement', 'minister', 'ar', 'عمرو', 'TALAAT', 'ar'],
    );

    await page.goto(`${base}/en/speaking`);
    assert.match(await page.locator('#deadline').innerText(), /Time left: 11 days, 14 hours, 0 minutes/);
    await page.screenshot({ path: `${shots}/speaking-requests-en.png`, fullPage: true });
    await page.goto(`${base}/ar/speaking`);

    // A second request of the same kind is refused, in Arabic.
    await page.selectOption('select[name="kind"]', 'policy_statement');
    await page.fill('input[name="givenName"]', 'هالة');
    await page.fill('input[name="familyName"]', 'السعيد');
    await page.selectOption('select[name="rank"]', 'deputy_minister');
    await page.click('form.speaking-form button[type="submit"]');
    assert.match(await page.locator('.error-summary').innerText(), /لدى كيانكم طلب من هذا النوع بالفعل/);

    // The secretariat, in English: accept, then assign to the first High-Level Policy Statements session.
    const sctx = await browser.newContext({ bypassCSP: true });
    await sctx.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
    const sp = await sctx.newPage();
    await sp.goto(`${base}/en/secretariat/speaking?kind=policy_statement`);
    const row = sp.locator(`#speaking-queue tr[data-id="${req.id}"]`);
    assert.match(await row.innerText(), /TALAAT/);
    await sp.screenshot({ path: `${shots}/speaking-queue-en.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(sp), []);
    await Promise.all([sp.waitForURL(/done=decided/), row.locator('form.decision button[value="accept"]').click()]);
    await sp.locator(`#speaking-queue tr[data-id="${req.id}"] select[name="session"]`).selectOption('HLT-04');
    await Promise.all([
      sp.waitForURL(/done=assigned/),
      sp.locator(`#speaking-queue tr[data-id="${req.id}"] form.assign button`).click(),
    ]);
    await sp.goto(`${base}/en/secretariat/speaking/sessions/HLT-04`);
    assert.match(await sp.locator('#speakers-list').innerText(), /Amr TALAAT/);
    assert.match(await sp.locator('#timing').innerText(), /3 min of the session's 90 min/);
    await sp.screenshot({ path: `${shots}/speakers-list-en.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(sp), []);
    // The same pages in Arabic, right to left.
    await sp.goto(`${base}/ar/secretariat/speaking`);
    await sp.screenshot({ path: `${shots}/speaking-queue-ar.png`, fullPage: true });
    await sp.goto(`${base}/ar/secretariat/speaking/sessions/HLT-04`);
    assert.match(await sp.locator('#speakers-list').innerText(), /عمرو طلعت/);
    await sp.screenshot({ path: `${shots}/speakers-list-ar.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(sp), []);
    const pdf = await sp.request.get(`${base}/api/v1/sessions/HLT-04/speakers-list.pdf`);
    assert.equal(pdf.status(), 200);

    // Anyone: the public session page lists the minister, in both scripts.
    const pub = await (await browser.newContext()).newPage();
    await pub.goto(`${base}/en/sessions/HLT-04`);
    const speakers = await pub.locator('.speakers-list').innerText();
    assert.match(speakers, /H\.E\. عمرو طلعت \(Amr TALAAT\)/);
    assert.match(speakers, /Egypt/);
    await pub.goto(`${base}/ar/sessions/HLT-04`);
    assert.match(await pub.locator('.speakers-list').innerText(), /مصر/);
    await pub.screenshot({ path: `${shots}/session-speakers-ar.png`, fullPage: true });
    const [after] = await t.database.db.select().from(speakingRequests).where(eq(speakingRequests.id, req.id));
    assert.equal(after.state, 'accepted');

    // The minister and the focal point are told over real SMTP, in Arabic: accepted, then the session and time.
    await runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS Forum 2026 <no-reply@wsis.test>' }, 'memory://'),
    );
    for (const to of ['minister@mcit.example', dfp.email]) {
      const got = smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text.includes(to));
      assert.ok(
        got.some((m) => m.subject?.startsWith('قُبل طلب الكلمة')),
        `${to}: ${got.map((m) => m.subject).join(' | ')}`,
      );
      const assigned = got.find((m) => m.subject?.includes('بيانات السياسات رفيعة المستوى (الجلسة 1)'));
      assert.ok(assigned, `${to}: the assignment`);
      assert.equal(assigned.headers.get('content-language'), 'ar');
      assert.match(assigned.text ?? '', /الأربعاء، 8 يوليو 2026، 14:00–15:30/);
    }
  });
});
