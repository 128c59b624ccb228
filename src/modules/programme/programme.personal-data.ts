/**
 * What the programme holds about a person, for their export: the sessions in their personal agenda, and the reminder
 * e-mails sent to them before sessions (remote participants). Their agenda feed's secret address is a credential and
 * is not in the export (the agenda page shows it to them).
 */
import { asc, eq } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { agendaItems, sessionReminders, sessions } from './programme.schema.js';

export const programmeExport: NonNullable<PersonalData['export']> = {
  agenda: async (db, personId) =>
    db
      .select({
        session: sessions.code,
        title: sessions.title,
        startsAt: sessions.startsAt,
        endsAt: sessions.endsAt,
        addedAt: agendaItems.addedAt,
      })
      .from(agendaItems)
      .innerJoin(sessions, eq(sessions.id, agendaItems.sessionId))
      .where(eq(agendaItems.personId, personId))
      .orderBy(asc(sessions.startsAt), asc(sessions.code)),
  sessionReminders: async (db, personId) =>
    db
      .select({
        session: sessions.code,
        title: sessions.title,
        startsAt: sessions.startsAt,
        sentAt: sessionReminders.sentAt,
      })
      .from(sessionReminders)
      .innerJoin(sessions, eq(sessions.id, sessionReminders.sessionId))
      .where(eq(sessionReminders.personId, personId))
      .orderBy(asc(sessionReminders.sentAt), asc(sessions.code)),
};
