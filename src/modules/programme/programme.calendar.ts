/** iCalendar (RFC 5545) feeds, written by ical-generator; times in UTC so every calendar app places them right. */
import ical, { type ICalCalendar } from 'ical-generator';
import { text } from '../../platform/i18n/localized.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import type { EventRow } from '../events/index.js';
import type { SessionRow } from './programme.queries.js';

const PROD_ID = { company: 'ITU', product: 'Convene', language: 'EN' } as const;

function addSession(cal: ICalCalendar, base: string, locale: Locale, s: SessionRow, event: EventRow) {
  const speakers = s.speakers.map((p) => p.nameLatin || p.name).join(', ');
  const description = [
    text(s.description, locale),
    speakers ? `${translate(locale, 'session.speakers')}: ${speakers}` : '',
    s.actionLines.length ? `${translate(locale, 'session.action_lines')}: ${s.actionLines.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  cal.createEvent({
    id: `${s.code}@convene.wsis-2026`,
    start: s.startsAt,
    end: s.endsAt,
    stamp: s.updatedAt,
    lastModified: s.updatedAt,
    summary: text(s.title, locale),
    description,
    location: [
      s.room ? text(s.room.name, locale) : '',
      `${text(event.venue.name, locale)}, ${text(event.venue.city, locale)}`,
    ]
      .filter(Boolean)
      .join(', '),
    url: `${base}/${locale}/sessions/${s.code}`,
    categories: [{ name: text(event.shortName, locale) }],
  });
}

/** `base` is the public URL of the site, for links back to session pages. */
export function sessionCalendar(base: string, locale: Locale, s: SessionRow, event: EventRow): string {
  const cal = ical({ prodId: PROD_ID, name: text(s.title, locale) });
  addSession(cal, base, locale, s, event);
  return withFinalCrlf(cal.toString());
}

export function eventCalendar(
  base: string,
  locale: Locale,
  event: EventRow,
  sessions: SessionRow[],
  events: EventRow[],
): string {
  const cal = ical({ prodId: PROD_ID, name: text(event.name, locale), description: text(event.description, locale) });
  const bySlug = new Map(events.map((e) => [e.slug, e]));
  for (const s of sessions) addSession(cal, base, locale, s, bySlug.get(s.eventSlug) ?? event);
  return withFinalCrlf(cal.toString());
}

/** RFC 5545 ends every content line, the last included, with CRLF; ical-generator leaves the last one bare. */
function withFinalCrlf(s: string): string {
  return s.endsWith('\r\n') ? s : `${s}\r\n`;
}

/** A person's agenda as a private feed: their sessions, and for a remote participant the joining link. */
export function agendaCalendar(
  base: string,
  locale: Locale,
  name: string,
  sessions: (SessionRow & { remote: { joinUrl: string | null; webcastUrl: string | null } | null })[],
  events: EventRow[],
): string {
  const cal = ical({ prodId: PROD_ID, name });
  const bySlug = new Map(events.map((e) => [e.slug, e]));
  for (const s of sessions) {
    const event = bySlug.get(s.eventSlug);
    if (!event) continue;
    const withLink = s.remote?.joinUrl
      ? {
          ...s,
          description: Object.fromEntries(
            Object.entries(s.description).map(([l, d]) => [l, `${d}\n\n${s.remote!.joinUrl}`]),
          ),
        }
      : s;
    addSession(cal, base, locale, withLink, event);
  }
  return withFinalCrlf(cal.toString());
}
