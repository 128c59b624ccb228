/**
 * The worker process of the production layout: `node dist/worker.js` (`npm run start:worker`) works the job queue
 * (e-mail, badge print runs, reminders) and serves no page. Run the web processes with CONVENE_WORKER=off beside it;
 * on PostgreSQL several workers may run at once (jobs are claimed with FOR UPDATE SKIP LOCKED).
 *
 * It lowers its own CPU priority first (`CONVENE_WORKER_NICE`, default 10; 0 keeps it): on a machine it shares with
 * web processes, a burst of e-mails is sent on the CPU the pages leave, so the pages' latency barely moves while it
 * drains. Lowering one's own priority needs no privilege.
 */
import fs from 'node:fs';
import os from 'node:os';
import { startProcess } from './process.js';

const nice = Number(process.env.CONVENE_WORKER_NICE ?? 10);
if (Number.isInteger(nice) && nice > 0) {
  const to = Math.min(19, Math.max(os.getPriority(), nice));
  // On Linux a priority belongs to each thread: the main thread and those started before this line (V8's, libuv's).
  let threads: number[] = [0];
  try {
    threads = fs.readdirSync('/proc/self/task').map(Number);
  } catch {
    // No /proc: this thread, and the threads started after it inherit its priority.
  }
  for (const tid of threads) {
    try {
      os.setPriority(tid, to);
    } catch {
      // A platform without priorities, or a thread gone: left at the web processes' priority.
    }
  }
}

await startProcess('worker', async (app) => {
  await app.ready(); // starts the worker (an onReady hook of the app)
  app.log.info({ nice: os.getPriority() }, 'Convene worker is working the job queue');
});
