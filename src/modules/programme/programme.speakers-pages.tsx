/**
 * Speakers' pages. Public (cached like the programme): `/{lc}/speakers` (in the reader's collation, in pages) and
 * `/{lc}/speakers/{slug}` (photo, names in both scripts, honorific, title, organisation, biography in the reader's
 * language or the original marked, published sessions), the photo at `/speakers/{slug}/photo.jpg`. The secretariat:
 * `/{lc}/secretariat/programme/speakers` (every speaker's confirmation state) and a speaker's page with the
 * invitation form. The speaker: `/{lc}/speaker-link/{token}` (no account), to confirm or decline and edit their
 * biography and photo.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { countryName, formatDateTime, formatNumber } from '../../platform/i18n/format.js';
import type { Localized } from '../../platform/i18n/localized.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { honorificLabel, isolate, langOnPage, titled } from '../../platform/i18n/names.js';
import { uploadedFile, type MultipartBody } from '../../platform/images.js';
import { ChoiceField, Notice, PostForm, SelectField, TextAreaField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPage, sendPrivatePage, type View } from '../../platform/ui/page.js';
import { getEvents } from '../events/index.js';
import {
  BIO_MAX,
  editThroughLink,
  getPublicSpeaker,
  getSpeakerForStaff,
  getSpeakerPhoto,
  inviteSpeaker,
  listPublicSpeakers,
  listSpeakersForStaff,
  openSpeakerLink,
  PHOTO_MAX_BYTES,
  pickBio,
  sessionsOfProfile,
  type SpeakerProfile,
  type SpeakerSummary,
} from './programme.speakers.js';
import { L, SessionList } from './programme.views.js';

const Lc = z.object({ lc: z.string() });
const LcSlug = Lc.extend({ slug: z.string().regex(/^[a-z0-9-]{1,80}$/) });
const LcId = Lc.extend({ id: z.coerce.number().int().positive().max(2_000_000_000) });
const LcToken = Lc.extend({ token: z.string().max(200) });
const PageQuery = z.object({ page: z.coerce.number().int().min(1).max(1000).optional() });
const DoneQuery = z.object({ done: z.string().max(20).optional() });
const edit = { permission: 'programme.edit' as const };
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const STAFF = '/secretariat/programme/speakers';
/** Speakers per page of the public list: every page stays light however many speak. */
export const SPEAKERS_PAGE = 200;

export const photoUrl = (p: Pick<SpeakerSummary, 'slug' | 'photoSha256'>) =>
  `/speakers/${p.slug}/photo.jpg?v=${(p.photoSha256 ?? '').slice(0, 12)}`;

/** The name in its own script with the honorific placed as the reader's language does. */
function titledName(v: View, p: SpeakerSummary) {
  return titled(p.honorific, isolate(p.name, v.locale), v.locale);
}

function TitleLine({ v, p }: { v: View; p: SpeakerSummary }) {
  const hasTitle = Object.values(p.title).some(Boolean);
  if (!hasTitle && !p.organization) return null;
  return (
    <>
      {hasTitle && <L v={v} value={p.title} />}
      {hasTitle && p.organization && v.t('list.separator')}
      {p.organization && <bdi lang={langOnPage(p.organization, v.locale)}>{p.organization}</bdi>}
    </>
  );
}

export const InviteForm = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  locale: z.enum(LOCALES),
});

