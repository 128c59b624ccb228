/**
 * Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (browsers cannot be downloaded).
 * In CI a missing browser fails the run; on a developer's machine the tests are skipped, loudly.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from './app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function browserSkipReason(): string | false {
  if (fs.existsSync(CHROMIUM)) return false;
  const msg = `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``;
  if (process.env.CI) throw new Error(`${msg} (CI=true: browser tests may not be skipped)`);
  console.warn(`\n*** BROWSER TESTS SKIPPED: ${msg} ***\n`);
  return msg;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The app on a free loopback port with a Chromium beside it, for one test file. */
export async function startBrowserApp(opts: { now?: Date } = {}): Promise<{
  t: TestApp;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}> {
  const t = await buildTestApp(opts);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  const browser = await launchChromium();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    t,
    browser,
    base,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

export const SCREENSHOTS = 'test-results/screenshots';
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's violations on the page, with up to three places each. */
export async function axeViolations(page: Page, tags = ['wcag2a', 'wcag2aa', 'wcag21aa']) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async (values) => {
    const r = await (
      window as unknown as {
        axe: {
          run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run({
      runOnly: { type: 'tag', values },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  }, tags);
}

/** The ids of serious and critical violations. */
export async function seriousViolations(page: Page): Promise<string[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}
