import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DataDirLockedError, lockDataDir } from './lock.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'convene-lock-'));

describe('embedded database folder lock', () => {
  it('refuses a second holder, and frees the folder on release', () => {
    const dir = tmp();
    const a = lockDataDir(dir);
    assert.throws(() => lockDataDir(dir), DataDirLockedError);
    a.release();
    lockDataDir(dir).release();
    assert.equal(fs.existsSync(path.join(dir, 'convene.lock')), false);
  });

  it('takes over the lock of a process that died', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'convene.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
    lockDataDir(dir).release();
  });

  it('a second process gets a clear refusal', async () => {
    const dir = tmp();
    const mine = lockDataDir(dir);
    try {
      const code = `import('${path.resolve('src/db/lock.ts')}').then(m => { try { m.lockDataDir(${JSON.stringify(dir)}); console.log('LOCKED'); } catch (e) { console.log(e.message); process.exit(3); } })`;
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const exit = await new Promise<number | null>((r) => child.on('close', r));
      assert.equal(exit, 3, out);
      assert.match(out, new RegExp(`in use by another Convene process \\(pid ${process.pid}\\)`));
    } finally {
      mine.release();
    }
  });
});
