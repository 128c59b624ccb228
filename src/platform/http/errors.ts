/**
 * The one error handler. A DomainError or a validation failure becomes, for the API, an RFC 9457 problem+json with
 * a stable `code`; for pages, the layout with a translated message. Unknown pages are a translated 404.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../errors.js';
import type { Locale } from '../i18n/locales.js';
import { hasMessage, translate } from '../i18n/messages.js';
import { renderErrorPage } from '../ui/error-page.js';
import { humanIssues, type FieldError } from '../i18n/validation.js';

const ZOD_LOCALES: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = {
  ar: z.locales.ar,
  zh: z.locales.zhCN,
  en: z.locales.en,
  fr: z.locales.fr,
  ru: z.locales.ru,
  es: z.locales.es,
};

/** Zod's own messages in one of our six languages. */
export function zodErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return ZOD_LOCALES[locale]().localeError;
}

export type { FieldError } from '../i18n/validation.js';

/** Zod issues, written for people in the user's language (the one error map, i18n/validation.ts). */
export const localizedIssues = humanIssues;

const isApi = (req: FastifyRequest) => req.url.startsWith('/api/') || req.url === '/healthz';

function title(locale: Locale, code: string, params: Record<string, string | number> = {}) {
  return translate(locale, hasMessage(locale, `errors.${code}`) ? `errors.${code}` : 'errors.unexpected', params);
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  errors: FieldError[] = [],
  params: Record<string, string | number> = {},
) {
  const locale = req.locale ?? 'en';
  if (isApi(req)) {
    return reply
      .code(status)
      .type('application/problem+json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send({
        type: `urn:convene:error:${code}`,
        title: title(locale, code, params),
        status,
        code,
        ...(errors.length ? { errors } : {}),
        ...(Object.keys(params).length ? { params } : {}),
      });
  }
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(renderErrorPage(req, status, code, errors, params));
}

/** SQLSTATE class 22 (data exception) codes that only a caller's value can cause. */
const DATA_EXCEPTIONS = new Set(['22003', '22P02', '22021', '22007', '22008', '22001', '22023', '2201X', '2201W']);

function pgState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++)
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) {
      if (err.params.retryAfter) reply.header('retry-after', String(err.params.retryAfter));
      // A rule checked in a service (against the database's state) may name the fields it refuses, like Zod does.
      const fields = Array.isArray(err.details) ? (err.details as FieldError[]) : [];
      return sendProblem(req, reply, err.status, err.code, fields, err.params);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const part = (err.validationContext ?? 'querystring') as 'querystring' | 'params' | 'body' | 'headers';
      const schema = (req.routeOptions.schema as Record<string, z.ZodType> | undefined)?.[part];
      const data =
        part === 'querystring' ? req.query : part === 'params' ? req.params : part === 'body' ? req.body : req.headers;
      const errors = schema ? localizedIssues(schema, data, req.locale) : [];
      return sendProblem(req, reply, 400, part === 'querystring' ? 'invalid_query' : 'invalid_input', errors);
    }
    // A value the database refuses as data (a number out of range, a malformed value or date, text too long) is the
    // caller's mistake, refused before anything was written (the transaction rolled back): 400, not 500.
    const sqlState = pgState(err);
    if (sqlState && DATA_EXCEPTIONS.has(sqlState)) return sendProblem(req, reply, 400, 'bad_request');
    const status = err.statusCode ?? 500;
    if (err.code?.startsWith('FST_CSRF')) return sendProblem(req, reply, 403, 'csrf_invalid');
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      (err instanceof SyntaxError && status === 400)
    ) {
      return sendProblem(req, reply, 400, 'invalid_json', [{ field: '', message: err.message }]);
    }
    if (err.code === 'FST_REQ_FILE_TOO_LARGE') return sendProblem(req, reply, 413, 'photo_too_large');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(req, reply, 415, 'unsupported_media_type');
    if (status >= 400 && status < 500) {
      const code =
        status === 404
          ? 'not_found'
          : status === 413
            ? 'payload_too_large'
            : status === 429
              ? 'rate_limited'
              : 'bad_request';
      return sendProblem(
        req,
        reply,
        status,
        code,
        err.message && code === 'bad_request' ? [{ field: '', message: err.message }] : [],
      );
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(req, reply, 500, 'unexpected');
  });
  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, 404, 'not_found'));
}
