/**
 * Merging a duplicate person in Chromium, at 360 px (a phone) and 1366 px, in English and Arabic: the search, the two
 * records side by side with what the merge will decide, no page wider than the screen; then, in each language, the
 * merge itself from the form on the phone, ending on the kept person's page (its e-mails section included).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import { axeViolations, browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';
import { enqueueMail } from '../../src/platform/mail/mail.js';
import { people } from '../../src/modules/accounts/index.js';
import { badges } from '../../src/modules/badges/index.js';
import { entities } from '../../src/modules/entities/index.js';
import { events } from '../../src/modules/events/index.js';
import { registrations } from '../../src/modules/registration/index.js';

const skip = browserSkipReason();

describe('merging a duplicate person in a browser', { skip }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let admin: TestPerson;
  const pairs: Record<'en' | 'ar', { a: TestPerson; b: TestPerson }> = {} as never;

  before(async () => {
    env = await startBrowserApp();
    const { t } = env;
    const db = t.database.db;
    const [{ id: ghana }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    const [{ id: forum }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
    admin = await createPerson(t, { role: 'admin' });
    const now = t.clock.now();
    for (const lc of ['en', 'ar'] as const) {
      const a = await createPerson(t, {
        entityId: ghana,
        email: `abdullah.alsawaha.${lc}@ministry-of-communications.example.gov`,
      });
      const b = await createPerson(t, {
        entityId: ghana,
        email: `a.very.long.address.of.the.same.delegate.${lc}@ministry-of-communications.example.gov`,
      });
      await db
        .update(people)
        .set({ givenName: 'Abdullah', familyName: 'Alswaha', nationality: 'SA' })
        .where(eq(people.id, a.id));
      await db
        .update(people)
        .set({
          givenName: 'عبد الله',
          familyName: 'السواحه',
          givenNameLatin: 'Abdullah',
          familyNameLatin: 'Alswaha',
          jobTitle: 'وزير الاتصالات وتقنية المعلومات',
        })
        .where(eq(people.id, b.id));
      for (const [p, state] of [
        [a, 'pending_secretariat'],
        [b, 'approved'],
      ] as const)
        await db.insert(registrations).values({
          personId: p.id,
          eventId: forum,
          entityId: ghana,
          mode: 'in_person',
          state,
          registeredBy: p.id,
          submittedAt: now,
          updatedAt: now,
        });
      for (const p of [a, b])
        await db
          .insert(badges)
          .values({ personId: p.id, token: `CVB1.merge-${lc}-${p.id.slice(0, 8)}.mac`, category: 'D', issuedAt: now });
      await enqueueMail(db, now, {
        to: a.email,
        locale: lc,
        template: 'account_erased',
        params: { greeting: lc === 'ar' ? 'السيد السواحه،' : 'Dear Mr Alswaha,' },
      });
      pairs[lc] = { a, b };
    }
  });
  after(() => env?.close());

  async function noOverflow(page: import('playwright-core').Page, url: string) {
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `${url} is ${wide}px wider than the screen`);
    assert.ok(await page.locator('h1').first().isVisible(), `${url}: heading visible`);
  }

  for (const lc of ['en', 'ar'] as const)
    for (const width of [1366, 360])
      it(`search, side by side and merge at ${width} px in ${lc}`, async () => {
        const { a, b } = pairs[lc];
        // bypassCSP: axe-core is injected as a script (helmet's CSP would block it).
        const ctx = await env.browser.newContext({
          viewport: { width, height: width === 360 ? 740 : 900 },
          bypassCSP: true,
        });
        await ctx.addCookies([{ name: 'cvn_session', value: admin.sessionToken, url: env.base }]);
        const page = await ctx.newPage();
        const shot = (name: string) =>
          page.screenshot({ path: path.join(SCREENSHOTS, `merge-${name}-${lc}-${width}.png`), fullPage: true });

        // From the person's page to the search, by the name in the other script.
        let res = await page.goto(`${env.base}/${lc}/admin/people/${a.id}`);
        assert.equal(res?.status(), 200);
        await page.locator(`a[href="/${lc}/admin/people/${a.id}/merge"]`).click();
        await page.locator('.merge-desk input[name="q"]').fill('السواحه');
        await page.locator('.merge-desk form[role="search"] button[type="submit"]').click();
        await page.waitForURL(/merge\?q=/);
        await noOverflow(page, page.url());
        await shot('search');
        await page.locator(`a[href="/${lc}/admin/people/${a.id}/merge?from=${b.id}"]`).click();
        await page.waitForURL(/merge\?from=/);
        await noOverflow(page, page.url());
        assert.equal(await page.locator('[data-conflict="registration_withdrawn"]').count(), 1);
        assert.equal(await page.locator('[data-conflict="badge_revoked"]').count(), 1);
        assert.equal(await page.locator('html').getAttribute('dir'), lc === 'ar' ? 'rtl' : 'ltr');
        await shot('compare');
        assert.deepEqual(await axeViolations(page), [], 'axe-core finds nothing on the side-by-side page');
        if (width !== 360) {
          await ctx.close();
          return;
        }
        // The merge itself, on the phone.
        await page.locator('textarea[name="reason"]').fill(lc === 'ar' ? 'تسجيل مكرر' : 'Registered twice');
        await page.locator('.merge-desk form[method="post"] button[type="submit"]').click();
        await page.waitForURL(new RegExp(`/admin/people/${a.id}\\?done=merged`));
        res = await page.goto(page.url());
        assert.equal(res?.status(), 200);
        await noOverflow(page, page.url());
        assert.ok(await page.locator('.notice-ok').isVisible());
        assert.equal(await page.locator('table.person-mails tbody tr').count(), 1);
        await shot('merged');
        await ctx.close();
      });
});
