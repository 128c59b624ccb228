/**
 * The 194 Member States of ITU, from `data/member-states.json` (ISO codes, ITU region, ITU-D region, UN regional
 * group), with their names in the six languages from Intl. Idempotent: a Member State already present (even edited,
 * even merged) is left as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.js';
import { ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from './entities.schema.js';
import { countryNames, isRegionCode } from './entities.names.js';
import * as q from './entities.queries.js';

export const memberStatesFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'member-states.json');

const MemberStateRow = z.object({
  iso2: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .refine(isRegionCode, 'unknown ISO 3166 code'),
  iso3: z.string().regex(/^[A-Z]{3}$/),
  ituRegion: z.enum(ITU_REGIONS),
  itudRegion: z.enum(ITUD_REGIONS),
  unGroup: z.enum(UN_GROUPS).nullable(),
  joinedItu: z.string().nullable().optional(),
});
export type MemberStateRow = z.infer<typeof MemberStateRow>;

let cached: MemberStateRow[] | undefined;

/** The list, checked: a broken data file stops the start with the entry at fault. */
export function readMemberStates(file = memberStatesFile): MemberStateRow[] {
  if (file === memberStatesFile && cached) return cached;
  const parsed = z.array(MemberStateRow).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `${file} is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const codes = parsed.data.map((m) => m.iso2);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup) throw new Error(`${file}: ${dup} appears twice`);
  if (file === memberStatesFile) cached = parsed.data;
  return parsed.data;
}

/** Inserts the Member States not yet present; returns how many it added (0 on every start after the first). */
export async function seedMemberStates(
  tx: DbOrTx,
  now: Date,
  list: MemberStateRow[] = readMemberStates(),
): Promise<number> {
  const present = new Set(await q.listMemberStateCodes(tx));
  const missing = list.filter((m) => !present.has(m.iso2));
  if (!missing.length) return 0;
  const rows = await q.insertEntitiesIgnoringConflicts(
    tx,
    missing.map((m) => ({
      kind: 'member_state' as const,
      code: m.iso2,
      country: m.iso2,
      name: countryNames(m.iso2),
      ituRegion: m.ituRegion,
      itudRegion: m.itudRegion,
      unGroup: m.unGroup,
      createdAt: now,
      updatedAt: now,
    })),
  );
  return rows;
}
