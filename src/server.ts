/** The web process: `node dist/server.js` (`npm start`). Listens; the job worker runs here unless CONVENE_WORKER=off. */
import { and, count, eq, isNull } from 'drizzle-orm';
import { people } from './modules/accounts/index.js';
import { startProcess } from './process.js';

await startProcess('server', async (app, config) => {
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      database: app.database.kind,
      dataDir: app.database.kind === 'pglite' ? config.dataDir : undefined,
      rehearsal: app.clock.rehearsal ? app.clock.now().toISOString() : undefined,
      worker: config.worker,
    },
    `Convene is serving ${config.publicUrl}`,
  );
  const [{ n }] = await app.database.db
    .select({ n: count() })
    .from(people)
    .where(and(eq(people.role, 'admin'), isNull(people.erasedAt)));
  if (n === 0) {
    app.log.warn(
      'No administrator yet. Create the first one with: npm run convene -- create-admin --email you@example.org --name "Given Family"',
    );
  }
});
