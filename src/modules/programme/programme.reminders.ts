/**
 * The reminder before a session, for approved remote participants who put it in their agenda: one e-mail per person
 * per session (a row in `session_reminders`, inserted before the mail in one transaction), in their language, with
 * the Geneva time and the joining and webcast links. The job worker runs it every five minutes and queues itself
 * again; several workers are safe (the row is the lock).
 */
import { and, asc, eq, gt, inArray, isNull, lte, or, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { formatDay, formatTimeRange, genevaDate, zoneOffset } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { isLocale, type Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { greeting } from '../../platform/i18n/names.js';
import { enqueue, type JobHandlers } from '../../platform/jobs.js';
import { jobs } from '../../platform/platform.schema.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { people } from '../accounts/accounts.schema.js';
import { remoteEventIds } from './programme.agenda.js';
import { agendaItems, sessionReminders, sessions } from './programme.schema.js';

export const REMINDER_JOB = 'programme.remote_reminders';
/** How long before a session its reminder leaves. */
export const REMINDER_LEAD_MS = 60 * 60_000;
const EVERY_MS = 5 * 60_000;

/** Sends the reminders due at `now`; returns how many were written. */
export async function sendRemoteReminders(db: Db, now: Date, baseUrl = ''): Promise<number> {
  const due = await db
    .select({ personId: agendaItems.personId, s: sessions })
    .from(agendaItems)
    .innerJoin(sessions, eq(agendaItems.sessionId, sessions.id))
    .where(
      and(
        gt(sessions.startsAt, now),
        lte(sessions.startsAt, new Date(now.getTime() + REMINDER_LEAD_MS)),
        isNull(sessions.cancelledAt),
        or(isNotNull(sessions.joinUrl), isNotNull(sessions.webcastUrl)),
      ),
    )
    .orderBy(asc(agendaItems.personId), asc(sessions.startsAt));
  if (!due.length) return 0;
  const recipients = new Map(
    (
      await db
        .select()
        .from(people)
        .where(and(inArray(people.id, [...new Set(due.map((d) => d.personId))]), isNull(people.erasedAt)))
    ).map((p) => [p.id, p]),
  );
  let sent = 0;
  const remoteOf = new Map<string, Set<number>>();
  for (const { personId, s } of due) {
    const p = recipients.get(personId);
    if (!p?.email) continue;
    if (!remoteOf.has(personId)) remoteOf.set(personId, await remoteEventIds(db, personId));
    if (!remoteOf.get(personId)!.has(s.eventId)) continue;
    const locale: Locale = isLocale(p.preferredLocale) ? p.preferredLocale : 'en';
    const wrote = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(sessionReminders)
        .values({ personId, sessionId: s.id, sentAt: now })
        .onConflictDoNothing()
        .returning();
      if (!row) return false;
      const links = [
        s.joinUrl ? `${translate(locale, 'agenda.join')}: ${s.joinUrl}` : '',
        s.webcastUrl ? `${translate(locale, 'agenda.webcast')}: ${s.webcastUrl}` : '',
      ].filter(Boolean);
      await enqueueMail(tx, now, {
        to: p.email!,
        locale,
        template: 'programme_reminder',
        params: {
          greeting: greeting(p, locale),
          title: text(s.title, locale),
          when: `${formatDay(locale, genevaDate(s.startsAt))}, ${formatTimeRange(locale, s.startsAt, s.endsAt)} (${zoneOffset(locale, s.startsAt)})`,
          links: links.join('\n'),
          link: `${baseUrl}/${locale}/agenda`,
        },
      });
      return true;
    });
    if (wrote) sent++;
  }
  return sent;
}

/** The job: send what is due, then come back in five minutes. */
export const reminderJobs = (db: Db, clock: Clock, baseUrl: string): JobHandlers => ({
  [REMINDER_JOB]: async () => {
    await sendRemoteReminders(db, clock.now(), baseUrl);
    await enqueue(db, clock.now(), REMINDER_JOB, {}, { runAt: new Date(clock.now().getTime() + EVERY_MS) });
  },
});

/** At worker start: the reminder job is queued once (a pending one is enough). */
export async function scheduleReminders(db: Db, now: Date): Promise<void> {
  const [pending] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, REMINDER_JOB), eq(jobs.state, 'pending')))
    .limit(1);
  if (!pending) await enqueue(db, now, REMINDER_JOB, {});
}
