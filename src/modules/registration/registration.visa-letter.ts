/**
 * Visa-support letter: a pure renderer (no database, no HTTP) from an already-resolved view to a one-page A4 PDF.
 *
 * All fixed wording lives here in English and French. Country names, functions and event names/dates come in the
 * view already in the letter's language. Latin script only (Noto Sans): passport names are in the Latin form printed
 * in the passport (machine-readable zone / ICAO transliteration), which is what a consulate compares.
 *
 * Layout: pdfkit's own text layout with explicit positions. The letter is measured first and the type size reduced
 * step by step until it fits one page; as a last resort, table values are capped to a number of lines (with an
 * ellipsis). Every text call carries a height, so pdfkit never adds a page by itself; a second page is a bug and throws.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

export type VisaLetterView = {
  reference: string; // e.g. 'WSIS26/VISA/000123'
  issuedOn: Date; // shown as a date in Geneva time
  locale: 'en' | 'fr';
  passportName: string; // name exactly as in the passport (Latin), e.g. 'NGUYỄN Thị Ngọc Ánh'
  nationality: string; // country name already in the letter's language
  dateOfBirth: string; // 'YYYY-MM-DD'
  passportNumber: string;
  passportExpiry?: string; // 'YYYY-MM-DD'
  visaPlace: string; // Swiss representation where the visa is requested, e.g. 'Embassy of Switzerland, Nairobi'
  entityName?: string; // administration / organization
  function?: string; // already translated
  events: { name: string; dates: string }[]; // already in the letter's language
  venue: string; // 'Palexpo, Geneva, Switzerland'
  signatory: { name: string; title: string };
  verifyUrl?: string; // if set, a small QR code at the foot with this URL
};

// ---------------------------------------------------------------------------------------------------------------
// Wording

type Wording = {
  pdfLang: string;
  intlLocale: string;
  orgLine: string;
  addressLine: string;
  refLabel: string;
  dateLine: (date: string) => string;
  addresseeLine: string;
  subjectLabel: string;
  subject: string;
  salutation: string;
  intro: (venue: string, plural: boolean) => string;
  rows: {
    passportName: string;
    nationality: string;
    dateOfBirth: string;
    passportNumber: string;
    passportExpiry: string;
    entityName: string;
    function: string;
    events: (plural: boolean) => string;
    venue: string;
  };
  noFinancialCommitment: string;
  request: (plural: boolean) => string;
  closing: string;
  footerRef: string;
  page: (n: number, of: number) => string;
  verify: string;
  title: (reference: string) => string;
  eventLine: (name: string, dates: string) => string;
};

const NBSP = '\u00a0'; // French: a no-break space before the colon

const WORDING: Record<VisaLetterView['locale'], Wording> = {
  en: {
    pdfLang: 'en-GB',
    intlLocale: 'en-GB',
    orgLine: 'International Telecommunication Union — WSIS Forum 2026 Secretariat',
    addressLine: 'Place des Nations, 1211 Geneva 20, Switzerland',
    refLabel: 'Our ref.:',
    dateLine: (d) => `Geneva, ${d}`,
    addresseeLine: 'To the Embassy/Consulate of Switzerland',
    subjectLabel: 'Subject:',
    subject: 'Visa support letter',
    salutation: 'Dear Sir or Madam,',
    intro: (venue, plural) =>
      'The International Telecommunication Union (ITU), the specialized agency of the United Nations for information ' +
      'and communication technologies, has the honour to confirm that the person whose particulars are given below ' +
      `is registered to attend the following ${plural ? 'events' : 'event'}, to be held at ${venue} on the dates indicated:`,
    rows: {
      passportName: 'Name (as in passport)',
      nationality: 'Nationality',
      dateOfBirth: 'Date of birth',
      passportNumber: 'Passport number',
      passportExpiry: 'Passport expiry date',
      entityName: 'Administration / organization',
      function: 'Function',
      events: (plural) => (plural ? 'Events and dates' : 'Event and dates'),
      venue: 'Venue',
    },
    noFinancialCommitment:
      'This letter does not commit the Union to any financial responsibility for the travel, accommodation, ' +
      'subsistence or any other expenses of the above-named person.',
    request: (plural) =>
      'The Union kindly requests the competent authorities to facilitate the issuance of the appropriate visa, so as ' +
      `to enable the above-named person to attend ${plural ? 'these events' : 'this event'}.`,
    closing: 'Yours faithfully,',
    footerRef: 'Ref.',
    page: (n, of) => `Page ${n} of ${of}`,
    verify: 'The authenticity of this letter can be verified at:',
    title: (ref) => `Visa support letter ${ref}`,
    eventLine: (name, dates) => `${name}: ${dates}`,
  },
  fr: {
    pdfLang: 'fr-CH',
    intlLocale: 'fr-CH',
    orgLine: 'Union internationale des télécommunications — Secrétariat du Forum du SMSI 2026',
    addressLine: 'Place des Nations, 1211 Genève 20, Suisse',
    refLabel: `Notre réf.${NBSP}:`,
    dateLine: (d) => `Genève, le ${d}`,
    addresseeLine: 'À l’Ambassade/au Consulat de Suisse',
    subjectLabel: `Objet${NBSP}:`,
    subject: 'Lettre d’appui à une demande de visa',
    salutation: 'Madame, Monsieur,',
    intro: (venue, plural) =>
      'L’Union internationale des télécommunications (UIT), institution spécialisée des Nations Unies pour les ' +
      'technologies de l’information et de la communication, a l’honneur de confirmer que la personne dont les ' +
      `données figurent ci-dessous est inscrite pour participer ${plural ? 'aux manifestations suivantes, qui se tiendront' : 'à la manifestation suivante, qui se tiendra'} ` +
      `à ${venue} aux dates indiquées${NBSP}:`,
    rows: {
      passportName: 'Nom (tel qu’il figure dans le passeport)',
      nationality: 'Nationalité',
      dateOfBirth: 'Date de naissance',
      passportNumber: 'Numéro de passeport',
      passportExpiry: 'Date d’expiration du passeport',
      entityName: 'Administration / organisation',
      function: 'Fonction',
      events: (plural) => (plural ? 'Manifestations et dates' : 'Manifestation et dates'),
      venue: 'Lieu',
    },
    noFinancialCommitment:
      'La présente lettre n’engage l’Union à aucune responsabilité financière au titre des frais de voyage, ' +
      'd’hébergement, de subsistance ou de toute autre dépense de la personne susmentionnée.',
    request: (plural) =>
      'L’Union saurait gré aux autorités compétentes de bien vouloir faciliter la délivrance du visa approprié, afin ' +
      `de permettre à la personne susmentionnée de participer à ${plural ? 'ces manifestations' : 'cette manifestation'}.`,
    closing: 'Veuillez agréer, Madame, Monsieur, l’assurance de notre haute considération.',
    footerRef: 'Réf.',
    page: (n, of) => `Page ${n} sur ${of}`,
    verify: `L’authenticité de la présente lettre peut être vérifiée à l’adresse suivante${NBSP}:`,
    title: (ref) => `Lettre d’appui à une demande de visa ${ref}`,
    eventLine: (name, dates) => `${name}${NBSP}: ${dates}`,
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Dates

/** The issue date as a calendar date in Geneva (Europe/Zurich), e.g. '21 April 2026' / '21 avril 2026'. */
export function formatGenevaDate(d: Date, locale: VisaLetterView['locale']): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('visa letter: issuedOn is not a valid date');
  return formatParts(d, locale, 'Europe/Zurich');
}

