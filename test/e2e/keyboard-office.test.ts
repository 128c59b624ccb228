/**
 * Back-office work with the keyboard alone. A focal point approves one request and refuses another (with a reason,
 * through the confirmation page), focus always visible and the success notice focused after each decision. Door staff
 * admit a badge by typing its printed reference and by pasting its code, keyboard only: the code field has focus when
 * the page opens, the answer is announced, and focus returns to the field for the next badge.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import type { Db } from '../../src/db/client.js';
import { people } from '../../src/modules/accounts/accounts.schema.js';
import { badges } from '../../src/modules/badges/badges.schema.js';
import { issueMissingBadges } from '../../src/modules/badges/badges.service.js';
import { scans } from '../../src/modules/checkin/checkin.schema.js';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { decideRegistration, registrationReference, submitRegistration } from '../../src/modules/registration/index.js';
import { registrations } from '../../src/modules/registration/registration.schema.js';
import type { Ctx, PersonActor } from '../../src/platform/context.js';
import { createPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();

/** The focused element: what it is, which form it belongs to, and whether a focus ring is drawn. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const cs = el ? getComputedStyle(el) : null;
    const form = (el as HTMLInputElement | null)?.form ?? null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      name: el?.getAttribute('name') ?? '',
      value: (el as HTMLInputElement | null)?.value ?? '',
      cls: el?.className ?? '',
      id: el?.id ?? '',
      text: (el?.innerText ?? '').trim().slice(0, 60),
      action: form ? new URL(form.action).pathname : '',
      ring: !!cs && cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) >= 2,
    };
  });
type Focused = Awaited<ReturnType<typeof focused>>;

/** Presses Tab (or Shift+Tab) until `pred` holds (at most `max` times), checking the ring at every step. */
async function tabTo(page: Page, pred: (f: Focused) => boolean, max = 80, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    assert.ok(f.ring || f.tag === 'body', `focus is visible on ${f.tag} ${f.name || f.text}`);
    if (pred(f)) return f;
  }
  throw new Error('not reached by Tab');
}

function actor(t: TestApp, a: Partial<PersonActor> & { id: string }): Ctx & { db: Db } {
  return {
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
      ...a,
    },
  };
}

describe('a focal point decides by keyboard', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp());
  });
  after(() => close?.());

  for (const lc of ['en', 'ar'] as const) {
    it(`approves one request and refuses another with a reason, keyboard only (${lc})`, async () => {
      const [{ id: entity }] = await t.database.db
        .select({ id: entities.id })
        .from(entities)
        .where(eq(entities.code, lc === 'en' ? 'GH' : 'JO'));
      const dfp = await createPerson(t, { entityId: entity, focalPointOf: [entity], locale: lc });
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const d = await createPerson(t, { entityId: entity });
        const [r] = (
          await submitRegistration(actor(t, { id: d.id, entityId: entity }), {
            events: ['wsis-forum-2026'],
            mode: 'in_person',
            stakeholderType: 'government',
            function: 'technical_expert',
          })
        ).registrations;
        assert.equal(r.state, 'pending_dfp');
        ids.push(r.id);
      }
      const [approveId, refuseId] = ids;
      const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
      await ctx.addCookies([{ name: 'cvn_session', value: dfp.sessionToken, url: base }]);
      const page = await ctx.newPage();
      await page.goto(`${base}/${lc}/focal-point`);
      await page.keyboard.press('Tab');
      assert.equal((await focused(page)).text, lc === 'en' ? 'Skip to content' : 'الانتقال إلى المحتوى');
      // The skip link leads past the header: the next Tab is inside the content.
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      assert.equal(
        await page.evaluate(
          () => !!document.activeElement?.closest('main') && !document.activeElement?.closest('header'),
        ),
        true,
        'after the skip link, focus moves inside the main content',
      );

      // Approve the first person's request: tick their row, then back up to the actions above the table.
      const bulk = (f: Focused) => f.action.endsWith('/focal-point/bulk');
      await tabTo(page, (f) => bulk(f) && f.name === 'ids' && f.value.includes(approveId));
      await page.keyboard.press('Space');
      await tabTo(page, (f) => bulk(f) && f.value === 'approve', 80, 'Shift+Tab');
      await page.screenshot({ path: `${SCREENSHOTS}/keyboard-dfp-approve-${lc}.png` });
      await Promise.all([page.waitForURL(/done=1/), page.keyboard.press('Enter')]);
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('notice-ok')),
        true,
        'the success notice has focus',
      );
      const [approved] = await t.database.db.select().from(registrations).where(eq(registrations.id, approveId));
      assert.notEqual(approved.state, 'pending_dfp');
      assert.notEqual(approved.state, 'rejected');

      // Refuse the second: a reason, then "Reject", then the confirmation page says what will happen.
      await tabTo(page, (f) => bulk(f) && f.name === 'ids' && f.value.includes(refuseId));
      await page.keyboard.press('Space');
      await tabTo(page, (f) => bulk(f) && f.name === 'reason', 80, 'Shift+Tab');
      await page.keyboard.type('Not part of the delegation');
      await tabTo(page, (f) => bulk(f) && f.value === 'reject', 5);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      const still = await t.database.db.select().from(registrations).where(eq(registrations.id, refuseId));
      assert.equal(still[0].state, 'pending_dfp', 'nothing is refused before it is confirmed');
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'confirm-title',
        'the confirmation heading has focus',
      );
      assert.match(await page.innerText('main'), /Not part of the delegation/, 'the reason is shown before sending');
      await page.screenshot({ path: `${SCREENSHOTS}/keyboard-dfp-confirm-reject-${lc}.png` });
      await tabTo(page, (f) => f.tag === 'button' && f.cls.includes('danger'), 5);
      await Promise.all([page.waitForURL(/done=1/), page.keyboard.press('Enter')]);
      assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('notice-ok')), true);
      const [refused] = await t.database.db.select().from(registrations).where(eq(registrations.id, refuseId));
      assert.equal(refused.state, 'rejected');
      assert.equal(refused.reason, 'Not part of the delegation');
      await page.screenshot({ path: `${SCREENSHOTS}/keyboard-dfp-done-${lc}.png` });
      await ctx.close();
    });
  }
});

