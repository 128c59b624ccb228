/**
 * Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (browsers cannot be downloaded).
 * In CI a missing browser fails the run; on a developer's machine the tests are skipped, loudly.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
