import { z } from 'zod';
import { email, HONORIFICS, latinName, line, name, namePart } from '../accounts/index.js';
import { slug } from '../programme/index.js';

export const VIP_CATEGORIES = ['VVIP', 'UN', 'MIN', 'DMIN', 'REG', 'AMB'] as const;

export const SubmitInput = z.object({
  events: z.array(slug).min(1).max(6),
  mode: z.enum(['in_person', 'remote']),
  stakeholderType: line(60).default(''),
  function: line(100).default(''),
  vipCategory: z.enum(VIP_CATEGORIES).optional(),
  /** Named in the official List of Participants (false: the person objects). */
  listed: z.boolean().optional().describe('Named in the List of Participants; default true'),
});
export type SubmitInput = z.infer<typeof SubmitInput>;

/** Changing a request while it is awaiting a decision: how the person attends, and in which capacity. */
export const EditInput = z.object({
  mode: z.enum(['in_person', 'remote']).optional(),
  stakeholderType: line(60).optional(),
  function: line(100).optional(),
  vipCategory: z.enum(VIP_CATEGORIES).nullable().optional(),
});
export type EditInput = z.infer<typeof EditInput>;

/** A DFP registers a VIP of their entity: the person (found by e-mail, or created) and the events. */
export const VipInput = SubmitInput.extend({
  entityId: z.coerce.number().int().positive(),
  email,
  honorific: z.enum(HONORIFICS).default(''),
  givenName: namePart().pipe(z.string().min(1)),
  familyName: namePart().default(''),
  givenNameLatin: latinName(100).default(''),
  familyNameLatin: latinName(100).default(''),
  jobTitle: name(200).default(''),
  preferredLocale: z.enum(['ar', 'zh', 'en', 'fr', 'ru', 'es']).default('en'),
});
export type VipInput = z.infer<typeof VipInput>;

const isoDate = z.iso.date();
/**
 * ICAO Doc 9303: the passport's name as printed in Latin letters (the visual zone, diacritics allowed; the MRZ
 * transliterates it); a visa letter is written in English or French and its fonts, like the Swiss authorities, read
 * Latin letters. Arabic, Chinese or other scripts, digits and emoji are refused with `latin_letters_only`.
 */
const LATIN_NAME = /^[\p{Script=Latin}\p{M}\s'’.,-]+$/u;
const LATIN_PLACE = /^[\p{Script=Latin}\p{M}\p{Nd}\s'’.,()/&-]+$/u;
export const VisaInput = z.object({
  passportName: line(200)
    .min(2)
    .refine((s) => LATIN_NAME.test(s), { params: { code: 'latin_letters_only' } }),
  passportNumber: line(30)
    .min(4)
    .regex(/^[A-Za-z0-9<-]+$/),
  passportExpiry: isoDate.optional(),
  nationality: z.string().regex(/^[A-Z]{2}$/),
  dateOfBirth: isoDate,
  visaPlace: line(200)
    .min(2)
    .refine((s) => LATIN_PLACE.test(s), { params: { code: 'latin_letters_only' } }),
  letterLocale: z.enum(['en', 'fr']).default('en'),
});
export type VisaInput = z.infer<typeof VisaInput>;

/** The trip a visa letter covers, as Geneva calendar days: today, the first event's first day, the last one's last. */
export type VisaTripDays = { today: string; firstDay: string; lastDay: string };
/** The oldest plausible participant, in years on the trip's first day. */
export const VISA_MAX_AGE_YEARS = 120;
/** The Schengen rule: the passport stays valid at least three months after the day one leaves. */
export const PASSPORT_MONTHS_AFTER_TRIP = 3;

/** `iso` moved by whole months (or years × 12), clamped to the month's last day: 2026-11-30 + 3 → 2027-02-28. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * The request's dates, checked against the trip: a date of birth neither in the future nor more than 120 years before
 * the trip; a passport not expired, and valid at least three months after the trip's last day. Each refusal names its
 * rule (`validation.rule.<key>`, the one error map) and the date it turns on, written by `day` in the reader's language.
 */
export function plausibleVisa(trip: VisaTripDays, day: (iso: string) => string) {
  return VisaInput.superRefine((v, ctx) => {
    if (v.dateOfBirth > trip.today)
      ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], params: { key: 'date_of_birth_future' } });
    else if (v.dateOfBirth < addMonths(trip.firstDay, -12 * VISA_MAX_AGE_YEARS))
      ctx.addIssue({
        code: 'custom',
        path: ['dateOfBirth'],
        params: { key: 'date_of_birth_implausible', values: { years: VISA_MAX_AGE_YEARS } },
      });
    if (!v.passportExpiry) return;
    const needed = addMonths(trip.lastDay, PASSPORT_MONTHS_AFTER_TRIP);
    if (v.passportExpiry < trip.today)
      ctx.addIssue({ code: 'custom', path: ['passportExpiry'], params: { key: 'passport_expired' } });
    else if (v.passportExpiry < needed)
      ctx.addIssue({
        code: 'custom',
        path: ['passportExpiry'],
        params: {
          key: 'passport_expires_too_soon',
          values: { date: day(needed), last: day(trip.lastDay), months: PASSPORT_MONTHS_AFTER_TRIP },
        },
      });
  });
}

export const BulkDecisionInput = z.object({
  ids: z.array(z.string().uuid()).min(1).max(500),
  decision: z.enum(['approve', 'reject']),
  reason: line(500).optional(),
});
export type BulkDecisionInput = z.infer<typeof BulkDecisionInput>;

export const DecisionInput = z.object({
  decision: z.enum(['approve', 'reject']),
  reason: line(500).optional(),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

export const SettingsInput = z.object({
  opensAt: z.iso.datetime({ offset: true }).nullable().optional(),
  closesAt: z.iso.datetime({ offset: true }).nullable().optional(),
  capacity: z.number().int().min(0).nullable().optional(),
  secretariatCategories: z.array(z.enum(VIP_CATEGORIES)).optional(),
  eligibleFunctions: z.array(line(100).min(1)).max(20).optional(),
  invitationOnly: z.boolean().optional(),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

/**
 * The secretariat registers someone on their behalf: an existing person (`personId`), or a new one (e-mail and names,
 * optionally their organisation), and the events.
 */
export const OnBehalfInput = SubmitInput.extend({
  personId: z.string().uuid().optional(),
  email: email.optional(),
  honorific: z.enum(HONORIFICS).default(''),
  givenName: namePart().default(''),
  familyName: namePart().default(''),
  givenNameLatin: latinName(100).default(''),
  familyNameLatin: latinName(100).default(''),
  jobTitle: name(200).default(''),
  preferredLocale: z.enum(['ar', 'zh', 'en', 'fr', 'ru', 'es']).default('en'),
  entityId: z.preprocess((v) => (v === '' || v == null ? undefined : v), z.coerce.number().int().positive().optional()),
}).superRefine((v, c) => {
  if (v.personId) return;
  if (!v.email) c.addIssue({ code: 'custom', path: ['email'], params: { key: 'required' } });
  if (!v.givenName) c.addIssue({ code: 'custom', path: ['givenName'], params: { key: 'required' } });
});
export type OnBehalfInput = z.infer<typeof OnBehalfInput>;
