/**
 * The organiser's identity, set by administrators (`organiser.manage`): `/{lc}/admin/organiser` with its name, short
 * name and letterhead address line in the six languages (one form), and its logo (a second form: an upload, checked
 * and re-encoded by the platform, or removed). `/organiser/logo-{hash}.png` serves the logo, cached for good.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import { ENDONYMS, LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { formField, LOGO_ACCEPT_SVG, LOGO_MAX_BYTES, uploadedFile } from '../../platform/images.js';
import {
  getOrganiser,
  ORGANISER_LIMITS,
  organiserLogoPath,
  saveOrganiser,
  type Organiser,
} from '../../platform/organiser.js';
import { fieldId, Notice, PostForm, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { getEvents } from '../events/index.js';

const LcParams = z.object({ lc: z.string() });
const DoneQ = z.object({ done: z.enum(['saved', 'logo']).optional() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const FIELDS = ['name', 'shortName', 'address'] as const;
type Field = (typeof FIELDS)[number];
const inputName = (f: Field, l: Locale) => `${f === 'shortName' ? 'short' : f}_${l}`;

type State = {
  done?: string;
  form?: 'names' | 'logo';
  error?: string;
  field?: string;
  values?: Record<Field, Localized>;
};

function organiserPage(req: FastifyRequest, o: State = {}) {
  return async (v: View): Promise<{ title: string; body: VNode; status?: number }> => {
    const t = v.t;
    const org: Organiser = await getOrganiser(req.ctx.db);
    const eventList = await getEvents(req.ctx);
    const values = o.values ?? { name: org.name, shortName: org.shortName, address: org.address };
    const csrf = req.csrfToken();
    const base = localePath(v.locale, '/admin/organiser');
    const textError = o.field ? { [o.field]: o.error ?? '' } : undefined;
    return {
      title: t('organiser.title'),
      body: (
        <section class="organiser-settings">
          <h1>{t('organiser.title')}</h1>
          <p class="lead">{t('organiser.lead')}</p>
          {o.done && <Notice kind="ok">{t(`organiser.done_${o.done}`)}</Notice>}
          <PostForm
            action={base}
            csrf={csrf}
            class="stack"
            label={t('organiser.names')}
            errors={textError}
            error={o.form === 'names' && !o.field ? o.error : undefined}
          >
            <h2>{t('organiser.names')}</h2>
            {LOCALES.map((l) => (
              <fieldset class="stack">
                <legend>{ENDONYMS[l]}</legend>
                {FIELDS.map((f) => (
                  <TextField
                    name={inputName(f, l)}
                    label={t(`organiser.${f}`, { lang: ENDONYMS[l] })}
                    value={values[f][l] ?? ''}
                    maxLength={ORGANISER_LIMITS[f]}
                    error={textError?.[inputName(f, l)]}
                    dir="auto"
                    wide={f !== 'shortName'}
                  />
                ))}
              </fieldset>
            ))}
            <button type="submit">{t('organiser.save')}</button>
          </PostForm>
          <h2>{t('organiser.logo')}</h2>
          {org.logo ? (
            <p>
              <img
                class="organiser-logo-preview"
                src={organiserLogoPath(org.logo.sha256)}
                alt={t('organiser.logo_current')}
                width={org.logo.width}
                height={org.logo.height}
              />
            </p>
          ) : (
            <p>{t('organiser.no_logo')}</p>
          )}
          <PostForm
            action={`${base}/logo`}
            csrf={csrf}
            class="stack"
            enctype="multipart/form-data"
            label={t('organiser.logo')}
            error={o.form === 'logo' ? o.error : undefined}
          >
            <div class="field">
              <label for={fieldId('logo')}>{t('organiser.logo_file')}</label>
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
            {org.logo && (
              <div class="field">
                <label>
                  <input type="checkbox" name="remove" value="1" /> {t('organiser.logo_remove')}
                </label>
              </div>
            )}
            <button type="submit">{t('organiser.logo_save')}</button>
          </PostForm>
          <h2 id="events">{t('event_identity.list')}</h2>
          <p class="hint">{t('event_identity.list_hint')}</p>
          <ul>
            {eventList.map((e) => (
              <li>
                <a href={localePath(v.locale, `/admin/events/${e.slug}/identity`)}>{text(e.name, v.locale)}</a>
                {' · '}
                {text(e.shortName, v.locale)}
              </li>
            ))}
          </ul>
        </section>
      ),
      status: o.error ? 400 : undefined,
    };
  };
}

/** Runs a form's operation; a refused one re-renders the page with its translated error (status from the error). */
async function attempt(req: FastifyRequest, reply: FastifyReply, op: () => Promise<string>, state: () => State) {
  try {
    return reply.redirect(await op(), 303);
  } catch (e) {
    if (!(e instanceof DomainError) || e.status === 401 || e.status === 403) throw e;
    return sendPrivatePage(req, reply, async (v) => ({
      ...(await organiserPage(req, {
        ...state(),
        error: v.t(`errors.${e.code}`, e.params),
        field: typeof e.params?.field === 'string' ? String(e.params.field) : undefined,
      })(v)),
      status: e.status,
    }));
  }
}

export async function organiserPages(app: FastifyInstance) {
  app.get(
    '/organiser/logo-:hash.png',
    { config: { permission: 'public' }, schema: { hide: true, params: z.object({ hash: z.string() }) } },
    async (req, reply) => {
      const org = await getOrganiser(req.ctx.db);
      const { hash } = req.params as { hash: string };
      if (!org.logo) throw new DomainError('logo_not_found', 404);
      if (!/^[0-9a-f]{16}$/.test(hash) || !org.logo.sha256.startsWith(hash))
        return reply.redirect(organiserLogoPath(org.logo.sha256), 302);
      return reply
        .type('image/png')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(org.logo.png);
    },
  );

  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const manage = { permission: 'organiser.manage' as const };
    r.get(
      '/:lc/admin/organiser',
      { config: manage, schema: { hide: true, params: LcParams, querystring: DoneQ } },
      (req, reply) => sendPrivatePage(req, reply, organiserPage(req, { done: req.query.done })),
    );
    r.post('/:lc/admin/organiser', { config: manage, schema: { hide: true, params: LcParams } }, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(
        FIELDS.map((f) => [
          f,
          Object.fromEntries(LOCALES.map((l) => [l, String(body[inputName(f, l)] ?? '').slice(0, 1000)])),
        ]),
      ) as Record<Field, Localized>;
      return attempt(
        req,
        reply,
        async () => {
          await saveOrganiser(wctx(req), values);
          return localePath(req.locale, '/admin/organiser?done=saved');
        },
        () => ({ form: 'names', values }),
      );
    });
    r.post(
      '/:lc/admin/organiser/logo',
      { config: manage, schema: { hide: true, params: LcParams } },
      async (req, reply) =>
        attempt(
          req,
          reply,
          async () => {
            const org = await getOrganiser(req.ctx.db);
            const file = await uploadedFile(req.body, 'logo');
            const remove = formField(req.body, 'remove') === '1';
            if (!file && !remove) throw new DomainError('logo_unreadable', 400);
            await saveOrganiser(wctx(req), {
              name: org.name,
              shortName: org.shortName,
              address: org.address,
              logo: file,
              removeLogo: remove && !file,
            });
            return localePath(req.locale, '/admin/organiser?done=logo');
          },
          () => ({ form: 'logo' }),
        ),
    );
  });
}