/** A 'YYYY-MM-DD' calendar date (no time zone involved), e.g. '1er mars 1985'. */
export function formatCalendarDate(iso: string, locale: VisaLetterView['locale'], field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
    throw new RangeError(`visa letter: ${field} must be a date as YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  }
  return formatParts(d, locale, 'UTC');
}

function formatParts(d: Date, locale: VisaLetterView['locale'], timeZone: string): string {
  const fmt = new Intl.DateTimeFormat(WORDING[locale].intlLocale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  });
  // French writes the first day of a month as an ordinal: « le 1er juillet ».
  return fmt
    .formatToParts(d)
    .map((p) => (p.type === 'day' && locale === 'fr' && p.value === '1' ? '1er' : p.value))
    .join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Fonts

const FONT_REGULAR = 'NotoSans-Regular';
const FONT_BOLD = 'NotoSans-Bold';
let fontCache: { regular: Buffer; bold: Buffer } | undefined;

function fonts(): { regular: Buffer; bold: Buffer } {
  if (!fontCache) {
    const require = createRequire(import.meta.url);
    const base = '@expo-google-fonts/noto-sans';
    fontCache = {
      regular: fs.readFileSync(require.resolve(`${base}/400Regular/NotoSans_400Regular.ttf`)),
      bold: fs.readFileSync(require.resolve(`${base}/700Bold/NotoSans_700Bold.ttf`)),
    };
  }
  return fontCache;
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

const A4: [number, number] = [595.28, 841.89];
const MARGIN_X = 64;
const MARGIN_TOP = 48;
const CONTENT_W = A4[0] - 2 * MARGIN_X;
const COLOR = {
  text: '#1a1a1a',
  muted: '#5b6470',
  brand: '#00558c', // ITU blue (dark)
  accent: '#009cd6', // ITU blue (light)
  rule: '#c3cad3',
  labelBg: '#f1f4f8',
};
const QR_SIZE = 56;
const FOOTER_RULE_Y = A4[1] - 46;

type Doc = InstanceType<typeof PDFDocument>;

type Row = { label: string; value: string };

type Model = {
  w: Wording;
  date: string;
  ref: string;
  visaPlace: string;
  subjectText: string;
  intro: string;
  rows: Row[];
  paragraphs: string[];
  closing: string;
  signatory: { name: string; title: string };
  verifyUrl?: string;
};

/** Type size, and (last resort) the most lines each table value may take, by row; beyond it, an ellipsis. */
type Style = { size: number; cellLines?: number[] };

const labelWidth = (): number => Math.round(CONTENT_W * 0.34);
/** Width of the text in a table value cell at type size `s` (the cell less its side padding). */
const valueWidth = (s: number): number => CONTENT_W - labelWidth() - 2 * s * 0.6;

/** Text height (pdfkit's measure) with the font and size set first. */
function measure(doc: Doc, font: string, size: number, text: string, width: number, lineGap: number): number {
  doc.font(font).fontSize(size);
  return doc.heightOfString(text, { width, lineGap, features: FEATURES });
}

/**
 * OpenType features for every text call (measure and draw alike). Noto Sans's `ccmp` splits some precomposed letters
 * (Vietnamese ị, ọ…) into base + mark glyphs; fontkit then gives the base glyph the whole letter's code point and the
 * mark none, and pdfkit's ToUnicode keeps one mapping per glyph, so 'Thị' came out of pdftotext as 'Thi' (or every
 * plain 'i' as 'ị', whichever came first). Without `ccmp`, NFC text maps to the font's precomposed glyphs (Latin has
 * them all), which also keeps the designed capital accents. The other defaults (kern, liga, mark…) stay on. pdfkit
 * passes this object straight to fontkit, whose `{ tag: false }` form turns a default feature off.
 */
const FEATURES = { ccmp: false } as unknown as PDFKit.Mixins.OpenTypeFeatures[];

/**
 * Lays out (and, when `draw`, draws) the letter body from the top; returns the y below the last line.
 * One function for both passes, so the measure and the drawing cannot drift apart.
 */
function layout(doc: Doc, m: Model, st: Style, draw: boolean): number {
  const s = st.size;
  const lineGap = s * 0.28;
  const gap = s * 1.15; // space between blocks
  let y = MARGIN_TOP;

  const text = (
    str: string,
    o: {
      font?: string;
      size?: number;
      color?: string;
      x?: number;
      width?: number;
      align?: 'left' | 'right' | 'justify';
      lineGap?: number;
      maxLines?: number;
    },
  ): number => {
    const font = o.font ?? FONT_REGULAR;
    const size = o.size ?? s;
    const width = o.width ?? CONTENT_W;
    const lg = o.lineGap ?? lineGap;
    let h = measure(doc, font, size, str, width, lg);
    if (o.maxLines !== undefined) h = Math.min(h, o.maxLines * measure(doc, font, size, 'Hg', width, lg));
    if (draw) {
      doc
        .font(font)
        .fontSize(size)
        .fillColor(o.color ?? COLOR.text);
      doc.text(str, o.x ?? MARGIN_X, y, {
        width,
        align: o.align ?? 'left',
        lineGap: lg,
        features: FEATURES,
        height: h + 1,
        ellipsis: o.maxLines !== undefined ? '…' : undefined,
      });
    }
    return h;
  };

  // Letterhead: an accent bar, the organization in bold blue, the postal address, a rule.
  if (draw) doc.rect(MARGIN_X, y, 4, s * 3.2).fill(COLOR.accent);
  const headX = MARGIN_X + 12;
  const headW = CONTENT_W - 12;
  const startY = y;
  y += text(m.w.orgLine, { font: FONT_BOLD, size: s * 1.2, color: COLOR.brand, x: headX, width: headW, lineGap: 1 });
  y += 2;
  y += text(m.w.addressLine, { size: s * 0.88, color: COLOR.muted, x: headX, width: headW, lineGap: 1 });
  y = Math.max(y, startY + s * 3.2) + s * 0.8;
  if (draw)
    doc
      .moveTo(MARGIN_X, y)
      .lineTo(MARGIN_X + CONTENT_W, y)
      .lineWidth(0.6)
      .strokeColor(COLOR.rule)
      .stroke();
  y += gap * 1.6;

  // Reference (left) and place/date (right) on one line; each wraps within its half if it must.
  const half = CONTENT_W / 2 - 6;
  const refText = `${m.w.refLabel} ${m.ref}`;
  const yRef = y;
  const hRef = text(refText, { width: half });
  const hDate = text(m.date, { x: MARGIN_X + CONTENT_W - half, width: half, align: 'right' });
  y = yRef + Math.max(hRef, hDate) + gap * 1.4;

  // Addressee.
  y += text(m.w.addresseeLine, { font: FONT_BOLD });
  y += text(m.visaPlace, { maxLines: 4 });
  y += gap * 1.4;

  // Subject.
  const label = `${m.w.subjectLabel} `;
  y += text(`${label}${m.subjectText}`, { font: FONT_BOLD, maxLines: 4 });
  y += gap;

  // Salutation and introduction.
  y += text(m.w.salutation, {});
  y += gap * 0.7;
  y += text(m.intro, {});
  y += gap * 0.8;

  // Particulars: a two-column table (label | value) with hairline borders.
  const labelW = labelWidth();
  const padX = s * 0.6;
  const padY = s * 0.42;
  const cellLineH = measure(doc, FONT_REGULAR, s, 'Hg', 1000, lineGap);
  const labelSize = s * 0.9;
  const heights = m.rows.map((r, i) => {
    const hl = measure(doc, FONT_BOLD, labelSize, r.label, labelW - 2 * padX, lineGap);
    let hv = measure(doc, FONT_REGULAR, s, r.value, valueWidth(s), lineGap);
    if (st.cellLines) hv = Math.min(hv, st.cellLines[i] * cellLineH);
    return Math.max(hl, hv) + 2 * padY;
  });
  const tableTop = y;
  const tableH = heights.reduce((a, h) => a + h, 0);
  if (draw) {
    // Shading first, then the text, then every rule on top (so no fill hides a rule).
    doc.rect(MARGIN_X, tableTop, labelW, tableH).fill(COLOR.labelBg);
    let yRow = tableTop;
    m.rows.forEach((r, i) => {
      y = yRow + padY + (s - labelSize) * 1.07; // same baseline as the value's first line (Noto Sans ascender 1.069 em)
      text(r.label, {
        font: FONT_BOLD,
        size: labelSize,
        color: COLOR.muted,
        x: MARGIN_X + padX,
        width: labelW - 2 * padX,
      });
      y = yRow + padY;
      text(r.value, { x: MARGIN_X + labelW + padX, width: valueWidth(s), maxLines: st.cellLines?.[i] });
      yRow += heights[i];
    });
    doc.lineWidth(0.5).strokeColor(COLOR.rule);
    yRow = tableTop;
    for (const h of heights.slice(0, -1)) {
      yRow += h;
      doc.moveTo(MARGIN_X, yRow).lineTo(MARGIN_X + CONTENT_W, yRow);
    }
    doc.moveTo(MARGIN_X + labelW, tableTop).lineTo(MARGIN_X + labelW, tableTop + tableH);
    doc.rect(MARGIN_X, tableTop, CONTENT_W, tableH);
    doc.stroke();
  }
  y = tableTop + tableH;
  y += gap * 1.1;

  for (const p of m.paragraphs) {
    y += text(p, {});
    y += gap * 0.7;
  }
  y += gap * 0.3;

  // Closing and signature block (space left for a signature or stamp).
  y += text(m.closing, {});
  y += s * 3.6;
  const sigW = Math.min(CONTENT_W, 340);
  y += text(m.signatory.name, { font: FONT_BOLD, width: sigW, maxLines: 2 });
  y += text(m.signatory.title, { size: s * 0.92, color: COLOR.muted, width: sigW, maxLines: 4 });
  return y;
}

/** The footer: optional QR with its caption above a rule, then the reference and the page. Returns its top y. */
function footer(doc: Doc, m: Model, draw: boolean): number {
  const size = 7.5;
  let top = FOOTER_RULE_Y;
  if (m.verifyUrl) {
    const qrY = FOOTER_RULE_Y - 8 - QR_SIZE;
    top = qrY;
    if (draw) {
      drawQr(doc, m.verifyUrl, MARGIN_X + CONTENT_W - QR_SIZE, qrY, QR_SIZE);
      const capW = CONTENT_W - QR_SIZE - 14;
      const capH =
        measure(doc, FONT_REGULAR, size, m.w.verify, capW, 1) + measure(doc, FONT_REGULAR, size, m.verifyUrl, capW, 1);
      let cy = qrY + QR_SIZE - capH;
      doc.font(FONT_REGULAR).fontSize(size).fillColor(COLOR.muted);
      doc.text(m.w.verify, MARGIN_X, cy, {
        width: capW,
        align: 'right',
        lineGap: 1,
        features: FEATURES,
        height: capH + 1,
      });
      cy += measure(doc, FONT_REGULAR, size, m.w.verify, capW, 1);
      doc.font(FONT_REGULAR).fontSize(size).fillColor(COLOR.brand);
      doc.text(m.verifyUrl, MARGIN_X, cy, {
        width: capW,
        align: 'right',
        lineGap: 1,
        features: FEATURES,
        height: capH + 1,
      });
    }
  }
  if (draw) {
    doc
      .moveTo(MARGIN_X, FOOTER_RULE_Y)
      .lineTo(MARGIN_X + CONTENT_W, FOOTER_RULE_Y)
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .stroke();
    const fy = FOOTER_RULE_Y + 7;
    const half = CONTENT_W / 2;
    doc.font(FONT_REGULAR).fontSize(size).fillColor(COLOR.muted);
    doc.text(`${m.w.footerRef} ${m.ref}`, MARGIN_X, fy, {
      width: half + 40,
      lineGap: 1,
      features: FEATURES,
      height: 24,
    });
    doc.text(m.w.page(1, 1), MARGIN_X + half, fy, {
      width: half,
      align: 'right',
      lineGap: 1,
      features: FEATURES,
      height: 12,
    });
  }
  return top;
}

function drawQr(doc: Doc, url: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 0; // the page is white around it already
  const cell = size / (n + 2 * quiet);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell + 0.01, cell + 0.01);
    }
  }
  doc.fillColor('#000000').fill();
}

function buildModel(v: VisaLetterView): Model {
  const w = WORDING[v.locale];
  if (!w) throw new RangeError(`visa letter: unsupported locale ${JSON.stringify(v.locale)}`);
  if (!v.events.length) throw new RangeError('visa letter: at least one event is required');
  const clean = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();
  const plural = v.events.length > 1;
  const eventNames = v.events.map((e) => clean(e.name));
  const list = new Intl.ListFormat(w.intlLocale, { type: 'conjunction' }).format(eventNames);
  const rows: Row[] = [
    { label: w.rows.passportName, value: clean(v.passportName) },
    { label: w.rows.nationality, value: clean(v.nationality) },
    { label: w.rows.dateOfBirth, value: formatCalendarDate(v.dateOfBirth, v.locale, 'dateOfBirth') },
    { label: w.rows.passportNumber, value: clean(v.passportNumber) },
  ];
  if (v.passportExpiry)
    rows.push({
      label: w.rows.passportExpiry,
      value: formatCalendarDate(v.passportExpiry, v.locale, 'passportExpiry'),
    });
  if (v.entityName?.trim()) rows.push({ label: w.rows.entityName, value: clean(v.entityName) });
  if (v.function?.trim()) rows.push({ label: w.rows.function, value: clean(v.function) });
  rows.push({
    label: w.rows.events(plural),
    value: v.events.map((e) => w.eventLine(clean(e.name), clean(e.dates))).join('\n'),
  });
  rows.push({ label: w.rows.venue, value: clean(v.venue) });
  return {
    w,
    date: w.dateLine(formatGenevaDate(v.issuedOn, v.locale)),
    ref: clean(v.reference),
    visaPlace: clean(v.visaPlace),
    subjectText: `${w.subject} — ${list}`,
    intro: w.intro(clean(v.venue), plural),
    rows,
    paragraphs: [w.noFinancialCommitment, w.request(plural)],
    closing: w.closing,
    signatory: { name: clean(v.signatory.name), title: clean(v.signatory.title) },
    verifyUrl: v.verifyUrl?.trim() || undefined,
  };
}

/** Type sizes tried in turn; then, at the smallest, table values capped to fewer and fewer lines. */
const SIZES = [10, 9.5, 9, 8.5, 8];

export async function renderVisaLetter(v: VisaLetterView): Promise<Buffer> {
  const m = buildModel(v);
  const f = fonts();
  const doc = new PDFDocument({
    size: A4,
    margins: { top: 0, bottom: 0, left: 0, right: 0 }, // all positions are explicit
    bufferPages: true,
    lang: m.w.pdfLang,
    displayTitle: true,
    info: {
      Title: m.w.title(m.ref),
      Author: 'International Telecommunication Union',
      Subject: m.subjectText,
      Creator: 'Convene',
      CreationDate: v.issuedOn,
      ModDate: v.issuedOn,
    },
  });
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont(FONT_REGULAR, f.regular);
  doc.registerFont(FONT_BOLD, f.bold);

  const limit = footer(doc, m, false) - 14;
  let style: Style | undefined = SIZES.map((size) => ({ size })).find((st) => layout(doc, m, st, false) <= limit);
  if (!style) {
    // Still too long at the smallest size: take one line at a time from the longest table value until it fits.
    const size = SIZES[SIZES.length - 1];
    const lineH = measure(doc, FONT_REGULAR, size, 'Hg', 1000, size * 0.28);
    const cellLines = m.rows.map((r) =>
      Math.max(1, Math.round(measure(doc, FONT_REGULAR, size, r.value, valueWidth(size), size * 0.28) / lineH)),
    );
    style = { size, cellLines };
    while (layout(doc, m, style, false) > limit && Math.max(...cellLines) > 1) {
      const i = cellLines.indexOf(Math.max(...cellLines));
      cellLines[i] -= 1;
    }
  }
  layout(doc, m, style, true);
  footer(doc, m, true);

  const pages = doc.bufferedPageRange().count;
  if (pages !== 1) throw new Error(`visa letter: layout produced ${pages} pages instead of 1`);
  doc.end();
  return done;
}
