/** Door scanning over JSON: scan, sync an offline queue, the offline manifest, arrivals (also as server-sent events). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { Problem } from '../../platform/http/api-schemas.js';
import { onArrivals } from './checkin.arrivals-feed.js';
import { arrivalCounts, manifest, scan, syncScans } from './checkin.service.js';
import { listCheckpoints } from './checkin.checkpoints.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const Checkpoint = z.string().regex(/^(event|session):[A-Za-z0-9_-]{1,80}$/);
const ScanIn = z.object({
  scanId: z.string().uuid(),
  code: z.string().max(200),
  checkpoint: Checkpoint,
  deviceId: z.string().min(1).max(80),
  scannedAt: z.iso.datetime({ offset: true }).optional(),
  offlineResult: z.enum(['admitted', 'refused']).optional(),
});
const Answer = z.object({
  scanId: z.string(),
  result: z.enum(['admitted', 'refused']),
  reason: z.string().optional(),
  badgeId: z.number().optional(),
  person: z.object({ id: z.string(), name: z.string(), nameLatin: z.string(), category: z.string() }).optional(),
  previous: z.object({ at: z.string(), checkpoint: z.string(), deviceId: z.string() }).optional(),
  conflict: z.boolean().optional(),
});
const w = <T>(ctx: T) => ctx as T & { db: Db };

export async function checkinApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const scanner = { permission: 'checkin.scan' as const };
  r.post(
    '/api/v1/checkin/scan',
    {
      config: scanner,
      schema: {
        tags: ['checkin'],
        summary: 'Scan a badge at a checkpoint (idempotent by scanId)',
        body: ScanIn,
        response: { 200: Answer, ...errors },
      },
    },
    async (req) => scan(w(req.ctx), req.body),
  );
  r.post(
    '/api/v1/checkin/sync',
    {
      config: scanner,
      schema: {
        tags: ['checkin'],
        summary: "A scanner's offline queue; each scan decided again, conflicts reported",
        body: z.object({ scans: z.array(ScanIn).max(5000) }),
        response: { 200: z.object({ results: z.array(Answer) }), ...errors },
      },
    },
    async (req) => ({
      results: await syncScans(w(req.ctx), req.body.scans),
    }),
  );
  r.get(
    '/api/v1/checkin/manifest',
    {
      config: scanner,
      schema: {
        tags: ['checkin'],
        summary: 'What a scanner needs to decide offline at a checkpoint (token hashes, never tokens)',
        querystring: z.object({ checkpoint: Checkpoint }),
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'private, no-store');
      return manifest(w(req.ctx), req.query.checkpoint);
    },
  );
  r.get(
    '/api/v1/checkin/checkpoints',
    { config: scanner, schema: { tags: ['checkin'], summary: 'Events and sessions a scanner can guard' } },
    async (req) => ({ checkpoints: await listCheckpoints(req.ctx) }),
  );
  const reports = { permission: 'reports.view' as const };
  r.get(
    '/api/v1/checkin/arrivals',
    {
      config: reports,
      schema: { tags: ['checkin'], summary: 'Arrivals per checkpoint (each badge once) and conflicts' },
    },
    async (req) => arrivalCounts(req.ctx),
  );
  r.get(
    '/api/v1/checkin/arrivals/stream',
    {
      config: reports,
      schema: {
        tags: ['checkin'],
        summary:
          'Arrivals as server-sent events, sent when scans land (at most once a second) and every 15 s; without `Accept: text/event-stream`, one snapshot as JSON',
      },
    },
    async (req, reply) => {
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) return arrivalCounts(req.ctx);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (counts: Awaited<ReturnType<typeof arrivalCounts>>) => {
        if (!res.writableEnded) res.write(`event: arrivals\ndata: ${JSON.stringify(counts)}\n\n`);
      };
      let latest: Awaited<ReturnType<typeof arrivalCounts>> | undefined;
      const stop = onArrivals(req.ctx.db, (counts) => send((latest = counts)));
      const heartbeat = setInterval(() => latest && send(latest), 15_000);
      req.raw.on('close', () => {
        stop();
        clearInterval(heartbeat);
      });
      const first = await arrivalCounts(req.ctx);
      latest ??= first;
      send(latest);
    },
  );
}
