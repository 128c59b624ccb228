/**
 * The programme's part of merging a duplicate person (accounts' `personMerge` slot): speaker and moderator places
 * (published and in drafts), the personal agenda, its feed address and the reminders sent move to the person kept.
 * A session on both agendas, or a reminder sent to both, is one record; where both have a feed address the kept
 * person's stays and the duplicate's stops working.
 */
import { speakerProfiles } from './programme.speakers.schema.js';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import { translate } from '../../platform/i18n/messages.js';
import type { MergePair, PersonMerge } from '../accounts/index.js';
import { agendaFeeds, agendaItems, sessionDrafts, sessionReminders, sessionSpeakers } from './programme.schema.js';

async function bothOnAgenda(db: DbOrTx, { from, into }: MergePair) {
  return db.$count(
    agendaItems,
    and(
      eq(agendaItems.personId, from),
      sql`exists (select 1 from agenda_items a where a.person_id = ${into} and a.session_id = ${agendaItems.sessionId})`,
    ),
  );
}

async function bothFeeds(db: DbOrTx, { from, into }: MergePair) {
  return (await db.$count(agendaFeeds, sql`${agendaFeeds.personId} in (${from}, ${into})`)) === 2;
}

export const programmeMerge: PersonMerge = {
  columns: [
    'session_speakers.person_id',
    'agenda_items.person_id',
    'agenda_feeds.person_id',
    'session_reminders.person_id',
    'speaker_profiles.person_id',
  ],
  async holdings(db, personId) {
    return {
      speaker_places: await db.$count(sessionSpeakers, eq(sessionSpeakers.personId, personId)),
      agenda_items: await db.$count(agendaItems, eq(agendaItems.personId, personId)),
    };
  },
  async conflicts(db, pair, locale) {
    const out = [];
    const both = await bothOnAgenda(db, pair);
    if (both) out.push({ key: 'agenda_once', text: translate(locale, 'merge.conflict.agenda', { count: both }) });
    if (await bothFeeds(db, pair)) out.push({ key: 'feed_dropped', text: translate(locale, 'merge.conflict.feed') });
    return out;
  },
  async merge(tx, pair) {
    const { from, into } = pair;
    const moved = await tx
      .update(sessionSpeakers)
      .set({ personId: into })
      .where(eq(sessionSpeakers.personId, from))
      .returning({ sessionId: sessionSpeakers.sessionId });
    // Drafts hold their speakers in JSON: the duplicate's places there name the person kept.
    const drafts = await tx
      .select({ id: sessionDrafts.id, data: sessionDrafts.data })
      .from(sessionDrafts)
      .where(sql`${sessionDrafts.data}->'speakers' @> ${JSON.stringify([{ personId: from }])}::jsonb`);
    for (const d of drafts)
      await tx
        .update(sessionDrafts)
        .set({
          data: {
            ...d.data,
            speakers: d.data.speakers.map((s) => (s.personId === from ? { ...s, personId: into } : s)),
          },
        })
        .where(eq(sessionDrafts.id, d.id));
    await tx
      .delete(agendaItems)
      .where(
        and(
          eq(agendaItems.personId, from),
          sql`exists (select 1 from agenda_items a where a.person_id = ${into} and a.session_id = ${agendaItems.sessionId})`,
        ),
      );
    await tx.update(agendaItems).set({ personId: into }).where(eq(agendaItems.personId, from));
    if (await bothFeeds(tx, pair)) await tx.delete(agendaFeeds).where(eq(agendaFeeds.personId, from));
    else await tx.update(agendaFeeds).set({ personId: into }).where(eq(agendaFeeds.personId, from));
    await tx
      .delete(sessionReminders)
      .where(
        and(
          eq(sessionReminders.personId, from),
          sql`exists (select 1 from session_reminders r where r.person_id = ${into} and r.session_id = ${sessionReminders.sessionId})`,
        ),
      );
    await tx.update(sessionReminders).set({ personId: into }).where(eq(sessionReminders.personId, from));
    // The speaker profile: the duplicate's becomes the kept person's when they have none; else the kept one takes the
    // duplicate's biography in the languages it lacks and its photo if it has none, and the duplicate's stays, detached.
    const [kept] = await tx
      .select({ id: speakerProfiles.id })
      .from(speakerProfiles)
      .where(eq(speakerProfiles.personId, into));
    if (!kept)
      await tx
        .update(speakerProfiles)
        .set({ personId: into, speakerKey: `id:${into}` })
        .where(eq(speakerProfiles.personId, from));
    else {
      await tx.execute(sql`
        update speaker_profiles k
        set bio = d.bio || k.bio, bio_lang = coalesce(k.bio_lang, d.bio_lang),
            photo = coalesce(k.photo, d.photo), photo_sha256 = coalesce(k.photo_sha256, d.photo_sha256),
            photo_width = coalesce(k.photo_width, d.photo_width), photo_height = coalesce(k.photo_height, d.photo_height)
        from speaker_profiles d where k.person_id = ${into} and d.person_id = ${from}`);
      await tx.update(speakerProfiles).set({ personId: null }).where(eq(speakerProfiles.personId, from));
    }
    // Published speakers' names are composed from their account: the public pages change.
    if (moved.length) await bumpContentVersion(tx);
  },
};
