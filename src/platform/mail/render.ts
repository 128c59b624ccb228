/**
 * Renders a mail template (`mail.<template>.subject` / `.body` in the catalogues) in one language: a plain-text body,
 * and an HTML alternative built from the same ICU message, where the catalogue's own text and every parameter are
 * escaped and the `link` parameter becomes an anchor. Unlike `translate`, a missing template or parameter throws:
 * a message with `{link}` left in it is of no use to anyone.
 */
import { IntlMessageFormat, PART_TYPE } from 'intl-messageformat';
import { direction, isLocale, type Locale } from '../i18n/locales.js';
import { loadCatalogue, tidy, translate } from '../i18n/messages.js';
import { lastOrganiser, organiserAddress, organiserName, type Organiser } from '../organiser.js';

export type MailParams = Record<string, string | number>;
/** A file sent with a message; with a `cid` it is an inline image, shown at the foot of the HTML part. */
/**
 * A file sent with a message: its bytes (base64), or a QR code to draw when the message is sent (`qr`: the text it
 * holds; a PNG drawn by the worker, so the deciding request spends no time drawing it).
 */
export type MailAttachment = {
  filename: string;
  contentType: string;
  cid?: string;
  alt?: string;
} & ({ contentBase64: string; qr?: undefined } | { qr: string; contentBase64?: undefined });
export type MailMessage = {
  to: string;
  locale: Locale;
  template: string;
  params: MailParams;
  attachments?: MailAttachment[];
  /** The event the message is about: its own logo heads the message instead of the organiser's. */
  eventId?: number;
  /**
   * The SMTP envelope sender (Return-Path) when it is not the From address: a per-message bounce address
   * (`bounces+<id>@…`), so that a delivery-status notification names the message it is about.
   */
  envelopeFrom?: string;
};
export type Rendered = { locale: Locale; subject: string; text: string; html: string };

export class MailTemplateError extends Error {}

const catalogues = new Map<Locale, Map<string, string>>();
const compiled = new Map<string, IntlMessageFormat>();

function format(locale: Locale, key: string): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let fmt = compiled.get(id);
  if (!fmt) {
    let cat = catalogues.get(locale);
    if (!cat) catalogues.set(locale, (cat = loadCatalogue(locale)));
    const source = cat.get(key);
    if (source === undefined) throw new MailTemplateError(`no message ${key} in the ${locale} catalogue`);
    fmt = new IntlMessageFormat(source, locale);
    compiled.set(id, fmt);
  }
  return fmt;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A string parameter handed to the formatter as an object, so that it comes back as a part of its own (and is escaped
 * on its own) instead of being merged into the catalogue's text. `select` still matches it through `toString`.
 */
class Param {
  constructor(
    readonly name: string,
    readonly value: string,
  ) {}
  toString() {
    return this.value;
  }
}

const isWebLink = (s: string) => /^https?:\/\/\S+$/i.test(s);

/** Blank lines separate paragraphs; a parameter left empty leaves no run of empty lines behind. */
const paragraphs = (s: string) =>
  s
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** The content id of the organiser's logo, attached inline by mail.ts when the organiser has one. */
export const ORGANISER_LOGO_CID = 'organiser-logo@convene';

/**
 * Renders a message. Every message is signed with the organiser's name and address line (organiser.ts), in the
 * message's language; the HTML part opens with the organiser's logo when `withLogo` (mail.ts attaches it).
 */
export function renderMail(
  msg: Pick<MailMessage, 'locale' | 'template' | 'params'>,
  organiser: Organiser = lastOrganiser(),
  withLogo = false,
): Rendered {
  const locale: Locale = isLocale(msg.locale) ? msg.locale : 'en';
  const params = { ...msg.params };
  // Messages queued before greetings existed carry only the name: greet it without an honorific.
  if (params.greeting === undefined && typeof params.name === 'string')
    params.greeting = translate(locale, 'names.greeting.none', { name: params.name });
  const subject = tidy(locale, String(format(locale, `mail.${msg.template}.subject`).format(params)))
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
  const body = format(locale, `mail.${msg.template}.body`);
  const orgName = organiserName(organiser, locale);
  const signature = [orgName.text, organiserAddress(organiser, locale)].filter(Boolean);
  const text = `${[...paragraphs(tidy(locale, String(body.format(params)))), signature.join('\n')].join('\n\n')}\n`;

  const wrapped = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? new Param(k, v) : v]),
  );
  const htmlParts = body
    .formatToParts<Param>(wrapped)
    .map((part) => {
      if (part.type === PART_TYPE.literal) return escapeHtml(part.value);
      const p = part.value;
      if (p instanceof Param && p.name === 'link' && isWebLink(p.value))
        return `<a href="${escapeHtml(p.value)}">${escapeHtml(p.value)}</a>`;
      // Names and other written values are isolated, so an Arabic message never scrambles a Latin name (and back).
      if (p instanceof Param && p.name !== 'greeting' && p.name !== 'link' && p.value)
        return `<bdi>${escapeHtml(p.value)}</bdi>`;
      return escapeHtml(String(p));
    })
    .join('');
  const htmlBody = tidy(locale, htmlParts);
  const html =
    `<!doctype html>\n<html lang="${locale}" dir="${direction(locale)}">\n<head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>\n` +
    `<body style="font-family:sans-serif;line-height:1.5;max-width:40em">\n` +
    (withLogo && organiser.logo
      ? `<p><img src="cid:${ORGANISER_LOGO_CID}" alt="${escapeHtml(orgName.text)}" width="${Math.round((organiser.logo.width * 48) / organiser.logo.height)}" height="48"></p>\n`
      : '') +
    paragraphs(htmlBody)
      .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
      .join('\n') +
    `\n<hr>\n<p class="organiser" style="color:#555;font-size:0.9em"${orgName.lang && orgName.lang !== locale ? ` lang="${orgName.lang}"` : ''}>` +
    signature.map(escapeHtml).join('<br>\n') +
    `</p>\n</body>\n</html>\n`;
  return { locale, subject, text, html };
}
