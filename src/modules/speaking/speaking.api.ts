/** Speaking requests over JSON: focal points and stakeholders (speaking.request), the secretariat (speaking.review). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { sendExport } from '../../platform/export/index.js';
import { isoInGeneva, Problem } from '../../platform/http/api-schemas.js';
import { text } from '../../platform/i18n/localized.js';
import {
  AssignInput,
  DeadlineInput,
  DecisionInput,
  EditInput,
  LatePermitInput,
  MoveInput,
  QueueQuery,
  SubmitInput,
  TimeLimitInput,
} from './speaking.input.js';
import type { RequestWithEntity, SpeakingRequest } from './speaking.queries.js';
import { isBeforeDeadline, timeLeft } from './speaking.rules.js';
import * as svc from './speaking.service.js';
import { speakersListPdf, speakersListTable } from './speaking.export.js';
import { fullName } from '../../platform/i18n/names.js';

export const SpeakingRequestOut = z.object({
  id: z.string(),
  entityId: z.number(),
  kind: z.string(),
  state: z.string(),
  speaker: z.object({
    personId: z.string().nullable(),
    honorific: z.string(),
    name: z.string().describe('In the speaker’s own script'),
    nameLatin: z.string(),
    title: z.string(),
    rank: z.string(),
  }),
  preferredDay: z.string().nullable(),
  language: z.string().describe('Language of delivery'),
  abstract: z.string(),
  reason: z.string().nullable(),
  session: z.string().nullable().describe('Session code, once assigned'),
  late: z.boolean(),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
});

export function presentRequest(r: SpeakingRequest, session: string | null = null): z.infer<typeof SpeakingRequestOut> {
  return {
    id: r.id,
    entityId: r.entityId,
    kind: r.kind,
    state: r.state,
    speaker: {
      personId: r.speakerPersonId,
      honorific: r.honorific,
      name: fullName(r),
      nameLatin: svc.latinName(r),
      title: r.title,
      rank: r.rank,
    },
    preferredDay: r.preferredDay,
    language: r.language,
    abstract: r.abstract,
    reason: r.reason,
    session,
    late: r.late,
    submittedAt: isoInGeneva(r.submittedAt),
    decidedAt: r.decidedAt ? isoInGeneva(r.decidedAt) : null,
  };
}
const presentRow = (x: RequestWithEntity) => presentRequest(x.r, x.session?.code ?? null);

const List = z.object({ requests: z.array(SpeakingRequestOut) });
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const w = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const Slug = z.object({ slug: z.string().max(80) });
const Id = z.object({ id: z.string().uuid() });
const Code = z.object({ code: z.string().max(40) });

export async function speakingApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const request = { permission: 'speaking.request' as const };
  const review = { permission: 'speaking.review' as const };
  const tags = ['speaking'];

  r.get(
    '/api/v1/events/:slug/speaking',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'The deadline for speaking requests (an instant, Geneva time) and whether requests are open',
        params: Slug,
        response: {
          200: z.object({ event: z.string(), deadline: z.string(), open: z.boolean(), secondsLeft: z.number() }),
          404: Problem,
        },
      },
    },
    async (req, reply) => {
      const { event, settings } = await svc.getSpeakingEvent(req.ctx.db, req.params.slug);
      reply.header('cache-control', 'no-store');
      return {
        event: event.slug,
        deadline: isoInGeneva(settings.deadline),
        open: isBeforeDeadline(req.ctx.now, settings.deadline),
        secondsLeft: Math.floor(timeLeft(req.ctx.now, settings.deadline) / 1000),
      };
    },
  );
  r.get(
    '/api/v1/events/:slug/speaking-requests',
    {
      config: request,
      schema: { tags, summary: "My entities' speaking requests", params: Slug, response: { 200: List, ...errors } },
    },
    async (req) => ({
      requests: (await svc.listMySpeakingRequests(req.ctx, req.params.slug)).map(presentRow),
    }),
  );
  r.post(
    '/api/v1/events/:slug/speaking-requests',
    {
      config: request,
      schema: {
        tags,
        summary:
          'Submit a speaking request (one live request per entity per kind; refused with deadline_passed after the deadline)',
        params: Slug,
        body: SubmitInput,
        response: { 200: SpeakingRequestOut, ...errors },
      },
    },
    async (req) => presentRequest(await svc.submitSpeakingRequest(w(req), req.params.slug, req.body)),
  );
  r.patch(
    '/api/v1/speaking-requests/:id',
    {
      config: request,
      schema: {
        tags,
        summary: 'Change a request before the deadline',
        params: Id,
        body: EditInput,
        response: { 200: SpeakingRequestOut, ...errors },
      },
    },
    async (req) => presentRequest(await svc.editSpeakingRequest(w(req), req.params.id, req.body)),
  );
  r.post(
    '/api/v1/speaking-requests/:id/withdraw',
    {
      config: request,
      schema: { tags, summary: 'Withdraw a request', params: Id, response: { 200: SpeakingRequestOut, ...errors } },
    },
    async (req) => presentRequest(await svc.withdrawSpeakingRequest(w(req), req.params.id)),
  );

  r.get(
    '/api/v1/events/:slug/speaking-queue',
    {
      config: review,
      schema: {
        tags,
        summary: "The secretariat's queue, filtered by kind, ITU region, rank and state",
        params: Slug,
        querystring: QueueQuery,
        response: { 200: List, ...errors },
      },
    },
    async (req) => ({
      requests: (await svc.listSpeakingQueue(req.ctx, req.params.slug, req.query)).map(presentRow),
    }),
  );
  r.post(
    '/api/v1/speaking-requests/:id/decision',
    {
      config: review,
      schema: {
        tags,
        summary: 'Accept, decline (with a reason) or waitlist',
        params: Id,
        body: DecisionInput,
        response: { 200: SpeakingRequestOut, ...errors },
      },
    },
    async (req) => presentRequest(await svc.decideSpeakingRequest(w(req), req.params.id, req.body)),
  );
  r.post(
    '/api/v1/speaking-requests/:id/session',
    {
      config: review,
      schema: {
        tags,
        summary:
          'Assign an accepted request to a session of the High-Level Track that takes its kind (null to take it out); refused with session_not_in_event or speaking_session_mismatch',
        params: Id,
        body: AssignInput,
        response: { 200: SpeakingRequestOut, ...errors },
      },
    },
    async (req) =>
      presentRequest(await svc.assignSpeakingRequest(w(req), req.params.id, req.body.session), req.body.session),
  );
  r.post(
    '/api/v1/speaking-requests/:id/position',
    {
      config: review,
      schema: {
        tags,
        summary: "Move a speaker to a place in the session's list, with a reason",
        params: Id,
        body: MoveInput,
        response: { 200: SpeakingRequestOut, ...errors },
      },
    },
    async (req) => presentRequest(await svc.moveSpeaker(w(req), req.params.id, req.body.position, req.body.reason)),
  );
  r.put(
    '/api/v1/events/:slug/speaking-deadline',
    {
      config: review,
      schema: {
        tags,
        summary: 'Set the deadline (schedules the 14- and 3-day reminders)',
        params: Slug,
        body: DeadlineInput,
        response: { 200: z.object({ deadline: z.string() }), ...errors },
      },
    },
    async (req) => {
      const s = await svc.setSpeakingDeadline(w(req), req.params.slug, new Date(req.body.deadline));
      return { deadline: isoInGeneva(s.deadline) };
    },
  );
  r.post(
    '/api/v1/events/:slug/speaking-late-permits',
    {
      config: review,
      schema: {
        tags,
        summary: 'Let one entity submit after the deadline (audited)',
        params: Slug,
        body: LatePermitInput,
        response: { 200: z.object({ ok: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      await svc.grantLatePermit(w(req), req.params.slug, req.body.entityId, req.body.reason);
      return { ok: true };
    },
  );

  const ListOut = z.object({
    session: z.string(),
    title: z.string(),
    timeLimit: z.number(),
    totalSeconds: z.number(),
    lengthSeconds: z.number(),
    overrun: z.boolean(),
    speakers: z.array(
      SpeakingRequestOut.extend({ position: z.number(), entity: z.string(), movedByHand: z.string().nullable() }),
    ),
  });
  r.get(
    '/api/v1/sessions/:code/speakers-list',
    {
      config: review,
      schema: {
        tags,
        summary: "A session's speakers' list in protocol order, with its time limit and overrun flag",
        params: Code,
        response: { 200: ListOut, ...errors },
      },
    },
    async (req) => {
      const l = await svc.getSpeakersList(req.ctx, req.params.code);
      return {
        session: l.session.code,
        title: text(l.session.title, req.locale),
        timeLimit: l.timeLimit,
        totalSeconds: l.timing.total,
        lengthSeconds: l.timing.length,
        overrun: l.timing.overrun,
        speakers: l.speakers.map((s) => ({
          ...presentRow(s),
          position: s.position,
          entity: text(s.entity.name, req.locale),
          movedByHand: s.r.manualPosition != null ? s.r.moveReason : null,
        })),
      };
    },
  );
  r.get(
    '/api/v1/sessions/:code/speakers-list.pdf',
    { config: review, schema: { tags, summary: "The speakers' list as PDF", params: Code } },
    async (req, reply) =>
      reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="speakers-${req.params.code}.pdf"`)
        .send(await speakersListPdf(req.ctx, req.params.code)),
  );
  for (const format of ['csv', 'xlsx'] as const)
    r.get(
      `/api/v1/sessions/:code/speakers-list.${format}`,
      {
        config: review,
        schema: {
          tags,
          summary: `The speakers' list as ${format === 'csv' ? 'CSV (UTF-8 with BOM)' : 'XLSX'}; formulas neutralised`,
          params: Code,
        },
      },
      async (req, reply) =>
        sendExport(reply, format, `speakers-${req.params.code}`, await speakersListTable(req.ctx, req.params.code)),
    );
  r.put(
    '/api/v1/sessions/:code/speaking-time',
    {
      config: review,
      schema: {
        tags,
        summary: 'Time per statement in a session (seconds; default 180)',
        params: Code,
        body: TimeLimitInput,
        response: { 200: z.object({ seconds: z.number() }), ...errors },
      },
    },
    async (req) => {
      await svc.setSessionTimeLimit(w(req), req.params.code, req.body.seconds);
      return { seconds: req.body.seconds };
    },
  );
}
