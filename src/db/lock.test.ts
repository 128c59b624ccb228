import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe, it } from 'node:test';
import { DataDirLockedError, lockDataDir } from './lock.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'convene-lock-'));
const lockFile = (dir: string) => path.join(dir, 'convene.lock');

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

/**
 * A process that tries the lock when told: `go` → prints LOCKED or REFUSED <message>; `release` → releases it.
 * It says READY once loaded, so that a test can start all of them at the same instant.
 */
function contender(dir: string) {
  const code = `
    const m = await import(${JSON.stringify(path.resolve('src/db/lock.ts'))});
    const rl = (await import('node:readline')).createInterface({ input: process.stdin });
    let lock;
    console.log('READY');
    for await (const line of rl) {
      if (line === 'go') {
        try { lock = await m.lockDataDir(${JSON.stringify(dir)}); console.log('LOCKED'); }
        catch (e) { console.log('REFUSED ' + e.message.split('\\n').join(' ')); }
      } else if (line === 'release') { lock?.release(); lock = undefined; console.log('RELEASED'); }
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters.splice(0)) w();
  });
  const next = async (): Promise<string> => {
    while (!lines.length) await new Promise<void>((r) => waiters.push(r));
    return lines.shift()!;
  };
  const send = (cmd: string) => child.stdin!.write(`${cmd}\n`);
  return { child, next, send };
}

type Contender = ReturnType<typeof contender>;

/** All say go at once; returns the winners and the refusals. */
async function round(group: Contender[]) {
  for (const c of group) c.send('go');
  const answers = await Promise.all(group.map((c) => c.next()));
  return {
    winners: group.filter((_, i) => answers[i] === 'LOCKED'),
    refusals: answers.filter((a) => a.startsWith('REFUSED ')),
    answers,
  };
}

describe('embedded database folder lock', () => {
  it('refuses a second holder, and frees the folder on release', async () => {
    const dir = tmp();
    const a = await lockDataDir(dir);
    await assert.rejects(lockDataDir(dir), (e) => e instanceof DataDirLockedError && e.ownerPid === process.pid);
    a.release();
    (await lockDataDir(dir)).release();
    assert.equal(fs.existsSync(lockFile(dir)), false);
  });

  it('takes over the lock file of a process that died', async () => {
    const dir = tmp();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: deadPid(), host: os.hostname() }));
    const lock = await lockDataDir(dir);
    assert.equal(JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')).pid, process.pid);
    lock.release();
  });

  it('takes over a lock file naming its own pid (a container restarted: the same pid, a dead owner)', {
    skip: process.platform !== 'linux' && 'the kernel-held lock is Linux only',
  }, async () => {
    const dir = tmp();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: process.pid, host: os.hostname(), nonce: 'earlier' }));
    (await lockDataDir(dir)).release();
    assert.equal(fs.existsSync(lockFile(dir)), false);
  });

  it('refuses a folder locked from another host, naming it and the way out', async () => {
    const dir = tmp();
    fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: 4242, host: 'badge-desk-2' }));
    await assert.rejects(lockDataDir(dir), /in use by another Convene process \(pid 4242 on badge-desk-2\).*delete/);
  });

  it('eight processes starting at the same instant: exactly one holds the folder, every time, also after the holder was killed', async () => {
    const dir = tmp();
    const all = Array.from({ length: 8 }, () => contender(dir));
    const killed: ChildProcess[] = [];
    try {
      for (const c of all) assert.equal(await c.next(), 'READY');
      let group = all;
      for (let i = 0; i < 12; i++) {
        const { winners, refusals, answers } = await round(group);
        assert.equal(winners.length, 1, `round ${i}: ${answers.join(' | ')}`);
        assert.equal(refusals.length, group.length - 1, answers.join(' | '));
        const holder = winners[0].child.pid;
        for (const r of refusals) assert.match(r, new RegExp(`in use by another Convene process \\(pid ${holder}\\)`));
        assert.equal(JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')).pid, holder);
        if (i % 4 === 3 && group.length > 2) {
          // The holder dies without releasing: its lock file stays, and the next start must take it over.
          winners[0].child.kill('SIGKILL');
          await new Promise((r) => winners[0].child.once('exit', r));
          killed.push(winners[0].child);
          assert.ok(fs.existsSync(lockFile(dir)), 'a killed holder leaves its file');
          group = group.filter((c) => c !== winners[0]);
        } else {
          winners[0].send('release');
          assert.equal(await winners[0].next(), 'RELEASED');
        }
      }
    } finally {
      for (const c of all) c.child.kill('SIGKILL');
    }
    assert.equal(killed.length, 3);
  });
});
