/**
 * Circular letters in Chromium: the secretariat writes a letter in English and Arabic, approves it and sends it to
 * one ITU region; the messages arrive on a real SMTP server in the recipients' languages with the PDF; the PDF
 * renders in Arabic and English; the public page lists the letter; a focal point's registration of their minister
 * moves their Member State's row in the tracker.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inArray } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { saveEntityContact } from '../../src/modules/entities/index.js';
import { lettersHandlers } from '../../src/modules/letters/index.js';
import { registerVip } from '../../src/modules/registration/index.js';
import type { Actor } from '../../src/platform/context.js';
import { runDueJobs } from '../../src/platform/jobs.js';
import { mailHandlers } from '../../src/platform/mail/mail.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';
import { inkRatio, needPoppler, pdfText, pdfToPngs, RESULTS } from '../helpers/pdf.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const skip = browserSkipReason();

describe('circular letters in Chromium', { skip }, () => {
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

  it('writes, approves and sends a letter to a region; mail arrives in each language; the tracker follows a registration', async (tc) => {
    const db = t.database.db;
    const rows = await db
      .select({ id: entities.id, code: entities.code })
      .from(entities)
      .where(inArray(entities.code, ['EG', 'SN', 'KE', 'CH']));
    const id = Object.fromEntries(rows.map((r) => [r.code!, r.id]));
    const admin: Actor = {
      kind: 'person',
      id: 'admin',
      role: 'admin',
      capabilities: [],
      focalPointOf: [],
      entityId: null,
      via: 'session',
    };
    const actx = { ...t.ctx(), db, actor: admin };
    await saveEntityContact(actx, id.EG, { role: 'ministry', email: 'ministry@example.eg', locale: 'ar' });
    await saveEntityContact(actx, id.SN, { role: 'mission', email: 'mission@example.sn', locale: 'fr' });
    await saveEntityContact(actx, id.CH, { role: 'mission', email: 'mission@example.ch', locale: 'fr' }); // region B: not sent
    const kenyaDfp = await createPerson(t, {
      entityId: id.KE,
      focalPointOf: [id.KE],
      locale: 'en',
      email: 'dfp@example.ke',
    });
    const staff = await createPerson(t, { role: 'staff', capabilities: ['letters.send'] });

    const ctx = await browser.newContext({ bypassCSP: true });
    await ctx.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
    const page = await ctx.newPage();
    await page.goto(`${base}/en/secretariat/letters`);
    await page.fill('input[name="subject_en"]', 'Practical information for delegations');
    await page.fill(
      'textarea[name="body_en"]',
      'Dear Sir/Madam,\n\n## Visas\n\n- Apply early\n- Bring your passport\n\nYours faithfully,',
    );
    await page.fill('input[name="subject_ar"]', 'معلومات عملية للوفود');
    await page.fill(
      'textarea[name="body_ar"]',
      'حضرات السادة والسيدات،\n\n## التأشيرات\n\n- قدموا الطلب مبكراً\n- أحضروا جوازات سفركم\n\nوتفضلوا بقبول فائق التقدير والاحترام.',
    );
    await Promise.all([
      page.waitForURL(/\/en\/secretariat\/letters\/\d+$/),
      page.click('button:has-text("Save the draft")'),
    ]);
    assert.match(await page.locator('h1').innerText(), /CL-26\/18: Practical information for delegations/);
    await Promise.all([page.waitForURL(/done=approved/), page.click('button:has-text("Approve")')]);
    await page.selectOption('select[name="ituRegion"]', 'D');
    await Promise.all([page.waitForURL(/done=sent/), page.click('button:has-text("Send the letter")')]);
    assert.match(await page.locator('.notice-ok').innerText(), /3 messages queued/);
    await page.screenshot({ path: `${SCREENSHOTS}/letters-secretariat-sent-en.png`, fullPage: true });

    // The worker drains the queue over SMTP.
    const handlers = lettersHandlers(
      db,
      t.clock,
      mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <wsis@itu.int>' }, 'memory://')['mail.send'],
      base,
    );
    await runDueJobs(db, t.clock, handlers);
    const to = (m: (typeof smtp.received)[number]) => (m.to as { value: { address: string }[] }).value[0].address;
    assert.deepEqual(smtp.received.map(to).sort(), ['dfp@example.ke', 'ministry@example.eg', 'mission@example.sn']);
    const eg = smtp.received.find((m) => to(m) === 'ministry@example.eg')!;
    assert.equal(eg.subject, 'CL-26/18: معلومات عملية للوفود');
    assert.match(eg.text ?? '', /تجدون مرفقاً الرسالة المعممة CL-26\/18/);
    const sn = smtp.received.find((m) => to(m) === 'mission@example.sn')!;
    assert.equal(sn.headers.get('content-language'), 'fr');
    assert.match(sn.text ?? '', /Veuillez trouver ci-joint la lettre circulaire CL-26\/18/);
    assert.match(sn.subject ?? '', /Practical information/, 'no French version: the original English');
    assert.match(sn.attachments[0].filename ?? '', /CL-26-18-en\.pdf/);
    assert.match(eg.attachments[0].filename ?? '', /CL-26-18-ar\.pdf/);

    // The PDFs, as PNGs.
    if (needPoppler(tc)) {
      for (const [lc, m] of [
        ['ar', eg],
        ['en', sn],
      ] as const) {
        const file = path.join(RESULTS, `letters-e2e-${lc}.pdf`);
        fs.writeFileSync(file, m.attachments[0].content);
        const png = pdfToPngs(file, path.join(RESULTS, `letters-e2e-${lc}`), 70)[0];
        assert.ok((await inkRatio(png)) > 0.005);
        assert.match(pdfText(file), lc === 'ar' ? /CL-26\/18/ : /Apply early/);
      }
    }

    // The public site lists it, in Arabic too.
    const pub = await ctx.newPage();
    await pub.goto(`${base}/en/letters`);
    assert.match(await pub.locator('main').innerText(), /CL-26\/18/);
    for (const [lc, width] of [
      ['en', 1280],
      ['ar', 360],
    ] as const) {
      await pub.setViewportSize({ width, height: 900 });
      await pub.goto(`${base}/${lc}/letters/CL-26-18`);
      await pub.screenshot({ path: `${SCREENSHOTS}/letters-public-${lc}-${width}.png`, fullPage: true });
    }
    assert.equal(await pub.getAttribute('html', 'dir'), 'rtl');
    assert.match(await pub.locator('h1').innerText(), /معلومات عملية للوفود/);
    assert.deepEqual(await seriousViolations(pub), []);

    // The tracker: Kenya's focal point registers their minister; the row moves.
    const kenyaRow = page.locator('tr[data-code="KE"]');
    await page.goto(`${base}/en/letters/CL-26-18/responses?itudRegion=africa`);
    assert.match(await kenyaRow.innerText(), /Kenya\s+Focal point appointed\s+yes\s+yes\s+0\s+—/);
    const fpActor: Actor = {
      kind: 'person',
      id: kenyaDfp.id,
      role: 'participant',
      capabilities: [],
      focalPointOf: [id.KE],
      entityId: id.KE,
      via: 'session',
    };
    await registerVip(
      { ...t.ctx(), db, actor: fpActor },
      {
        entityId: id.KE,
        email: 'minister@example.ke',
        givenName: 'Eliud',
        familyName: 'Owalo',
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        vipCategory: 'MIN',
        stakeholderType: '',
        function: '',
        honorific: '',
        givenNameLatin: '',
        familyNameLatin: '',
        jobTitle: '',
        preferredLocale: 'en',
      },
    );
    await page.reload();
    assert.match(await kenyaRow.innerText(), /Kenya\s+Delegates registered\s+yes\s+yes\s+1 \(approved: 1\)\s+Minister/);
    assert.match(
      await page.locator('.headline').innerText(),
      /1 of \d+ Member States have registered a delegation; 1 at ministerial level/,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/letters-tracker-en.png`, fullPage: false });

    // The focal point sees Kenya's row only.
    const fctx = await browser.newContext({ bypassCSP: true });
    await fctx.addCookies([{ name: 'cvn_session', value: kenyaDfp.sessionToken, url: base }]);
    const fpage = await fctx.newPage();
    await fpage.goto(`${base}/en/letters/CL-26-18/responses`);
    assert.deepEqual(
      await fpage.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code'))),
      ['KE'],
    );
  });
});
