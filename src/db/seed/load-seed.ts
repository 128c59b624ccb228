/** Loads the summit seed idempotently, in one transaction, at start-up. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import { seedEvents } from '../../modules/events/index.js';
import { seedProgramme } from '../../modules/programme/index.js';
import { seedLetters } from '../../modules/letters/index.js';
import { seedMemberStates } from '../../modules/entities/index.js';
import { seedRegistrationRules } from '../../modules/registration/registration.seed.js';
import { seedSpeaking } from '../../modules/speaking/speaking.seed.js';
import { SeedFile } from './seed.schema.js';

export const defaultSeedFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'summit-2026.json');

export function readSeed(file = defaultSeedFile): SeedFile {
  const parsed = SeedFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `Seed ${file} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

/** Inserts what is missing; returns how many rows it added (0 on every start after the first). */
export async function loadSeed(db: Db, now: Date, seed: SeedFile = readSeed()): Promise<number> {
  return db.transaction(async (tx) => {
    const ev = await seedEvents(tx, seed);
    const prog = await seedProgramme(tx, seed, ev.ids, now);
    const lt = await seedLetters(tx, seed);
    const ms = await seedMemberStates(tx, now);
    const rr = await seedRegistrationRules(tx, ev.ids.events, now);
    const sp = await seedSpeaking(tx, ev.ids.events, now);
    const inserted = ev.inserted + prog + lt + ms + rr + sp;
    if (inserted > 0) {
      await bumpContentVersion(tx);
      await audit(
        tx,
        { db: tx, actor: { kind: 'system', name: 'seed' }, locale: 'en', now },
        {
          action: 'events.seeded',
          subjectType: 'seed',
          subjectId: seed.version,
          data: { inserted },
        },
      );
    }
    return inserted;
  });
}
