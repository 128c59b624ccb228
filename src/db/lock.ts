/**
 * An exclusive lock on the embedded database folder. PGlite has none of its own: two processes on one folder
 * silently lose writes. The lock file holds the owner's pid; a lock left by a dead process is taken over.
 */
import { Refusal } from '../refusal.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Refusal {
  constructor(
    readonly lockFile: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database in ${path.dirname(lockFile)} is in use by another Convene process (pid ${ownerPid}). ` +
        `Stop that process first, or point CONVENE_DATA_DIR at another folder. Two processes on one embedded ` +
        `database would lose data; to run several processes, use a PostgreSQL server (DATABASE_URL).`,
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type DirLock = { release(): void };

export function lockDataDir(dir: string): DirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'convene.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
      fs.closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
            if (owner.pid === process.pid) fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid?: number; host?: string } = {};
      try {
        owner = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        /* unreadable: treat as stale */
      }
      const pid = Number(owner.pid);
      const sameHost = !owner.host || owner.host === os.hostname();
      if (pid && pid !== process.pid && (!sameHost || alive(pid))) throw new DataDirLockedError(file, pid);
      if (pid === process.pid) throw new DataDirLockedError(file, pid);
      fs.rmSync(file, { force: true }); // stale lock of a process that died
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
