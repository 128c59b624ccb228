/**
 * Speaker pages in a real browser, on a phone (360 px) and a desk, in English and Arabic: the public page and list,
 * the speaker's own form (reached through the link an invitation e-mail carries) and the secretariat's pages are no
 * wider than the viewport and axe-core (WCAG 2.1 A/AA) finds nothing. Screenshots kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { speakerProfiles } from '../../src/modules/programme/programme.speakers.schema.js';
import { inviteSpeaker } from '../../src/modules/programme/programme.speakers.js';
import { jobs } from '../../src/platform/platform.schema.js';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { axeViolations, browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

describe('speaker pages in a browser, on a phone and a desk, in English and Arabic', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  let staff: TestPerson;
  let linkPath = '';
  let id = 0;

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
    staff = await createPerson(t, { role: 'staff', capabilities: ['programme.edit'] });
    const [p] = await t.database.db.select().from(speakerProfiles).where(eq(speakerProfiles.slug, 'sami-al-qasimi'));
    id = p!.id;
    await t.database.db
      .update(speakerProfiles)
      .set({
        bio: { ar: 'سامي القاسمي مفوض في هيئة تنظيم الاتصالات.', en: 'Sami Al-Qasimi is a commissioner.' },
        bioLang: 'ar',
      })
      .where(eq(speakerProfiles.id, id));
    await inviteSpeaker(
      {
        ...t.ctx(),
        db: t.database.db,
        baseUrl: base,
        actor: {
          kind: 'person',
          id: staff.id,
          role: 'staff',
          capabilities: ['programme.edit'],
          focalPointOf: [],
          entityId: null,
          via: 'session',
        },
      },
      id,
      { email: 'sami@example.org', locale: 'ar' },
    );
    const [job] = await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send'));
    const link = (job!.payload as { params: { link: string } }).params.link;
    linkPath = new URL(link).pathname.replace(/^\/ar\//, '/');
  });
  after(async () => close?.());

  for (const width of [360, 1366]) {
    for (const lc of ['en', 'ar'] as const) {
      it(`${lc} at ${width} px: public, speaker and secretariat pages fit and pass axe`, async () => {
        const paths: [string, boolean][] = [
          ['/speakers', false],
          ['/speakers/sami-al-qasimi', false],
          [linkPath, false],
          ['/secretariat/programme/speakers', true],
          [`/secretariat/programme/speakers/${id}`, true],
        ];
        for (const [path, signedIn] of paths) {
          const ctx = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true });
          if (signedIn) await ctx.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
          const page = await ctx.newPage();
          const res = await page.goto(`${base}/${lc}${path}`);
          assert.equal(res?.status(), 200, path);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(wide <= width, `${lc}${path} is ${wide} px wide at ${width}`);
          assert.deepEqual(await axeViolations(page), [], `${lc}${path}`);
          if (path === '/speakers/sami-al-qasimi')
            await page.screenshot({ path: `${SCREENSHOTS}/speaker-${lc}-${width}.png`, fullPage: true });
          await ctx.close();
        }
      });
    }
  }
});
