import type { FastifyRequest } from 'fastify';
import { translator } from '../i18n/messages.js';
import { hasMessage } from '../i18n/messages.js';
import { Layout } from './layout.js';
import { renderDocument } from './render.js';
import { isLocale } from '../i18n/locales.js';

export function renderErrorPage(
  req: FastifyRequest,
  status: number,
  code: string,
  errors: { field: string; message: string }[],
  params: Record<string, string | number> = {},
) {
  const locale = req.locale ?? 'en';
  const t = translator(locale);
  const key = hasMessage(locale, `errors.${code}`) ? `errors.${code}` : 'errors.unexpected';
  const [, first, ...rest] = req.url.split('?')[0].split('/');
  const path = isLocale(first) ? `/${rest.join('/')}` : req.url.split('?')[0];
  if (code === 'unauthenticated' && req.method === 'GET') return renderWayIn(req, path);
  return renderDocument(
    <Layout locale={locale} t={t} title={t(key, params)} path={path}>
      <section class="error-page" aria-labelledby="error-title">
        <h1 id="error-title">{t(key, params)}</h1>
        <p class="error-status">{t('errors.status', { status })}</p>
        {errors.length > 0 && (
          <ul class="error-list">
            {errors.map((e) => (
              <li>{e.message}</li>
            ))}
          </ul>
        )}
        <p>
          <a href={`/${locale}/`}>{t('errors.back_home')}</a>
        </p>
      </section>
    </Layout>,
  );
}

/**
 * A page for signed-in people, asked for while signed out: what it is for, and a way in (sign in, sign up) that
 * returns here afterwards. The registration page explains how registering works.
 */
function renderWayIn(req: FastifyRequest, path: string) {
  const locale = req.locale ?? 'en';
  const t = translator(locale);
  const next = encodeURIComponent(`/${locale}${path}${req.url.includes('?') ? `?${req.url.split('?')[1]}` : ''}`);
  const register = path === '/register';
  const title = t(register ? 'way_in.register_title' : 'way_in.title');
  return renderDocument(
    <Layout locale={locale} t={t} title={title} path={path}>
      <section class="narrow way-in" aria-labelledby="way-in-title">
        <h1 id="way-in-title">{title}</h1>
        <p class="lead">{t(register ? 'way_in.register_lead' : 'way_in.lead')}</p>
        <p class="actions">
          <a class="button" href={`/${locale}/sign-in?next=${next}`}>
            {t('way_in.sign_in')}
          </a>
          <a class="button secondary" href={`/${locale}/sign-up?next=${next}`}>
            {t('way_in.sign_up')}
          </a>
        </p>
      </section>
    </Layout>,
  );
}
