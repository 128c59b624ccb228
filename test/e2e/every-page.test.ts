/**
 * Every page of every role on a phone and on a desk, in English and Arabic: the document is no wider than the
 * viewport, the main heading is visible, axe-core (WCAG 2.1 A/AA) finds nothing, and every visible focusable element
 * shows a focus ring of at least 3:1 against what it sits on. Also: a failed form announces its error summary, whose
 * heading has focus. Bounded for 2 cores: one browser, one context per role, pages in sequence; screenshots kept.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { desc, eq, sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import type { Db } from '../../src/db/client.js';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { announcePledge } from '../../src/modules/funding/index.js';
import { sendTestMessage } from '../../src/modules/letters/index.js';
import { submitRegistration } from '../../src/modules/registration/index.js';
import { requestLopEdition } from '../../src/modules/reports/reports.lop-editions.js';
import { inviteSpeaker } from '../../src/modules/programme/programme.speakers.js';
import { speakerProfiles } from '../../src/modules/programme/programme.speakers.schema.js';
import { jobs } from '../../src/platform/platform.schema.js';
import { submitSpeakingRequest } from '../../src/modules/speaking/index.js';
import { createSubscription } from '../../src/modules/webhooks/webhooks.service.js';
import { CAPABILITIES, type Ctx, type PersonActor } from '../../src/platform/context.js';
import { eventCatalogue } from '../../src/platform/domain-events.js';
import { createPerson, type TestPerson } from '../helpers/actors.js';
import type { TestApp } from '../helpers/app.js';
import { TEST_NOW } from '../helpers/db.js';
import { axeViolations, browserSkipReason, SCREENSHOTS, startBrowserApp } from '../helpers/browser.js';

const skip = browserSkipReason();
const shots = `${SCREENSHOTS}/every-page`;
const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1366, height: 900 },
];
const LANGS = ['en', 'ar'] as const;

type Role = 'anonymous' | 'participant' | 'focal point' | 'staff' | 'admin';
/** From the least to the most privileged: a page is opened by the first role that may open it. */
const ROLES: Role[] = ['anonymous', 'participant', 'focal point', 'staff', 'admin'];

/**
 * GET routes under `/:lc` that are not pages to read: downloads, single-use links, parts of other pages. Each says why;
 * any other route must be opened by some role below, or this test fails (so a new page is never left out).
 */
