/**
 * What speaking holds about a person, for their export: the requests where they are the speaker (with the details
 * copied onto them) and those they submitted. For a request they submitted for someone else, the speaker's details
 * are that speaker's data and are left out: the request itself (event, entity, kind, state, dates) is shown.
 * Also the deadline reminders they were sent.
 */
import { asc, eq, or } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { events } from '../events/index.js';
import { sessions } from '../programme/programme.schema.js';
import { speakingReminders, speakingRequests } from './speaking.schema.js';

export const speakingExport: NonNullable<PersonalData['export']> = {
  speakingRequests: async (db, personId) => {
    const rows = await db
      .select({ r: speakingRequests, event: events.slug, session: sessions.code })
      .from(speakingRequests)
      .innerJoin(events, eq(speakingRequests.eventId, events.id))
      .leftJoin(sessions, eq(speakingRequests.sessionId, sessions.id))
      .where(or(eq(speakingRequests.speakerPersonId, personId), eq(speakingRequests.submittedBy, personId)))
      .orderBy(asc(speakingRequests.submittedAt));
    return rows.map(({ r, event, session }) => {
      const request = {
        id: r.id,
        event,
        entityId: r.entityId,
        kind: r.kind,
        state: r.state,
        youAreSpeaker: r.speakerPersonId === personId,
        youSubmitted: r.submittedBy === personId,
        submittedAt: r.submittedAt,
        decidedAt: r.decidedAt,
        updatedAt: r.updatedAt,
      };
      if (r.speakerPersonId !== personId) return request;
      return {
        ...request,
        speaker: {
          honorific: r.honorific,
          givenName: r.givenName,
          familyName: r.familyName,
          givenNameLatin: r.givenNameLatin,
          familyNameLatin: r.familyNameLatin,
          title: r.title,
          rank: r.rank,
          email: r.speakerEmail,
          locale: r.speakerLocale,
        },
        preferredDay: r.preferredDay,
        language: r.language,
        abstract: r.abstract,
        reason: r.reason,
        session,
        late: r.late,
      };
    });
  },

  speakingRemindersSent: async (db, personId) =>
    db
      .select({
        event: events.slug,
        daysBeforeDeadline: speakingReminders.days,
        deadline: speakingReminders.deadline,
        sentAt: speakingReminders.at,
      })
      .from(speakingReminders)
      .innerJoin(events, eq(speakingReminders.eventId, events.id))
      .where(eq(speakingReminders.personId, personId))
      .orderBy(asc(speakingReminders.at)),
};
