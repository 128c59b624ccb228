/** buildApp(config): ecosystem plugins → platform → modules, in an explicit list. `server.ts` only listens. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import helmet from '@fastify/helmet';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { apiReferencePages, type OpenApiDoc } from './platform/ui/api-reference.js';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { openapiTransform, problemSchema, securitySchemes } from './platform/http/openapi.js';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createLogger } from './platform/log.js';
import { openDatabase, type Database } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { loadSeed } from './seed/load-seed.js';
import { rehearsalClock, systemClock, type Clock } from './platform/clock.js';
import { registerErrorHandling, sendProblem } from './platform/http/errors.js';
import { registerInputGuard } from './platform/http/input-guard.js';
import { requestContext, requestLocale } from './platform/http/request-context.js';
import { negotiateLocale } from './platform/i18n/locales.js';
import { startWorker, type JobHandlers, type Worker } from './platform/jobs.js';
import { accountsHttp } from './modules/accounts/index.js';
import { modules } from './modules/index.js';
import { collectContributions, type ModuleEnv } from './platform/module.js';
import { PHOTO_MAX_BYTES } from './modules/registration/index.js';
import { registerRoutePermissions } from './platform/http/route-permissions.js';
import { loadSecret } from './platform/secret.js';
import { mailHandlers } from './platform/mail/mail.js';

const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'platform', 'ui', 'assets');

export type AppOptions = {
  /** An open database (tests); otherwise opened from the config and closed with the app. */
  database?: Database;
  clock?: Clock;
  /** Skip migrations and seed (the database is already prepared). */
  prepared?: boolean;
  jobHandlers?: JobHandlers;
  /** The process's logger (server.ts); otherwise one is made from the config. */
  logger?: Logger;
};

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    clock: Clock;
  }
}

export async function buildApp(config: Config, opts: AppOptions = {}): Promise<FastifyInstance> {
  const clock = opts.clock ?? (config.now ? rehearsalClock(config.now) : systemClock);
  const log = opts.logger ?? createLogger(config);
  if (!opts.database)
    log.info(
      config.databaseUrl
        ? 'Connecting to PostgreSQL (DATABASE_URL)'
        : `Opening the embedded database in ${config.dataDir} (a new one takes a few seconds to create)`,
    );
  const database =
    opts.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, poolMax: config.databasePoolMax, dataDir: config.dataDir }));
  const ownsDatabase = !opts.database;
  try {
    if (!opts.prepared) {
      log.info('Applying database migrations');
      await runMigrations(database);
      log.info('Loading the summit seed');
      const added = await loadSeed(database.db, clock.now());
      log.info(added ? `Seed loaded: ${added} rows added` : 'Seed already loaded');
    }
  } catch (e) {
    if (ownsDatabase) await database.close();
    throw e;
  }

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One line per request, written when the response is sent (see below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // No proxy is believed unless configured (CONVENE_TRUST_PROXY): X-Forwarded-For is the client's to forge.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_addr: string, i: number) =>
              i < hops
          )(config.trustProxy)
        : config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    // A URL the router cannot decode (bad percent-encoding) is the visitor's error: a translated 400.
    frameworkErrors: (err, req, reply) => {
      req.locale = requestLocale(req.url, undefined, req.headers['accept-language']);
      return sendProblem(req, reply, err.statusCode ?? 400, 'bad_request');
    },
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('database', database);
  app.decorate('clock', clock);

  let worker: Worker | undefined;
  app.addHook('onClose', async () => {
    await worker?.stop();
    if (ownsDatabase) await database.close();
  });

  registerRoutePermissions(app);
  const secret = await loadSecret(database.db, config.secret);
  const secure = config.publicUrl.startsWith('https:');

  // Ecosystem plugins
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        // Only over https: at a LAN address over http it sent the stylesheet and forms to https (unstyled, dead).
        'upgrade-insecure-requests': config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    // Served over http on localhost in development; a proxy adds HSTS in production.
    strictTransportSecurity: config.publicUrl.startsWith('https:'),
  });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Uploads (badge photos): one file, fields with it; the CSRF field arrives as `{ value }`.
  await app.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 10, fieldSize: 4096 },
  });
  await app.register(fastifyStatic, { root: assetsDir, prefix: '/assets/', maxAge: '1h', etag: true });
  // Browsers ask for /favicon.ico on every page that names none (API docs, JSON): the site's icon.
  app.get('/favicon.ico', { config: { permission: 'public' }, schema: { hide: true } }, (_req, reply) =>
    reply.redirect('/assets/favicon.svg', 301),
  );
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Convene API',
        version: '1',
        description:
          'Events and programme of the WSIS Forum 2026 and the AI for Good Global Summit 2026. Times are ISO 8601 with the Geneva offset.',
      },
      components: { securitySchemes, schemas: { Problem: problemSchema } },
      tags: [...new Set([...modules.flatMap((m) => m.apiTags ?? []), 'system'])].map((name) => ({ name })),
    },
    transform: openapiTransform,
  });
  // The reference for people: server-rendered from the same document, in six languages (platform/ui/api-reference).
  await apiReferencePages(app, () => app.swagger() as unknown as OpenApiDoc);
  app.get('/api/openapi.json', { config: { permission: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // Platform
  await app.register(requestContext, { db: database.db, clock, publicUrl: config.publicUrl });
  registerErrorHandling(app);
  registerInputGuard(app);
  await app.register(accountsHttp, { db: database.db, secret, secure });

  app.get(
    '/healthz',
    { config: { permission: 'public' }, schema: { tags: ['system'], summary: 'Liveness and database check' } },
    async (_req, reply) => {
      await database.db.execute(sql`select 1`);
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: database.kind });
    },
  );
  app.get('/', { config: { permission: 'public' }, schema: { hide: true } }, async (req, reply) =>
    reply
      .header('vary', 'Accept-Language')
      .header('cache-control', 'no-store')
      .redirect(`/${negotiateLocale(req.headers['accept-language'])}/`, 302),
  );

  // Modules, in the order of their list
  const mail = mailHandlers(config, config.dataDir, database.db);
  const env: ModuleEnv = {
    config,
    db: database.db,
    clock,
    secure,
    sendMail: mail['mail.send'],
    contributions: (slot) => collectContributions(modules, slot),
  };
  for (const m of modules) await m.routes?.(app, env);

  if (config.worker) {
    app.addHook('onReady', async () => {
      for (const m of modules) await m.onWorkerStart?.(env);
      const handlers = Object.assign({}, mail, ...modules.map((m) => m.jobs?.(env)));
      const ticks = modules.flatMap((m) => (m.onWorkerTick ? [m.onWorkerTick] : []));
      worker = startWorker(database.db, clock, { ...handlers, ...opts.jobHandlers }, app.log, 1000, async () => {
        for (const t of ticks) await t(env);
      });
    });
  }
  return app;
}
