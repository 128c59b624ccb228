/** The real process: `npm start` on an embedded folder, a second start refused, SIGTERM closes cleanly, data kept. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client.js';
import { sessions } from '../../src/db/schema.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function start(dir: string, port: number, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
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

async function waitFor(url: string, child: ChildProcess, ms = 60_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timeout waiting for ${url}`);
}

describe('the server process on the embedded database', () => {
  it('serves, refuses a second process on the same folder, stops cleanly on SIGTERM and keeps its data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-proc-'));
    const port = await freePort();
    const first = start(dir, port, { CONVENE_NOW: '2026-04-20T10:00:00+02:00' });
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, first.child);
      assert.deepEqual(await health.json(), { status: 'ok', database: 'pglite' });
      const home = await (await fetch(`http://127.0.0.1:${port}/en/`)).text();
      assert.match(home, /Rehearsal/);

      const second = start(dir, await freePort());
      assert.equal(await second.exited, 2, second.output());
      assert.match(second.output(), /in use by another Convene process/);

      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0, first.output());
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
      const res = await waitFor(`http://127.0.0.1:${port}/api/v1/sessions/${first1.code}`, again.child);
      const body = (await res.json()) as { title: string };
      assert.equal(body.title, 'Changed while stopped');
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});
