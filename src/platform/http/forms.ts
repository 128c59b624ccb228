/** Reading a posted form with the same Zod schema as the API, errors by field in the user's language. */
import type { z } from 'zod';
import type { Locale } from '../i18n/locales.js';
import { localizedIssues } from './errors.js';
import type { FieldErrors } from '../ui/forms.js';

export type Parsed<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown, locale: Locale): Parsed<z.infer<S>> {
  const res = schema.safeParse(body ?? {});
  const values = Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).filter(([k, v]) => k !== '_csrf' && typeof v === 'string'),
  ) as Record<string, string>;
  if (res.success) return { ok: true, data: res.data, values };
  const errors: FieldErrors = {};
  for (const e of localizedIssues(schema, body ?? {}, locale)) errors[e.field || '_'] ??= e.message;
  return { ok: false, errors, values };
}
