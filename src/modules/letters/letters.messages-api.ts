/**
 * Messages to an audience over JSON (`letters.send`, tag `letters`): list, write a draft, preview its recipients (how
 * many, the first of them, the text each language's readers get), send a test to oneself, send it (once), and who got
 * what. The same services as the pages; every change audited there.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { isoInGeneva, LocalizedText, Problem } from '../../platform/http/api-schemas.js';
import type { Ctx } from '../../platform/context.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from '../entities/index.js';
import { DeliveryOut } from './letters.api.js';
import * as msg from './letters.messages.js';
import { AUDIENCES } from './letters.schema.js';
import { SPECIAL_GROUPS } from './letters.sending.js';

const text = (max: number) => z.string().max(max);
const perLanguage = (max: number) =>
  z.strictObject(
    Object.fromEntries(LOCALES.map((l) => [l, text(max).optional()])) as Record<
      (typeof LOCALES)[number],
      z.ZodOptional<ReturnType<typeof text>>
    >,
  );

export const MessageBody = z.strictObject({
  subject: perLanguage(300).describe('Per language; the original language is required'),
  body: perLanguage(20_000).describe('Per language, plain text (line breaks kept)'),
  originalLanguage: z.enum(LOCALES),
  source: z
    .string()
    .max(60)
    .optional()
    .describe(
      'Who gets it: `entities` (default: the focal points and contacts of the organizations chosen by `audiences` and the filters), `event_participants` (the approved participants of the event `target`, optionally `variant` `in_person` or `remote`) or `session_speakers` (the speakers of the session whose code is `target`, optionally `variant` `speaker` or `moderator`)',
    ),
  target: z.string().max(100).optional().describe("An event's id, or a session's code (e.g. WSIS-101)"),
  variant: z.string().max(40).optional(),
  audiences: z.array(z.enum(AUDIENCES)).max(AUDIENCES.length).optional(),
  focalPointsOnly: z.boolean().optional().describe('Only the focal points, not the registered contacts'),
  ituRegion: z.enum(ITU_REGIONS).optional(),
  itudRegion: z.enum(ITUD_REGIONS).optional(),
  unGroup: z.enum(UN_GROUPS).optional(),
  special: z.enum(SPECIAL_GROUPS).optional().describe('ldc, lldc or sids (UN lists)'),
  unansweredOf: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('A sent letter’s id: only the Member States that have not answered it'),
});

export const MessageOut = z.object({
  id: z.number(),
  state: z.enum(['draft', 'sent']),
  test: z.boolean().describe('A test, sent to its author only'),
  originalLanguage: z.string(),
  subjects: LocalizedText,
  bodies: LocalizedText,
  audience: z.record(z.string(), z.unknown()).describe('The audience as chosen (`source` and its choice or filters)'),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  deliveries: z.record(z.string(), z.number()).describe('How many deliveries are in each state'),
});

function present(m: msg.Message, states: Record<string, number> = {}): z.infer<typeof MessageOut> {
  return {
    id: m.id,
    state: m.sentAt ? 'sent' : 'draft',
    test: m.test === 1,
    originalLanguage: m.originalLanguage,
    subjects: m.subject,
    bodies: m.body,
    audience: m.audience,
    createdAt: isoInGeneva(m.createdAt),
    sentAt: m.sentAt ? isoInGeneva(m.sentAt) : null,
    deliveries: states,
  };
}

const PreviewOut = z.object({
  recipients: z.number(),
  entities: z.number().describe('Organizations among the recipients'),
  unreachable: z.number().describe('People of the audience without an e-mail address'),
  title: z.string().optional().describe('What was chosen (the event, the session)'),
  sample: z
    .array(z.object({ name: z.string(), email: z.string(), locale: z.string() }))
    .describe('The first recipients'),
  texts: z.array(
    z.object({
      locale: z.string(),
      lang: z.string().describe('The language its readers get: theirs, else the original'),
      subject: z.string(),
      body: z.string(),
      readers: z.number(),
    }),
  ),
});

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const Param = z.object({ message: z.coerce.number().int().positive() });
const w = (req: FastifyRequest) => req.ctx as Ctx & { db: Db };

export async function messagesApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['letters'];
  const config = { permission: 'letters.send' as const };

  r.get(
    '/api/v1/messages',
    {
      config,
      schema: {
        tags,
        summary: 'Messages to audiences, newest first (drafts, sent and test ones), with their delivery counts',
        response: { 200: z.object({ messages: z.array(MessageOut) }), ...errors },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { messages: (await msg.listMessages(_req.ctx)).map((m) => present(m, m.states)) };
    },
  );
  r.post(
    '/api/v1/messages',
    {
      config,
      schema: {
        tags,
        summary: 'Write a message as a draft (nothing is sent): preview, test and send it next',
        body: MessageBody,
        response: { 201: MessageOut, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(present(await msg.createMessage(w(req), req.body))),
  );
  r.get(
    '/api/v1/messages/:message',
    {
      config,
      schema: { tags, summary: 'One message', params: Param, response: { 200: MessageOut, ...errors } },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const { message, deliveries } = await msg.messageDeliveries(req.ctx, req.params.message);
      const states: Record<string, number> = {};
      for (const d of deliveries) states[d.state] = (states[d.state] ?? 0) + 1;
      return present(message, states);
    },
  );
  r.get(
    '/api/v1/messages/:message/preview',
    {
      config,
      schema: {
        tags,
        summary: 'Who the message would go to now (how many, the first of them) and what each language reads',
        params: Param,
        response: { 200: PreviewOut, ...errors },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const m = await msg.getMessage(req.ctx, req.params.message);
      return msg.previewMessage(req.ctx, msg.inputOf(m));
    },
  );
  r.post(
    '/api/v1/messages/:message/test',
    {
      config,
      schema: {
        tags,
        summary: 'Send the message to oneself only, in one’s language (else the original)',
        params: Param,
        response: { 200: z.object({ messageId: z.number(), to: z.string() }), ...errors },
      },
    },
    async (req) => {
      const m = await msg.getMessage(req.ctx, req.params.message);
      return msg.sendTestMessage(w(req), msg.inputOf(m));
    },
  );
  r.post(
    '/api/v1/messages/:message/send',
    {
      config,
      schema: {
        tags,
        summary: 'Send a draft to its audience as it is now: one message per recipient, in their language, queued',
        params: Param,
        response: { 200: z.object({ message: MessageOut, queued: z.number() }), ...errors },
      },
    },
    async (req) => {
      const r = await msg.sendDraft(w(req), req.params.message);
      return { message: present(r.message, { queued: r.queued }), queued: r.queued };
    },
  );
  r.get(
    '/api/v1/messages/:message/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'Who got what: one row per recipient (queued, sent, failed with the SMTP answer, bounced)',
        params: Param,
        querystring: z.object({ state: z.enum(['queued', 'sent', 'failed', 'bounced']).optional() }),
        response: { 200: z.object({ deliveries: z.array(DeliveryOut) }), ...errors },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const { deliveries } = await msg.messageDeliveries(req.ctx, req.params.message);
      return {
        deliveries: deliveries
          .filter((d) => !req.query.state || d.state === req.query.state)
          .map((d) => ({
            id: d.id,
            kind: d.kind,
            entityId: d.entityId,
            email: d.email,
            locale: d.locale,
            state: d.state,
            error: d.error,
            queuedAt: isoInGeneva(d.queuedAt),
            sentAt: d.sentAt ? isoInGeneva(d.sentAt) : null,
          })),
      };
    },
  );
}
