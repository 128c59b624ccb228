/**
 * Registration windows. Each event's registration closes at the time the secretariat set, and at the latest when the
 * event ends (midnight in Geneva after its last day), whatever was set; it opens when set.
 */
import { DomainError } from '../../platform/errors.js';
import { formatDateTime, genevaInstant } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';

/** The instant an event ends: midnight in Geneva after its last day. */
export function eventEndsAt(endDate: string): Date {
  const next = new Date(`${endDate}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return genevaInstant(next.toISOString().slice(0, 10), '00:00');
}

export type Window = { opensAt: Date | null; closesAt: Date };

/** The window in force: the one set, closing no later than the event's end. */
export function registrationWindow(
  settings: { opensAt: Date | null; closesAt: Date | null } | undefined,
  event: { endDate: string },
): Window {
  const end = eventEndsAt(event.endDate);
  const set = settings?.closesAt;
  return { opensAt: settings?.opensAt ?? null, closesAt: set && set < end ? set : end };
}

export function windowState(w: Window, now: Date): 'not_open' | 'open' | 'closed' {
  if (w.opensAt && now < w.opensAt) return 'not_open';
  return now >= w.closesAt ? 'closed' : 'open';
}

/** Throws `registration_not_open` or `registration_closed`, naming the event and the date, in the caller's language. */
export function assertOpen(w: Window, now: Date, locale: Locale, eventName: string, slug: string) {
  const s = windowState(w, now);
  if (s === 'not_open')
    throw new DomainError('registration_not_open', 409, {
      event: eventName,
      slug,
      date: formatDateTime(locale, w.opensAt!),
    });
  if (s === 'closed')
    throw new DomainError('registration_closed', 409, {
      event: eventName,
      slug,
      date: formatDateTime(locale, w.closesAt),
    });
}
