/**
 * The door scanner in Chromium: it scans online, loses the network, keeps deciding from its manifest and queues the
 * scans, reopens from its service worker while offline, and when the network returns syncs the queue: the server
 * holds each scan once, and a badge that another door admitted meanwhile is reported as a conflict.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import type { Db } from '../../src/db/client.js';
import { people } from '../../src/modules/accounts/accounts.schema.js';
import { badges } from '../../src/modules/badges/badges.schema.js';
import { issueMissingBadges } from '../../src/modules/badges/badges.service.js';
import { scans } from '../../src/modules/checkin/checkin.schema.js';
import { scan } from '../../src/modules/checkin/checkin.service.js';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { decideRegistration, submitRegistration } from '../../src/modules/registration/index.js';
import type { Ctx, PersonActor } from '../../src/platform/context.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

describe('door scanner in Chromium', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  const tokens: string[] = [];

  const as = (actor: Partial<PersonActor> & { id: string }): Ctx & { db: Db } => ({
    db: t.database.db,
    locale: 'en',
    now: t.clock.now(),
    actor: {
      kind: 'person',
      role: 'participant',
      capabilities: [],
      focalPointOf: [],
      entityId: null,
      via: 'session',
      ...actor,
    },
  });

  before(async () => {
    // The doors open on the event's days: the summit's second day.
    ({ t, browser, base, close } = await startBrowserApp({ now: new Date('2026-07-08T09:00:00+02:00') }));
    const [{ id: chile }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'CL'));
    const names = [
      { givenName: 'Ana María', familyName: 'Núñez', givenNameLatin: 'Ana Maria', familyNameLatin: 'Nunez' },
      { givenName: 'فاطمة', familyName: 'الزهراء', givenNameLatin: 'Fatima', familyNameLatin: 'Al-Zahraa' },
      { givenName: 'Ольга', familyName: 'Иванова', givenNameLatin: 'Olga', familyNameLatin: 'Ivanova' },
    ];
    for (const n of names) {
      const p = await createPerson(t, { entityId: chile });
      await t.database.db.update(people).set(n).where(eq(people.id, p.id));
      const [r] = (
        await submitRegistration(as({ id: p.id, entityId: chile }), {
          events: ['wsis-forum-2026'],
          mode: 'in_person',
          stakeholderType: 'government',
          function: 'technical_expert',
        })
      ).registrations;
      await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
        decision: 'approve',
      });
      await issueMissingBadges(t.database.db, t.clock.now(), [p.id]);
      const [b] = await t.database.db
        .select()
        .from(badges)
        .where(and(eq(badges.personId, p.id), isNull(badges.revokedAt)));
      tokens.push(b.token);
    }
  });
  after(async () => close?.());

  it('scans online, offline from its manifest and queue, reopens offline, and syncs each scan once with conflicts reported', async () => {
    const doorStaff = await createPerson(t, { role: 'staff', capabilities: ['checkin.scan'] });
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'cvn_session', value: doorStaff.sessionToken, url: base }]);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const url = `${base}/en/scan?checkpoint=event:wsis-forum-2026`;
    await page.goto(url);
    await page.waitForSelector('.scanner[data-ready="1"]');
    assert.match((await page.textContent('.scan-manifest'))!, /List of 3 badges/);
    // The service worker takes control, so the next load of the page is kept for offline use.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForSelector('.scanner[data-ready="1"]');
    assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true);

    const scanCode = async (code: string) => {
      await page.fill('.scan-code', code);
      await page.press('.scan-code', 'Enter');
      await page.waitForSelector('.scan-output .scan-result');
      const r = await page.evaluate(() => {
        const box = document.querySelector('.scan-output .scan-result')!;
        return {
          result: box.classList.contains('scan-admitted') ? 'admitted' : 'refused',
          reason: box.querySelector('.scan-reason')?.getAttribute('data-reason') ?? null,
          text: box.textContent ?? '',
          offline: !!box.querySelector('.scan-offline-note'),
        };
      });
      await page.evaluate(() => document.querySelector('.scan-output')!.replaceChildren());
      return r;
    };

    // Online: the server decides.
    const a = await scanCode(tokens[0]);
    assert.deepEqual([a.result, a.offline], ['admitted', false]);
    assert.match(a.text, /Ana María Núñez/);
    await page.screenshot({ path: `${SCREENSHOTS}/scanner-en-admitted.png` });

    // Offline: the manifest decides, scans queue.
    await ctx.setOffline(true);
    const b = await scanCode(tokens[1]);
    assert.deepEqual([b.result, b.offline], ['admitted', true]);
    assert.match(b.text, /فاطمة الزهراء/);
    const aAgain = await scanCode(tokens[0]);
    assert.deepEqual(
      [aAgain.result, aAgain.reason],
      ['refused', 'already_checked_in'],
      'admitted online before the network went',
    );
    const bAgain = await scanCode(tokens[1]);
    assert.deepEqual([bAgain.result, bAgain.reason], ['refused', 'already_checked_in']);
    const forged = await scanCode(`${tokens[2].slice(0, -1)}${tokens[2].endsWith('A') ? 'B' : 'A'}`);
    assert.deepEqual([forged.result, forged.reason], ['refused', 'invalid_code']);
    const c = await scanCode(tokens[2]);
    assert.equal(c.result, 'admitted');
    await page.screenshot({ path: `${SCREENSHOTS}/scanner-en-offline.png` });
    assert.equal(await page.getAttribute('.scan-queue', 'data-queued'), '5');

    // Reopened without network: the service worker serves the page, IndexedDB the manifest and the queue.
    await page.reload();
    await page.waitForSelector('.scanner[data-ready="1"]');
    assert.match((await page.textContent('.scan-net'))!, /Offline/);
    assert.equal(await page.getAttribute('.scan-queue', 'data-queued'), '5');

    // Meanwhile another door, online, admits Olga first: her offline admission becomes a conflict.
    await scan(as({ id: 'door-2', role: 'staff', capabilities: ['checkin.scan'] }), {
      scanId: randomUUID(),
      code: tokens[2],
      checkpoint: 'event:wsis-forum-2026',
      deviceId: 'door-2',
    });

    // Back online: the queue syncs.
    await ctx.setOffline(false);
    await page.waitForSelector('.scan-synced');
    assert.equal(await page.getAttribute('.scan-synced', 'data-synced'), '5');
    assert.equal(await page.getAttribute('.scan-synced', 'data-conflicts'), '1');
    await page.waitForFunction(() => document.querySelector('.scan-queue')?.getAttribute('data-queued') === '0');

    // The server holds each scan once: one online, five synced, one from the other door; each arrival counted once.
    const rows = await t.database.db.select().from(scans).where(eq(scans.checkpoint, 'event:wsis-forum-2026'));
    assert.equal(rows.length, 7);
    assert.equal(new Set(rows.map((r) => r.id)).size, 7);
    assert.equal(rows.filter((r) => r.result === 'admitted').length, 3);
    assert.equal(rows.filter((r) => r.conflict).length, 1);
    assert.equal(rows.filter((r) => r.offline).length, 5);
    // A second sync of the same scans (a retry after a lost answer) changes nothing.
    const queued = rows
      .filter((r) => r.offline)
      .map((r) => ({ scanId: r.id, code: 'ignored', checkpoint: r.checkpoint, deviceId: r.deviceId }));
    const csrf = await page.getAttribute('meta[name="csrf-token"]', 'content');
    const resync = await page.evaluate(
      async ({ q, csrf }) =>
        (
          await fetch('/api/v1/checkin/sync', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf! },
            body: JSON.stringify({ scans: q }),
          })
        ).status,
      { q: queued, csrf },
    );
    assert.equal(resync, 200);
    assert.equal((await t.database.db.select().from(scans)).length, 7);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  it('reads well in Arabic: right to left, no serious accessibility violations', async () => {
    const doorStaff = await createPerson(t, {
      role: 'staff',
      capabilities: ['checkin.scan', 'badges.print', 'reports.view'],
    });
    // axe-core is injected as an inline script: the test's context lets it past the CSP.
    const ctx = await browser.newContext({ bypassCSP: true });
    await ctx.addCookies([{ name: 'cvn_session', value: doorStaff.sessionToken, url: base }]);
    const page = await ctx.newPage();
    await page.goto(`${base}/ar/scan?checkpoint=event:wsis-forum-2026`);
    await page.waitForSelector('.scanner[data-ready="1"]');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.fill('.scan-code', tokens[1]);
    await page.press('.scan-code', 'Enter');
    await page.waitForSelector('.scan-output .scan-result');
    await page.screenshot({ path: `${SCREENSHOTS}/scanner-ar.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await page.goto(`${base}/ar/badge-desk?q=${encodeURIComponent('الزهراء')}`);
    await page.screenshot({ path: `${SCREENSHOTS}/badge-desk-ar.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await page.goto(`${base}/ar/arrivals`);
    await page.screenshot({ path: `${SCREENSHOTS}/arrivals-ar.png`, fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await ctx.close();
  });
});
