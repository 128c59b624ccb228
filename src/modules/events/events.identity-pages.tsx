/**
 * An event's short name and logo, set by administrators (`organiser.manage`): `/{lc}/admin/events/{slug}/identity`,
 * one form (the short name in the six languages, a logo to upload or remove). `/events/{slug}/logo-{hash}.png` serves
 * the logo, cached for good.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import { ENDONYMS, LOCALES } from '../../platform/i18n/locales.js';
import { formField, LOGO_ACCEPT_SVG, LOGO_MAX_BYTES, uploadedFile } from '../../platform/images.js';
import { fieldId, Notice, PostForm, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { eventLogoPath, getEventLogo, saveEventIdentity, SHORT_NAME_MAX } from './events.identity.js';
import { getEvent } from './events.service.js';

const Params = z.object({ lc: z.string(), slug: z.string().max(100) });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

export async function eventIdentityPages(app: FastifyInstance) {
  app.get(
    '/events/:slug/logo-:hash.png',
    {
      config: { permission: 'public' },
      schema: { hide: true, params: z.object({ slug: z.string().max(100), hash: z.string() }) },
    },
    async (req, reply) => {
      const { slug, hash } = req.params as { slug: string; hash: string };
      const { event } = await getEvent(req.ctx, slug);
      const logo = await getEventLogo(req.ctx.db, event.id);
      if (!logo) throw new DomainError('logo_not_found', 404);
      if (!/^[0-9a-f]{16}$/.test(hash) || !logo.sha256.startsWith(hash))
        return reply.redirect(eventLogoPath(slug, logo.sha256), 302);
      return reply
        .type('image/png')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(logo.png);
    },
  );

  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const manage = { permission: 'organiser.manage' as const };

    const page = async (
      req: FastifyRequest,
      v: View,
      slug: string,
      o: { done?: boolean; values?: Localized; error?: string; field?: string } = {},
    ) => {
      const t = v.t;
      const { event } = await getEvent(req.ctx, slug);
      const logo = await getEventLogo(req.ctx.db, event.id);
      const values = o.values ?? event.shortName;
      const errors = o.field && o.error ? { [o.field]: o.error } : undefined;
      return (
        <section class="organiser-settings">
          <h1>{t('event_identity.title', { event: text(event.name, v.locale) })}</h1>
          <p class="lead">{t('event_identity.lead')}</p>
          {o.done && <Notice kind="ok">{t('event_identity.done')}</Notice>}
          {logo ? (
            <p>
              <img
                class="organiser-logo-preview"
                src={eventLogoPath(event.slug, logo.sha256)}
                alt={t('event_identity.logo_current')}
                width={logo.width}
                height={logo.height}
              />
            </p>
          ) : (
            <p>{t('event_identity.no_logo')}</p>
          )}
          <PostForm
            action={localePath(v.locale, `/admin/events/${event.slug}/identity`)}
            csrf={req.csrfToken()}
            enctype="multipart/form-data"
            errors={errors}
            error={o.field ? undefined : o.error}
          >
            <fieldset class="stack">
              <legend>{t('event_identity.short_names')}</legend>
              {LOCALES.map((l) => (
                <TextField
                  name={`short_${l}`}
                  label={t('organiser.shortName', { lang: ENDONYMS[l] })}
                  value={values[l] ?? ''}
                  maxLength={SHORT_NAME_MAX}
                  error={errors?.[`short_${l}`]}
                  dir="auto"
                />
              ))}
            </fieldset>
            <div class="field">
              <label for={fieldId('logo')}>{t('event_identity.logo_file')}</label>
              <small class="hint" id="logo-hint">
                {t('organiser.logo_hint', { max: LOGO_MAX_BYTES / 1024 / 1024 })}
              </small>
              <input
                id={fieldId('logo')}
                type="file"
                name="logo"
                accept={LOGO_ACCEPT_SVG}
                aria-describedby="logo-hint"
              />
            </div>
            {logo && (
              <div class="field">
                <label>
                  <input type="checkbox" name="remove" value="1" /> {t('organiser.logo_remove')}
                </label>
              </div>
            )}
            <button type="submit">{t('event_identity.save')}</button>
          </PostForm>
          <p>
            <a href={localePath(v.locale, `/events/${event.slug}`)}>{t('event_identity.see_page')}</a> ·{' '}
            <a href={localePath(v.locale, '/admin/organiser')}>{t('organiser.title')}</a>
          </p>
        </section>
      );
    };

    r.get(
      '/:lc/admin/events/:slug/identity',
      {
        config: manage,
        schema: { hide: true, params: Params, querystring: z.object({ done: z.string().optional() }) },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => ({
          title: v.t('event_identity.title', { event: req.params.slug }),
          body: await page(req, v, req.params.slug, { done: req.query.done === '1' }),
        })),
    );
    r.post(
      '/:lc/admin/events/:slug/identity',
      { config: manage, schema: { hide: true, params: Params } },
      async (req, reply) => {
        const shortName = Object.fromEntries(
          LOCALES.map((l) => [l, formField(req.body, `short_${l}`).slice(0, 1000)]),
        ) as Localized;
        try {
          const file = await uploadedFile(req.body, 'logo');
          await saveEventIdentity(wctx(req), req.params.slug, {
            shortName,
            logo: file,
            removeLogo: !file && formField(req.body, 'remove') === '1',
          });
        } catch (e) {
          if (!(e instanceof DomainError) || e.status === 401 || e.status === 403 || e.code === 'event_not_found')
            throw e;
          return sendPrivatePage(req, reply, async (v) => {
            const field =
              typeof e.params?.field === 'string'
                ? String(e.params.field)
                : e.code.startsWith('logo_')
                  ? 'logo'
                  : undefined;
            return {
              title: v.t('event_identity.title', { event: req.params.slug }),
              status: e.status,
              body: await page(req, v, req.params.slug, {
                values: shortName,
                error: v.t(`errors.${e.code}`, e.params),
                field,
              }),
            };
          });
        }
        return reply.redirect(localePath(req.locale, `/admin/events/${req.params.slug}/identity?done=1`), 303);
      },
    );
  });
}
