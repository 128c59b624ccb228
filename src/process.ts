/**
 * What the server and the worker processes share: configuration, the logger, clean stops on SIGTERM and SIGINT
 * (the embedded database closed and its lock released), and one clear line for an expected failure.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { createLogger } from './platform/log.js';
import { refusalLine } from './refusal.js';

export async function startProcess(
  role: 'server' | 'worker',
  run: (app: FastifyInstance, config: Config, log: Logger) => Promise<void>,
): Promise<void> {
  let log: Logger | undefined;
  try {
    const config = loadConfig(process.env, role === 'worker' ? { worker: true } : {});
    log = createLogger(config);
    log.info(`Convene ${role} starting (NODE_ENV=${config.env})`);
    const app = await buildApp(config, { logger: log });
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      await app.close();
      app.log.info('stopped cleanly');
      log?.flush();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    await run(app, config, log);
  } catch (e) {
    const line = refusalLine(e);
    if (line) {
      console.error(line);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  }
}
