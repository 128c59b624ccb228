/**
 * Issue 19's "Done when", in Chromium: the secretariat creates a session in English and Arabic and publishes it; a
 * participant puts it in their agenda; the secretariat adds Doreen Bogdan-Martin, is told she opens the Global
 * Dialogue (another event) at that time, overrides with a reason and publishes; the participant gets one e-mail (real
 * SMTP) and their iCal feed (parsed with node-ical) carries the new time; an approved remote participant sees the
 * joining link in their agenda, an anonymous visitor sees it nowhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import ical, { type VEvent } from 'node-ical';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { events } from '../../src/modules/events/events.schema.js';
import { registrations } from '../../src/modules/registration/registration.schema.js';
import { runDueJobs } from '../../src/platform/jobs.js';
import { mailHandlers } from '../../src/platform/mail/mail.js';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const skip = browserSkipReason();
const JOIN = 'https://meet.example.org/j/wsis-dpi-7';
const TITLE_EN = 'Digital public infrastructure roundtable';
const TITLE_AR = 'مائدة مستديرة بشأن البنية التحتية الرقمية العامة';

describe('the programme editor, agenda and remote link in Chromium (issue 19)', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  let smtp: SmtpSink;
  let staff: TestPerson;
  let reader: TestPerson;
  let remote: TestPerson;
  before(async () => {
    smtp = await startSmtpSink();
    ({ t, browser, base, close } = await startBrowserApp());
    staff = await createPerson(t, { role: 'staff', capabilities: ['programme.edit'] });
    reader = await createPerson(t, { locale: 'fr' });
    remote = await createPerson(t);
    const [ev] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    const now = t.clock.now();
    await t.database.db.insert(registrations).values({
      personId: remote.id,
      eventId: ev!.id,
      mode: 'remote',
      state: 'approved',
      registeredBy: remote.id,
      submittedAt: now,
      updatedAt: now,
    });
  });
  after(async () => {
    await close?.();
    await smtp?.close();
  });

  /** A browser for one person; the page's own CSP holds, except where axe-core must be injected. */
  async function as(
    p: TestPerson | null,
    width = 1366,
    axe = false,
    height = 900,
  ): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await browser.newContext({ viewport: { width, height }, bypassCSP: axe });
    if (p) await ctx.addCookies([{ name: 'cvn_session', value: p.sessionToken, url: base }]);
    return { ctx, page: await ctx.newPage() };
  }
  const sendMail = () =>
    runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    );

  it('create in English and Arabic → agenda → speaker clash overridden → publish → one e-mail, the feed, the joining link', async () => {
    // The secretariat creates the session, in both languages, and publishes it.
    const { page: desk } = await as(staff, 1366, true);
    await desk.goto(`${base}/en/secretariat/programme`);
    await Promise.all([desk.waitForURL(/\/programme\/new$/), desk.click('a[href="/en/secretariat/programme/new"]')]);
    await desk.fill('input[name="title_en"]', TITLE_EN);
    await desk.fill('input[name="title_ar"]', TITLE_AR);
    await desk.selectOption('select[name="event"]', 'wsis-forum-2026');
    await desk.selectOption('select[name="format"]', 'roundtable');
    await desk.selectOption('select[name="room"]', 'room-kappa');
    await desk.fill('input[name="day"]', '2026-07-06');
    await desk.fill('input[name="start"]', '12:00');
    await desk.fill('input[name="end"]', '12:45');
    await desk.check('input[name="lines"][value="C7"]');
    await desk.check('input[name="sdgs"][value="9"]');
    await desk.fill('input[name="join_url"]', JOIN);
    await Promise.all([
      desk.waitForURL(/done=saved/),
      desk.click('form[action="/en/secretariat/programme/new"] button[type="submit"]'),
    ]);
    const code = /\/en\/secretariat\/programme\/(S26-\d+)/.exec(
      (await desk.locator('#drafts a').first().getAttribute('href')) ?? '',
    )?.[1];
    assert.ok(code, 'the new session is listed among the drafts');
    await Promise.all([desk.waitForURL(/done=published/), desk.click('form[action$="/publish"] button')]);

    // The Arabic page shows the Arabic title, right to left; no joining link on public pages.
    const { page: anon } = await as(null, 360);
    await anon.goto(`${base}/ar/sessions/${code}`);
    assert.equal(await anon.getAttribute('html', 'dir'), 'rtl');
    assert.ok((await anon.locator('h1').innerText()).includes(TITLE_AR));
    assert.equal(await anon.locator(`a[href="${JOIN}"]`).count(), 0);
    assert.ok(!(await anon.content()).includes('meet.example.org'));

    // The participant puts it in their agenda from the session page (no script needed: a link to a confirmation).
    const { page: me } = await as(reader, 360);
    await me.goto(`${base}/fr/sessions/${code}`);
    await Promise.all([
      me.waitForURL(/\/fr\/agenda\/add\?session=/),
      me.click(`a[href="/fr/agenda/add?session=${code}"]`),
    ]);
    await Promise.all([me.waitForURL(/\/fr\/agenda/), me.click('form[action="/fr/agenda/add"] button[type="submit"]')]);
    assert.equal(await me.locator(`#agenda-${code}`).count(), 1);
    assert.equal(await me.locator(`#agenda-${code} a[href="${JOIN}"]`).count(), 0, 'not a remote participant');
    const feedUrl = await me.locator('#feed-url').inputValue();

    // The secretariat, in Arabic, adds a speaker who opens the Global Dialogue at that hour and moves the session.
    await desk.goto(`${base}/ar/secretariat/programme/${code}`);
    assert.equal(await desk.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await desk.inputValue('input[name="title_ar"]'), TITLE_AR);
    await desk.fill('input[name="start"]', '10:00');
    await desk.fill('input[name="end"]', '10:45');
    await desk.fill('input[name="sp0_given"]', 'Doreen');
    await desk.fill('input[name="sp0_family"]', 'Bogdan-Martin');
    await desk.click(`form[action="/ar/secretariat/programme/${code}"] button[type="submit"]`);
    await desk.waitForSelector('#conflicts');
    const told = await desk.locator('#conflicts').innerText();
    assert.ok(told.includes('GDAI-01'), told);
    assert.equal(await desk.locator('#conflicts a[href="/ar/secretariat/programme/GDAI-01"]').count(), 1);
    await desk.screenshot({ path: `${SCREENSHOTS}/programme-conflict-ar-1366.png`, fullPage: false });
    assert.deepEqual(await seriousViolations(desk), []);
    await desk.fill('textarea[name="override_reason"]', 'رسالة مسجلة بالفيديو');
    await Promise.all([
      desk.waitForURL(/done=saved/),
      desk.click(`form[action="/ar/secretariat/programme/${code}"] button[type="submit"]`),
    ]);
    assert.ok((await desk.locator('#drafts').innerText()).includes('رسالة مسجلة بالفيديو'));
    smtp.received.length = 0;
    await Promise.all([desk.waitForURL(/done=published/), desk.click('form[action$="/publish"] button')]);

    // One e-mail to the participant, in French, naming the session and what changed.
    await sendMail();
    const mine = smtp.received.filter((m) => JSON.stringify(m.to).includes(reader.email));
    assert.equal(mine.length, 1);
    assert.match(mine[0]!.text ?? '', new RegExp(TITLE_EN));
    assert.match(mine[0]!.text ?? '', /horaire, intervenants/);

    // The feed (fetched as a calendar app would) carries the new time, parsed by a real iCalendar parser.
    const ics = await (await fetch(feedUrl.replace(/^https?:\/\/[^/]+/, base))).text();
    const vevents = Object.values(ical.sync.parseICS(ics)).filter((x) => x?.type === 'VEVENT') as VEvent[];
    assert.equal(vevents.length, 1);
    assert.equal(vevents[0]!.uid, `${code}@convene.wsis-2026`);
    assert.equal(new Date(vevents[0]!.start).toISOString(), '2026-07-06T08:00:00.000Z');

    // An approved remote participant sees the joining link in their agenda; the anonymous visitor still does not.
    const { page: far } = await as(remote, 360);
    await far.goto(`${base}/en/agenda/add?session=${code}`);
    await Promise.all([
      far.waitForURL(/\/en\/agenda(\?|$)/),
      far.click('form[action="/en/agenda/add"] button[type="submit"]'),
    ]);
    assert.equal(await far.locator(`#agenda-${code} a[href="${JOIN}"]`).count(), 1);
    await far.screenshot({ path: `${SCREENSHOTS}/programme-agenda-remote-en-360.png`, fullPage: true });
    await anon.goto(`${base}/en/sessions/${code}`);
    assert.ok(!(await anon.content()).includes('meet.example.org'));
    await anon.goto(`${base}/en/agenda`);
    assert.ok(!(await anon.content()).includes('meet.example.org'));
  });
  it('the timetable grid: a session dragged to another room and time is moved as a draft; a clash opens the form', async () => {
    // Tall enough that the whole day shows: a drag cannot scroll the page.
    const { page } = await as(staff, 1366, true, 1600);
    await page.goto(`${base}/en/secretariat/programme`);
    await Promise.all([page.waitForURL(/\/grid$/), page.click('a[href="/en/secretariat/programme/grid"]')]);
    await Promise.all([
      page.waitForURL(/day=2026-07-10/),
      page.click('a[href="/en/secretariat/programme/grid?day=2026-07-10"]'),
    ]);
    const session = page.locator('.tt-session').first();
    const code = await session.getAttribute('data-code');
    assert.ok(code);
    assert.deepEqual(await seriousViolations(page), []);
    await page.screenshot({ path: `${SCREENSHOTS}/programme-grid-en-1366.png`, fullPage: false });
    // 18:00 in Room H on the last day is free (the seeded sessions of that room are over by then).
    await Promise.all([
      page.waitForURL(/done=moved/),
      session.dragTo(page.locator('.tt-slot[data-room="room-h"][data-start="18:00"]')),
    ]);
    const moved = page.locator(`#tt-${code}`);
    assert.match((await moved.getAttribute('class')) ?? '', /draft/);
    assert.match(await moved.innerText(), /^18:00/);
    assert.equal(
      await moved.evaluate((el) => el.style.gridColumnStart),
      await page
        .locator('.tt-slot[data-room="room-h"]')
        .first()
        .evaluate((el) => el.style.gridColumnStart),
    );
    // Dropped onto another session's room and time: the conflict is told on the form, with the override field.
    // (The slot lies under that session: while dragging, sessions let the pointer through to the slots.)
    await moved.dragTo(page.locator('.tt-slot[data-room="room-d"][data-start="14:00"]'), { force: true });
    await page.waitForSelector('#conflicts');
    assert.ok(await page.locator('#conflicts a[href^="/en/secretariat/programme/"]').count());
    assert.equal(await page.locator('textarea[name="override_reason"]').count(), 1);
    // The grid on a phone and in Arabic: rooms run right to left, the grid scrolls inside its box, the page does not.
    for (const [lc, width] of [
      ['ar', 360],
      ['en', 360],
      ['ar', 1366],
    ] as const) {
      const { page: p } = await as(staff, width);
      await p.goto(`${base}/${lc}/secretariat/programme/grid?day=2026-07-08`);
      assert.ok(await p.locator('.tt-session').count());
      await p.screenshot({ path: `${SCREENSHOTS}/programme-grid-${lc}-${width}.png`, fullPage: false });
      const wide = await p.evaluate(() =>
        [...document.querySelectorAll('main *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.tt-scroll'))
          .map((e) => `${e.tagName}.${e.className}`)
          .slice(0, 5),
      );
      assert.deepEqual(wide, [], `${lc} ${width}`);
      assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${lc} ${width}`);
    }
  });
});
