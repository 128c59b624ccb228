import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { SeedFile } from '../../platform/seed-file.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { events } from '../events/events.schema.js';
import { parseReference } from './letters.rules.js';
import { letters, type Audience } from './letters.schema.js';

type LetterData = {
  reference: string;
  originalLanguage: 'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es';
  audiences: Audience[];
  events: string[];
  body: Localized;
};

const dataFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'cl-26-17.json');

/** CL-26/17 as sent: its Arabic original and the five other versions (`data/cl-26-17.json`), linked to its events. */
export async function seedLetters(tx: DbOrTx, seed: SeedFile): Promise<number> {
  const l = seed.letter;
  const data = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as LetterData;
  const body = data.reference === l.reference ? data.body : {};
  const evs = data.events.length
    ? await tx.select({ id: events.id, slug: events.slug }).from(events).where(inArray(events.slug, data.events))
    : [];
  const { year, number, reference } = parseReference(l.reference);
  const sentAt = new Date(`${l.date}T09:00:00+01:00`);
  const rows = await tx
    .insert(letters)
    .values({
      reference,
      year,
      number,
      state: 'sent',
      sentOn: l.date,
      sender: l.from,
      addressees: l.to,
      audiences: data.audiences,
      subject: l.subject,
      body,
      originalLanguage: data.originalLanguage,
      signatoryName: l.signatory.name,
      signatoryTitle: l.signatory.title,
      contactName: l.contact.name,
      contactEmail: l.contact.email,
      speakingRequestDeadline: l.speakingRequestDeadline ?? null,
      registrationUrl: l.registrationUrl ?? null,
      eventIds: data.events.map((s) => evs.find((e) => e.slug === s)?.id).filter((id): id is number => id != null),
      createdAt: sentAt,
      updatedAt: sentAt,
      approvedAt: sentAt,
      approvedBy: 'seed',
      sentAt,
      sentBy: 'seed',
    })
    .onConflictDoNothing()
    .returning();
  return rows.length;
}
