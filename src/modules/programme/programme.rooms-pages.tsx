/**
 * The secretariat's rooms and floors (`programme.edit`, no script needed): `/{lc}/secretariat/venue` lists the rooms by
 * floor (capacity, booths, hours, accessibility, use); each room and floor has its form; a floor's page takes its plan
 * (SVG, PNG or JPEG, multipart) and shows the rooms placed on it. A refused form comes back with what was typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { formatDay, genevaDate } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { translator, type T } from '../../platform/i18n/messages.js';
import {
  ChoiceField,
  fieldId,
  Notice,
  PostForm,
  SelectField,
  TextAreaField,
  TextField,
} from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { getEvents, summitDays } from '../events/index.js';
import { FormRefusal } from './programme.editor.js';
import { PLAN_ACCEPT, PLAN_MAX_BYTES, planPath, removePlan, uploadPlan } from './programme.plans.js';
import {
  createFloor,
  createRoom,
  deleteFloor,
  deleteRoom,
  getStaffRoom,
  listFloors,
  listStaffRooms,
  readFloorForm,
  readRoomForm,
  setRoomRetired,
  updateFloor,
  updateRoom,
  type Floor,
  type StaffRoom,
  type Values,
} from './programme.rooms.js';
import { PlanFigure } from './programme.venue-pages.js';

export const VENUE_BASE = '/secretariat/venue';
const Lc = z.object({ lc: z.string() });
const slugRe = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LcRoom = Lc.extend({ room: z.string().regex(slugRe).max(80) });
const LcFloor = Lc.extend({ floor: z.string().regex(slugRe).max(80) });
const DONE = [
  'room_created',
  'room_saved',
  'room_retired',
  'room_reinstated',
  'room_deleted',
  'floor_created',
  'floor_saved',
  'floor_deleted',
  'plan_uploaded',
  'plan_removed',
] as const;
const DoneQ = z.object({ done: z.enum(DONE).optional() });
const edit = { permission: 'programme.edit' as const };
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
/** The plan form: one file of up to PLAN_MAX_BYTES (a larger one arrives cut and is refused in words). */
const PLAN_MULTIPART = { limits: { fileSize: PLAN_MAX_BYTES + 1, files: 1, fields: 5 }, throwFileSizeLimit: false };

const langName = (t: T, l: string) => t(`programme_editor.lang.${l}`);
const hoursText = (o: string, c: string) => <span dir="ltr">{`${o}–${c}`}</span>;

/** A field error as words: a form rule (`venue.invalid.*`) or an error code (`errors.*`). */
function words(t: T, errors: Record<string, string>, refused = false): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([k, rule]) => [k, refused ? t(`errors.${rule}`) : t(`venue.invalid.${rule}`)]),
  );
}

/** The form's values as the form shows them: a room's stored values, or what was typed. */
function roomValues(r: StaffRoom): Values {
  const v: Values = {
    slug: r.slug,
    capacity: r.capacity == null ? '' : String(r.capacity),
    floor: r.floorSlug ?? '',
    position: String(r.position),
    booths: r.booths,
    opens: r.opens,
    closes: r.closes,
    plan_x: r.planX == null ? '' : String(r.planX),
    plan_y: r.planY == null ? '' : String(r.planY),
  };
  for (const l of LOCALES) {
    v[`name_${l}`] = r.name[l] ?? '';
    v[`access_${l}`] = r.accessibility[l] ?? '';
  }
  for (const [d, h] of Object.entries(r.days)) {
    v[`day_${d}_opens`] = h.opens;
    v[`day_${d}_closes`] = h.closes;
  }
  return v;
}

function floorValues(f: Floor): Values {
  const v: Values = { slug: f.slug, position: String(f.position) };
  for (const l of LOCALES) v[`name_${l}`] = f.name[l] ?? '';
  return v;
}

const val = (values: Values, k: string) => {
  const x = values[k];
  return Array.isArray(x) ? x[0] : x;
};
const vals = (values: Values, k: string) => {
  const x = values[k];
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
};

