/** The List of Participants as a PDF (edition and date on it) and as a table for the export writer (CSV/XLSX). */
import type { Ctx } from '../../platform/context.js';
import type { ExportTable } from '../../platform/export/index.js';
import { formatDay, genevaDate } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { fullName, honorificLabel, latinName } from '../../platform/i18n/names.js';
import { getEvent } from '../events/index.js';
import { getListOfParticipants } from './reports.lop.js';
import { renderListOfParticipants } from './reports.lop-pdf.js';

export type LopInput = { event?: string; edition: 'provisional' | 'final'; locale: Locale };

async function heading(ctx: Ctx, input: LopInput) {
  const t = (k: string, v?: Record<string, string>) => translate(input.locale, `reports.lop.${k}`, v);
  const subtitle = input.event ? text((await getEvent(ctx, input.event)).event.name, input.locale) : t('week');
  const date = formatDay(input.locale, genevaDate(ctx.now));
  return { title: t('title'), subtitle, edition: t(`edition_${input.edition}`, { date }) };
}

export async function listOfParticipantsPdf(
  ctx: Ctx,
  input: LopInput,
  progress?: (done: number, total: number) => void | Promise<void>,
): Promise<Buffer> {
  const lop = await getListOfParticipants(ctx, input, input.locale);
  return renderListOfParticipants({ lop, locale: input.locale, ...(await heading(ctx, input)) }, progress);
}

export async function listOfParticipantsTable(ctx: Ctx, input: LopInput): Promise<ExportTable> {
  const lop = await getListOfParticipants(ctx, input, input.locale);
  const h = await heading(ctx, input);
  const rows = lop.groups.flatMap((g) =>
    g.entries.map((e) => ({
      edition: h.edition,
      delegation: g.heading,
      delegation_kind: g.kind ?? '',
      country_code: g.kind === 'member_state' ? (g.code ?? '') : '',
      head_of_delegation: e.head,
      honorific: honorificLabel(e.honorific, input.locale),
      name: fullName(e),
      name_latin: latinName(e),
      title: e.jobTitle,
      organisation: g.organisation,
    })),
  );
  return {
    columns: [
      'edition',
      'delegation',
      'delegation_kind',
      'country_code',
      'head_of_delegation',
      'honorific',
      'name',
      'name_latin',
      'title',
      'organisation',
    ],
    rows,
    sheet: h.title,
  };
}
