// `npm run build`: type-checks and compiles src/ to dist/ (ES modules with source maps), then copies what the code
// reads beside itself at run time (migrations, locale catalogues, seed data, page assets, the scanner's service worker).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

let copied = 0;
for (const rel of fs.readdirSync('src', { recursive: true })) {
  const from = path.join('src', String(rel));
  if (!fs.statSync(from).isFile() || /\.(tsx?|md)$/.test(from)) continue;
  const to = path.join('dist', String(rel));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  copied++;
}
console.log(`Built dist/ (${copied} files copied beside the compiled code).`);
