/** The shape of the seed data file (see SEED-FORMAT.md), validated before anything is written. */
import { z } from 'zod';

const L = z
  .object({ en: z.string().min(1), fr: z.string(), es: z.string(), ar: z.string(), zh: z.string(), ru: z.string() })
  .partial()
  .required({ en: true });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

export const SeedFile = z.object({
  version: z.number().int(),
  letter: z.object({
    reference: z.string(),
    date: isoDate,
    from: L,
    to: L,
    subject: L,
    signatory: z.object({ name: z.string(), title: L }),
    contact: z.object({ name: z.string(), email: z.string().email() }),
    speakingRequestDeadline: isoDate.optional(),
    registrationUrl: z.string().url().optional(),
  }),
  venue: z.object({
    slug,
    name: L,
    city: L,
    country: z.string().length(2),
    timeZone: z.string(),
    address: z.string().default(''),
  }),
  rooms: z.array(z.object({ slug, name: L, capacity: z.number().int().positive().optional(), floor: L.optional() })),
  tracks: z.array(z.object({ slug, name: L })),
  actionLines: z.array(
    z.object({ code: z.string().regex(/^C([1-9]|1[01])$/), name: L, facilitators: z.string().default('') }),
  ),
  events: z.array(
    z.object({
      slug,
      parent: slug.nullable().default(null),
      kind: z.enum(['forum', 'summit', 'dialogue', 'track', 'ceremony', 'roundtable']),
      name: L,
      shortName: L,
      description: L.optional(),
      organizers: L.optional(),
      startDate: isoDate,
      endDate: isoDate,
    }),
  ),
  sessions: z.array(
    z.object({
      code: z.string().min(1),
      event: slug,
      track: slug.optional(),
      room: slug.optional(),
      date: isoDate,
      start: hhmm,
      end: hhmm,
      title: L,
      description: L.optional(),
      format: z.string().default('panel'),
      actionLines: z.array(z.string()).default([]),
      speakers: z
        .array(
          z.object({
            name: z.string().min(1),
            /** The name's parts (the composer must give back `name`); without them the whole name is kept. */
            givenName: z.string().optional(),
            familyName: z.string().optional(),
            nameLatin: z.string().optional(),
            givenNameLatin: z.string().optional(),
            familyNameLatin: z.string().optional(),
            role: L.partial().optional(),
            organization: z.string().default(''),
            country: z.string().length(2).optional(),
          }),
        )
        .default([]),
    }),
  ),
});
export type SeedFile = z.infer<typeof SeedFile>;
