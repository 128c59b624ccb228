/** Decorates each request with its locale and its service context (`req.ctx`). */
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.js';
import type { Clock } from '../clock.js';
import type { Ctx } from '../context.js';
import { isLocale, negotiateLocale, type Locale } from '../i18n/locales.js';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    ctx: Ctx;
    /** Set when the app runs on a rehearsal clock: pages show a banner. */
    rehearsal: boolean;
  }
}

/** The locale of a request: the URL's first segment, else `?lang=`, else Accept-Language. */
export function requestLocale(url: string, query: unknown, acceptLanguage: string | undefined): Locale {
  const first = url.split('?')[0].split('/')[1];
  if (isLocale(first)) return first;
  const lang = (query as { lang?: unknown } | undefined)?.lang;
  if (isLocale(lang)) return lang;
  return negotiateLocale(acceptLanguage);
}

export const requestContext = fp<{ db: Db; clock: Clock; publicUrl: string }>(async (app, opts) => {
  app.decorateRequest('locale', 'en' as Locale);
  app.decorateRequest('ctx', undefined as unknown as Ctx);
  app.decorateRequest('rehearsal', false);
  app.addHook('onRequest', async (req) => {
    req.locale = requestLocale(req.url, undefined, req.headers['accept-language']);
    req.rehearsal = opts.clock.rehearsal;
    req.ctx = {
      db: opts.db,
      actor: { kind: 'anonymous' },
      locale: req.locale,
      now: opts.clock.now(),
      ip: req.ip,
      baseUrl: opts.publicUrl,
      userAgent: req.headers['user-agent'],
    };
  });
  app.addHook('preValidation', async (req) => {
    // ?lang= is known once the query string is parsed
    const locale = requestLocale(req.url, req.query, req.headers['accept-language']);
    req.locale = locale;
    req.ctx.locale = locale;
  });
});
