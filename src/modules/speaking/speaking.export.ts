/** The speakers' list of a session, exported in order: PDF (speaking.list-pdf.ts) and CSV/XLSX (the platform's export writer). */
import type { Ctx } from '../../platform/context.js';
import type { ExportTable } from '../../platform/export/index.js';
import { formatDay, formatTimeRange, genevaDate } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import { renderSpeakersList } from './speaking.list-pdf.js';
import { latinIfDifferent, latinListName, listName, titledName } from '../../platform/i18n/names.js';
import { getSpeakersList } from './speaking.service.js';

const minutes = (s: number) => Math.round((s / 60) * 10) / 10;

export async function speakersListPdf(ctx: Ctx, code: string): Promise<Buffer> {
  const l = await getSpeakersList(ctx, code);
  const t = (k: string, v?: Record<string, string | number>) => translate(ctx.locale, `speaking.${k}`, v);
  const title = text(l.session.title, ctx.locale);
  return renderSpeakersList({
    lang: ctx.locale,
    rtl: ctx.locale === 'ar',
    title: t('list.title', { session: title }),
    lines: [
      `${text(l.event?.name, ctx.locale)} · ${l.session.code}`,
      `${formatDay(ctx.locale, genevaDate(l.session.startsAt))}${translate(ctx.locale, 'list.separator')}${formatTimeRange(ctx.locale, l.session.startsAt, l.session.endsAt)} (${t('geneva_time')})`,
      `${t('list.time_limit')}: ${l.timeLimit} · ${t('list.timing', { total: minutes(l.timing.total), length: minutes(l.timing.length) })}`,
    ],
    warning: l.timing.overrun ? t('list.overrun', { over: minutes(l.timing.over) }) : undefined,
    headers: [
      '#',
      t('list.name'),
      t('list.name_latin'),
      t('list.title_col'),
      t('col.entity'),
      t('col.rank'),
      t('col.language'),
    ],
    widths: [4, 20, 17, 24, 15, 13, 7],
    rows: l.speakers.map((s) => [
      String(s.position),
      titledName(s.r, ctx.locale),
      latinIfDifferent(s.r),
      s.r.title,
      text(s.entity.name, ctx.locale),
      t(`rank.${s.r.rank}`),
      s.r.language.toUpperCase(),
    ]),
    footer: `WSIS Forum 2026 · ${l.session.code}`,
  });
}

/**
 * Column names are stable (for spreadsheets and scripts); values are as written, names in both scripts as lists write
 * them ("Family, Given"; "陈超" stays whole; a single name as it is).
 */
export async function speakersListTable(ctx: Ctx, code: string): Promise<ExportTable> {
  const l = await getSpeakersList(ctx, code);
  const rows = l.speakers.map((s) => ({
    position: s.position,
    honorific: s.r.honorific,
    name: listName(s.r),
    name_latin: latinListName(s.r),
    title: s.r.title,
    rank: s.r.rank,
    entity: text(s.entity.name, 'en'),
    entity_own_language: text(s.entity.name, ctx.locale),
    country: s.entity.kind === 'member_state' ? (s.entity.code ?? '') : '',
    kind: s.r.kind,
    language: s.r.language,
    minutes: minutes(l.timeLimit),
    moved_by_hand: s.r.manualPosition != null ? (s.r.moveReason ?? '') : '',
  }));
  const columns = [
    'position',
    'honorific',
    'name',
    'name_latin',
    'title',
    'rank',
    'entity',
    'entity_own_language',
    'country',
    'kind',
    'language',
    'minutes',
    'moved_by_hand',
  ];
  return { columns, rows, sheet: l.session.code };
}
