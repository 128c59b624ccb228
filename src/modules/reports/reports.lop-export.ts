/** The List of Participants as a PDF (edition and date on it) and as a table for the export writer (CSV/XLSX). */
import type { Ctx } from '../../platform/context.js';
import type { ExportTable } from '../../platform/export/index.js';
import { formatDay, genevaDate } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { fullName, honorificLabel, latinName } from '../../platform/i18n/names.js';
import { getEvent } from '../events/index.js';
import { getListOfParticipants, type Lop } from './reports.lop.js';
import { renderListOfParticipants } from './reports.lop-pdf.js';

export type LopInput = { event?: string; edition: 'provisional' | 'final'; locale: Locale };

export type LopHeading = { title: string; subtitle: string; edition: string };

/** The title block: the list's title, the event (or the week), the edition with its date (Geneva, as of `ctx.now`). */
export async function lopHeading(ctx: Ctx, input: LopInput): Promise<LopHeading> {
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
  return renderListOfParticipants({ lop, locale: input.locale, ...(await lopHeading(ctx, input)) }, progress);
}

export async function listOfParticipantsTable(ctx: Ctx, input: LopInput): Promise<ExportTable> {
  const lop = await getListOfParticipants(ctx, input, input.locale);
  return lopTable(lop, await lopHeading(ctx, input), input.locale);
}

/** A list already made, as a table for the export writer: one row per person, in the list's order. */
export function lopTable(lop: Lop, h: LopHeading, locale: Locale): ExportTable {
  const rows = lop.groups.flatMap((g) =>
    g.entries.map((e) => ({
      edition: h.edition,
      delegation: g.heading,
      delegation_kind: g.kind ?? '',
      country_code: g.kind === 'member_state' ? (g.code ?? '') : '',
      head_of_delegation: e.head,
      honorific: honorificLabel(e.honorific, locale),
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
