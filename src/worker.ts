/**
 * The worker process of the production layout: `node dist/worker.js` (`npm run start:worker`) works the job queue
 * (e-mail, badge print runs, reminders) and serves no page. Run the web processes with CONVENE_WORKER=off beside it;
 * on PostgreSQL several workers may run at once (jobs are claimed with FOR UPDATE SKIP LOCKED).
 */
import { startProcess } from './process.js';

await startProcess('worker', async (app) => {
  await app.ready(); // starts the worker (an onReady hook of the app)
  app.log.info('Convene worker is working the job queue');
});
