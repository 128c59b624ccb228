/**
 * The acknowledgement letter (A4 PDF) in the contributor's language, on the organiser's letterhead: reference, date,
 * addressee, the amount with the currency's own format in that language, and the purpose. Arabic is right to left
 * (src/platform/pdf shapes it and orders the runs by the bidi algorithm).
 */
import { entityName } from '../entities/index.js';
import { formatDay, genevaDate } from '../../platform/i18n/format.js';
import { direction, type Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { drawParagraph, drawText, MM, newDocument } from '../../platform/pdf/index.js';
import { formatMoney } from './funding.money.js';
import { DEFAULT_ORGANISER, organiserAddress, organiserName, type Organiser } from '../../platform/organiser.js';
import type { Acknowledgement, Pledge } from './funding.schema.js';

export type LetterInput = {
  ack: Pick<Acknowledgement, 'event' | 'reference' | 'amountMinor' | 'currency' | 'createdAt'>;
  pledge: Pick<Pledge, 'contactName' | 'purpose' | 'purposeDetail' | 'reference' | 'kind' | 'inKindDescription'>;
  entity: { name: Record<string, string | undefined>; code?: string | null };
  locale: Locale;
  /** The organiser whose letterhead it is (organiser.ts); the defaults when not given. */
  organiser?: Organiser;
};

/** The letter's text, in order (also the e-mail's parameters): one place for both. */
export function letterParams({ ack, pledge, entity, locale }: LetterInput) {
  const t = (k: string, v?: Record<string, string | number>) => translate(locale, `funding.${k}`, v);
  const purpose = t(`purpose.${pledge.purpose}`) + (pledge.purposeDetail ? ` (${pledge.purposeDetail})` : '');
  return {
    reference: ack.reference,
    pledgeReference: pledge.reference,
    entity: entityName(entity as { name: Record<Locale, string> }, locale),
    contact: pledge.contactName,
    amount: formatMoney(locale, ack.amountMinor, ack.currency),
    purpose,
    date: formatDay(locale, genevaDate(ack.createdAt)),
    event: ack.event,
  };
}

export function renderAcknowledgement(input: LetterInput): Promise<Buffer> {
  const { locale } = input;
  const p = letterParams(input);
  const t = (k: string) => translate(locale, `funding.letter.${k}`, p);
  const dir = direction(locale);
  const doc = newDocument({ size: 'A4', lang: locale, info: { Title: `${t('title')} ${p.reference}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const x = 22 * MM;
  const width = 166 * MM;
  const line = (text: string, y: number, o: { size?: number; bold?: boolean; color?: string } = {}) =>
    drawText(doc, text, {
      x,
      y,
      width,
      size: o.size ?? 11,
      bold: o.bold,
      color: o.color ?? '#111',
      align: 'start',
      dir,
    });
  // Letterhead: the organiser's logo on a white tile at the start side, its name, the fund and the address line.
  const org = input.organiser ?? DEFAULT_ORGANISER;
  doc.rect(0, 0, 210 * MM, 34 * MM).fill('#0b4f8a');
  let headX = x;
  let headW = width;
  if (org.logo) {
    const h = 20 * MM;
    const w = Math.min((org.logo.width * h) / org.logo.height, 50 * MM);
    const lx = dir === 'rtl' ? x + width - w : x;
    doc.roundedRect(lx - 1.5 * MM, 7 * MM - 1.5 * MM, w + 3 * MM, h + 3 * MM, 2).fill('#ffffff');
    doc.image(org.logo.png, lx, 7 * MM, { fit: [w, h], align: 'center', valign: 'center' });
    headW = width - w - 6 * MM;
    if (dir === 'ltr') headX = x + w + 6 * MM;
  }
  const head = { x: headX, width: headW, align: 'start' as const, dir };
  drawText(doc, organiserName(org, locale).text, { ...head, y: 10 * MM, size: 15, bold: true, color: '#fff' });
  drawText(doc, t('fund'), { ...head, y: 18 * MM, size: 11, color: '#fff' });
  drawText(doc, organiserAddress(org, locale), { ...head, y: 24.5 * MM, size: 9, color: '#dce9f5' });
  let y = 46 * MM;
  line(`${t('reference_label')} ${p.reference}`, y, { size: 10, color: '#333' });
  line(`${t('date_label')} ${p.date}`, (y += 6 * MM), { size: 10, color: '#333' });
  line(p.contact, (y += 14 * MM), { bold: true });
  line(p.entity, (y += 6 * MM));
  line(t('title'), (y += 16 * MM), { size: 14, bold: true, color: '#0b4f8a' });
  y += 12 * MM;
  for (const para of [t('salutation'), t(input.ack.event === 'paid' ? 'body_paid' : 'body_confirmed'), t('thanks')]) {
    y = drawParagraph(doc, para, { x, y, width, size: 11, align: 'start', dir, color: '#111' }) + 4 * MM;
  }
  y += 6 * MM;
  line(t('amount_label'), y, { size: 10, color: '#555' });
  line(p.amount, (y += 5.5 * MM), { size: 16, bold: true });
  y += 16 * MM;
  line(t('signature'), y, { bold: true });
  line(t('signature_title'), (y += 6 * MM), { size: 10, color: '#333' });
  doc.end();
  return done;
}
