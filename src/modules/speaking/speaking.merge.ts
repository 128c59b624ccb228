/**
 * Speaking's part of merging a duplicate person (accounts' `personMerge` slot): the requests naming the duplicate as
 * speaker now name the person kept (one live request per entity, kind and event: a person-wide rule none breaks), and
 * the record of reminders sent follows, so no reminder goes twice.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { PersonMerge } from '../accounts/index.js';
import { speakingReminders, speakingRequests } from './speaking.schema.js';

export const speakingMerge: PersonMerge = {
  columns: ['speaking_requests.speaker_person_id'],
  async holdings(db, personId) {
    return { speaking_requests: await db.$count(speakingRequests, eq(speakingRequests.speakerPersonId, personId)) };
  },
  async merge(tx, { from, into, now }) {
    await tx
      .update(speakingRequests)
      .set({ speakerPersonId: into, updatedAt: now })
      .where(eq(speakingRequests.speakerPersonId, from));
    // Requests the duplicate submitted (as a focal point) were submitted by the person kept.
    await tx.update(speakingRequests).set({ submittedBy: into }).where(eq(speakingRequests.submittedBy, from));
    // A reminder sent to both for the same deadline is one record; the rest move.
    await tx.delete(speakingReminders).where(
      and(
        eq(speakingReminders.personId, from),
        sql`exists (select 1 from speaking_reminders r where r.person_id = ${into} and r.event_id = ${speakingReminders.eventId}
              and r.days = ${speakingReminders.days} and r.deadline = ${speakingReminders.deadline})`,
      ),
    );
    await tx.update(speakingReminders).set({ personId: into }).where(eq(speakingReminders.personId, from));
  },
};