const NOT_A_PAGE: [RegExp, string][] = [
  [/\.(csv|xlsx|ics|json|png|svg|pdf)$|\/(export|download|calendar\.ics)$/, 'a download, not a page'],
  [/\/(password\/reset|sign-in\/link|verify)\/:token$/, 'a single-use link (its pages: accounts tests)'],
  [/\/editions\/:id\/:file$/, "a made edition's PDF or XLSX"],
  [/\/agenda\/feed\/:token\//, 'a private calendar feed'],
  [/\/admin\/outbox\/:id\/html$/, "a message's own HTML, shown in a sandboxed frame of its outbox page"],
  [/\/annexes\/:(id|annex)$/, 'an annex (PDF)'],
  [/\/reports\/(charts|figures)\/:[a-z]+$/, "a chart's picture or a figure's data (the dashboard links them)"],
];
/** Pages that need a query, or that a role other than the first one able to open them must see. */
const EXTRA: Partial<Record<Role, string[]>> = {
  // Signed out, /register is the way in (401: sign in or sign up, then come back).
  anonymous: ['/register'],
  participant: ['/confirm?to=%2Fen%2Faccount%2Ferase&what=erase_account'],
  // A door chosen: the scanner as door staff use it, and its opening hours.
  staff: ['/scan?checkpoint=event%3Awsis-forum-2026', '/scan/hours?checkpoint=event%3Awsis-forum-2026'],
};

const cookieOf = (p?: TestPerson) => (p ? { cookie: `cvn_session=${p.sessionToken}` } : {});
const hrefsIn = (html: string, lc: string) =>
  [...html.matchAll(/href="([^"#]+)"/g)]
    .map((m) => m[1].replaceAll('&amp;', '&'))
    .filter((h) => h.startsWith(`/${lc}/`) || h === `/${lc}`);

/**
 * The app's GET page routes (from its route table), each given to the least privileged role that gets it with 200.
 * Routes with parameters are filled from the links of the pages already found, so a detail page is reached the way a
 * person reaches it; those no link leads to are returned as unreached.
 */
async function discoverPages(t: TestApp, people: Partial<Record<Role, TestPerson>>) {
  const routes = [
    ...new Set(
      t.app.routeRegistry
        .filter((r) => r.method === 'GET' && (r.url === '/:lc' || r.url.startsWith('/:lc/')))
        .map((r) => r.url),
    ),
  ]
    .filter((u) => !NOT_A_PAGE.some(([re]) => re.test(u)))
    .sort();
  const found: Record<Role, string[]> = { anonymous: [], participant: [], 'focal point': [], staff: [], admin: [] };
  const links = new Set<string>();
  const opened = new Set<string>();
  /** Opens a path as every role (their links differ); the page goes to the first role that gets it. */
  const open = async (path: string) => {
    let first: Role | undefined;
    for (const role of ROLES) {
      const res = await t.app.inject({ url: `/en${path}`, headers: cookieOf(people[role]) });
      if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
      for (const h of hrefsIn(res.body, 'en')) links.add(h.slice(3));
      first ??= role;
    }
    if (first) opened.add(path);
    return first;
  };
  const extras = new Set(Object.values(EXTRA).flatMap((l) => (l ?? []).map((x) => x.split('?')[0])));
  // Routes without parameters as they are; then, until nothing more is found, each route still unopened through the
  // links of the pages opened so far (a detail page as a person reaches it, a page that needs its query with it).
  let left: string[] = [];
  for (const url of routes) {
    const path = url.slice(4);
    const role = url.includes(':', 4) ? undefined : await open(path);
    if (role) found[role].push(path);
    else if (!extras.has(path)) left.push(url);
  }
  // A page named in EXTRA (a query it needs, a signed link) stands for its route.
  const named = Object.values(EXTRA).flatMap((l) => l ?? []);
  left = left.filter((url) => !named.some((x) => patternOf(url).test(x)));
  for (let progress = true; progress && left.length; ) {
    progress = false;
    const still: string[] = [];
    for (const url of left) {
      const pattern = patternOf(url);
      const candidates = [...links].filter((l) => pattern.test(l) && !opened.has(l.split('?')[0])).slice(0, 3);
      let role: Role | undefined;
      for (const path of candidates) {
        role = await open(path);
        if (role) {
          found[role].push(path);
          break;
        }
      }
      if (role) progress = true;
      else still.push(url);
    }
    left = still;
  }
  for (const role of ROLES) found[role].push(...(EXTRA[role] ?? []));
  return { pages: found, unreached: left };
}

/** The paths a route answers (its parameters any one segment, any query). */
const patternOf = (url: string) => new RegExp(`^${url.slice(4).replace(/:[a-zA-Z]+/g, '[^/?]+')}(\\?.*)?$`);

/** A row behind every list, so each detail page has a link to follow. */
async function giveEveryListARow(
  t: TestApp,
  p: Record<Exclude<Role, 'anonymous'>, TestPerson>,
  egypt: number,
): Promise<void> {
  const as = (person: TestPerson, actor: Partial<PersonActor> = {}): Ctx & { db: Db } => ({
    db: t.database.db,
    locale: 'en',
    now: t.clock.now(),
    actor: {
      kind: 'person',
      role: 'participant',
      capabilities: [],
      focalPointOf: [],
      entityId: egypt,
      entityVerified: false,
      ...actor,
      id: person.id,
    } as PersonActor,
  });
  await submitRegistration(as(p.participant), {
    events: ['wsis-forum-2026'],
    mode: 'in_person',
    stakeholderType: 'government',
    function: 'technical_expert',
  });
  await submitSpeakingRequest(as(p['focal point'], { focalPointOf: [egypt] }), 'wsis-high-level-track-2026', {
    entityId: egypt,
    kind: 'policy_statement',
    language: 'en',
    rank: 'minister',
    givenName: 'Amina',
    familyName: 'Diallo',
    givenNameLatin: 'Amina',
    familyNameLatin: 'Diallo',
  } as never);
  await announcePledge(as(p['focal point'], { focalPointOf: [egypt] }), {
    entityId: egypt,
    currency: 'USD',
    amount: '100000.00',
    purpose: 'ldc_fellowships',
    contactName: 'Ms Contact',
    contactEmail: 'contact@example.org',
    recognition: 'name',
  } as never);
  const admin = as(p.admin, { role: 'admin', entityId: null });
  await createSubscription(admin, {
    url: 'https://example.org/hooks/convene',
    eventTypes: [eventCatalogue()[0].type],
  });
  await requestLopEdition(as(p.staff, { role: 'staff', capabilities: [...CAPABILITIES], entityId: null }), {
    event: 'wsis-forum-2026',
    locale: 'en',
    edition: 'provisional',
  } as never);
  // A speaker invited: the signed link of their e-mail is the page they open (no account).
  const staff = as(p.staff, { role: 'staff', capabilities: [...CAPABILITIES], entityId: null });
  const profiles = await t.database.db.select({ id: speakerProfiles.id }).from(speakerProfiles).limit(20);
  for (const { id } of profiles) {
    const sent = await inviteSpeaker({ ...staff, baseUrl: '' } as never, id, {
      email: 'speaker@example.org',
      locale: 'en',
    }).catch(() => undefined);
    if (sent) break;
  }
  const [mail] = await t.database.db
    .select({ payload: jobs.payload })
    .from(jobs)
    .where(sql`${jobs.payload}->>'template' = 'speaker_invitation'`)
    .orderBy(desc(jobs.id))
    .limit(1);
  const link = /\/speaker-link\/[^"/?#\s]+/.exec(JSON.stringify(mail?.payload ?? {}))?.[0];
  assert.ok(link, 'an invitation with its link was queued');
  EXTRA.anonymous = [...(EXTRA.anonymous ?? []), link];
  await sendTestMessage(admin, {
    subject: { en: 'Practical information' },
    body: { en: 'Badges are collected at Palexpo, hall 7.' },
    originalLanguage: 'en',
    audiences: ['member_states'],
  });
}

/** What a page shows, measured in the browser. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const h1 = document.querySelector('main h1, main h2');
    const r = h1?.getBoundingClientRect();
    return {
      docWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      heading: h1 ? (h1 as HTMLElement).innerText.trim() : '',
      headingInside: !!r && r.width > 0 && r.left >= -1 && r.right <= window.innerWidth + 1,
      // What sticks out, to say where the width comes from.
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => {
          const b = e.getBoundingClientRect();
          return b.right > window.innerWidth + 1 || b.left < -1;
        })
        .filter((e) => !e.closest('table.data'))
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`),
    };
  });
}

/**
 * Each visible focusable element, focused after a keyboard press (so :focus-visible applies): its outline must be at
 * least 2 px and 3:1 against the first opaque background behind it.
 */
async function focusFailures(page: Page): Promise<string[]> {
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const rgb = (s: string) => {
      const m = s.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
      return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 };
    };
    const lum = (c: { r: number; g: number; b: number }) => {
      const f = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const contrast = (a: { r: number; g: number; b: number }, b: { r: number; g: number; b: number }) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const behind = (el: Element | null) => {
      for (let e = el?.parentElement ?? null; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.a > 0.5) return c;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const out: string[] = [];
    const els = [
      ...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type=hidden]), select, textarea, summary'),
    ].filter((e) => e.checkVisibility() && e.getBoundingClientRect().width > 0);
    // Every kind of place once is enough: one element per (tag, class, background) triple.
    const seen = new Set<string>();
    for (const el of els) {
      const bg = behind(el);
      const key = `${el.tagName}.${el.className}.${bg.r},${bg.g},${bg.b}`;
      if (seen.has(key)) continue;
      seen.add(key);
      el.focus();
      if (document.activeElement !== el) continue;
      const cs = getComputedStyle(el);
      const width = Number.parseFloat(cs.outlineWidth);
      const ratio = contrast(rgb(cs.outlineColor), bg);
      if (cs.outlineStyle === 'none' || width < 2 || ratio < 3)
        out.push(
          `${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('name') || '').slice(0, 30)}": ${cs.outlineStyle} ${width}px ${cs.outlineColor} on rgb(${bg.r},${bg.g},${bg.b}) = ${ratio.toFixed(2)}:1`,
        );
    }
    (document.activeElement as HTMLElement | null)?.blur();
    return out;
  });
}

describe('every page of every role, on a phone and a desk, in English and Arabic', { skip }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let close: () => Promise<void>;
  const people: Partial<Record<Role, TestPerson>> = {};
  /** The pages each role opens: found from the app's own route table (see `discoverPages`). */
  const pages: Record<Role, string[]> = {
    anonymous: [],
    participant: [],
    'focal point': [],
    staff: [],
    admin: [],
  };

  before(async () => {
    ({ t, browser, base, close } = await startBrowserApp({ now: TEST_NOW }));
    fs.mkdirSync(shots, { recursive: true });
    const [{ id: egypt }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'EG'));
    people.participant = await createPerson(t, { entityId: egypt });
    people['focal point'] = await createPerson(t, { entityId: egypt, focalPointOf: [egypt] });
    people.staff = await createPerson(t, { role: 'staff', capabilities: [...CAPABILITIES] });
    people.admin = await createPerson(t, { role: 'admin' });
    await giveEveryListARow(t, people as Record<Exclude<Role, 'anonymous'>, TestPerson>, egypt);
    const found = await discoverPages(t, people);
    for (const role of ROLES) pages[role] = found.pages[role];
    // Every GET page of the app is opened here or named in NOT_A_PAGE with the reason.
    assert.deepEqual(found.unreached, [], 'page routes no role could open: give them a sample or a reason');
  });
  after(() => close?.());

  const results: string[] = [];

  const only = process.env.EVERY_PAGE_ROLE;
  for (const role of ROLES.filter((r) => !only || r === only)) {
    it(`${role}: every page fits, shows its heading, passes axe and shows focus`, async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport: VIEWPORTS[0] });
      // tsx names the functions inside page.evaluate with a helper the page does not have.
      await context.addInitScript('window.__name = (f) => f');
      const person = people[role];
      if (person) await context.addCookies([{ name: 'cvn_session', value: person.sessionToken, url: base }]);
      const page = await context.newPage();
      const problems: string[] = [];
      for (const lc of LANGS) {
        for (const vp of VIEWPORTS) {
          await page.setViewportSize(vp);
          for (const path of pages[role]) {
            const where = `${role} ${lc} ${vp.width}px ${path}`;
            const res = await page.goto(`${base}/${lc}${path}`);
            // Signed out, /register is the way in (401: sign in or sign up, then come back).
            if (res?.status() !== (role === 'anonymous' && path === '/register' ? 401 : 200)) {
              problems.push(`${where}: status ${res?.status()}`);
              continue;
            }
            const m = await measure(page);
            if (m.docWidth > m.viewport) problems.push(`${where}: ${m.docWidth}px wide (${m.wide.join(', ')})`);
            if (!m.heading || !m.headingInside) problems.push(`${where}: main heading not visible`);
            const slug =
              path
                .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, 'person')
                .replace(/[^a-z0-9]+/gi, '-')
                .replace(/^-|-$/g, '') || 'home';
            await page.screenshot({ path: `${shots}/${role.replace(' ', '-')}-${slug}-${lc}-${vp.width}.png` });
            for (const v of await axeViolations(page))
              problems.push(`${where}: axe ${v.id} (${v.targets.join(' | ')})`);
            if (lc === 'en' || vp.width === 360)
              for (const f of await focusFailures(page)) problems.push(`${where}: focus ${f}`);
            results.push(where);
          }
        }
      }
      await context.close();
      assert.deepEqual(problems, []);
    });
  }

  it('the menu folds on a phone and opens without JavaScript; every link is reachable', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS[0] });
    await context.addCookies([{ name: 'cvn_session', value: people.admin!.sessionToken, url: base }]);
    const page = await context.newPage();
    for (const lc of LANGS) {
      await page.goto(`${base}/${lc}/admin`);
      assert.equal(await page.locator('.main-nav a[href$="/account"]').isVisible(), false, 'folded');
      await page.locator('.menu > summary').click();
      assert.equal(await page.locator('.main-nav a[href$="/account"]').isVisible(), true, 'unfolded');
      assert.equal(await page.locator('.main-nav button.link-button').isVisible(), true, 'sign out is on the screen');
      const box = (await page.locator('.main-nav button.link-button').boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 360, 'sign out is inside the screen');
      await page.screenshot({ path: `${shots}/menu-open-${lc}-360.png`, fullPage: true });
    }
    await context.close();
  });

  for (const lc of LANGS) {
    it(`a failed sign-up announces its error summary, focused, in ${lc === 'en' ? 'English' : 'Arabic'}`, async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport: VIEWPORTS[0] });
      const page = await context.newPage();
      await page.goto(`${base}/${lc}/sign-up`);
      await page.fill('input[name="givenName"]', 'Ana');
      await page.fill('input[name="email"]', 'not-an-address');
      await page.fill('input[name="password"]', 'short');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.error-summary');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary-title');
      assert.match(await page.title(), lc === 'en' ? /^Error \(2 problems\)/ : /^خطأ \(مشكلتان\)/);
      const role = await page.getAttribute('.error-summary', 'role');
      assert.equal(role, 'alert');
      // The first link leads to its field.
      await page.locator('.error-summary a').first().click();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email');
      assert.deepEqual(await axeViolations(page), []);
      await page.screenshot({ path: `${shots}/error-summary-${lc}-360.png`, fullPage: true });
      await page.setViewportSize(VIEWPORTS[1]);
      await page.locator('.error-summary a').first().focus();
      await page.screenshot({ path: `${shots}/error-summary-focus-${lc}-1366.png` });
      await context.close();
    });
  }
});
