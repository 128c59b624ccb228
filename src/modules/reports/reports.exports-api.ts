/**
 * The five lists over JSON (a page at a time, keyset cursors) and as CSV/XLSX (`format`), with the filters of the
 * Exports page; under `reports.view`, or a focal point's own delegation (the service scopes every query).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendExport } from '../../platform/export/index.js';
import { LangQuery, Problem } from '../../platform/http/api-schemas.js';
import { ITU_REGIONS } from '../entities/index.js';
import {
  COLUMNS,
  EXPORT_PAGE,
  LIST_FILTERS,
  LISTS,
  type ListKey,
  type ListQuery,
  listPage,
  listTable,
  MODES,
  statesOf,
} from './reports.exports.js';

const blank = (v: unknown) => (v === '' ? undefined : v);
const day = (what: string) =>
  z
    .preprocess(
      blank,
      z
        .string()
        .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)), { params: { key: 'date' } })
        .optional(),
    )
    .describe(what);

const DATE_OF: Record<ListKey, string> = {
  participants: 'the registration was submitted',
  registrations: 'the registration was submitted',
  delegations: 'the registration was submitted',
  speaking: 'the request was submitted',
  arrivals: 'the badge was admitted at the door',
};

/** The filters a list accepts (the page's form and the API's query string are read with the same schema). */
export function listQuerySchema(list: ListKey) {
  const has = (k: string) => (LIST_FILTERS[list] as readonly string[]).includes(k);
  const shape: Record<string, z.ZodType> = {};
  if (has('event'))
    shape.event = z
      .preprocess(
        blank,
        z
          .string()
          .regex(/^[a-z0-9-]{1,80}$/)
          .optional(),
      )
      .describe('Event slug: the event and its parts');
  if (has('state'))
    shape.state = z
      .preprocess(blank, z.enum(statesOf(list) as [string, ...string[]]).optional())
      .describe(list === 'participants' ? 'Registration state (default: approved)' : 'State');
  if (has('mode')) shape.mode = z.preprocess(blank, z.enum(MODES).optional()).describe('In person or remote');
  if (has('nationality'))
    shape.nationality = z
      .preprocess(
        blank,
        z
          .string()
          .regex(/^[A-Za-z]{2}$/)
          .optional(),
      )
      .describe(
        list === 'speaking' || list === 'delegations'
          ? "The entity's country (ISO 3166-1 alpha-2)"
          : 'Nationality (ISO 3166-1 alpha-2)',
      );
  if (has('entity'))
    shape.entity = z
      .preprocess(blank, z.coerce.number().int().positive().max(2_147_483_647).optional())
      .describe('Entity id (a focal point: one of their own)');
  if (has('region'))
    shape.region = z
      .preprocess(blank, z.enum(ITU_REGIONS).optional())
      .describe(
        list === 'speaking' || list === 'delegations'
          ? "The entity's ITU region"
          : 'ITU region of the Member State of the nationality',
      );
  if (has('from')) shape.from = day(`From this day (Geneva), by when ${DATE_OF[list]}`);
  if (has('to')) shape.to = day(`Until this day (Geneva, inclusive), by when ${DATE_OF[list]}`);
  return z.object(shape);
}

const PATH: Record<ListKey, string> = {
  participants: 'participants',
  registrations: 'registrations',
  delegations: 'delegations',
  speaking: 'speaking-requests',
  arrivals: 'arrivals',
};
export const apiPath = (list: ListKey) => `/api/v1/reports/${PATH[list]}`;

const SUMMARY: Record<ListKey, string> = {
  participants: 'Participants (people with an approved registration, or the chosen state), by name',
  registrations: 'Registrations, in the order they were submitted',
  delegations: 'Delegations: each entity for each event, its head, its numbers and focal points',
  speaking: 'Speaking requests, in the order they were submitted',
  arrivals: 'Arrivals: admissions at the doors, in the order of the scans',
};

function itemSchema(list: ListKey) {
  return z.object(
    Object.fromEntries(
      COLUMNS[list].map((c) => [
        c.key,
        c.type === 'number' ? z.number().nullable() : c.type === 'boolean' ? z.boolean() : z.string(),
      ]),
    ),
  );
}

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

export async function reportsExportsApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'reports.delegation' as const };
  for (const list of LISTS) {
    const Query = listQuerySchema(list)
      .merge(LangQuery)
      .extend({
        after: z.string().max(1200).optional().describe('The `next` cursor of the previous page'),
        limit: z.coerce.number().int().min(1).max(EXPORT_PAGE).default(100).describe('Rows per page'),
        format: z
          .enum(['json', 'csv', 'xlsx'])
          .default('json')
          .describe('`csv` or `xlsx`: every row the filters select, as one download (streamed)'),
      });
    r.get(
      apiPath(list),
      {
        config,
        schema: {
          tags: ['reports'],
          summary: `${SUMMARY[list]}; a focal point gets their own delegation only`,
          querystring: Query,
          response: { 200: z.object({ items: z.array(itemSchema(list)), next: z.string().nullable() }), ...errors },
        },
      },
      async (req, reply) => {
        const { lang, after, limit, format, ...q } = req.query as ListQuery & {
          lang?: typeof req.locale;
          after?: string;
          limit: number;
          format: 'json' | 'csv' | 'xlsx';
        };
        const locale = lang ?? req.locale;
        if (format !== 'json') return sendExport(reply, format, list, await listTable(req.ctx, list, q, { locale }));
        reply.header('cache-control', 'private, no-store');
        const page = await listPage(req.ctx, list, q, { after, limit, locale, dates: 'iso' });
        return page as { items: Record<string, string | number | boolean | null>[]; next: string | null };
      },
    );
  }
}
