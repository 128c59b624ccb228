/**
 * The secretariat's timetable grid: one Geneva day, rooms across, the hours of the venue down, the programme as it
 * would be once published. Each session links to its form (works without script); with /assets/grid.js a session
 * can be dragged to another room or time, which submits the move through the same checks as the form (a conflict
 * opens the form with the conflicts listed and the override field).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDay, genevaParts } from '../../platform/i18n/format.js';
import { pick, text } from '../../platform/i18n/localized.js';
import { Notice } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage } from '../../platform/ui/page.js';
import { listRooms } from '../events/index.js';
import { formPage } from './programme.editor-pages.js';
import { SessionForm } from './programme.editor.input.js';
import { editorGrid, movedFormValues, saveSessionDraft } from './programme.editor.js';
import { isoDate, slug } from './programme.input.js';
import { getProgrammeFacets } from './programme.service.js';

const BASE = '/secretariat/programme';
const edit = { permission: 'programme.edit' as const };
const Lc = z.object({ lc: z.string() });
const LcCode = Lc.extend({ code: z.string().regex(/^[A-Za-z0-9-]{1,40}$/) });
const GridQuery = z.object({ day: isoDate.optional(), done: z.enum(['moved']).optional() });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const MoveBody = z.object({ room: slug, day: isoDate, start: hhmm });

/** The grid's rows: quarters of an hour from 08:00 to 20:00 (Geneva). */
const FIRST = 8 * 60;
const LAST = 20 * 60;
const STEP = 15;
const minutesOf = (d: Date) => {
  const p = genevaParts(d);
  return (Number(p.hour) % 24) * 60 + Number(p.minute);
};
const hm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

export async function programmeGridPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    r.get(
      `/:lc${BASE}/grid`,
      { config: edit, schema: { hide: true, params: Lc, querystring: GridQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const { t, locale } = v;
          const [facets, rooms] = await Promise.all([getProgrammeFacets(req.ctx), listRooms(req.ctx.db)]);
          const day = req.query.day && facets.days.includes(req.query.day) ? req.query.day : facets.days[0]!;
          const items = await editorGrid(req.ctx, day);
          const col = new Map(rooms.map((room, i) => [room.id, i + 2]));
          const rows = (LAST - FIRST) / STEP;
          const row = (min: number) => 2 + Math.max(0, Math.min(rows, Math.round((min - FIRST) / STEP)));
          const unplaced = items.filter((s) => s.roomId === null || !col.has(s.roomId));
          return {
            title: t('programme_grid.title'),
            scripts: ['/assets/grid.js'],
            body: (
              <>
                <p class="kicker">
                  <a href={localePath(locale, BASE)}>{t('programme_editor.title')}</a>
                </p>
                <h1>{t('programme_grid.title')}</h1>
                {req.query.done && <Notice kind="ok">{t('programme_grid.moved')}</Notice>}
                <p class="hint">{t('programme_grid.lead')}</p>
                <nav aria-label={t('programme.day')} class="day-tabs">
                  <ul class="plain inline-list">
                    {facets.days.map((d) => (
                      <li>
                        <a
                          href={localePath(locale, `${BASE}/grid?day=${d}`)}
                          aria-current={d === day ? 'page' : undefined}
                        >
                          {formatDay(locale, d, 'short')}
                        </a>
                      </li>
                    ))}
                  </ul>
                </nav>
                <h2>{formatDay(locale, day)}</h2>
                <div class="tt-scroll" tabindex={0} role="region" aria-label={t('programme_grid.title')}>
                  <div
                    class="tt-grid"
                    id="timetable-grid"
                    data-day={day}
                    data-move={localePath(locale, `${BASE}/_code_/move`)}
                    style={`--rooms:${rooms.length};--rows:${rows}`}
                  >
                    <div class="tt-corner" style="grid-row:1;grid-column:1" />
                    {rooms.map((room) => (
                      <div class="tt-room" style={`grid-row:1;grid-column:${col.get(room.id)}`}>
                        {text(room.name, locale)}
                        {room.capacity ? <small> ({room.capacity})</small> : null}
                      </div>
                    ))}
                    {Array.from({ length: rows / 2 }, (_, i) => (
                      <div class="tt-hour" style={`grid-row:${2 + i * 2} / span 2;grid-column:1`} dir="ltr">
                        {hm(FIRST + i * 30)}
                      </div>
                    ))}
                    {rooms.flatMap((room) =>
                      Array.from({ length: rows / 2 }, (_, i) => (
                        <div
                          class="tt-slot"
                          data-room={room.slug}
                          data-start={hm(FIRST + i * 30)}
                          style={`grid-row:${2 + i * 2} / span 2;grid-column:${col.get(room.id)}`}
                        />
                      )),
                    )}
                    {items
                      .filter((s) => s.roomId !== null && col.has(s.roomId))
                      .map((s) => {
                        const a = minutesOf(s.startsAt);
                        const b = minutesOf(s.endsAt);
                        return (
                          <a
                            class={s.draft ? 'tt-session draft' : 'tt-session'}
                            id={`tt-${s.code}`}
                            data-code={s.code}
                            href={localePath(locale, `${BASE}/${s.code}`)}
                            style={`grid-row:${row(a)} / ${Math.max(row(b), row(a) + 1)};grid-column:${col.get(s.roomId!)}`}
                          >
                            <span dir="ltr">
                              {hm(a)}–{hm(b)}
                            </span>{' '}
                            <bdi>{pick(s.title, locale).text}</bdi>
                            {s.draft && <small> · {t('programme_grid.draft')}</small>}
                          </a>
                        );
                      })}
                  </div>
                </div>
                {unplaced.length > 0 && (
                  <section aria-labelledby="unplaced-title">
                    <h2 id="unplaced-title">{t('programme_grid.no_room')}</h2>
                    <ul>
                      {unplaced.map((s) => (
                        <li>
                          <a href={localePath(locale, `${BASE}/${s.code}`)}>{s.code}</a> ·{' '}
                          <bdi>{pick(s.title, locale).text}</bdi>
                        </li>
                      ))}
                    </ul>
                  </section>
                )}
              </>
            ),
          };
        }),
    );

    /** What the grid's script submits; without it, the form does the same. */
    r.post(`/:lc${BASE}/:code/move`, { config: edit, schema: { hide: true, params: LcCode } }, async (req, reply) => {
      const to = MoveBody.safeParse(req.body);
      if (!to.success) return reply.code(400).send({ error: 'invalid_move' });
      const code = req.params.code;
      const values = await movedFormValues(req.ctx, code, to.data);
      const form = parseForm(SessionForm, values, req.locale);
      const again = (
        o: { errors?: Record<string, string>; conflicts?: import('./programme.conflicts.js').Conflict[] },
        status: number,
      ) => sendPrivatePage(req, reply, async (v) => ({ ...(await formPage(req, v, { code, values, ...o })), status }));
      if (!form.ok) return again({ errors: form.errors }, 400);
      const res = await saveSessionDraft(req.ctx as FastifyRequest['ctx'] & { db: Db }, code, form.data);
      if (!res.ok) return again({ conflicts: res.conflicts }, 409);
      return reply.redirect(localePath(req.locale, `${BASE}/grid?day=${to.data.day}&done=moved`), 303);
    });
  });
}
