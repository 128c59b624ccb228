import type { DbOrTx } from '../../db/client.js';
import type { SeedFile } from '../../platform/seed-file.js';
import { letters } from './letters.schema.js';

export async function seedLetters(tx: DbOrTx, seed: SeedFile): Promise<number> {
  const l = seed.letter;
  const rows = await tx
    .insert(letters)
    .values({
      reference: l.reference,
      sentOn: l.date,
      sender: l.from,
      addressees: l.to,
      subject: l.subject,
      signatoryName: l.signatory.name,
      signatoryTitle: l.signatory.title,
      contactName: l.contact.name,
      contactEmail: l.contact.email,
      speakingRequestDeadline: l.speakingRequestDeadline ?? null,
      registrationUrl: l.registrationUrl ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return rows.length;
}
