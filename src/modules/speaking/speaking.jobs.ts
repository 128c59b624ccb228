/**
 * Reminders to the focal points of Member States that have not submitted a speaking request, 14 and 3 days before
 * the deadline. Scheduling is idempotent (a row per event, days and deadline, then one job); a message is recorded
 * per person in the transaction that enqueues it, so a retried or duplicated job sends nobody twice. A job for a
 * deadline that has since moved does nothing: the new deadline has its own.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { greeting } from '../../platform/i18n/names.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { enqueue, type JobHandlers } from '../../platform/jobs.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { people } from '../accounts/index.js';
import { entities, focalPoints } from '../entities/index.js';
import { events } from '../events/index.js';
import { isBeforeDeadline, REMINDER_DAYS, reminderAt } from './speaking.rules.js';
import { speakingReminders, speakingRequests, speakingSettings } from './speaking.schema.js';

export const REMINDER_JOB = 'speaking.reminder';

/** Schedules the reminders of a deadline that are still ahead; returns how many jobs it added (0 when already there). */
export async function scheduleReminders(tx: DbOrTx, now: Date, eventId: number, deadline: Date): Promise<number> {
  let n = 0;
  for (const days of REMINDER_DAYS) {
    const at = reminderAt(deadline, days);
    if (at.getTime() <= now.getTime()) continue; // its moment has passed: a late "14 days left" would mislead
    const rows = await tx
      .insert(speakingReminders)
      .values({ eventId, days, deadline, personId: '', at: now })
      .onConflictDoNothing()
      .returning();
    if (!rows.length) continue;
    await enqueue(tx, now, REMINDER_JOB, { eventId, days, deadline: deadline.toISOString() }, { runAt: at });
    n++;
  }
  return n;
}

/** At start: every event's deadline has its reminders (the seeded one included). */
export async function scheduleAllReminders(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    let n = 0;
    for (const s of await tx.select().from(speakingSettings))
      n += await scheduleReminders(tx, now, s.eventId, s.deadline);
    return n;
  });
}

/** Sends one reminder round; returns how many messages it enqueued. */
export async function sendReminders(
  db: Db,
  now: Date,
  payload: { eventId: number; days: number; deadline: string },
  baseUrl = 'http://localhost:3000',
): Promise<number> {
  return db.transaction(async (tx) => {
    const [settings] = await tx.select().from(speakingSettings).where(eq(speakingSettings.eventId, payload.eventId));
    if (!settings || settings.deadline.toISOString() !== new Date(payload.deadline).toISOString()) return 0; // moved since
    if (!isBeforeDeadline(now, settings.deadline)) return 0;
    const [event] = await tx.select().from(events).where(eq(events.id, payload.eventId));
    // Focal points of Member States with no live request for this event.
    const rows = await tx
      .select({ p: people, entityId: entities.id })
      .from(focalPoints)
      .innerJoin(entities, eq(focalPoints.entityId, entities.id))
      .innerJoin(people, eq(focalPoints.personId, people.id))
      .where(
        and(
          eq(entities.kind, 'member_state'),
          isNull(entities.mergedInto),
          isNull(people.erasedAt),
          sql`not exists (select 1 from ${speakingRequests} r where r.entity_id = ${entities.id} and r.event_id = ${payload.eventId}
                and r.state in ('submitted', 'accepted', 'waitlisted'))`,
        ),
      );
    let n = 0;
    for (const { p } of rows) {
      if (!p.email) continue;
      const sent = await tx
        .insert(speakingReminders)
        .values({ eventId: payload.eventId, days: payload.days, deadline: settings.deadline, personId: p.id, at: now })
        .onConflictDoNothing()
        .returning();
      if (!sent.length) continue;
      const locale = p.preferredLocale as Locale;
      await enqueueMail(tx, now, {
        to: p.email,
        locale,
        template: 'speaking_reminder',
        params: {
          greeting: greeting(p, locale),
          event: text(event?.name, locale),
          days: payload.days,
          deadline: `${formatDateTime(locale, settings.deadline)}${translate(locale, 'list.separator')}${translate(locale, 'speaking.geneva_time')}`,
          link: `${baseUrl}/${locale}/speaking`,
        },
      });
      n++;
    }
    return n;
  });
}

export function speakingHandlers(db: Db, clock: Clock, baseUrl?: string): JobHandlers {
  return {
    [REMINDER_JOB]: async (payload) => {
      await sendReminders(db, clock.now(), payload as { eventId: number; days: number; deadline: string }, baseUrl);
    },
  };
}
