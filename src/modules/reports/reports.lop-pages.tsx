/**
 * The List of Participants for the secretariat: choose the event (or the week), the edition and the language, then
 * download the PDF or the spreadsheet. A plain GET form; the files are made on request.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendExport } from '../../platform/export/index.js';
import { ENDONYMS, LOCALES } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { SelectField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage } from '../../platform/ui/page.js';
import { getEvents } from '../events/index.js';
import { listOfParticipantsPdf, listOfParticipantsTable } from './reports.lop-export.js';

const LcParams = z.object({ lc: z.string() });
export const LopQuery = z.object({
  event: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/)
      .optional(),
  ),
  edition: z.enum(['provisional', 'final']).default('provisional'),
  lang: z.enum(LOCALES).optional(),
  format: z.enum(['pdf', 'xlsx', 'csv']).default('pdf'),
});

export async function lopPages(app: FastifyInstance) {
  await app.register(async (scoped) => {
    await requireLocalePrefix(scoped);
    const r = scoped.withTypeProvider<ZodTypeProvider>();
    const config = { permission: 'reports.view' as const };

    r.get('/:lc/reports/list-of-participants', { config, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const events = await getEvents(req.ctx);
        return {
          title: v.t('reports.lop.title'),
          body: (
            <section>
              <h1>{v.t('reports.lop.title')}</h1>
              <p class="lead">{v.t('reports.lop.lead')}</p>
              <form
                method="get"
                action={localePath(v.locale, '/reports/list-of-participants/download')}
                class="filters"
              >
                <SelectField
                  name="event"
                  label={v.t('reports.filter.event')}
                  any={v.t('reports.lop.week_option')}
                  options={events.map((e) => [e.slug, text(e.shortName, v.locale)])}
                />
                <SelectField
                  name="edition"
                  label={v.t('reports.lop.edition')}
                  options={[
                    ['provisional', v.t('reports.lop.provisional')],
                    ['final', v.t('reports.lop.final')],
                  ]}
                />
                <SelectField
                  name="lang"
                  label={v.t('reports.lop.language')}
                  value={v.locale}
                  options={LOCALES.map((l) => [l, ENDONYMS[l]])}
                />
                <SelectField
                  name="format"
                  label={v.t('reports.lop.format')}
                  options={[
                    ['pdf', 'PDF'],
                    ['xlsx', 'XLSX'],
                    ['csv', 'CSV'],
                  ]}
                />
                <div class="field">
                  <button type="submit">{v.t('reports.lop.download')}</button>
                </div>
              </form>
            </section>
          ),
        };
      }),
    );

    r.get(
      '/:lc/reports/list-of-participants/download',
      { config, schema: { hide: true, params: LcParams, querystring: LopQuery } },
      async (req, reply) => {
        const { format, lang, ...q } = req.query;
        const input = { ...q, locale: lang ?? req.locale };
        const name = `list-of-participants-${q.event ?? 'week'}-${q.edition}-${input.locale}`;
        if (format !== 'pdf') return sendExport(reply, format, name, await listOfParticipantsTable(req.ctx, input));
        const pdf = await listOfParticipantsPdf(req.ctx, input);
        return reply
          .type('application/pdf')
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `attachment; filename="${name}.pdf"`)
          .send(pdf);
      },
    );
  });
}
