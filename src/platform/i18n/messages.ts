/**
 * Message catalogues, one JSON file per language (src/locales/<lc>/*.json), in ICU MessageFormat
 * (plurals: Arabic has six forms), formatted with intl-messageformat.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { LOCALES, type Locale } from './locales.js';

export const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'locales');

type Catalogue = Map<string, string>;

function flatten(obj: Record<string, unknown>, prefix: string, out: Catalogue): Catalogue {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else if (v && typeof v === 'object') flatten(v as Record<string, unknown>, key, out);
  }
  return out;
}

export function loadCatalogue(locale: Locale): Catalogue {
  const dir = path.join(localesDir, locale);
  const out: Catalogue = new Map();
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const ns = file.replace(/\.json$/, '');
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    flatten(data, ns === 'common' ? '' : ns, out);
  }
  return out;
}

const catalogues = new Map<Locale, Catalogue>(LOCALES.map((l) => [l, loadCatalogue(l)]));
const compiled = new Map<string, IntlMessageFormat>();

export type Values = Record<string, string | number | Date>;

/** A Russian date ends with "г." ("8 июля 2026 г."): a sentence ending on it takes no second full stop. */
export const tidy = (locale: Locale, s: string): string => (locale === 'ru' ? s.replace(/ г\.\./g, ' г.') : s);

/** Translates `key` into `locale`; a key missing from the catalogue shows as the key itself (and is a test failure). */
export function translate(locale: Locale, key: string, values?: Values): string {
  const source = catalogues.get(locale)?.get(key);
  if (source === undefined) return key;
  const id = `${locale}\u0000${key}`;
  let fmt = compiled.get(id);
  if (!fmt) {
    fmt = new IntlMessageFormat(source, locale);
    compiled.set(id, fmt);
  }
  try {
    return tidy(locale, String(fmt.format(values)));
  } catch {
    // A missing argument must not turn a message into a server error: show the message with its placeholders.
    return source;
  }
}

export function hasMessage(locale: Locale, key: string): boolean {
  return catalogues.get(locale)?.has(key) ?? false;
}

export type T = (key: string, values?: Values) => string;

export function translator(locale: Locale): T {
  return (key, values) => translate(locale, key, values);
}
