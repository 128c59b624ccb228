/** Pieces of programme pages shared by the programme, session and event pages. */
import { countryName, formatDay, formatTimeRange, genevaDate, zoneOffset } from '../../platform/i18n/format.js';
import { pick, text } from '../../platform/i18n/localized.js';
import { langOnPage } from '../../platform/i18n/names.js';
import { localePath } from '../../platform/ui/layout.js';
import type { View } from '../../platform/ui/page.js';
import type { EventTree } from '../events/index.js';
import type { SessionRow, Speaker } from './programme.queries.js';

/** Text in the page's language, or in the fallback language marked with its own `lang`. */
export function L({ v, value }: { v: View; value: Parameters<typeof pick>[0] }) {
  const r = pick(value, v.locale);
  return r.lang && r.lang !== v.locale ? <bdi lang={r.lang}>{r.text}</bdi> : r.text;
}

export function TimeRange({ v, s }: { v: View; s: Pick<SessionRow, 'startsAt' | 'endsAt'> }) {
  return (
    <span class="time">
      <time dateTime={s.startsAt.toISOString()} dir="ltr">
        {formatTimeRange(v.locale, s.startsAt, s.endsAt)}
      </time>{' '}
      <abbr class="zone" title={v.t('time.zone_long')}>
        {v.t('time.zone_short', { offset: zoneOffset(v.locale, s.startsAt) })}
      </abbr>
    </span>
  );
}

export function SpeakerName({ v, p }: { v: View; p: Speaker }) {
  return (
    <>
      <bdi lang={langOnPage(p.name, v.locale, p.country)}>{p.name}</bdi>
      {p.nameLatin && p.nameLatin !== p.name && (
        <>
          {' '}
          (<bdi lang={langOnPage(p.nameLatin, v.locale, p.country)}>{p.nameLatin}</bdi>)
        </>
      )}
    </>
  );
}

export function SessionList({ v, sessions, events }: { v: View; sessions: SessionRow[]; events: EventTree[] }) {
  const { t, locale } = v;
  const byDay = new Map<string, SessionRow[]>();
  for (const s of sessions) {
    const d = genevaDate(s.startsAt);
    byDay.set(d, [...(byDay.get(d) ?? []), s]);
  }
  const eventBySlug = new Map(events.map((e) => [e.slug, e]));
  return (
    <>
      {[...byDay].map(([day, list]) => (
        <section class="day" aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`}>{formatDay(locale, day)}</h2>
          <ol class="sessions">
            {list.map((s) => {
              const ev = eventBySlug.get(s.eventSlug);
              return (
                <li class="session">
                  <TimeRange v={v} s={s} />
                  <div class="session-body">
                    <h3>
                      <a href={localePath(locale, `/sessions/${s.code}`)}>
                        <L v={v} value={s.title} />
                      </a>
                    </h3>
                    <p class="meta">
                      {ev && <span class={`tag kind-${ev.kind}`}>{text(ev.shortName, locale)}</span>}
                      {s.room && <span class="room">{text(s.room.name, locale)}</span>}
                      {s.track && <span class="track">{text(s.track.name, locale)}</span>}
                      {s.actionLines.map((c) => (
                        <span class="line" title={t('programme.action_line_n', { code: c })}>
                          {c}
                        </span>
                      ))}
                    </p>
                    {s.speakers.length > 0 && (
                      <p class="speakers">
                        {s.speakers.map((p, i) => (
                          <>
                            {i > 0 && t('list.separator')}
                            <SpeakerName v={v} p={p} />
                          </>
                        ))}
                      </p>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </>
  );
}

/** More sessions than this on one page are listed briefly (time, title, room): every page stays light. */
export const FULL_LIST_LIMIT = 120;

/** The brief list: a line per session, by day, for the whole week or a broad search. */
export function SessionLines({ v, sessions }: { v: View; sessions: SessionRow[] }) {
  const { locale } = v;
  const byDay = new Map<string, SessionRow[]>();
  for (const s of sessions) {
    const d = genevaDate(s.startsAt);
    byDay.set(d, [...(byDay.get(d) ?? []), s]);
  }
  return (
    <>
      {[...byDay].map(([day, list]) => (
        <section class="day" aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`}>{formatDay(locale, day)}</h2>
          <ol class="session-lines">
            {list.map((s) => (
              <li>
                <span dir="ltr">{formatTimeRange(locale, s.startsAt, s.endsAt)}</span>{' '}
                <a href={localePath(locale, `/sessions/${s.code}`)}>
                  <L v={v} value={s.title} />
                </a>
                {s.room && <> · {text(s.room.name, locale)}</>}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </>
  );
}

/** Sessions in full when they are few enough, else briefly with a note saying so. */
export function Sessions({ v, sessions, events }: { v: View; sessions: SessionRow[]; events: EventTree[] }) {
  if (sessions.length <= FULL_LIST_LIMIT) return <SessionList v={v} sessions={sessions} events={events} />;
  return (
    <>
      <p class="note">{v.t('programme.compact_note')}</p>
      <SessionLines v={v} sessions={sessions} />
    </>
  );
}

export function SpeakerCard({ v, p, href }: { v: View; p: Speaker; href?: string }) {
  const parts = [
    text(p.role, v.locale) ? <L v={v} value={p.role} /> : null,
    p.organization ? <bdi lang={langOnPage(p.organization, v.locale)}>{p.organization}</bdi> : null,
    p.country ? countryName(v.locale, p.country) : null,
  ].filter(Boolean);
  return (
    <li class="speaker">
      <strong>
        {href ? (
          <a href={href}>
            <SpeakerName v={v} p={p} />
          </a>
        ) : (
          <SpeakerName v={v} p={p} />
        )}
      </strong>
      {parts.map((part) => (
        <>
          {v.t('list.separator')}
          {part}
        </>
      ))}
    </li>
  );
}
