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
