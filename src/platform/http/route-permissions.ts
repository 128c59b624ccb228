/**
 * Every route declares who may call it (`config: { permission }`); this plugin records them all (a test walks the
 * list and fails on a route without one) and refuses, before validation and the handler, an actor the permission excludes.
 * Scoped checks (a DFP on their own entity) happen in the services.
 */
import type { FastifyInstance } from 'fastify';
import { authorize, isPermission, type Permission } from '../permissions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
  }
  interface FastifyInstance {
    routeRegistry: { method: string; url: string; permission: Permission | undefined }[];
  }
}

/** Routes added by plugins (static files, API docs) are public by nature. */
const PLUGIN_PUBLIC = [/^\/assets\//, /^\/api\/docs/];

export function registerRoutePermissions(app: FastifyInstance) {
  const registry: FastifyInstance['routeRegistry'] = [];
  app.decorate('routeRegistry', registry);
  app.addHook('onRoute', (route) => {
    route.config ??= {};
    const config = route.config as { permission?: unknown };
    if (config.permission === undefined && PLUGIN_PUBLIC.some((r) => r.test(route.url))) config.permission = 'public';
    if (config.permission !== undefined && !isPermission(config.permission)) {
      throw new Error(
        `Route ${route.method} ${route.url} declares an unknown permission: ${String(config.permission)}`,
      );
    }
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      registry.push({ method, url: route.url, permission: config.permission as Permission | undefined });
    }
  });
  // Before validation: a caller who may not use a route learns nothing of its input rules.
  app.addHook('preValidation', async (req) => {
    const permission = req.routeOptions.config.permission;
    if (!permission || permission === 'public') return;
    // `entity.act` routes name their entity in the path: a DFP passes the gate for their own entity only.
    const p = req.params as { entityId?: string; id?: string };
    const raw = permission === 'entity.act' ? (p.entityId ?? p.id) : undefined;
    authorize(req.ctx, permission, raw && /^\d+$/.test(raw) ? { entityId: Number(raw) } : {});
  });
}
