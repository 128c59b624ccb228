/**
 * The editor, publication, conflicts, change log and personal agenda over JSON (same services as the pages).
 * The public sessions API (programme.api.ts) shows published sessions only, never joining links.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { isoInGeneva, LangQuery, LocalizedText, Problem } from '../../platform/http/api-schemas.js';
import { getEvent, withDescendants } from '../events/index.js';
import { addToAgenda, myAgenda, removeFromAgenda } from './programme.agenda.js';
import { CONFLICT_KINDS } from './programme.conflicts.js';
import { SessionForm } from './programme.editor.input.js';
import {
  cancelSession,
  discardDraft,
  FormRefusal,
  listConflicts,
  listDrafts,
  saveSessionDraft,
} from './programme.editor.js';
import { listChanges, publishProgramme } from './programme.publish.js';

const Code = z.object({ code: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) });
const ConflictOut = z.object({
  kind: z.enum(CONFLICT_KINDS),
  code: z.string(),
  other: z.string().optional(),
  detail: z.string().optional(),
});
const ChangeOut = z.object({
  code: z.string(),
  kind: z.enum(['added', 'changed', 'cancelled']),
  fields: z.array(z.string()),
  title: LocalizedText,
});
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const edit = { permission: 'programme.edit' as const };
const tags = ['programme'];

export async function programmeEditorApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/programme/drafts',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Unpublished edits (secretariat, programme.edit)',
        response: {
          200: z.object({
            drafts: z.array(
              z.object({
                code: z.string(),
                isNew: z.boolean(),
                cancelled: z.boolean(),
                overrideReason: z.string().nullable(),
              }),
            ),
          }),
          401: Problem,
          403: Problem,
        },
      },
    },
    async (req) => ({
      drafts: (await listDrafts(req.ctx)).map((d) => ({
        code: d.code,
        isNew: d.isNew,
        cancelled: d.data.cancelled,
        overrideReason: d.overrideReason,
      })),
    }),
  );

  r.put(
    '/api/v1/programme/drafts/:code',
    {
      config: edit,
      schema: {
        tags,
        summary:
          'Save a session as a draft (`new` for a new session): the same fields as the editor form. Conflicts refuse it (409, listed) unless `override_reason` is given.',
        params: Code,
        body: SessionForm,
        response: {
          200: z.object({ code: z.string(), conflicts: z.array(ConflictOut) }),
          400: Problem,
          401: Problem,
          403: Problem,
          404: Problem,
          409: z.object({ type: z.string(), title: z.string(), status: z.number(), conflicts: z.array(ConflictOut) }),
        },
      },
    },
    async (req, reply) => {
      try {
        const res = await saveSessionDraft(wctx(req), req.params.code === 'new' ? null : req.params.code, req.body);
        if (!res.ok)
          return reply.code(409).type('application/problem+json').send({
            type: 'about:blank',
            title: 'programme_conflicts',
            status: 409,
            conflicts: res.conflicts,
          });
        return { code: res.code, conflicts: res.conflicts };
      } catch (e) {
        if (e instanceof FormRefusal)
          throw new DomainError(Object.values(e.fields)[0]!, 400, { field: Object.keys(e.fields)[0]! });
        throw e;
      }
    },
  );

  r.delete(
    '/api/v1/programme/drafts/:code',
    {
      config: edit,
      schema: { tags, summary: 'Discard a draft', params: Code, response: { 204: z.null(), 404: Problem } },
    },
    async (req, reply) => {
      await discardDraft(wctx(req), req.params.code);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/programme/sessions/:code/cancel',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Cancel a session at the next publication',
        params: Code,
        response: { 204: z.null(), 404: Problem },
      },
    },
    async (req, reply) => {
      await cancelSession(wctx(req), req.params.code);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/programme/publish',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Publish drafts (all, or `codes`): records a version, notifies agendas and speakers',
        body: z.object({ codes: z.array(z.string()).optional() }).optional(),
        response: {
          200: z.object({ version: z.number().nullable(), changes: z.array(ChangeOut), notified: z.number() }),
          409: Problem,
        },
      },
    },
    async (req) => {
      const res = await publishProgramme(wctx(req), { codes: req.body?.codes });
      return {
        version: res.versionId,
        changes: res.changes.map((c) => ({ code: c.code, kind: c.kind, fields: c.fields, title: c.title })),
        notified: res.notified,
      };
    },
  );

  r.get(
    '/api/v1/programme/conflicts',
    {
      config: edit,
      schema: {
        tags,
        summary: 'Every conflict of the programme as it would be once the drafts are published',
        response: { 200: z.object({ conflicts: z.array(ConflictOut) }), 401: Problem, 403: Problem },
      },
    },
    async (req) => ({ conflicts: await listConflicts(req.ctx) }),
  );

  r.get(
    '/api/v1/events/:slug/changes',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: "An event's programme change log, newest first",
        params: z.object({ slug: z.string() }),
        querystring: LangQuery,
        response: {
          200: z.object({ changes: z.array(ChangeOut.extend({ version: z.number(), publishedAt: z.string() })) }),
          404: Problem,
        },
      },
    },
    async (req) => {
      const { event, all } = await getEvent(req.ctx, req.params.slug);
      const rows = await listChanges(
        req.ctx.db,
        withDescendants(all, event).map((e) => e.id),
      );
      return {
        changes: rows.map((c) => ({
          version: c.versionId,
          publishedAt: isoInGeneva(c.publishedAt),
          code: c.code,
          kind: c.kind,
          fields: c.fields,
          title: c.title,
        })),
      };
    },
  );

  const AgendaOut = z.object({
    sessions: z.array(
      z.object({
        code: z.string(),
        title: LocalizedText,
        startsAt: z.string(),
        endsAt: z.string(),
        cancelled: z.boolean(),
        clashesWith: z.array(z.string()),
        joinUrl: z.string().nullable().describe('Only for approved remote participants of the event'),
        webcastUrl: z.string().nullable(),
      }),
    ),
  });
  r.get(
    '/api/v1/me/agenda',
    {
      config: { permission: 'account.self' },
      schema: { tags, summary: 'My agenda', response: { 200: AgendaOut, 401: Problem } },
    },
    async (req) => ({
      sessions: (await myAgenda(req.ctx)).map((s) => ({
        code: s.code,
        title: s.title,
        startsAt: isoInGeneva(s.startsAt),
        endsAt: isoInGeneva(s.endsAt),
        cancelled: s.cancelledAt !== null,
        clashesWith: s.clashesWith,
        joinUrl: s.remote?.joinUrl ?? null,
        webcastUrl: s.remote?.webcastUrl ?? null,
      })),
    }),
  );
  r.put(
    '/api/v1/me/agenda/:code',
    {
      config: { permission: 'account.self' },
      schema: {
        tags,
        summary: 'Add a session to my agenda',
        params: Code,
        response: { 204: z.null(), 401: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req, reply) => {
      await addToAgenda(req.ctx, req.params.code);
      return reply.code(204).send(null);
    },
  );
  r.delete(
    '/api/v1/me/agenda/:code',
    {
      config: { permission: 'account.self' },
      schema: {
        tags,
        summary: 'Remove a session from my agenda',
        params: Code,
        response: { 204: z.null(), 401: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      await removeFromAgenda(req.ctx, req.params.code);
      return reply.code(204).send(null);
    },
  );
}