export async function speakerPages(app: FastifyInstance) {
  // The photo: addressed with its hash, so it can be kept for long.
  app.get(
    '/speakers/:slug/photo.jpg',
    { config: { permission: 'public' }, schema: { hide: true, params: z.object({ slug: z.string().max(80) }) } },
    async (req, reply) => {
      const { slug } = req.params as { slug: string };
      const photo = await getSpeakerPhoto(req.ctx.db, slug);
      const etag = `"${photo.sha256.slice(0, 32)}"`;
      reply.header('etag', etag).header('cache-control', 'public, max-age=86400').type('image/jpeg');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.send(photo.jpeg);
    },
  );

  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    // ------------------------------------------------------------ public
    r.get(
      '/:lc/speakers',
      { config: { permission: 'public' }, schema: { hide: true, params: Lc, querystring: PageQuery } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const all = await listPublicSpeakers(req.ctx.db, locale);
          const pages = Math.max(1, Math.ceil(all.length / SPEAKERS_PAGE));
          const page = Math.min(req.query.page ?? 1, pages);
          const list = all.slice((page - 1) * SPEAKERS_PAGE, page * SPEAKERS_PAGE);
          return {
            title: t('speakers.title'),
            nav: 'programme',
            body: (
              <>
                <h1>{t('speakers.title')}</h1>
                <p class="result-count" role="status">
                  {t('speakers.count', { count: all.length, n: formatNumber(locale, all.length) })}
                </p>
                {all.length === 0 && <p class="empty">{t('speakers.none')}</p>}
                <ul class="plain speaker-index" id="speakers">
                  {list.map((p) => (
                    <li>
                      <a href={localePath(locale, `/speakers/${p.slug}`)}>
                        <bdi lang={langOnPage(p.name, locale, p.country)}>{p.name}</bdi>
                      </a>
                      {p.nameLatin && (
                        <>
                          {' '}
                          (<bdi lang={langOnPage(p.nameLatin, locale, p.country)}>{p.nameLatin}</bdi>)
                        </>
                      )}
                      <br />
                      <small>
                        <TitleLine v={v} p={p} />
                      </small>
                    </li>
                  ))}
                </ul>
                {pages > 1 && (
                  <nav class="pager" aria-label={t('speakers.pages')}>
                    <ul class="plain day-counts">
                      {Array.from({ length: pages }, (_, i) => i + 1).map((n) => (
                        <li>
                          <a
                            href={localePath(locale, `/speakers?page=${n}`)}
                            aria-current={n === page ? 'page' : undefined}
                          >
                            {t('speakers.page_n', { n: formatNumber(locale, n) })}
                          </a>
                        </li>
                      ))}
                    </ul>
                  </nav>
                )}
                <p>
                  <a href={localePath(locale, '/programme')}>{t('programme.title')}</a>
                </p>
              </>
            ),
          };
        }),
    );

    r.get(
      '/:lc/speakers/:slug',
      { config: { permission: 'public' }, schema: { hide: true, params: LcSlug } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const { t, locale } = v;
          const { profile: p, sessions } = await getPublicSpeaker(req.ctx.db, req.params.slug);
          const events = await getEvents(req.ctx);
          const bio = pickBio(p, locale);
          const name = titledName(v, p);
          return {
            title: p.nameLatin && p.nameLatin !== p.name ? `${p.name} (${p.nameLatin})` : p.name,
            nav: 'programme',
            body: (
              <article class="speaker-page" aria-labelledby="speaker-name">
                <p class="kicker">
                  <a href={localePath(locale, '/speakers')}>{t('speakers.title')}</a>
                </p>
                <div class="speaker-head">
                  {p.photoSha256 && (
                    <img
                      class="speaker-photo"
                      src={photoUrl(p)}
                      alt={t('speakers.photo_of', { name: p.nameLatin || p.name })}
                      width={p.photoWidth ?? undefined}
                      height={p.photoHeight ?? undefined}
                    />
                  )}
                  <div class="speaker-names">
                    <h1 id="speaker-name">
                      <bdi>{name}</bdi>
                    </h1>
                    {p.nameLatin && p.nameLatin !== p.name && (
                      <p class="name-latin">
                        <bdi lang={langOnPage(p.nameLatin, locale, p.country)}>{p.nameLatin}</bdi>
                      </p>
                    )}
                    <dl class="facts">
                      {p.honorific && honorificLabel(p.honorific, locale) && (
                        <>
                          <dt>{t('speakers.honorific')}</dt>
                          <dd>{honorificLabel(p.honorific, locale)}</dd>
                        </>
                      )}
                      {Object.values(p.title).some(Boolean) && (
                        <>
                          <dt>{t('speakers.function')}</dt>
                          <dd>
                            <L v={v} value={p.title} />
                          </dd>
                        </>
                      )}
                      {p.organization && (
                        <>
                          <dt>{t('speakers.organization')}</dt>
                          <dd>
                            <bdi lang={langOnPage(p.organization, locale)}>{p.organization}</bdi>
                          </dd>
                        </>
                      )}
                      {p.country && (
                        <>
                          <dt>{t('speakers.country')}</dt>
                          <dd>{countryName(locale, p.country)}</dd>
                        </>
                      )}
                    </dl>
                  </div>
                </div>
                {bio.text && (
                  <section aria-labelledby="bio-title">
                    <h2 id="bio-title">{t('speakers.biography')}</h2>
                    {bio.fallback && bio.lang && (
                      <p class="note" id="bio-fallback">
                        {t('speakers.bio_in_original', { lang: t(`programme_editor.lang.${bio.lang}`) })}
                      </p>
                    )}
                    {bio.text.split(/\n\s*\n/).map((para) => (
                      <p class="bio" lang={bio.lang} dir="auto">
                        {para}
                      </p>
                    ))}
                  </section>
                )}
                <section aria-labelledby="speaker-sessions">
                  <h2 id="speaker-sessions">{t('speakers.sessions', { count: sessions.length })}</h2>
                  <SessionList v={v} sessions={sessions} events={events} />
                </section>
              </article>
            ),
          };
        }),
    );

    // ------------------------------------------------------------ the secretariat
    r.get(`/:lc${STAFF}`, { config: edit, schema: { hide: true, params: Lc } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { t, locale } = v;
        const list = await listSpeakersForStaff(req.ctx, locale);
        const counts = new Map<string, number>();
        for (const p of list) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
        return {
          title: t('speakers.staff_title'),
          body: (
            <>
              <p class="kicker">
                <a href={localePath(locale, '/secretariat/programme')}>{t('programme_editor.title')}</a>
              </p>
              <h1>{t('speakers.staff_title')}</h1>
              <p>
                {(['not_invited', 'invited', 'confirmed', 'declined'] as const).map((s, i) => (
                  <>
                    {i > 0 && t('list.separator')}
                    {t(`speakers.state.${s}`)}: {formatNumber(locale, counts.get(s) ?? 0)}
                  </>
                ))}
              </p>
              <div class="table-scroll">
                <table class="data" id="staff-speakers">
                  <thead>
                    <tr>
                      <th>{t('speakers.col.name')}</th>
                      <th>{t('speakers.organization')}</th>
                      <th>{t('speakers.col.state')}</th>
                      <th>{t('speakers.col.invited')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((p) => (
                      <tr data-speaker={p.slug}>
                        <td>
                          <a href={localePath(locale, `${STAFF}/${p.id}`)}>
                            <bdi>{p.name}</bdi>
                          </a>
                          {p.nameLatin && (
                            <>
                              <br />
                              <small>
                                <bdi>{p.nameLatin}</bdi>
                              </small>
                            </>
                          )}
                        </td>
                        <td>
                          <bdi>{p.organization}</bdi>
                        </td>
                        <td class={`state state-${p.state}`}>
                          {t(`speakers.state.${p.state}`)}
                          {p.stateAt && p.state !== 'not_invited' && (
                            <>
                              <br />
                              <small>{formatDateTime(locale, p.stateAt)}</small>
                            </>
                          )}
                        </td>
                        <td>{p.invitedAt ? formatDateTime(locale, p.invitedAt) : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ),
        };
      }),
    );

    const staffSpeakerPage = async (
      req: FastifyRequest,
      v: View,
      id: number,
      o: { values?: Record<string, string>; errors?: Record<string, string>; error?: string; done?: string } = {},
    ) => {
      const { t, locale } = v;
      const d = await getSpeakerForStaff(req.ctx, id);
      const p = d.profile;
      const val = (k: string, dflt: string) => o.values?.[k] ?? dflt;
      return {
        title: t('speakers.staff_speaker', { name: p.nameLatin || p.name }),
        body: (
          <>
            <p class="kicker">
              <a href={localePath(locale, STAFF)}>{t('speakers.staff_title')}</a>
            </p>
            <h1>
              <bdi>{p.name}</bdi>
              {p.nameLatin && (
                <>
                  {' '}
                  (<bdi>{p.nameLatin}</bdi>)
                </>
              )}
            </h1>
            {o.done === 'invited' && <Notice kind="ok">{t('speakers.invited_notice')}</Notice>}
            <dl class="facts" id="speaker-state">
              <dt>{t('speakers.col.state')}</dt>
              <dd>
                {t(`speakers.state.${p.state}`)}
                {p.stateAt && p.state !== 'not_invited' && <> · {formatDateTime(locale, p.stateAt)}</>}
              </dd>
              {p.invitedAt && (
                <>
                  <dt>{t('speakers.col.invited')}</dt>
                  <dd>{formatDateTime(locale, p.invitedAt)}</dd>
                </>
              )}
              {p.linkExpiresAt && (
                <>
                  <dt>{t('speakers.link_expires')}</dt>
                  <dd>{formatDateTime(locale, p.linkExpiresAt)}</dd>
                </>
              )}
              <dt>{t('speakers.biography')}</dt>
              <dd>
                {Object.keys(p.bio).length
                  ? Object.keys(p.bio)
                      .map((l) => t(`programme_editor.lang.${l}`))
                      .join(t('list.separator'))
                  : t('speakers.none_yet')}
              </dd>
              <dt>{t('speakers.photo')}</dt>
              <dd>{p.photoSha256 ? t('speakers.photo_yes') : t('speakers.none_yet')}</dd>
              <dt>{t('speakers.public_page')}</dt>
              <dd>
                {d.sessions.length ? (
                  <a href={localePath(locale, `/speakers/${p.slug}`)}>{`/${locale}/speakers/${p.slug}`}</a>
                ) : (
                  t('speakers.no_sessions')
                )}
              </dd>
            </dl>
            <h2>{t('speakers.invite_title')}</h2>
            <p class="hint">{t('speakers.invite_hint')}</p>
            <PostForm
              action={localePath(locale, `${STAFF}/${p.id}/invite`)}
              csrf={req.csrfToken()}
              errors={o.errors}
              error={o.error}
              label={t('speakers.invite_title')}
            >
              <TextField
                name="email"
                type="email"
                label={t('speakers.email')}
                value={val('email', d.email)}
                error={o.errors?.email}
                maxLength={200}
                required
              />
              <SelectField
                name="locale"
                label={t('speakers.language')}
                value={val('locale', d.locale)}
                options={LOCALES.map((l) => [l, t(`programme_editor.lang.${l}`)])}
                error={o.errors?.locale}
              />
              <div class="form-actions">
                <button type="submit">{p.linkNonce ? t('speakers.invite_again') : t('speakers.invite')}</button>
              </div>
            </PostForm>
          </>
        ),
      };
    };

    r.get(
      `/:lc${STAFF}/:id`,
      { config: edit, schema: { hide: true, params: LcId, querystring: DoneQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, (v) => staffSpeakerPage(req, v, req.params.id, { done: req.query.done })),
    );

    r.post(`/:lc${STAFF}/:id/invite`, { config: edit, schema: { hide: true, params: LcId } }, async (req, reply) => {
      const form = parseForm(InviteForm, req.body, req.locale);
      if (!form.ok)
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await staffSpeakerPage(req, v, req.params.id, { values: form.values, errors: form.errors })),
          status: 400,
        }));
      try {
        await inviteSpeaker(wctx(req), req.params.id, form.data);
      } catch (e) {
        if (!(e instanceof DomainError) || e.code === 'speaker_not_found') throw e;
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await staffSpeakerPage(req, v, req.params.id, {
            values: form.values,
            error: v.t(`errors.${e.code}`, e.params),
          })),
          status: e.status,
        }));
      }
      return reply.redirect(localePath(req.locale, `${STAFF}/${req.params.id}?done=invited`), 303);
    });

    // ------------------------------------------------------------ the speaker's link
    const linkRefused = (req: FastifyRequest, reply: FastifyReply, e: DomainError) =>
      sendPrivatePage(req, reply, async (v) => ({
        title: v.t(`errors.${e.code}`),
        status: e.status,
        body: (
          <section class="error-page" aria-labelledby="link-error" id="speaker-link-refused">
            <h1 id="link-error">{v.t(`errors.${e.code}`)}</h1>
            <p>{v.t('speakers.link_refused_help')}</p>
            <p>
              <a href={localePath(v.locale, '/speakers')}>{v.t('speakers.title')}</a>
            </p>
          </section>
        ),
      }));

    const linkPage = async (
      req: FastifyRequest,
      v: View,
      token: string,
      p: SpeakerProfile,
      o: { values?: Record<string, string>; errors?: Record<string, string>; done?: boolean } = {},
    ) => {
      const { t, locale } = v;
      const sessions = await sessionsOfProfile(req.ctx.db, p);
      const own = (p.locale as Locale | null) ?? locale;
      const order = [own, ...LOCALES.filter((l) => l !== own)];
      const bioVal = (l: Locale) => o.values?.[`bio_${l}`] ?? p.bio[l] ?? '';
      const decision = o.values?.decision ?? (p.state === 'confirmed' || p.state === 'declined' ? p.state : '');
      return {
        title: t('speakers.link_title'),
        body: (
          <>
            <h1>{t('speakers.link_title')}</h1>
            {o.done && <Notice kind="ok">{t('speakers.link_saved')}</Notice>}
            <p class="lead">
              {t('speakers.link_lead', { name: titled(p.honorific, isolate(p.nameLatin || p.name, locale), locale) })}
            </p>
            <ul id="link-sessions">
              {sessions.map((s) => (
                <li>
                  <a href={localePath(locale, `/sessions/${s.code}`)}>
                    <L v={v} value={s.title} />
                  </a>
                </li>
              ))}
            </ul>
            <p>
              {t('speakers.col.state')}: <strong id="link-state">{t(`speakers.state.${p.state}`)}</strong>
            </p>
            <PostForm
              action={localePath(locale, `/speaker-link/${token}`)}
              csrf={req.csrfToken()}
              enctype="multipart/form-data"
              errors={o.errors}
              label={t('speakers.link_title')}
            >
              <ChoiceField
                name="decision"
                type="radio"
                legend={t('speakers.decision')}
                error={o.errors?.decision}
                options={[
                  { value: 'confirmed', label: t('speakers.confirm'), checked: decision === 'confirmed' },
                  { value: 'declined', label: t('speakers.decline'), checked: decision === 'declined' },
                ]}
              />
              <fieldset class="field field-wide">
                <legend>{t('speakers.biography')}</legend>
                <p class="hint">{t('speakers.bio_hint', { max: BIO_MAX })}</p>
                {order.map((l) => (
                  <TextAreaField
                    name={`bio_${l}`}
                    label={t('speakers.bio_in', { lang: t(`programme_editor.lang.${l}`) })}
                    value={bioVal(l)}
                    rows={l === own ? 6 : 3}
                    maxLength={BIO_MAX}
                    dir={l === 'ar' ? 'rtl' : 'auto'}
                    error={o.errors?.[`bio_${l}`]}
                  />
                ))}
              </fieldset>
              <div class="field field-wide">
                <label for="f-photo">{t('speakers.photo')}</label>
                <small class="hint" id="photo-hint">
                  {t('speakers.photo_hint', { max: PHOTO_MAX_BYTES / 1024 / 1024 })}
                </small>
                {o.errors?.photo && (
                  <p class="field-error" id="photo-error">
                    {o.errors.photo}
                  </p>
                )}
                {p.photoSha256 && sessions.length > 0 && (
                  <img class="speaker-photo" src={photoUrl(p)} alt={t('speakers.photo_current')} width={120} />
                )}
                <input
                  id="f-photo"
                  type="file"
                  name="photo"
                  accept="image/jpeg,image/png,image/webp"
                  aria-invalid={o.errors?.photo ? 'true' : undefined}
                  aria-describedby={o.errors?.photo ? 'photo-hint photo-error' : 'photo-hint'}
                />
              </div>
              <div class="form-actions">
                <button type="submit">{t('speakers.save')}</button>
              </div>
            </PostForm>
          </>
        ),
      };
    };

    r.get(
      '/:lc/speaker-link/:token',
      { config: { permission: 'public' }, schema: { hide: true, params: LcToken, querystring: DoneQuery } },
      async (req, reply) => {
        let p: SpeakerProfile;
        try {
          p = await openSpeakerLink(req.ctx.db, req.params.token, req.ctx.now);
        } catch (e) {
          if (e instanceof DomainError) return linkRefused(req, reply, e);
          throw e;
        }
        return sendPrivatePage(req, reply, (v) => linkPage(req, v, req.params.token, p, { done: !!req.query.done }));
      },
    );

    r.post(
      '/:lc/speaker-link/:token',
      { config: { permission: 'public' }, schema: { hide: true, params: LcToken } },
      async (req, reply) => {
        const token = req.params.token;
        let p: SpeakerProfile;
        try {
          p = await openSpeakerLink(req.ctx.db, token, req.ctx.now);
        } catch (e) {
          if (e instanceof DomainError) return linkRefused(req, reply, e);
          throw e;
        }
        const parts = (req.body ?? {}) as MultipartBody;
        const field = (k: string) => {
          const x = parts[k];
          const s = typeof x === 'string' ? x : typeof x?.value === 'string' ? x.value : '';
          return s.replace(/\r\n/g, '\n');
        };
        const values: Record<string, string> = { decision: field('decision') };
        const errors: Record<string, string> = {};
        const bio: Localized = {};
        for (const l of LOCALES) {
          const x = field(`bio_${l}`);
          values[`bio_${l}`] = x;
          if ([...x].length > BIO_MAX) errors[`bio_${l}`] = translateMax(req, BIO_MAX);
          else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(x))
            errors[`bio_${l}`] = errorText(req, 'bio_invalid');
          else bio[l] = x;
        }
        const decision = values.decision;
        if (decision && decision !== 'confirmed' && decision !== 'declined')
          errors.decision = errorText(req, 'decision_invalid');
        const photo = await uploadedFile(req.body, 'photo');
        if (!Object.keys(errors).length) {
          try {
            await editThroughLink(wctx(req), token, {
              decision: (decision || undefined) as 'confirmed' | 'declined' | undefined,
              bio,
              photo: photo ? { bytes: photo.bytes, mimetype: photo.mimetype } : undefined,
            });
            return reply.redirect(localePath(req.locale, `/speaker-link/${token}?done=1`), 303);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            if (!e.code.startsWith('photo_')) return linkRefused(req, reply, e);
            errors.photo = translate(req.locale, `errors.${e.code}`, e.params);
          }
        }
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await linkPage(req, v, token, p, { values, errors })),
          status: 400,
        }));
      },
    );
  });
}

const errorText = (req: FastifyRequest, key: string) => translate(req.locale, `speakers.${key}`);
const translateMax = (req: FastifyRequest, max: number) => translate(req.locale, 'speakers.bio_too_long', { max });
