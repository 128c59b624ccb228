/**
 * The one error map: a Zod issue becomes a sentence for people, per field and per rule, in the reader's language.
 * Lookup: `validation.<field>.<rule>` (written for that field), then `validation.rule.<rule>` naming the field by its
 * label `validation.field.<field>`. Custom rules carry `params: { key }`; the key is the rule. Never Zod's own text.
 */
import type { z } from 'zod';
import type { Locale } from './locales.js';
import { hasMessage, translate } from './messages.js';

export type FieldError = { field: string; message: string };

type Issue = {
  code: string;
  path?: PropertyKey[];
  input?: unknown;
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
  params?: Record<string, unknown>;
};

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The rule an issue broke, and its numbers. */
export function ruleOf(iss: Issue): { rule: string; values: Record<string, number> } {
  const min = Number(iss.minimum ?? 0);
  const max = Number(iss.maximum ?? 0);
  switch (iss.code) {
    case 'invalid_type':
      if (blank(iss.input)) return { rule: iss.expected === 'array' ? 'choose' : 'required', values: {} };
      return { rule: iss.expected === 'number' || iss.expected === 'int' ? 'number' : 'invalid', values: {} };
    case 'too_small':
      if (iss.origin === 'array' || iss.origin === 'set') return { rule: 'choose', values: { min } };
      if (iss.origin === 'string') return { rule: blank(iss.input) ? 'required' : 'too_short', values: { min } };
      if (iss.origin === 'date') return { rule: 'date_early', values: {} };
      return { rule: 'number_small', values: { min } };
    case 'too_big':
      if (iss.origin === 'array' || iss.origin === 'set') return { rule: 'too_many', values: { max } };
      if (iss.origin === 'string') return { rule: 'too_long', values: { max } };
      if (iss.origin === 'date') return { rule: 'date_late', values: {} };
      return { rule: 'number_big', values: { max } };
    case 'invalid_format':
      if (iss.format === 'email') return { rule: 'email', values: {} };
      if (iss.format === 'date') return { rule: 'date', values: {} };
      if (iss.format === 'datetime') return { rule: 'datetime', values: {} };
      if (iss.format === 'uuid' || iss.format === 'guid') return { rule: 'choice', values: {} };
      return { rule: 'format', values: {} };
    case 'invalid_value':
    case 'invalid_union':
      return { rule: blank(iss.input) ? 'required' : 'choice', values: {} };
    case 'not_multiple_of':
      return { rule: 'number', values: {} };
    case 'custom': {
      // A refinement names its rule (`params: { key }`), or one of the platform's error codes (`params: { code }`).
      const key = iss.params?.key ?? iss.params?.code;
      return { rule: typeof key === 'string' ? key : 'invalid', values: {} };
    }
    default:
      return { rule: 'invalid', values: {} };
  }
}

/** The form field an issue is about: the last named step of its path (`events.0` → `events`). */
export function fieldOf(path: readonly PropertyKey[] | undefined): string {
  const named = (path ?? []).filter((p): p is string => typeof p === 'string');
  return named[named.length - 1] ?? '';
}

/** The sentence for one issue. */
export function humanMessage(locale: Locale, iss: Issue, fieldName = fieldOf(iss.path)): string {
  const { rule, values } = ruleOf(iss);
  const params = { ...values, ...((iss.params?.values as Record<string, number | string> | undefined) ?? {}) };
  if (fieldName && hasMessage(locale, `validation.${fieldName}.${rule}`))
    return translate(locale, `validation.${fieldName}.${rule}`, params);
  const field =
    fieldName && hasMessage(locale, `validation.field.${fieldName}`)
      ? translate(locale, `validation.field.${fieldName}`)
      : translate(locale, 'validation.field._');
  if (hasMessage(locale, `validation.rule.${rule}`))
    return translate(locale, `validation.rule.${rule}`, { ...params, field });
  if (hasMessage(locale, `errors.${rule}`)) return translate(locale, `errors.${rule}`, params);
  // A module's own rule (entities.validation.<key>), kept in that module's catalogue.
  for (const ns of ['entities']) {
    if (hasMessage(locale, `${ns}.validation.${rule}`)) return translate(locale, `${ns}.validation.${rule}`, params);
  }
  return translate(locale, 'validation.rule.invalid', { field });
}

/** A Zod error map in the reader's language. */
export function humanErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return (iss) => humanMessage(locale, iss as unknown as Issue);
}

/** Parses `data`; on failure, one message per issue, written for people. */
export function humanIssues(schema: z.ZodType, data: unknown, locale: Locale): FieldError[] {
  const res = schema.safeParse(data, { error: humanErrorMap(locale) });
  if (res.success) return [];
  return res.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
}
