/** Sends a public page: the layout around a body, rendered once per cache key (see http/cache.ts). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { sendCached } from '../http/cache.js';
import { can } from '../permissions.js';
import { isLocale, type Locale } from '../i18n/locales.js';
import { translator, type T } from '../i18n/messages.js';
import { Layout, type PageMeta } from './layout.js';
import { renderDocument } from './render.js';

export type View = { locale: Locale; t: T; now: Date };

/** The request's path without its locale prefix, with the query string. */
export function pathAfterLocale(url: string): string {
  const [p, qs] = url.split('?', 2) as [string, string | undefined];
  const segs = p.split('/');
  const rest = isLocale(segs[1]) ? `/${segs.slice(2).join('/')}` : p;
  return qs ? `${rest}?${qs}` : rest;
}

export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  build: (v: View) => Promise<{ title: string; nav?: PageMeta['nav']; body: VNode }>,
) {
  return sendCached(req, reply, 'text/html; charset=utf-8', async () => {
    const locale = req.locale;
    const t = translator(locale);
    const { title, nav, body } = await build({ locale, t, now: req.ctx.now });
    return renderDocument(
      <Layout
        locale={locale}
        t={t}
        title={title}
        nav={nav}
        path={pathAfterLocale(req.url)}
        rehearsalNow={req.rehearsal ? req.ctx.now : undefined}
      >
        {body}
      </Layout>,
    );
  });
}

/** A page for one person (forms, account, back office): never cached, rendered for each request. */
export async function sendPrivatePage(
  req: FastifyRequest,
  reply: FastifyReply,
  build: (v: View) => Promise<{ title: string; body: VNode; status?: number; scripts?: string[] }>,
) {
  const locale = req.locale;
  const t = translator(locale);
  const { title, body, status, scripts } = await build({ locale, t, now: req.ctx.now });
  const html = renderDocument(
    <Layout
      locale={locale}
      t={t}
      title={title}
      path={pathAfterLocale(req.url)}
      rehearsalNow={req.rehearsal ? req.ctx.now : undefined}
      signedIn={req.ctx.actor.kind === 'person'}
      admin={req.ctx.actor.kind === 'person' && req.ctx.actor.role === 'admin'}
      decides={can(req.ctx.actor, 'registration.decide')}
      desk={can(req.ctx.actor, 'badges.print')}
      scans={can(req.ctx.actor, 'checkin.scan')}
      reports={can(req.ctx.actor, 'reports.view')}
      speaking={{ request: can(req.ctx.actor, 'speaking.request'), review: can(req.ctx.actor, 'speaking.review') }}
      funding={{ announce: can(req.ctx.actor, 'pledges.announce'), manage: can(req.ctx.actor, 'pledges.manage') }}
      scripts={scripts}
      csrf={req.ctx.actor.kind === 'person' ? req.csrfToken() : undefined}
    >
      {body}
    </Layout>,
  );
  return reply
    .code(status ?? 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
