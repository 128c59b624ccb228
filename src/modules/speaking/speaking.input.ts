/** What the API and the forms take: one Zod schema for both. */
import { z } from 'zod';
import { email, HONORIFICS, latinName, line, name, namePart } from '../accounts/index.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { KINDS, RANKS, STATES } from './speaking.rules.js';

const optionalDay = z.preprocess((v) => (v === '' ? undefined : v), z.iso.date().optional());
const optionalEmail = z.preprocess((v) => (v === '' ? undefined : v), email.optional());
const optionalId = z.preprocess((v) => (v === '' ? undefined : v), z.string().uuid().optional());

/** The speaker: an existing person of the entity (`speakerPersonId`), or typed in (a minister without an account). */
export const SpeakerInput = z.object({
  speakerPersonId: optionalId,
  // As strict as the profile: the honorific from the profile's list, names without direction controls or emoji.
  honorific: z.enum(HONORIFICS).default(''),
  givenName: namePart().default(''),
  familyName: namePart().default(''),
  givenNameLatin: latinName(100).default(''),
  familyNameLatin: latinName(100).default(''),
  title: name(200).default(''),
  rank: z.enum(RANKS),
  speakerEmail: optionalEmail,
  speakerLocale: z.enum(LOCALES).default('en'),
});

export const SubmitInput = SpeakerInput.extend({
  entityId: z.coerce.number().int().positive(),
  kind: z.enum(KINDS),
  preferredDay: optionalDay,
  language: z.enum(LOCALES),
  abstract: line(1500).default(''),
});
export type SubmitInput = z.infer<typeof SubmitInput>;

/** Changing a request before the deadline: any field but the entity and the kind. */
export const EditInput = SubmitInput.omit({ entityId: true, kind: true });
export type EditInput = z.infer<typeof EditInput>;

export const DecisionInput = z.object({
  decision: z.enum(['accept', 'decline', 'waitlist']),
  reason: name(500).optional(),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

export const AssignInput = z.object({ session: z.string().trim().min(1).max(40).nullable() });
export const MoveInput = z.object({ position: z.coerce.number().int().min(1).max(500), reason: name(500).min(3) });
export const TimeLimitInput = z.object({ seconds: z.coerce.number().int().min(30).max(3600) });
export const DeadlineInput = z.object({ deadline: z.iso.datetime({ offset: true }) });
export const LatePermitInput = z.object({ entityId: z.coerce.number().int().positive(), reason: line(500).min(3) });

export const QueueQuery = z.object({
  kind: z.preprocess((v) => (v === '' ? undefined : v), z.enum(KINDS).optional()),
  state: z.preprocess((v) => (v === '' ? undefined : v), z.enum(STATES).optional()),
  rank: z.preprocess((v) => (v === '' ? undefined : v), z.enum(RANKS).optional()),
  region: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['A', 'B', 'C', 'D', 'E']).optional()),
});
export type QueueQuery = z.infer<typeof QueueQuery>;
