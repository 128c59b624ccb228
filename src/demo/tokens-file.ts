/**
 * Where a seed:demo run leaves the secret of its demo API tokens: a JSON file readable by its owner only, by default
 * `<CONVENE_DATA_DIR>/demo-tokens.json` (beside the embedded data). The benchmark and demonstrations read the tokens
 * from it; nothing secret is printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Refusal } from '../refusal.js';
import { demoToken } from './generate.js';

export const DEMO_TOKENS_FILE = 'demo-tokens.json';

export type DemoTokensFile = {
  createdAt: string;
  seed: number;
  /** Where the demo data went (a PostgreSQL URL without its password, or the embedded folder). */
  database: string;
  secret: string;
  /** The two accounts people use by hand; every other one is `demoToken(secret, label)`. */
  tokens: { 'bench-admin': string; 'bench-staff': string };
};

export function writeDemoTokens(file: string, run: Omit<DemoTokensFile, 'tokens' | 'createdAt'>): void {
  const content: DemoTokensFile = {
    createdAt: new Date().toISOString(),
    ...run,
    tokens: {
      'bench-admin': demoToken(run.secret, 'bench-admin'),
      'bench-staff': demoToken(run.secret, 'bench-staff'),
    },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true }); // a new file, created owner-only (an existing one would keep its mode)
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}

/** The demo tokens of the run that wrote the file: `token(label)`. */
export function readDemoTokens(file: string): DemoTokensFile & { token(label: string): string } {
  if (!fs.existsSync(file)) throw new Refusal(`No demo tokens at ${file}: run seed:demo first (--tokens-file).`);
  const content = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoTokensFile;
  return { ...content, token: (label: string) => demoToken(content.secret, label) };
}

/** A database URL without its password, to say where the demo went. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'a PostgreSQL server';
  }
}
