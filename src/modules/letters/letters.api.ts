/**
 * Letters over JSON. Public: the sent letters, each in the reader's language (`lang`) and in every language it exists
 * in. The secretariat (`letters.send`): drafts, edits, approval, sending, deliveries, resending, bounces, reminders.
 * `{letter}` is a reference (`CL-26-17`) or an id.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { isoInGeneva, LangQuery, LocalizedText, Problem } from '../../platform/http/api-schemas.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import { text } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from '../entities/index.js';
import { LetterInput, LetterPatch } from './letters.input.js';
import { readLetter } from './letters.present.js';
import { parseReference, referenceSlug } from './letters.rules.js';
import { AUDIENCES, LETTER_STATES } from './letters.schema.js';
import * as send from './letters.sending.js';
import * as svc from './letters.service.js';
import { getTracker } from './letters.tracker.js';

export const LetterOut = z.object({
  id: z.number(),
  reference: z.string(),
  state: z.enum(LETTER_STATES),
  date: z.string().describe('YYYY-MM-DD, the date the letter bears'),
  language: z.string().describe('The language of `subject` and `body`: the one asked for, else the original'),
  originalLanguage: z.string(),
  subject: z.string(),
  body: z.string().describe('Paragraphs separated by blank lines; `## ` headings; `- ` list items'),
  subjects: LocalizedText,
  bodies: LocalizedText,
  sender: z.string(),
  addressees: z.string(),
  audiences: z.array(z.enum(AUDIENCES)),
  signatory: z.object({ name: z.string(), title: z.string() }),
  contact: z.object({ name: z.string(), email: z.string() }),
  eventIds: z.array(z.number()),
  corrects: z.number().nullable(),
  annexes: z.array(z.object({ id: z.number(), title: z.string(), filename: z.string(), size: z.number() })),
  html: z.string().describe('The public page (sent letters)'),
  pdf: z.string().describe('The PDF in `language`'),
  sentAt: z.string().nullable(),
});

function present(l: svc.Letter, annexes: svc.Annex[], locale: Locale): z.infer<typeof LetterOut> {
  const r = readLetter(l, locale);
  const slug = referenceSlug(l.reference);
  return {
    id: l.id,
    reference: l.reference,
    state: l.state,
    date: l.sentOn,
    language: r.lang,
    originalLanguage: l.originalLanguage,
    subject: r.subject,
    body: r.body,
    subjects: l.subject,
    bodies: l.body,
    sender: text(l.sender, r.lang),
    addressees: text(l.addressees, r.lang),
    audiences: l.audiences,
    signatory: { name: l.signatoryName, title: text(l.signatoryTitle, r.lang) },
    contact: { name: l.contactName, email: l.contactEmail },
    eventIds: l.eventIds,
    corrects: l.correctsId,
    annexes: annexes.map((a) => ({ id: a.id, title: a.title, filename: a.filename, size: a.size })),
    html: `/${r.lang}/letters/${slug}`,
    pdf: `/${r.lang}/letters/${slug}.pdf`,
    sentAt: l.sentAt ? isoInGeneva(l.sentAt) : null,
  };
}

export const DeliveryOut = z.object({
  id: z.number(),
  kind: z.enum(['letter', 'reminder', 'message']),
  entityId: z.number().nullable(),
  email: z.string(),
  locale: z.string(),
  state: z.enum(['queued', 'sent', 'failed', 'bounced']),
  error: z.string().nullable().describe('The SMTP answer of a failure, or the bounce report'),
  queuedAt: z.string(),
  sentAt: z.string().nullable(),
});

export const FilterInput = z.strictObject({
  ituRegion: z.enum(ITU_REGIONS).optional(),
  itudRegion: z.enum(ITUD_REGIONS).optional(),
  unGroup: z.enum(UN_GROUPS).optional(),
  special: z.enum(send.SPECIAL_GROUPS).optional().describe('ldc, lldc or sids (UN lists)'),
  entityIds: z.array(z.number().int().positive()).max(500).optional(),
});

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const w = (req: FastifyRequest) => req.ctx as Ctx & { db: Db };
const Param = z.object({ letter: z.string().max(20) });

/** A letter by id (secretariat) or reference; a draft only for the secretariat. */
async function resolve(ctx: Ctx, key: string, opts: { draft: boolean }): Promise<svc.Letter> {
  if (/^\d+$/.test(key)) {
    if (!opts.draft) throw new DomainError('letter_not_found', 404);
    return svc.getLetter(ctx, Number(key));
  }
  if (!opts.draft) return svc.getPublishedLetter(ctx, key);
  const ref = (() => {
    try {
      return parseReference(key).reference;
    } catch {
      throw new DomainError('letter_not_found', 404);
    }
  })();
  const found = (await svc.listLetters(ctx)).find((l) => l.reference === ref);
  if (!found) throw new DomainError('letter_not_found', 404);
  return found;
}

