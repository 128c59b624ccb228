/**
 * The session editor's fields: one flat schema for the HTML form (works without JavaScript) and the JSON API.
 * Titles and descriptions per language (`title_en`, `desc_ar`…), speakers and moderators in numbered rows
 * (`sp0_given`…), a person with an account named by their e-mail address (`sp0_email`).
 */
import { z } from 'zod';
import { LOCALES } from '../../platform/i18n/locales.js';
import { HONORIFICS } from '../../platform/i18n/names.js';
import { actionLineCode, isoDate, slug } from './programme.input.js';

export const FORMATS = [
  'panel',
  'keynote',
  'workshop',
  'roundtable',
  'ceremony',
  'statement',
  'facilitation',
  'demo',
  'dialogue',
] as const;
export const SPEAKER_ROWS = 6;
/** The seventeen Sustainable Development Goals (names in the `sdg` catalogue). */
export const SDGS = Array.from({ length: 17 }, (_, i) => i + 1);

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blank, s.optional());
const many = <T extends z.ZodType>(s: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(s));
const flag = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());
const hhmm = z.string().refine((s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s), { params: { key: 'time' } });
const line = (max: number) => opt(z.string().trim().max(max));
const url = opt(
  z
    .string()
    .trim()
    .max(500)
    .url()
    .refine((u) => /^https:\/\//.test(u), { params: { key: 'https' } }),
);

const perLocale = (prefix: string, max: number) =>
  Object.fromEntries(LOCALES.map((l) => [`${prefix}_${l}`, line(max)]));

const speakerRow = (i: number) => ({
  [`sp${i}_kind`]: opt(z.enum(['speaker', 'moderator'])),
  [`sp${i}_email`]: opt(z.string().trim().toLowerCase().email().max(200)),
  [`sp${i}_given`]: line(100),
  [`sp${i}_family`]: line(100),
  [`sp${i}_given_latin`]: line(100),
  [`sp${i}_family_latin`]: line(100),
  [`sp${i}_honorific`]: opt(z.enum(HONORIFICS)),
  [`sp${i}_title`]: line(200),
  [`sp${i}_org`]: line(200),
  // Kept from the published session (orders a Latin-script Vietnamese or Hungarian name family first).
  [`sp${i}_country`]: opt(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/),
  ),
});

export const SessionForm = z
  .object({
    event: slug,
    track: opt(slug),
    room: opt(slug),
    day: isoDate,
    start: hhmm,
    end: hhmm,
    format: z.enum(FORMATS),
    lines: many(actionLineCode),
    sdgs: many(z.coerce.number().int().min(1).max(17)),
    capacity: opt(z.coerce.number().int().min(1).max(100000)),
    in_person_only: flag,
    invitation_only: flag,
    language: opt(z.enum(LOCALES)),
    interp: many(z.enum(LOCALES)),
    join_url: url,
    webcast_url: url,
    override_reason: line(500),
  })
  // Fields built in loops: read them with `field(form, name)`.
  .extend({
    ...perLocale('title', 300),
    ...perLocale('desc', 4000),
    ...Object.assign({}, ...Array.from({ length: SPEAKER_ROWS }, (_, i) => speakerRow(i))),
    // biome-ignore lint/complexity/noBannedTypes: the loop-built fields are read through `field()`
  } as {})
  .refine((v) => v.end > v.start, { path: ['end'], params: { key: 'end_after_start' } })
  .refine((v) => LOCALES.some((l) => (v as unknown as Record<string, unknown>)[`title_${l}`]), {
    path: ['title_en'],
    params: { key: 'title_one_language' },
  });
export type SessionForm = z.infer<typeof SessionForm>;

/** The value of a flat field (the schema's keys are built in loops, so TypeScript sees them as a record). */
export const field = (f: SessionForm, name: string): string | undefined =>
  (f as unknown as Record<string, string | undefined>)[name];