async function roomFormPage(
  req: FastifyRequest,
  v: View,
  o: { room: StaffRoom | null; values: Values; errors?: Record<string, string>; error?: string },
): Promise<{ title: string; body: VNode }> {
  const { t, locale } = v;
  const [floors, events] = await Promise.all([listFloors(req.ctx.db), getEvents(req.ctx)]);
  const days = summitDays(events);
  const e = o.errors ?? {};
  const r = o.room;
  const title = r ? t('venue.room.edit_title', { name: text(r.name, locale) }) : t('venue.room.new_title');
  const base = localePath(locale, VENUE_BASE);
  return {
    title,
    body: (
      <>
        <p class="kicker">
          <a href={base}>{t('venue.staff.title')}</a>
        </p>
        <h1>{title}</h1>
        {r?.retiredAt && (
          <p class="notice" id="retired-note">
            {t('venue.room.retired_note', { date: formatDay(locale, genevaDate(r.retiredAt)) })}
          </p>
        )}
        <PostForm
          action={localePath(locale, r ? `${VENUE_BASE}/rooms/${r.slug}` : `${VENUE_BASE}/rooms/new`)}
          csrf={req.csrfToken()}
          errors={e}
          error={o.error}
          label={title}
          class="stack venue-form"
        >
          {r ? (
            <p>
              {t('venue.room.slug')}
              {t('list.separator')}
              <code dir="ltr">{r.slug}</code>
            </p>
          ) : (
            <TextField
              name="slug"
              label={t('venue.room.slug')}
              hint={t('venue.room.slug_hint')}
              value={val(o.values, 'slug')}
              maxLength={80}
              dir="ltr"
              error={e.slug}
              required
            />
          )}
          <fieldset class="field-wide">
            <legend>{t('venue.room.names')}</legend>
            {LOCALES.map((l) => (
              <TextField
                name={`name_${l}`}
                label={t('venue.name_in', { lang: langName(t, l) })}
                value={val(o.values, `name_${l}`)}
                maxLength={200}
                dir={l === 'ar' ? 'rtl' : 'ltr'}
                error={e[`name_${l}`]}
              />
            ))}
          </fieldset>
          <TextField
            name="capacity"
            type="number"
            label={t('venue.room.capacity')}
            hint={t('venue.room.capacity_hint')}
            value={val(o.values, 'capacity')}
            min={1}
            error={e.capacity}
          />
          <SelectField
            name="floor"
            label={t('venue.room.floor')}
            any={t('venue.no_floor')}
            value={val(o.values, 'floor')}
            options={floors.map((f) => [f.slug, text(f.name, locale)])}
            error={e.floor}
          />
          <TextField
            name="position"
            type="number"
            label={t('venue.position')}
            value={val(o.values, 'position')}
            min={0}
            error={e.position}
          />
          <ChoiceField
            name="booths"
            type="checkbox"
            legend={t('venue.room.booths')}
            hint={t('venue.room.booths_hint')}
            options={LOCALES.map((l) => ({
              value: l,
              label: langName(t, l),
              checked: vals(o.values, 'booths').includes(l),
            }))}
            error={e.booths}
          />
          <fieldset class="field-wide hours">
            <legend>{t('venue.room.hours')}</legend>
            <p class="hint">{t('venue.room.hours_hint')}</p>
            <div class="hours-row">
              <span class="hours-day">{t('venue.room.usual')}</span>
              <TextField
                name="opens"
                label={t('venue.room.opens')}
                value={val(o.values, 'opens')}
                maxLength={5}
                dir="ltr"
                error={e.opens}
              />
              <TextField
                name="closes"
                label={t('venue.room.closes')}
                value={val(o.values, 'closes')}
                maxLength={5}
                dir="ltr"
                error={e.closes}
              />
            </div>
            {days.map((d) => (
              <div class="hours-row">
                <TextField
                  name={`day_${d}_opens`}
                  label={t('venue.room.day_opens', { day: formatDay(locale, d, 'short') })}
                  value={val(o.values, `day_${d}_opens`)}
                  maxLength={5}
                  dir="ltr"
                  error={e[`day_${d}_opens`]}
                />
                <TextField
                  name={`day_${d}_closes`}
                  label={t('venue.room.day_closes', { day: formatDay(locale, d, 'short') })}
                  value={val(o.values, `day_${d}_closes`)}
                  maxLength={5}
                  dir="ltr"
                  error={e[`day_${d}_closes`]}
                />
              </div>
            ))}
          </fieldset>
          <fieldset class="field-wide">
            <legend>{t('venue.room.access')}</legend>
            <p class="hint">{t('venue.room.access_hint')}</p>
            {LOCALES.map((l) => (
              <TextAreaField
                name={`access_${l}`}
                label={t('venue.room.access_in', { lang: langName(t, l) })}
                value={val(o.values, `access_${l}`)}
                maxLength={1000}
                rows={2}
                dir={l === 'ar' ? 'rtl' : 'ltr'}
                error={e[`access_${l}`]}
              />
            ))}
          </fieldset>
          <fieldset class="field-wide">
            <legend>{t('venue.room.plan_place')}</legend>
            <p class="hint">{t('venue.room.plan_hint')}</p>
            <TextField
              name="plan_x"
              label={t('venue.room.plan_x')}
              value={val(o.values, 'plan_x')}
              maxLength={6}
              inputMode="decimal"
              dir="ltr"
              error={e.plan_x}
            />
            <TextField
              name="plan_y"
              label={t('venue.room.plan_y')}
              value={val(o.values, 'plan_y')}
              maxLength={6}
              inputMode="decimal"
              dir="ltr"
              error={e.plan_y}
            />
          </fieldset>
          <div class="form-actions">
            <button type="submit">{t('venue.room.save')}</button>
          </div>
        </PostForm>
        {r && (
          <section aria-labelledby="room-use" class="stack">
            <h2 id="room-use">{t('venue.room.retire_or_delete')}</h2>
            {r.uses > 0 ? (
              <p id="delete-note">{t('venue.room.delete_refused_note', { count: r.uses })}</p>
            ) : (
              <p id="delete-note">{t('venue.room.delete_note')}</p>
            )}
            <div class="actions">
              <PostForm
                action={localePath(locale, `${VENUE_BASE}/rooms/${r.slug}/${r.retiredAt ? 'reinstate' : 'retire'}`)}
                csrf={req.csrfToken()}
                class="inline"
              >
                <button type="submit" class="secondary">
                  {t(r.retiredAt ? 'venue.room.reinstate' : 'venue.room.retire')}
                </button>
              </PostForm>
              {r.uses === 0 && (
                <PostForm
                  action={localePath(locale, `${VENUE_BASE}/rooms/${r.slug}/delete`)}
                  csrf={req.csrfToken()}
                  class="inline"
                >
                  <button type="submit" class="secondary">
                    {t('venue.room.delete')}
                  </button>
                </PostForm>
              )}
            </div>
          </section>
        )}
      </>
    ),
  };
}