export async function lettersApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['letters'];
  const secretariat = { permission: 'letters.send' as const };
  const one = async (req: FastifyRequest, l: svc.Letter) =>
    present(l, await svc.listAnnexes(req.ctx.db, l.id), req.locale);

  r.get(
    '/api/v1/letters',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Circular letters: the sent ones (everyone), or all with drafts (`all=true`, letters.send)',
        querystring: LangQuery.extend({ all: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ letters: z.array(LetterOut) }), 401: Problem, 403: Problem },
      },
    },
    async (req, reply) => {
      const list = req.query.all === 'true' ? await svc.listLetters(req.ctx) : await svc.listPublishedLetters(req.ctx);
      reply.header('cache-control', req.query.all === 'true' ? 'no-store' : 'public, max-age=60');
      return { letters: await Promise.all(list.map((l) => one(req, l))) };
    },
  );
  r.get(
    '/api/v1/letters/:letter',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'One letter (a sent one by reference, e.g. CL-26-17; the secretariat also drafts, by id)',
        params: Param,
        querystring: LangQuery,
        response: { 200: LetterOut, 404: Problem },
      },
    },
    async (req) => {
      const mayDraft = can(req.ctx.actor, 'letters.send') && req.ctx.actor.kind === 'person';
      return one(req, await resolve(req.ctx, req.params.letter, { draft: mayDraft }));
    },
  );
  r.post(
    '/api/v1/letters',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Write a draft (numbered CL-YY/NN unless a reference is given)',
        body: LetterInput,
        response: { 201: LetterOut, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await one(req, await svc.createLetter(w(req), req.body))),
  );
  r.patch(
    '/api/v1/letters/:letter',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Edit a draft or approved letter (back to draft); never a sent one',
        params: Param,
        body: LetterPatch,
        response: { 200: LetterOut, ...errors },
      },
    },
    async (req) => {
      const l = await resolve(req.ctx, req.params.letter, { draft: true });
      return one(req, await svc.updateLetter(w(req), l.id, req.body));
    },
  );
  r.post(
    '/api/v1/letters/:letter/approve',
    {
      config: secretariat,
      schema: { tags, summary: 'Approve a draft', params: Param, response: { 200: LetterOut, ...errors } },
    },
    async (req) =>
      one(req, await svc.approveLetter(w(req), (await resolve(req.ctx, req.params.letter, { draft: true })).id)),
  );
  r.post(
    '/api/v1/letters/:letter/send',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Send an approved letter to its audiences (optionally narrowed): one message per recipient, queued',
        params: Param,
        body: FilterInput.optional(),
        response: { 200: z.object({ letter: LetterOut, queued: z.number() }), ...errors },
      },
    },
    async (req) => {
      const l = await resolve(req.ctx, req.params.letter, { draft: true });
      const res = await send.sendLetter(w(req), l.id, req.body ?? {});
      return { letter: await one(req, res.letter), queued: res.queued };
    },
  );
  r.post(
    '/api/v1/letters/:letter/corrigendum',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Start a corrigendum to a sent letter: a new draft linked to it',
        params: Param,
        body: z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
        response: { 201: LetterOut, ...errors },
      },
    },
    async (req, reply) => {
      const l = await resolve(req.ctx, req.params.letter, { draft: true });
      return reply.code(201).send(await one(req, await svc.createCorrigendum(w(req), l.id, req.body)));
    },
  );
  r.get(
    '/api/v1/letters/:letter/deliveries',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Who got what: one row per message (the letter or a reminder)',
        params: Param,
        querystring: z.object({ state: z.enum(['queued', 'sent', 'failed', 'bounced']).optional() }),
        response: { 200: z.object({ deliveries: z.array(DeliveryOut) }), ...errors },
      },
    },
    async (req, reply) => {
      const l = await resolve(req.ctx, req.params.letter, { draft: true });
      reply.header('cache-control', 'no-store');
      return {
        deliveries: (await send.listDeliveries(req.ctx, l.id, req.query)).map((d) => ({
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
  r.post(
    '/api/v1/letters/:letter/resend-failed',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Queue failed and bounced deliveries again',
        params: Param,
        response: { 200: z.object({ queued: z.number() }), ...errors },
      },
    },
    async (req) => ({
      queued: await send.resendFailed(w(req), (await resolve(req.ctx, req.params.letter, { draft: true })).id),
    }),
  );
  r.post(
    '/api/v1/letters/:letter/bounces',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Report a bounce for an address (its latest delivery of the letter becomes bounced)',
        params: Param,
        body: z.strictObject({ email: z.string().max(254), report: z.string().max(2000) }),
        response: { 200: z.object({ bounced: z.boolean() }), ...errors },
      },
    },
    async (req) => {
      const l = await resolve(req.ctx, req.params.letter, { draft: true });
      return { bounced: !!(await send.recordBounce(w(req), l.id, req.body.email, req.body.report)) };
    },
  );
  r.post(
    '/api/v1/letters/:letter/reminders',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Remind the Member States chosen by filter (each address at most once a day)',
        params: Param,
        body: FilterInput,
        response: { 200: z.object({ queued: z.number(), skipped: z.number() }), ...errors },
      },
    },
    async (req) =>
      send.sendReminders(w(req), (await resolve(req.ctx, req.params.letter, { draft: true })).id, req.body),
  );

  r.post(
    '/api/v1/letters/:letter/annexes',
    {
      config: secretariat,
      bodyLimit: 15 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Attach a PDF annex (base64, at most 10 MB) to a letter that is not sent yet (an approved letter goes back to draft)',
        params: Param,
        body: z.strictObject({
          title: z.string().max(300),
          filename: z.string().max(200),
          contentBase64: z.string().max(14 * 1024 * 1024),
        }),
        response: {
          201: z.object({ id: z.number(), title: z.string(), filename: z.string(), size: z.number() }),
          413: Problem,
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const l = await resolve(req.ctx, req.params.letter, { draft: true });
      const a = await svc.addAnnex(w(req), l.id, {
        title: req.body.title,
        filename: req.body.filename,
        bytes: Buffer.from(req.body.contentBase64, 'base64'),
      });
      return reply.code(201).send({ id: a.id, title: a.title, filename: a.filename, size: a.size });
    },
  );
  r.delete(
    '/api/v1/letters/:letter/annexes/:annex',
    {
      config: secretariat,
      schema: {
        tags,
        summary: 'Remove an annex from a letter that is not sent yet (an approved letter goes back to draft)',
        params: Param.extend({ annex: z.coerce.number().int().positive() }),
        response: { 200: LetterOut, ...errors },
      },
    },
    async (req) => {
      const l = await resolve(req.ctx, req.params.letter, { draft: true });
      await svc.removeAnnex(w(req), l.id, req.params.annex);
      return one(req, await svc.getLetter(req.ctx, l.id));
    },
  );
  r.get(
    '/api/v1/letters/:letter/tracker',
    {
      config: { permission: 'account.self' },
      schema: {
        tags,
        summary:
          "Each Member State's response to a letter (the secretariat: all, filterable; a focal point: their own)",
        params: Param,
        querystring: FilterInput.omit({ entityIds: true }).extend({
          lang: z.enum(['ar', 'zh', 'en', 'fr', 'ru', 'es']).optional(),
        }),
        response: {
          200: z.object({
            reference: z.string(),
            totals: z.object({
              memberStates: z.number(),
              delivered: z.number(),
              focalPoints: z.number(),
              registered: z.number(),
              ministerial: z.number(),
              speaking: z.number(),
            }),
            columns: z.array(z.object({ key: z.string(), header: z.string() })),
            rows: z.array(
              z.object({
                entityId: z.number(),
                code: z.string(),
                name: z.string(),
                ituRegion: z.string().nullable(),
                itudRegion: z.string().nullable(),
                unGroup: z.string().nullable(),
                special: z.array(z.string()).describe('UN lists: ldc, lldc, sids'),
                delivered: z.boolean(),
                bounced: z.boolean().describe('Not delivered: the copies sent came back (a bounce was reported)'),
                focalPoint: z.boolean(),
                delegates: z.number(),
                delegatesByState: z.record(z.string(), z.number()),
                headLevel: z.string().nullable().describe('VVIP, MIN, DMIN, AMB or REG'),
                speaking: z.record(z.string(), z.number()).describe('Speaking requests by state'),
                lastContact: z.string().nullable(),
                extra: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
                extraText: z
                  .record(z.string(), z.string().nullable())
                  .describe('The same values in words, in the language asked for'),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const secretariat = can(req.ctx.actor, 'letters.send');
      const l = await resolve(req.ctx, req.params.letter, { draft: secretariat });
      const { lang: _lang, ...filter } = req.query;
      const t = await getTracker(req.ctx, l.id, filter);
      reply.header('cache-control', 'no-store');
      return {
        reference: t.letter.reference,
        totals: t.totals,
        columns: t.columns,
        rows: t.rows.map((r) => ({ ...r, lastContact: r.lastContact ? isoInGeneva(r.lastContact) : null })),
      };
    },
  );
}
