/** Inserts the seed's tracks, Action Lines and sessions that are not there yet; never overwrites later edits. */
import type { DbOrTx } from '../../db/client.js';
import type { SeedFile } from '../../platform/seed-file.js';
import { genevaInstant } from '../../platform/i18n/format.js';
import { fullName } from '../../platform/i18n/names.js';
import type { EventIds } from '../events/index.js';
import { actionLines, sessionActionLines, sessionSpeakers, sessions, tracks } from './programme.schema.js';
import { searchTextOf } from './programme.search.js';

export async function seedProgramme(tx: DbOrTx, seed: SeedFile, ids: EventIds, now: Date): Promise<number> {
  let inserted = 0;
  if (seed.tracks.length) {
    inserted += (
      await tx
        .insert(tracks)
        .values(seed.tracks.map((t, i) => ({ slug: t.slug, name: t.name, position: i })))
        .onConflictDoNothing()
        .returning()
    ).length;
  }
  if (seed.actionLines.length) {
    inserted += (
      await tx
        .insert(actionLines)
        .values(
          seed.actionLines.map((a) => ({
            code: a.code,
            name: a.name,
            facilitators: a.facilitators,
            position: Number(a.code.slice(1)),
          })),
        )
        .onConflictDoNothing()
        .returning()
    ).length;
  }
  const trackIds = new Map(
    (await tx.select({ id: tracks.id, slug: tracks.slug }).from(tracks)).map((t) => [t.slug, t.id]),
  );
  for (const s of seed.sessions) {
    const eventId = ids.events.get(s.event);
    if (!eventId) throw new Error(`seed: session ${s.code} names unknown event ${s.event}`);
    const [row] = await tx
      .insert(sessions)
      .values({
        code: s.code,
        eventId,
        trackId: s.track ? (trackIds.get(s.track) ?? null) : null,
        roomId: s.room ? (ids.rooms.get(s.room) ?? null) : null,
        startsAt: genevaInstant(s.date, s.start),
        endsAt: genevaInstant(s.date, s.end),
        title: s.title,
        description: s.description ?? {},
        format: s.format,
        searchText: searchTextOf(s.title, s.description, s.speakers),
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: sessions.id });
    if (!row) continue;
    inserted++;
    if (s.actionLines.length) {
      await tx
        .insert(sessionActionLines)
        .values(s.actionLines.map((code) => ({ sessionId: row.id, actionLine: code })));
    }
    if (s.speakers.length) {
      await tx.insert(sessionSpeakers).values(
        s.speakers.map((p, i) => ({
          sessionId: row.id,
          position: i,
          name: p.name,
          nameLatin: p.nameLatin ?? null,
          ...seedNameParts(s.code, p),
          role: p.role ?? {},
          organization: p.organization,
          country: p.country ?? null,
        })),
      );
    }
  }
  return inserted;
}

type SeedSpeaker = SeedFile['sessions'][number]['speakers'][number];

/** The parts of a seeded speaker's name, checked against the name as the seed writes it. */
export function seedNameParts(code: string, p: SeedSpeaker) {
  if (p.givenName === undefined && p.familyName === undefined) return {};
  const parts = {
    givenName: p.givenName ?? '',
    familyName: p.familyName ?? '',
    givenNameLatin: p.givenNameLatin ?? (p.nameLatin === p.name ? (p.givenName ?? '') : ''),
    familyNameLatin: p.familyNameLatin ?? (p.nameLatin === p.name ? (p.familyName ?? '') : ''),
  };
  const composed = fullName({ ...parts, nationality: p.country ?? null });
  if (composed !== p.name) throw new Error(`seed: session ${code}: the parts of ${p.name} compose ${composed}`);
  return parts;
}
