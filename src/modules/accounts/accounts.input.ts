/** What people type into account forms and API bodies; one schema for both. */
import { z } from 'zod';
import { LOCALES } from '../../platform/i18n/locales.js';

/** Printable text: no control characters (tabs and newlines only where a field allows several lines). */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(s), {
      message: 'control characters are not allowed',
    });

/** Bidirectional embedding, override and isolate controls: they let "gpj.exe" show as "exe.jpg". ZWJ/ZWNJ stay allowed. */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** A name or another identifying field: a line without bidirectional controls (`bidi_control`, translated). */
export const name = (max: number) =>
  line(max).refine((s) => !BIDI_CONTROLS.test(s), {
    message: 'bidirectional control characters are not allowed',
    params: { code: 'bidi_control' },
  });

/** A name in Latin letters (badges, lists): as strict on every form as on the profile. */
export const latinName = (max: number) => name(max).regex(/^[\p{Script=Latin}\s'’.-]*$/u, 'Latin letters only');

export const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const password = z.string().min(10).max(200);

export const SignUpInput = z.object({
  email,
  password,
  givenName: name(100).min(1),
  familyName: name(100).min(1),
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

export const HONORIFICS = ['', 'H.E.', 'Hon.', 'Dr', 'Prof.', 'Mr', 'Ms', 'Mx'] as const;

export const ProfileInput = z.object({
  givenName: name(100).min(1),
  familyName: name(100).min(1),
  givenNameLatin: latinName(100).default(''),
  familyNameLatin: latinName(100).default(''),
  honorific: z.enum(HONORIFICS).default(''),
  jobTitle: name(200).default(''),
  preferredLocale: z.enum(LOCALES),
  nationality: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
  ),
  function: name(100).default(''),
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
