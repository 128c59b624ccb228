/** The programme's filters: one schema for the HTML page's GET form and for the JSON API. */
import { z } from 'zod';
import { LOCALES } from '../../platform/i18n/locales.js';

/** An HTML form sends "" for "any": treat it as absent. */
const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const isoDate = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)), { params: { key: 'date' } });
export const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  .max(80);
export const actionLineCode = z.enum(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11']);

/** A day of the week (YYYY-MM-DD), or `all` for the whole week. */
export const WHOLE_WEEK = 'all';
export const ProgrammeQuery = z.object({
  day: opt(z.union([isoDate, z.literal(WHOLE_WEEK)])),
  event: opt(slug),
  track: opt(slug),
  line: opt(actionLineCode),
  sdg: opt(z.coerce.number().int().min(1).max(17)),
  room: opt(slug),
  q: opt(z.string().trim().max(100)),
  lang: opt(z.enum(LOCALES)),
});
export type ProgrammeQuery = z.infer<typeof ProgrammeQuery>;

/** The sessions API: the programme's filters, and pages of `limit` sessions after `cursor` (or `all=true`). */
export const EventSessionsQuery = ProgrammeQuery.omit({ event: true }).extend({
  limit: opt(z.coerce.number().int().min(1).max(500)).describe('sessions per page, 1–500 (100 when not given)'),
  cursor: opt(z.string().regex(/^[A-Za-z0-9_-]{1,200}$/)).describe('the nextCursor of the previous page'),
  all: opt(z.enum(['true', 'false'])).describe('true: every matching session in one answer, without paging'),
});
export type EventSessionsQuery = z.infer<typeof EventSessionsQuery>;
export const SESSIONS_PAGE = 100;

export const RescheduleInput = z
  .object({
    code: z.string().min(1),
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    room: slug.nullable().optional(),
  })
  .refine((v) => v.endsAt > v.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export type RescheduleInput = z.infer<typeof RescheduleInput>;

/** The API body: ISO 8601 instants with their offset (e.g. 2026-07-08T09:00:00+02:00). */
export const RescheduleBody = z
  .object({
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    room: slug.nullable().optional(),
  })
  .refine((v) => Date.parse(v.endsAt) > Date.parse(v.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });
