/**
 * An exclusive lock on the embedded database folder. PGlite has none of its own: two processes on one folder
 * silently lose writes.
 *
 * Two parts, taken in this order:
 * 1. On Linux, a lock the kernel holds for the process: a listening socket in the abstract namespace, named after the
 *    folder's real path. Binding it is atomic (one process wins, the others get EADDRINUSE) and the kernel frees it
 *    when the process ends, however it ends, so there is never a stale one. The holder answers with its pid.
 * 2. The file `convene.lock` in the folder, naming the owner (pid, host, since), for people and for other hosts or
 *    containers sharing the folder. It is created complete and atomically (written aside, then hard-linked into
 *    place: link fails if the name exists), so nobody ever reads a half-written one. A file left by a process that
 *    died is taken over — safely on Linux, because only the holder of the kernel lock may touch it.
 * Elsewhere (macOS, Windows: development only) the file alone is the lock, and a stale one is taken over by renaming
 * it aside and checking that what was renamed is what was judged stale.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Refusal } from '../refusal.js';

export class DataDirLockedError extends Refusal {
  constructor(
    readonly lockFile: string,
    readonly ownerPid: number | undefined,
    readonly ownerHost?: string,
  ) {
    const who = ownerPid ? `pid ${ownerPid}${ownerHost ? ` on ${ownerHost}` : ''}` : 'pid unknown';
    super(
      `The embedded database in ${path.dirname(lockFile)} is in use by another Convene process (${who}). ` +
        `Stop that process first, or point CONVENE_DATA_DIR at another folder. Two processes on one embedded ` +
        `database would lose data; to run several processes, use a PostgreSQL server (DATABASE_URL).` +
        (ownerHost ? ` If no Convene process runs on ${ownerHost} any more, delete ${lockFile} and start again.` : ''),
    );
  }
}

type Owner = { pid?: number; host?: string; since?: string; nonce?: string };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Owner;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return {}; // unreadable: judged by the rules for an unknown owner below
  }
}

/** The kernel-held lock (Linux): a listening abstract socket; undefined where the platform has none. */
async function holdKernelLock(realDir: string, file: string): Promise<net.Server | undefined> {
  if (process.platform !== 'linux') return undefined;
  const name = `\0convene-data-${crypto.createHash('sha256').update(realDir).digest('hex').slice(0, 40)}`;
  const server = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.end(JSON.stringify({ pid: process.pid }));
  });
  const bound = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once('error', (e) => resolve(e as NodeJS.ErrnoException));
    server.listen({ path: name }, () => resolve(undefined));
  });
  if (!bound) {
    server.unref(); // the lock does not keep the process alive
    return server;
  }
  if (bound.code !== 'EADDRINUSE') throw bound;
  throw new DataDirLockedError(file, await askHolder(name));
}

/** The pid the holder of the kernel lock answers with (undefined if it does not answer in time). */
function askHolder(name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    let data = '';
    const sock = net.connect({ path: name });
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      try {
        resolve(Number(JSON.parse(data).pid) || undefined);
      } catch {
        resolve(undefined);
      }
    };
    const timer = setTimeout(done, 2000);
    sock.on('data', (d) => (data += d));
    sock.on('end', done);
    sock.on('error', done);
  });
}

/** Creates the lock file complete and atomically; false if the name is taken. */
function createLockFile(file: string, owner: Owner): boolean {
  const aside = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}`;
  fs.writeFileSync(aside, JSON.stringify(owner), { flag: 'wx' });
  try {
    fs.linkSync(aside, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

export type DirLock = { release(): void };

export async function lockDataDir(dir: string): Promise<DirLock> {
  fs.mkdirSync(dir, { recursive: true });
  const realDir = fs.realpathSync(dir);
  const file = path.join(realDir, 'convene.lock');
  const kernel = await holdKernelLock(realDir, file);
  const me: Owner = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
    nonce: crypto.randomBytes(12).toString('hex'),
  };
  try {
    takeFile(file, me, !!kernel);
  } catch (e) {
    kernel?.close();
    throw e;
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        if (readOwner(file)?.nonce === me.nonce) fs.unlinkSync(file);
      } catch {
        /* already gone */
      } finally {
        kernel?.close();
      }
    },
  };
}

function takeFile(file: string, me: Owner, kernelHeld: boolean): void {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createLockFile(file, me)) return;
    const owner = readOwner(file);
    if (!owner) continue; // removed meanwhile: try again
    const pid = Number(owner.pid) || undefined;
    const sameHost = !owner.host || owner.host === os.hostname();
    if (!sameHost) throw new DataDirLockedError(file, pid, owner.host);
    // On this host, holding the kernel lock proves that no live Convene process holds the folder: the file is a
    // dead process's (even if its pid now names another process, or this one, as after a container restart).
    // Without the kernel lock, a live pid other than this process's keeps the folder.
    if (!kernelHeld && pid && pid !== process.pid && alive(pid)) throw new DataDirLockedError(file, pid);
    if (kernelHeld) {
      fs.rmSync(file, { force: true });
      continue;
    }
    // No kernel lock: move the stale file aside, and put it back if what moved was not the one judged stale.
    const aside = `${file}.stale.${process.pid}.${crypto.randomBytes(6).toString('hex')}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readOwner(aside);
    if (moved?.nonce !== owner.nonce || moved?.pid !== owner.pid) {
      try {
        fs.linkSync(aside, file);
      } finally {
        fs.rmSync(aside, { force: true });
      }
      throw new DataDirLockedError(file, Number(moved?.pid) || undefined);
    }
    fs.rmSync(aside, { force: true });
  }
  throw new Refusal(`Could not take the lock ${file}: it keeps changing. Is another Convene process starting?`);
}
