/** Shapes shared by every JSON route: localized text, ISO instants with Geneva's offset, problems. */
import { z } from 'zod';
import { LOCALES } from '../i18n/locales.js';
import { genevaParts } from '../i18n/format.js';

export const LocalizedText = z
  .object(
    Object.fromEntries(LOCALES.map((l) => [l, z.string().optional()])) as Record<
      (typeof LOCALES)[number],
      z.ZodOptional<z.ZodString>
    >,
  )
  .describe('The text in each language it exists in');

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .describe('RFC 9457 problem details; `code` is stable, `title` is in the request language');

export const LangQuery = z.object({
  lang: z.enum(LOCALES).optional().describe('Language of the `name`/`title` fields; default from Accept-Language'),
});

/** `2026-07-08T09:00:00+02:00`: ISO 8601 in Geneva time with its offset. */
export function isoInGeneva(at: Date): string {
  const p = genevaParts(at);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const off = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60000);
  const sign = off >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
  const mm = String(Math.abs(off) % 60).padStart(2, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`;
}
