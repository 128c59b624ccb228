/**
 * The real processes as production runs them: `npm start` (a build, then `node dist/server.js`) on an embedded folder,
 * a second start refused, SIGTERM sent to npm itself closes the server cleanly and releases the folder's lock, data
 * kept; the worker process (`npm run start:worker`) stops cleanly on SIGINT. A first start on a loaded machine may
 * take minutes: the waits are long, and a failure prints what the process said.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.js';
import { sessions } from '../../src/modules/programme/index.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function start(dir: string, port: number, extra: Record<string, string> = {}, script = 'start') {
  const child = spawn(npm, ['run', '--silent', script], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      CONVENE_DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  return { child, output: () => out, exited };
}

async function waitFor(url: string, child: ChildProcess, output: () => string, ms = 300_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer from ${url} after ${ms / 1000} s; the server said:\n${output()}`);
}

describe('the server process on the embedded database', { timeout: 900_000 }, () => {
  before(() => {
    // Compile once here so that the starts below measure the server, not the compiler (npm start builds again,
    // incrementally, and finds nothing to do).
    const built = spawnSync(npm, ['run', '--silent', 'build'], { encoding: 'utf8' });
    assert.equal(built.status, 0, `${built.stdout}${built.stderr}`);
  });

  it('serves, refuses a second process on the same folder, stops cleanly on SIGTERM and keeps its data', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-proc-'));
    const port = await freePort();
    const startedAt = Date.now();
    const first = start(dir, port, { CONVENE_NOW: '2026-04-20T10:00:00+02:00' });
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, first.child, first.output);
      // The wait allows for a loaded machine; the time is said, not hidden (the benchmark holds the target: 10 s).
      t.diagnostic(
        `first start to /healthz: ${((Date.now() - startedAt) / 1000).toFixed(1)} s with load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
      );
      assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });
      const home = await (await fetch(`http://127.0.0.1:${port}/en/`)).text();
      assert.match(home, /Rehearsal/);

      const second = start(dir, await freePort());
      assert.equal(await second.exited, 2, second.output());
      assert.match(second.output(), /in use by another Convene process/);

      first.child.kill('SIGTERM'); // to npm, as a service manager or a container runtime does
      assert.equal(await first.exited, 0, first.output());
      assert.match(first.output(), /stopped cleanly/);
      assert.equal(fs.existsSync(path.join(dir, 'convene.lock')), false, 'lock released');
    } finally {
      first.child.kill('SIGKILL');
    }

    // Change a row while the server is down: a second start must keep it (data kept, seed does not overwrite).
    const db = await openDatabase({ dataDir: dir });
    const [first1] = await db.db.select().from(sessions).limit(1);
    await db.db
      .update(sessions)
      .set({ title: { en: 'Changed while stopped' } })
      .where(eq(sessions.id, first1.id));
    await db.close();

    const again = start(dir, port);
    try {
      const res = await waitFor(`http://127.0.0.1:${port}/api/v1/sessions/${first1.code}`, again.child, again.output);
      const body = (await res.json()) as { title: string };
      assert.equal(body.title, 'Changed while stopped');
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the worker process works the queue without serving pages and stops cleanly on SIGINT', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-proc-'));
    const worker = start(dir, await freePort(), {}, 'start:worker');
    try {
      const end = Date.now() + 300_000;
      while (!/working the job queue/.test(worker.output())) {
        if (worker.child.exitCode !== null || Date.now() > end)
          assert.fail(`the worker did not start:\n${worker.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      worker.child.kill('SIGINT');
      assert.equal(await worker.exited, 0, worker.output());
      assert.match(worker.output(), /stopped cleanly/);
      assert.equal(fs.existsSync(path.join(dir, 'convene.lock')), false, 'lock released');
    } finally {
      worker.child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
