/**
 * Rooms, floors and the venue plan in Chromium (issue 19 §3): staff upload a floor's plan through the file input and
 * place a room on it with the room form; the secretariat's rooms page, a room's form and the public venue page, in
 * English and Arabic at 360 and 1366 px, fit the screen, have no serious axe violation, and the venue page shows the
 * plan (loaded, as an image) with the room marked. Screenshots in test-results/screenshots/venue-*.png.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import { browserSkipReason, SCREENSHOTS, seriousViolations, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

/** A small plan of the Congress Centre: rooms as boxes (Room A at 30 % across, 55 % down). */
const PLAN = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="500" viewBox="0 0 1000 500">
  <rect x="5" y="5" width="990" height="490" fill="#f4f7fb" stroke="#234" stroke-width="4"/>
  <rect x="40" y="40" width="420" height="160" fill="#dde8f5" stroke="#234"/><text x="60" y="80" font-size="28">C</text>
  <rect x="220" y="220" width="160" height="110" fill="#dde8f5" stroke="#234"/><text x="240" y="260" font-size="28">A</text>
  <rect x="520" y="40" width="200" height="120" fill="#dde8f5" stroke="#234"/><text x="540" y="80" font-size="28">B</text>
  <rect x="520" y="300" width="420" height="160" fill="#e8f0e0" stroke="#234"/>
  <script>document.title = 'pwned'</script>
</svg>`;

describe('rooms, floors and the venue plan in a browser', { skip }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let staff: TestPerson;
  let planFile: string;
  before(async () => {
    env = await startBrowserApp();
    staff = await createPerson(env.t, { role: 'staff', capabilities: ['programme.edit'] });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    planFile = path.join(SCREENSHOTS, 'venue-plan-upload.svg');
    fs.writeFileSync(planFile, PLAN);
  });
  after(() => env?.close());

  it('staff upload a plan and place Room A on it, without script', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1366, height: 900 }, javaScriptEnabled: false });
    await context.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: env.base }]);
    const page = await context.newPage();
    await page.goto(`${env.base}/en/secretariat/venue/floors/congress-centre`);
    await page.setInputFiles('#f-plan', planFile);
    await Promise.all([page.waitForURL(/done=plan_uploaded/), page.click('form[action$="/plan"] button')]);
    await page.goto(`${env.base}/en/secretariat/venue/rooms/room-a`);
    await page.fill('#f-plan_x', '30');
    await page.fill('#f-plan_y', '55');
    await page.fill('#f-access_en', 'Step-free entrance; hearing loop; wheelchair places in the first row.');
    await page.fill('#f-access_ar', 'مدخل بلا درجات؛ حلقة سمعية؛ أماكن للكراسي المتحركة في الصف الأول.');
    await page.check('input[name="booths"][value="ar"]');
    await page.check('input[name="booths"][value="zh"]');
    await Promise.all([page.waitForURL(/done=room_saved/), page.click('form.venue-form button[type="submit"]')]);
    await context.close();
  });

  for (const lc of ['en', 'ar'] as const)
    for (const width of [360, 1366])
      it(`${lc} at ${width} px: the rooms page, a room's form and the venue page fit and show the plan`, async () => {
        const context = await env.browser.newContext({ viewport: { width, height: 900 }, locale: lc, bypassCSP: true });
        await context.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: env.base }]);
        const page = await context.newPage();
        for (const [name, url] of [
          ['rooms', `/${lc}/secretariat/venue`],
          ['room-form', `/${lc}/secretariat/venue/rooms/room-a`],
          ['floor', `/${lc}/secretariat/venue/floors/congress-centre`],
          ['venue', `/${lc}/venue`],
          ['session', `/${lc}/sessions/WSIS-201`],
        ] as const) {
          const res = await page.goto(`${env.base}${url}`);
          assert.equal(res?.status(), 200, url);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(wide <= width, `${url}: document ${wide} px wide at ${width}`);
          assert.ok(await page.isVisible('h1'), url);
          assert.deepEqual(await seriousViolations(page), [], url);
          await page.screenshot({ path: path.join(SCREENSHOTS, `venue-${name}-${lc}-${width}.png`), fullPage: true });
        }
        // The venue page: the plan has loaded as an image, Room A is marked on it, its name is text beside it.
        await page.goto(`${env.base}/${lc}/venue`);
        const plan = page.locator('#floor-congress-centre-section .plan img');
        assert.ok(await plan.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'plan loads');
        assert.ok((await plan.getAttribute('alt'))!.length > 5);
        const mark = await page.evaluate(() => {
          const box = document.querySelector('#floor-congress-centre-section .plan-box')!.getBoundingClientRect();
          const m = [...document.querySelectorAll('#floor-congress-centre-section .plan-mark')].find(
            (e) => (e as HTMLElement).title === (document.documentElement.lang === 'ar' ? 'القاعة A' : 'Room A'),
          );
          const r = m!.getBoundingClientRect();
          return { x: (r.left + r.width / 2 - box.left) / box.width, y: (r.top + r.height / 2 - box.top) / box.height };
        });
        assert.ok(Math.abs(mark.x - 0.3) < 0.02 && Math.abs(mark.y - 0.55) < 0.02, JSON.stringify(mark));
        assert.ok(await page.isVisible('#room-room-a h3'));
        assert.notEqual(await page.title(), 'pwned');
        await context.close();
      });
});
