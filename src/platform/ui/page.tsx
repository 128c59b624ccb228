/** Sends a public page: the layout around a body, rendered once per cache key (see http/cache.ts). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { sendCached } from '../http/cache.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import { translator, type T } from '../i18n/messages.js';
import { navLinksFor } from './nav.js';
import { Layout, type PageMeta } from './layout.js';
import { renderDocument } from './render.js';
import { renderToString } from 'preact-render-to-string';
import { FormScopeContext, type FormScope } from './forms.js';
import { getOrganiser } from '../organiser.js';

export type View = { locale: Locale; t: T; now: Date };

/** The request's path without its locale prefix, with the query string. */
export function pathAfterLocale(url: string): string {
  const [p, qs] = url.split('?', 2) as [string, string | undefined];
  const segs = p.split('/');
  const rest = isLocale(segs[1]) ? `/${segs.slice(2).join('/')}` : p;
  return qs ? `${rest}?${qs}` : rest;
}

/** The header's links for the request's actor: what they may use, never who they are. */
function navFor(req: FastifyRequest) {
  return { signedIn: req.ctx.actor.kind === 'person', links: navLinksFor(req.ctx.actor) };
}

/** The cache variant of a public page: "" signed out; signed in, the set of header links (the same for many people). */
function navVariant(n: ReturnType<typeof navFor>): string {
  return n.signedIn ? `in:${n.links.map((l) => l.key).join(',')}` : '';
}

/**
 * A public page, rendered once per cache key (see http/cache.ts). Signed in, the header carries the person's links
 * (chosen by what they may use, so one cached page serves many people) and signs out through a confirmation page.
 */
export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  build: (v: View) => Promise<{ title: string; nav?: PageMeta['nav']; body: VNode }>,
) {
  const links = navFor(req);
  return sendCached(
    req,
    reply,
    'text/html; charset=utf-8',
    async () => {
      const locale = req.locale;
      const t = translator(locale);
      const [{ title, nav, body }, organiser] = await Promise.all([
        build({ locale, t, now: req.ctx.now }),
        getOrganiser(req.ctx.db),
      ]);
      return renderDocument(
        <Layout
          organiser={organiser}
          locale={locale}
          t={t}
          title={title}
          nav={nav}
          path={pathAfterLocale(req.url)}
          rehearsalNow={req.rehearsal ? req.ctx.now : undefined}
          {...links}
        >
          {body}
        </Layout>,
      );
    },
    navVariant(links),
  );
}

/** A page for one person (forms, account, back office): never cached, rendered for each request. */
export async function sendPrivatePage(
  req: FastifyRequest,
  reply: FastifyReply,
  build: (v: View) => Promise<{ title: string; body: VNode; status?: number; scripts?: string[]; refresh?: number }>,
) {
  const locale = req.locale;
  const t = translator(locale);
  const { title, body, status, scripts, refresh } = await build({ locale, t, now: req.ctx.now });
  const organiser = await getOrganiser(req.ctx.db);
  // The body first: the form kit counts the errors it shows, and the title says so.
  const scope: FormScope = { t, errorCount: 0 };
  const bodyHtml = renderToString(<FormScopeContext.Provider value={scope}>{body}</FormScopeContext.Provider>);
  const html = renderDocument(
    <Layout
      organiser={organiser}
      locale={locale}
      t={t}
      title={scope.errorCount ? t('validation.title_prefix', { count: scope.errorCount, title }) : title}
      bodyHtml={bodyHtml}
      path={pathAfterLocale(req.url)}
      rehearsalNow={req.rehearsal ? req.ctx.now : undefined}
      {...navFor(req)}
      scripts={scripts}
      refresh={refresh}
      csrf={req.ctx.actor.kind === 'person' ? req.csrfToken() : undefined}
    />,
  );
  return reply
    .code(status ?? 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
