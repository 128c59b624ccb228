/** Every figure over JSON (and each as CSV/XLSX), under `reports.view`, or a focal point's own delegation. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendExport } from '../../platform/export/index.js';
import { LangQuery, Problem } from '../../platform/http/api-schemas.js';
import { translate } from '../../platform/i18n/messages.js';
import { getFigures } from './reports.figures.js';
import { FigureParam, FilterQuery } from './reports.input.js';
import { labelled } from './reports.labels.js';
import { figureTable } from './reports.present.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const Group = z.object({ key: z.string().nullable(), label: z.string(), count: z.number().int() });
const FigureOut = z.object({
  figure: z.string(),
  definition: z.string(),
  asOf: z.string(),
  groups: z.array(Group),
});

export async function reportsApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { permission: 'reports.delegation' as const };
  r.get(
    '/api/v1/reports/figures',
    {
      config,
      schema: {
        tags: ['reports'],
        summary:
          'Every figure (headline numbers and each breakdown), for an event (with its parts) and the days registrations were submitted; a focal point gets their own delegation only',
        querystring: FilterQuery,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'private, no-store');
      return getFigures(req.ctx, req.query);
    },
  );
  r.get(
    '/api/v1/reports/figures/:figure',
    {
      config,
      schema: {
        tags: ['reports'],
        summary: 'One figure with its definition and named groups; `format=csv|xlsx` downloads it',
        params: FigureParam,
        querystring: FilterQuery.merge(LangQuery).extend({ format: z.enum(['json', 'csv', 'xlsx']).default('json') }),
        response: { 200: FigureOut, ...errors },
      },
    },
    async (req, reply) => {
      const { format, lang, ...q } = req.query;
      const locale = lang ?? req.locale;
      const f = await getFigures(req.ctx, q);
      if (format !== 'json')
        return sendExport(reply, format, `figures-${req.params.figure}`, figureTable(f, req.params.figure, locale));
      reply.header('cache-control', 'private, no-store');
      return {
        figure: req.params.figure,
        definition: translate(locale, `reports.def.${req.params.figure}`),
        asOf: f.asOf,
        groups: labelled(f, req.params.figure, locale),
      };
    },
  );
}