async function floorFormPage(
  req: FastifyRequest,
  v: View,
  o: { floor: Floor | null; values: Values; errors?: Record<string, string>; error?: string; planError?: string },
): Promise<{ title: string; body: VNode }> {
  const { t, locale } = v;
  const e = o.errors ?? {};
  const f = o.floor;
  const title = f ? t('venue.floor.edit_title', { name: text(f.name, locale) }) : t('venue.floor.new_title');
  const onFloor = f ? (await listStaffRooms(req.ctx.db)).filter((r) => r.floorId === f.id) : [];
  const action = localePath(locale, f ? `${VENUE_BASE}/floors/${f.slug}` : `${VENUE_BASE}/floors/new`);
  return {
    title,
    body: (
      <>
        <p class="kicker">
          <a href={localePath(locale, VENUE_BASE)}>{t('venue.staff.title')}</a>
        </p>
        <h1>{title}</h1>
        <PostForm action={action} csrf={req.csrfToken()} errors={e} error={o.error} label={title}>
          {f ? (
            <p>
              {t('venue.room.slug')}
              {t('list.separator')}
              <code dir="ltr">{f.slug}</code>
            </p>
          ) : (
            <TextField
              name="slug"
              label={t('venue.room.slug')}
              hint={t('venue.floor.slug_hint')}
              value={val(o.values, 'slug')}
              maxLength={80}
              dir="ltr"
              error={e.slug}
              required
            />
          )}
          <fieldset class="field-wide">
            <legend>{t('venue.floor.names')}</legend>
            {LOCALES.map((l) => (
              <TextField
                name={`name_${l}`}
                label={t('venue.name_in', { lang: langName(t, l) })}
                value={val(o.values, `name_${l}`)}
                maxLength={200}
                dir={l === 'ar' ? 'rtl' : 'ltr'}
                error={e[`name_${l}`]}
              />
            ))}
          </fieldset>
          <TextField
            name="position"
            type="number"
            label={t('venue.position')}
            value={val(o.values, 'position')}
            min={0}
            error={e.position}
          />
          <div class="form-actions">
            <button type="submit">{t('venue.floor.save')}</button>
          </div>
        </PostForm>
        {f && (
          <section aria-labelledby="plan-title" class="stack">
            <h2 id="plan-title">{t('venue.floor.plan')}</h2>
            {f.plan ? (
              <PlanFigure
                v={v}
                floorName={text(f.name, locale)}
                plan={{ path: planPath(f.slug, f.plan), width: f.plan.width, height: f.plan.height }}
                marks={onFloor
                  .filter((r) => r.planX != null && r.planY != null)
                  .map((r, i) => ({ n: i + 1, name: text(r.name, locale), x: r.planX!, y: r.planY! }))}
              />
            ) : (
              <p id="no-plan">{t('venue.no_plan')}</p>
            )}
            <PostForm
              action={`${action}/plan`}
              csrf={req.csrfToken()}
              enctype="multipart/form-data"
              label={t('venue.floor.plan_upload')}
              error={o.planError}
            >
              <div class="field">
                <label for={fieldId('plan')}>{t('venue.floor.plan_file')}</label>
                <small class="hint" id="plan-hint">
                  {t('venue.floor.plan_hint', { max: PLAN_MAX_BYTES / 1024 / 1024 })}
                </small>
                <input id={fieldId('plan')} type="file" name="plan" accept={PLAN_ACCEPT} aria-describedby="plan-hint" />
              </div>
              <div class="form-actions">
                <button type="submit">{t('venue.floor.plan_upload')}</button>
              </div>
            </PostForm>
            {f.plan && (
              <PostForm action={`${action}/plan/remove`} csrf={req.csrfToken()} class="inline">
                <button type="submit" class="secondary">
                  {t('venue.floor.plan_remove')}
                </button>
              </PostForm>
            )}
            <h2>{t('venue.floor.rooms_on')}</h2>
            {onFloor.length ? (
              <ul>
                {onFloor.map((r) => (
                  <li>
                    <a href={localePath(locale, `${VENUE_BASE}/rooms/${r.slug}`)}>{text(r.name, locale)}</a>
                    {t('list.separator')}
                    {r.planX != null
                      ? t('venue.floor.placed', { x: String(r.planX), y: String(r.planY) })
                      : t('venue.floor.not_placed')}
                  </li>
                ))}
              </ul>
            ) : (
              <>
                <p>{t('venue.floor.no_rooms')}</p>
                <PostForm action={`${action}/delete`} csrf={req.csrfToken()} class="inline">
                  <button type="submit" class="secondary">
                    {t('venue.floor.delete')}
                  </button>
                </PostForm>
              </>
            )}
          </section>
        )}
      </>
    ),
  };
}

