/** Page routes live under a locale prefix (`/en/…`, `/ar/…`); an unknown prefix is a 404. */
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors.js';
import { isLocale } from '../i18n/locales.js';

export async function requireLocalePrefix(app: FastifyInstance) {
  app.addHook('preHandler', async (req) => {
    const lc = (req.params as { lc?: string }).lc;
    if (!isLocale(lc)) throw new DomainError('not_found', 404);
  });
}
