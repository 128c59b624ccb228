/** Loads the summit seed idempotently, in one transaction, at start-up: each listed module's part, in list order. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.js';
import { audit } from '../platform/audit.js';
import { bumpContentVersion } from '../platform/content-version.js';
import { modules } from '../modules/index.js';
import type { SeedRun } from '../platform/module.js';
import { SeedFile } from '../platform/seed-file.js';

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
    const run: SeedRun = { seed, now, eventIds: new Map(), roomIds: new Map() };
    let inserted = 0;
    for (const m of modules) if (m.seed) inserted += await m.seed(tx, run);
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
