/** What people type into account forms and API bodies; one schema for both. */
import { z } from 'zod';
import { LOCALES } from '../../platform/i18n/locales.js';
import { isCurrentCountryCode } from '../../platform/i18n/countries.js';
import { HONORIFICS, hasEmoji, NAME_ORDERS } from '../../platform/i18n/names.js';
import { GENDERS } from './accounts.schema.js';

export { HONORIFICS };

/** Printable text: no control characters (tabs and newlines only where a field allows several lines). */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(s), { params: { key: 'control_chars' } });

/** Latin letters (accents allowed), spaces, apostrophes, dots and hyphens: a name as printed in a passport. */
const LATIN = /^[\p{Script=Latin}\s'’.-]*$/u;

/** Bidirectional embedding, override and isolate controls: they let "gpj.exe" show as "exe.jpg". ZWJ/ZWNJ stay allowed. */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** A name or another identifying field: a line without bidirectional controls (`bidi_control`, translated). */
export const name = (max: number) =>
  line(max).refine((s) => !BIDI_CONTROLS.test(s), { params: { code: 'bidi_control' } });

/** A name in Latin letters (badges, lists): as strict on every form as on the profile. */
export const latinName = (max: number) =>
  name(max).refine((s) => /^[\p{Script=Latin}\s'’.-]*$/u.test(s), { params: { key: 'latin_only' } });

/**
 * A part of a person's name: printable, no bidirectional controls, no emoji (they print as boxes on badges and passports have none). The family
 * name may be empty: people with a single name write it as their given name.
 */
export const namePart = (max = 100) => name(max).refine((s) => !hasEmoji(s), { params: { key: 'emoji' } });

export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const password = z.string().min(10).max(200);

/** In the order of the form's fields: the error summary lists errors in this order. */
export const SignUpInput = z.object({
  givenName: namePart().pipe(z.string().min(1)),
  familyName: namePart().default(''),
  email,
  password,
  preferredLocale: z.enum(LOCALES),
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({ email, password: z.string().min(1).max(200) });
export const EmailOnly = z.object({ email });
export const TokenInput = z.object({
  token: z
    .string()
    .min(20)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
});
export const ResetInput = TokenInput.extend({ password });

export const ProfileInput = z.object({
  givenName: namePart().pipe(z.string().min(1)),
  familyName: namePart().default(''),
  nameOrder: z.enum(['', ...NAME_ORDERS]).default(''),
  givenNameLatin: line(100)
    .refine((s) => LATIN.test(s), { params: { key: 'latin_only' } })
    .default(''),
  familyNameLatin: line(100)
    .refine((s) => LATIN.test(s), { params: { key: 'latin_only' } })
    .default(''),
  honorific: z.enum(HONORIFICS).default(''),
  jobTitle: name(200).default(''),
  preferredLocale: z.enum(LOCALES),
  nationality: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[A-Z]{2}$/)
      .refine(isCurrentCountryCode, { params: { key: 'country_code' } })
      .optional(),
  ),
  function: name(100).default(''),
  /**
   * Optional; '' or `not_given` clears it (null). Absent (a form without the field, such as the secretariat's
   * correction) leaves it as it is.
   */
  gender: z.preprocess((v) => (v === '' || v === 'not_given' ? null : v), z.enum(GENDERS).nullable().optional()),
  entityId: z
    .preprocess((v) => (v === '' || v === undefined ? null : v), z.coerce.number().int().positive().nullable())
    .default(null),
});
export type ProfileInput = z.infer<typeof ProfileInput>;

export const TokenCreateInput = z.object({
  name: line(80).min(1),
  days: z.coerce.number().int().min(1).max(365).default(90),
});

export const RoleInput = z.object({
  role: z.enum(['admin', 'staff', 'participant']),
  capabilities: z
    .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()))
    .default([]),
});
