/**
 * The 194 Member States of ITU, from `data/member-states.json` (ISO codes, ITU region, ITU-D region, UN regional
 * group), with their UN names in the six languages (platform/i18n/countries.ts). Idempotent: a Member State already
 * present (even edited, even merged) is left as it is, except that a name still holding the everyday CLDR name an
 * earlier version stored ("Russia", "South Korea") is replaced by the UN's ("Russian Federation", "Republic of Korea").
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.js';
import { ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from './entities.schema.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
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

/**
 * Inserts the Member States not yet present and gives the UN name to those still named as CLDR names them; returns
 * how many rows it added or corrected (0 on every start after the first).
 */
export async function seedMemberStates(
  tx: DbOrTx,
  now: Date,
  list: MemberStateRow[] = readMemberStates(),
): Promise<number> {
  const renamed = await correctMemberStateNames(tx, now);
  const present = new Set(await q.listMemberStateCodes(tx));
  const missing = list.filter((m) => !present.has(m.iso2));
  if (!missing.length) return renamed;
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
  return rows + renamed;
}

/** The names earlier versions stored: Intl's, asked with these tags. */
const OLD_TAGS: Record<Locale, string> = { ar: 'ar', zh: 'zh-Hans', en: 'en', fr: 'fr', ru: 'ru', es: 'es' };
const oldName = (l: Locale, code: string) => new Intl.DisplayNames([OLD_TAGS[l]], { type: 'region' }).of(code);

/** Replaces, language by language, a stored name equal to CLDR's everyday name by the UN name; edited names stay. */
async function correctMemberStateNames(tx: DbOrTx, now: Date): Promise<number> {
  let n = 0;
  for (const e of await q.listMemberStateNames(tx)) {
    if (!e.code) continue;
    const un = countryNames(e.code);
    const name = { ...e.name };
    for (const l of LOCALES) if (name[l] === oldName(l, e.code) && un[l] && un[l] !== name[l]) name[l] = un[l];
    if (LOCALES.some((l) => name[l] !== e.name[l])) {
      await q.setEntityName(tx, e.id, name, now);
      n++;
    }
  }
  return n;
}