function RoomsTable({ v, rooms }: { v: View; rooms: StaffRoom[] }) {
  const { t, locale } = v;
  if (!rooms.length) return <p>{t('venue.floor.no_rooms')}</p>;
  return (
    <div class="table-scroll">
      <table class="data venue-rooms">
        <thead>
          <tr>
            <th>{t('session.room')}</th>
            <th>{t('venue.room.capacity')}</th>
            <th>{t('venue.room.booths')}</th>
            <th>{t('venue.room.hours')}</th>
            <th>{t('venue.room.access')}</th>
            <th>{t('venue.staff.use')}</th>
          </tr>
        </thead>
        <tbody>
          {rooms.map((r) => (
            <tr id={`room-${r.slug}`}>
              <td>
                <a href={localePath(locale, `${VENUE_BASE}/rooms/${r.slug}`)}>{text(r.name, locale)}</a>
                {r.retiredAt && (
                  <>
                    {' '}
                    <strong class="retired">{t('venue.staff.retired')}</strong>
                  </>
                )}
              </td>
              <td>{r.capacity ?? '–'}</td>
              <td>{r.booths.map((b) => langName(t, b)).join(t('list.separator'))}</td>
              <td>
                {hoursText(r.opens, r.closes)}
                {Object.entries(r.days).map(([d, h]) => (
                  <>
                    <br />
                    <small>
                      {formatDay(locale, d, 'short')}
                      {t('list.separator')}
                      {hoursText(h.opens, h.closes)}
                    </small>
                  </>
                ))}
              </td>
              <td>{text(r.accessibility, locale)}</td>
              <td>{t('venue.staff.uses', { count: r.uses })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Runs a form's operation; a refusal re-renders the form with what was typed and the reason. */
async function attempt(
  req: FastifyRequest,
  reply: FastifyReply,
  op: () => Promise<string>,
  again: (v: View, o: { errors?: Record<string, string>; error?: string }) => Promise<{ title: string; body: VNode }>,
) {
  try {
    return reply.redirect(await op(), 303);
  } catch (e) {
    if (!(e instanceof DomainError) || e.status === 401 || e.status === 403) throw e;
    const t = translator(req.locale);
    const o =
      e instanceof FormRefusal ? { errors: words(t, e.fields, true) } : { error: t(`errors.${e.code}`, e.params) };
    const status = e instanceof FormRefusal ? 400 : e.status;
    return sendPrivatePage(req, reply, async (v) => ({ ...(await again(v, o)), status }));
  }
}

export async function venueStaffPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const done = (lc: Locale, what: (typeof DONE)[number]) => localePath(lc, `${VENUE_BASE}?done=${what}`);

    r.get(`/:lc${VENUE_BASE}`, { config: edit, schema: { hide: true, params: Lc, querystring: DoneQ } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { t, locale } = v;
        const [floors, rooms] = await Promise.all([listFloors(req.ctx.db), listStaffRooms(req.ctx.db)]);
        const loose = rooms.filter((x) => x.floorId === null);
        return {
          title: t('venue.staff.title'),
          body: (
            <section class="venue-staff">
              <h1>{t('venue.staff.title')}</h1>
              <p class="lead">{t('venue.staff.lead')}</p>
              {req.query.done && <Notice kind="ok">{t(`venue.done.${req.query.done}`)}</Notice>}
              <p class="actions">
                <a class="button" href={localePath(locale, `${VENUE_BASE}/rooms/new`)}>
                  {t('venue.room.new_title')}
                </a>{' '}
                <a class="button secondary" href={localePath(locale, `${VENUE_BASE}/floors/new`)}>
                  {t('venue.floor.new_title')}
                </a>{' '}
                <a class="button secondary" href={localePath(locale, '/venue')}>
                  {t('venue.title')}
                </a>
              </p>
              {floors.map((f) => (
                <section aria-labelledby={`floor-${f.slug}`} class="venue-floor">
                  <h2 id={`floor-${f.slug}`}>{text(f.name, locale)}</h2>
                  <p>
                    {f.plan ? t('venue.staff.plan_present') : t('venue.no_plan')}
                    {t('list.separator')}
                    <a href={localePath(locale, `${VENUE_BASE}/floors/${f.slug}`)}>{t('venue.staff.edit_floor')}</a>
                  </p>
                  <RoomsTable v={v} rooms={rooms.filter((x) => x.floorId === f.id)} />
                </section>
              ))}
              {loose.length > 0 && (
                <section aria-labelledby="floor-none" class="venue-floor">
                  <h2 id="floor-none">{t('venue.no_floor')}</h2>
                  <RoomsTable v={v} rooms={loose} />
                </section>
              )}
            </section>
          ),
        };
      }),
    );

    // Rooms
    r.get(`/:lc${VENUE_BASE}/rooms/new`, { config: edit, schema: { hide: true, params: Lc } }, (req, reply) =>
      sendPrivatePage(req, reply, (v) =>
        roomFormPage(req, v, { room: null, values: { opens: '08:00', closes: '20:00' } }),
      ),
    );
    r.post(`/:lc${VENUE_BASE}/rooms/new`, { config: edit, schema: { hide: true, params: Lc } }, async (req, reply) => {
      const values = (req.body ?? {}) as Values;
      const days = summitDays(await getEvents(req.ctx));
      const form = readRoomForm(values, days, true);
      const again = (v: View, o: { errors?: Record<string, string>; error?: string }) =>
        roomFormPage(req, v, { room: null, values, ...o });
      if (!form.ok) {
        const errors = form.errors;
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await again(v, { errors: words(v.t, errors) })),
          status: 400,
        }));
      }
      return attempt(
        req,
        reply,
        async () => {
          await createRoom(wctx(req), form.data);
          return done(req.locale, 'room_created');
        },
        again,
      );
    });
    r.get(`/:lc${VENUE_BASE}/rooms/:room`, { config: edit, schema: { hide: true, params: LcRoom } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const room = await getStaffRoom(req.ctx, req.params.room);
        return roomFormPage(req, v, { room, values: roomValues(room) });
      }),
    );
    r.post(
      `/:lc${VENUE_BASE}/rooms/:room`,
      { config: edit, schema: { hide: true, params: LcRoom } },
      async (req, reply) => {
        const room = await getStaffRoom(req.ctx, req.params.room);
        const values = { ...((req.body ?? {}) as Values), slug: room.slug };
        const days = summitDays(await getEvents(req.ctx));
        const form = readRoomForm(values, days, false);
        const again = (v: View, o: { errors?: Record<string, string>; error?: string }) =>
          roomFormPage(req, v, { room, values, ...o });
        if (!form.ok) {
          const errors = form.errors;
          return sendPrivatePage(req, reply, async (v) => ({
            ...(await again(v, { errors: words(v.t, errors) })),
            status: 400,
          }));
        }
        return attempt(
          req,
          reply,
          async () => {
            await updateRoom(wctx(req), room.slug, form.data);
            return done(req.locale, 'room_saved');
          },
          again,
        );
      },
    );
    for (const [what, retire] of [
      ['retire', true],
      ['reinstate', false],
    ] as const) {
      r.post(
        `/:lc${VENUE_BASE}/rooms/:room/${what}`,
        { config: edit, schema: { hide: true, params: LcRoom } },
        async (req, reply) => {
          await setRoomRetired(wctx(req), req.params.room, retire);
          return reply.redirect(done(req.locale, retire ? 'room_retired' : 'room_reinstated'), 303);
        },
      );
    }
    r.post(
      `/:lc${VENUE_BASE}/rooms/:room/delete`,
      { config: edit, schema: { hide: true, params: LcRoom } },
      async (req, reply) => {
        const room = await getStaffRoom(req.ctx, req.params.room);
        return attempt(
          req,
          reply,
          async () => {
            await deleteRoom(wctx(req), room.slug);
            return done(req.locale, 'room_deleted');
          },
          (v, o) => roomFormPage(req, v, { room, values: roomValues(room), ...o }),
        );
      },
    );

    // Floors and their plans
    r.get(`/:lc${VENUE_BASE}/floors/new`, { config: edit, schema: { hide: true, params: Lc } }, (req, reply) =>
      sendPrivatePage(req, reply, (v) => floorFormPage(req, v, { floor: null, values: {} })),
    );
    r.post(`/:lc${VENUE_BASE}/floors/new`, { config: edit, schema: { hide: true, params: Lc } }, async (req, reply) => {
      const values = (req.body ?? {}) as Values;
      const form = readFloorForm(values, true);
      const again = (v: View, o: { errors?: Record<string, string>; error?: string }) =>
        floorFormPage(req, v, { floor: null, values, ...o });
      if (!form.ok) {
        const errors = form.errors;
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await again(v, { errors: words(v.t, errors) })),
          status: 400,
        }));
      }
      return attempt(
        req,
        reply,
        async () => {
          await createFloor(wctx(req), form.data);
          return done(req.locale, 'floor_created');
        },
        again,
      );
    });
    const floorOf = async (req: FastifyRequest, slug: string) => {
      const f = (await listFloors(req.ctx.db)).find((x) => x.slug === slug);
      if (!f) throw new DomainError('floor_not_found', 404, { floor: slug });
      return f;
    };
    r.get(`/:lc${VENUE_BASE}/floors/:floor`, { config: edit, schema: { hide: true, params: LcFloor } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const floor = await floorOf(req, req.params.floor);
        return floorFormPage(req, v, { floor, values: floorValues(floor) });
      }),
    );
    r.post(
      `/:lc${VENUE_BASE}/floors/:floor`,
      { config: edit, schema: { hide: true, params: LcFloor } },
      async (req, reply) => {
        const floor = await floorOf(req, req.params.floor);
        const values = { ...((req.body ?? {}) as Values), slug: floor.slug };
        const form = readFloorForm(values, false);
        const again = (v: View, o: { errors?: Record<string, string>; error?: string }) =>
          floorFormPage(req, v, { floor, values, ...o });
        if (!form.ok) {
          const errors = form.errors;
          return sendPrivatePage(req, reply, async (v) => ({
            ...(await again(v, { errors: words(v.t, errors) })),
            status: 400,
          }));
        }
        return attempt(
          req,
          reply,
          async () => {
            await updateFloor(wctx(req), floor.slug, form.data);
            return done(req.locale, 'floor_saved');
          },
          again,
        );
      },
    );
    r.post(
      `/:lc${VENUE_BASE}/floors/:floor/plan`,
      { config: { ...edit, multipartOptions: PLAN_MULTIPART }, schema: { hide: true, params: LcFloor } },
      async (req, reply) => {
        const floor = await floorOf(req, req.params.floor);
        return attempt(
          req,
          reply,
          async () => {
            const part = (req.body as Record<string, unknown> | undefined)?.plan as
              | { type?: string; toBuffer?: () => Promise<Buffer>; file?: { truncated?: boolean } }
              | undefined;
            if (part?.type !== 'file' || !part.toBuffer) throw new DomainError('plan_unreadable', 400);
            const bytes = await part.toBuffer();
            if (part.file?.truncated || bytes.length > PLAN_MAX_BYTES)
              throw new DomainError('plan_too_large', 413, { max: PLAN_MAX_BYTES / 1024 / 1024 });
            await uploadPlan(wctx(req), floor.slug, bytes);
            return done(req.locale, 'plan_uploaded');
          },
          (v, o) => floorFormPage(req, v, { floor, values: floorValues(floor), planError: o.error }),
        );
      },
    );
    r.post(
      `/:lc${VENUE_BASE}/floors/:floor/plan/remove`,
      { config: edit, schema: { hide: true, params: LcFloor } },
      async (req, reply) => {
        await removePlan(wctx(req), req.params.floor);
        return reply.redirect(done(req.locale, 'plan_removed'), 303);
      },
    );
    r.post(
      `/:lc${VENUE_BASE}/floors/:floor/delete`,
      { config: edit, schema: { hide: true, params: LcFloor } },
      async (req, reply) => {
        const floor = await floorOf(req, req.params.floor);
        return attempt(
          req,
          reply,
          async () => {
            await deleteFloor(wctx(req), floor.slug);
            return done(req.locale, 'floor_deleted');
          },
          (v, o) => floorFormPage(req, v, { floor, values: floorValues(floor), ...o }),
        );
      },
    );
  });
}
