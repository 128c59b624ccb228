/** What the secretariat sends about letters (JSON API and forms share these). */
import { z } from 'zod';
import { LOCALES } from '../../platform/i18n/locales.js';
import { AUDIENCES } from './letters.schema.js';

/** No NUL or other C0 controls except tab and newlines (PostgreSQL refuses NUL in text). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const clean = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL.test(s), { message: 'control characters' });
const line = (max: number) => clean(max).transform((s) => s.trim());
const localized = (max: number) =>
  z.strictObject(
    Object.fromEntries(LOCALES.map((l) => [l, line(max).optional()])) as Record<
      (typeof LOCALES)[number],
      z.ZodOptional<ReturnType<typeof line>>
    >,
  );
const body = z.strictObject(
  Object.fromEntries(LOCALES.map((l) => [l, clean(50_000).optional()])) as Record<
    (typeof LOCALES)[number],
    z.ZodOptional<ReturnType<typeof clean>>
  >,
);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const fields = {
  /** `CL-26/17`; omitted: the next number of the letter's year. */
  reference: z.string().trim().max(20).optional(),
  date: isoDate,
  sender: localized(300),
  addressees: localized(500),
  audiences: z.array(z.enum(AUDIENCES)).max(AUDIENCES.length),
  subject: localized(500),
  body,
  originalLanguage: z.enum(LOCALES),
  signatoryName: line(200),
  signatoryTitle: localized(200),
  contactName: line(200),
  contactEmail: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  eventIds: z.array(z.number().int().positive()).max(50),
  speakingRequestDeadline: isoDate.nullable().optional(),
  registrationUrl: line(500).nullable().optional(),
};
export const LetterInput = z.strictObject({
  ...fields,
  audiences: fields.audiences.default([]),
  body: fields.body.default({}),
  eventIds: fields.eventIds.default([]),
});
export type LetterInput = z.input<typeof LetterInput>;
/** A change: absent fields are kept. */
export const LetterPatch = z.strictObject(fields).partial();
export type LetterPatch = z.input<typeof LetterPatch>;