describe('door staff admit a badge by keyboard', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  const badgeRows: { token: string; reference: string }[] = [];
  before(async () => {
    // The doors open on the event's days: the summit's second day.
    ({ t, browser, base, close } = await startBrowserApp({ now: new Date('2026-07-08T09:00:00+02:00') }));
    const [{ id: chile }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'CL'));
    for (let i = 0; i < 4; i++) {
      const p = await createPerson(t, { entityId: chile });
      await t.database.db
        .update(people)
        .set({ givenName: 'Ana María', familyName: `Núñez ${i}` })
        .where(eq(people.id, p.id));
      const [r] = (
        await submitRegistration(actor(t, { id: p.id, entityId: chile }), {
          events: ['wsis-forum-2026'],
          mode: 'in_person',
          stakeholderType: 'government',
          function: 'technical_expert',
        })
      ).registrations;
      await decideRegistration(actor(t, { id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
        decision: 'approve',
      });
      await issueMissingBadges(t.database.db, t.clock.now(), [p.id]);
      const [b] = await t.database.db
        .select()
        .from(badges)
        .where(and(eq(badges.personId, p.id), isNull(badges.revokedAt)));
      badgeRows.push({ token: b.token, reference: registrationReference(r.id) });
    }
  });
  after(() => close?.());

  const scanned = async (token: string) =>
    (
      await t.database.db
        .select({ result: scans.result })
        .from(scans)
        .innerJoin(badges, eq(scans.badgeId, badges.id))
        .where(eq(badges.token, token))
    ).map((s) => s.result);

  for (const [lc, script] of [
    ['en', true],
    ['ar', false],
  ] as const) {
    it(`types a badge's reference and pastes another's code, keyboard only (${lc}, ${script ? 'with' : 'without'} script)`, async () => {
      const staff = await createPerson(t, { role: 'staff', capabilities: ['checkin.scan'], locale: lc });
      const ctx = await browser.newContext({
        viewport: { width: 360, height: 740 },
        javaScriptEnabled: script,
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      await ctx.addCookies([{ name: 'cvn_session', value: staff.sessionToken, url: base }]);
      const page = await ctx.newPage();
      // Choosing the checkpoint, by keyboard.
      await page.goto(`${base}/${lc}/scan`);
      await tabTo(page, (f) => f.name === 'checkpoint');
      await tabTo(page, (f) => f.tag === 'button', 3);
      await Promise.all([page.waitForURL(/checkpoint=/), page.keyboard.press('Enter')]);
      if (script) await page.waitForSelector('.scanner[data-ready="1"]');
      // The code field has focus when the page opens: staff type at once.
      const first = await focused(page);
      assert.equal(first.name, 'code', 'the code field has focus');
      assert.ok(first.ring, 'focus is visible on the code field');
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-describedby')),
        'code-hint',
        'the hint describes the field',
      );

      const [one, two] = lc === 'en' ? badgeRows.slice(0, 2) : badgeRows.slice(2, 4);
      // A printed reference, typed by hand (lower case, as people type).
      await page.keyboard.type(one.reference.toLowerCase());
      if (script) await page.keyboard.press('Enter');
      else await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      await page.waitForSelector('.scan-output .scan-admitted');
      assert.deepEqual(await scanned(one.token), ['admitted']);
      assert.equal((await focused(page)).name, 'code', 'focus is back on the code field for the next badge');
      assert.equal(await page.inputValue('.scan-code'), '', 'the field is empty for the next badge');
      assert.match(await page.innerText('.scan-output'), /Núñez/);
      if (!script) {
        // Nothing on the page that cannot work: no camera button without the script, no broken photo.
        assert.equal(await page.isVisible('.scan-camera-start'), false, 'no camera button without the script');
        assert.equal(
          await page.evaluate(() => [...document.images].filter((i) => i.complete && i.naturalWidth === 0).length),
          0,
          'no broken image',
        );
      }
      await page.screenshot({ path: `${SCREENSHOTS}/keyboard-scan-admitted-${lc}.png` });

      // A badge's code, pasted (Ctrl+V).
      if (script) await page.evaluate(() => document.querySelector('.scan-output')!.replaceChildren());
      await page.evaluate((s) => navigator.clipboard?.writeText(s), two.token).catch(() => undefined);
      if (script) {
        await page.keyboard.press('Control+V');
        if ((await page.inputValue('.scan-code')) !== two.token) await page.keyboard.insertText(two.token);
        await page.keyboard.press('Enter');
        await page.waitForSelector('.scan-output .scan-admitted');
      } else {
        await page.keyboard.insertText(two.token);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      }
      assert.deepEqual(await scanned(two.token), ['admitted']);
      // The same badge again is refused, and said so.
      if (script) await page.evaluate(() => document.querySelector('.scan-output')!.replaceChildren());
      await page.keyboard.insertText(two.token);
      if (script) await page.keyboard.press('Enter');
      else await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      await page.waitForSelector('.scan-output .scan-refused');
      assert.equal((await focused(page)).name, 'code');
      await page.screenshot({ path: `${SCREENSHOTS}/keyboard-scan-refused-${lc}.png` });
      await ctx.close();
    });
  }
});
