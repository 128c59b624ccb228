/** buildTestApp(): the real app on a fresh test database, driven with `inject()`. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { manualClock } from '../../src/platform/clock.js';
import type { Ctx } from '../../src/platform/context.js';
import { clearRenderCache } from '../../src/platform/http/cache.js';
import { createTestDatabase, TEST_NOW, type TestDatabase } from './db.js';

export type TestApp = {
  app: FastifyInstance;
  database: TestDatabase;
  clock: ReturnType<typeof manualClock>;
  ctx(overrides?: Partial<Ctx>): Ctx;
  close(): Promise<void>;
};

export function testConfig(env: Record<string, string> = {}) {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CONVENE_DATA_DIR: 'memory://',
    CONVENE_WORKER: 'off',
    ...env,
  });
}

export async function buildTestApp(opts: { now?: Date; env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = manualClock(opts.now ?? TEST_NOW);
  clearRenderCache();
  const app = await buildApp(testConfig(opts.env), { database, clock, prepared: true });
  await app.ready();
  return {
    app,
    database,
    clock,
    ctx: (o = {}) => ({
      db: database.db,
      actor: { kind: 'system', name: 'test' },
      locale: 'en',
      now: clock.now(),
      ...o,
    }),
    async close() {
      await app.close();
      await database.close();
    },
  };
}
