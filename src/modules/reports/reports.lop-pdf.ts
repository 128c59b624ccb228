/**
 * The List of Participants as an A4 PDF through the platform's PDF kit (Noto fonts by script, bidi runs): a title
 * block with the edition and its date, then each delegation under its heading, one entry per person — honorific and
 * name, the name in Latin letters where it differs, title, organisation. Right to left in Arabic. Calls `progress`
 * every 200 entries so a worker can report how far it is; yields to the event loop between delegations.
 */
import { addPage, drawText, fitLines, MM, newDocument, PAGE_SIZES } from '../../platform/pdf/index.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { latinIfDifferent, titledName } from '../../platform/i18n/names.js';
import { translate } from '../../platform/i18n/messages.js';
import type { Lop } from './reports.lop.js';

export type LopPdfView = { lop: Lop; locale: Locale; title: string; subtitle: string; edition: string };

const [W, H] = PAGE_SIZES.A4;
const M = 18 * MM;
const BODY = W - 2 * M;

export async function renderListOfParticipants(
  v: LopPdfView,
  progress: (done: number, total: number) => void | Promise<void> = () => {},
): Promise<Buffer> {
  const rtl = v.locale === 'ar';
  const align = rtl ? ('right' as const) : ('left' as const);
  const dir = rtl ? ('rtl' as const) : ('ltr' as const);
  const doc = newDocument({ size: 'A4', lang: v.locale, info: { Title: v.title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((res) => doc.on('end', () => res()));
  let page = 1;
  let y = M;
  const footer = () =>
    drawText(doc, `${v.title} · ${v.edition} · ${page}`, {
      x: M,
      y: H - M / 1.5,
      width: BODY,
      size: 8,
      align: 'center',
      color: '#555555',
    });
  const need = (h: number) => {
    if (y + h <= H - M) return;
    footer();
    addPage(doc, 'A4');
    page++;
    y = M;
  };
  const line = (s: string, size: number, opts: { bold?: boolean; color?: string; indent?: number } = {}) => {
    for (const l of fitLines(s, BODY - (opts.indent ?? 0), { size, bold: opts.bold })) {
      need(size * 1.45);
      drawText(doc, l, {
        x: rtl ? M : M + (opts.indent ?? 0),
        y,
        width: BODY - (opts.indent ?? 0),
        size,
        bold: opts.bold,
        align,
        dir,
        color: opts.color ?? '#000000',
      });
      y += size * 1.45;
    }
  };
  line(v.title, 18, { bold: true });
  line(v.subtitle, 11);
  line(v.edition, 11, { color: '#7a1f1f', bold: true });
  y += 10;
  const t = (k: string) => translate(v.locale, `reports.lop.${k}`);
  let done = 0;
  for (const g of v.lop.groups) {
    need(60);
    y += 6;
    doc
      .moveTo(M, y)
      .lineTo(W - M, y)
      .lineWidth(0.6)
      .strokeColor('#1f4e79')
      .stroke();
    y += 4;
    line(g.heading || t('no_entity'), 13, { bold: true, color: '#1f4e79' });
    for (const e of g.entries) {
      need(40);
      const name = titledName(e, v.locale);
      const latin = latinIfDifferent(e);
      line(`${name}${latin ? ` (${latin})` : ''}${e.head ? ` — ${t('head')}` : ''}`, 10.5, { bold: e.head, indent: 8 });
      const detail = [e.jobTitle, g.kind === 'member_state' ? '' : g.organisation].filter(Boolean).join(', ');
      if (detail) line(detail, 9, { color: '#333333', indent: 8 });
      y += 2;
      if (++done % 200 === 0) await progress(done, v.lop.total);
    }
    await new Promise((r) => setImmediate(r));
  }
  if (!v.lop.groups.length) line(t('empty'), 11);
  footer();
  doc.end();
  await ended;
  await progress(v.lop.total, v.lop.total);
  return Buffer.concat(chunks);
}
