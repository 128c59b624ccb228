/**
 * The process's logger (pino). `NODE_ENV=production` (and `test`): one JSON object per line, for a log collector.
 * `development`: the same records as readable lines through pino-pretty when it is installed (a development
 * dependency), JSON otherwise. `LOG_LEVEL=silent` logs nothing.
 */
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';

export function createLogger(config: Pick<Config, 'logLevel' | 'env'>): Logger {
  if (config.env === 'development' && config.logLevel !== 'silent' && prettyAvailable()) {
    return pino({
      level: config.logLevel,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
    });
  }
  return pino({ level: config.logLevel });
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
