/**
 * `npm test`: runs every *.test.ts(x) under src/ and test/ with Node's test runner (through tsx).
 * Node 20's runner takes no globs and passes with 0 tests when given none: list the files, and fail on none.
 * Extra arguments filter by path: `npm test -- programme`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : walk(p);
    return /\.test\.tsx?$/.test(d.name) ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = [...walk('src'), ...walk('test')]
  .sort()
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('No test files found: refusing to report success.');
  process.exit(1);
}
console.log(
  `Running ${files.length} test files on ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'the embedded database (PGlite)'}`,
);
fs.mkdirSync('test-results', { recursive: true });
const tap = path.join('test-results', `tap-${process.pid}.txt`);
// Every temporary file of the run (data folders, backups, PDFs, browser profiles) goes under one folder, removed at
// the end whatever the tests did.
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-test-run-'));
const res = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', TMPDIR: tmpRoot } },
);
fs.rmSync(tmpRoot, { recursive: true, force: true });
// One plain closing line that any CI can read.
const summary = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
const n = (k: string) => Number(summary.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
fs.rmSync(tap, { force: true });
// Node counts a skipped test but not a skipped group (a `describe` with `skip`): count every `# SKIP` line instead,
// tests and groups alike, and name the skipped groups so that a run without a browser cannot pass for a full one.
const skippedLines = [...summary.matchAll(/^\s*ok \d+ - (.*?) # SKIP(.*)$/gm)];
const skippedGroups = skippedLines.filter((m) => !/^\s{4}/.test(m[0]) && m[0].trimStart() === m[0]);
const [passed, failed, skipped] = [n('pass'), n('fail') + n('cancelled'), skippedLines.length];
if (skippedGroups.length) {
  console.log(`\nSKIPPED — ${skippedGroups.length} group(s) of tests did not run:`);
  for (const m of skippedGroups) console.log(`  - ${m[1]}:${m[2]}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0) {
  console.error('No test ran: refusing to report success.');
  process.exit(1);
}
process.exit(res.status ?? 1);
