/** The process: configuration, listen, graceful shutdown. */
import { and, count, eq, isNull } from 'drizzle-orm';
import { buildApp } from './app.js';
import { people } from './modules/accounts/index.js';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/lock.js';

async function main() {
  const config = loadConfig();
  const app = await buildApp(config);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      database: app.database.kind,
      dataDir: app.database.kind === 'pglite' ? config.dataDir : undefined,
      rehearsal: app.clock.rehearsal ? app.clock.now().toISOString() : undefined,
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
}

main().catch((e) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    console.error(e.message);
    process.exit(2);
  }
  console.error(e);
  process.exit(1);
});
