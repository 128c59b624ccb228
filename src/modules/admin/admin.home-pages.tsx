/**
 * The secretariat's home (`/{lc}/admin`): today's figures from every module (requests waiting per stage and per event,
 * visa letters waiting, badges printed, arrivals today, speaking requests waiting, messages failing), each a link to
 * its worklist, shown to those who may open it; then the desks.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime, formatNumber } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { can } from '../../platform/permissions.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage } from '../../platform/ui/page.js';
import { homeFigures } from './admin.people.js';
import type { AdminFigures } from './admin.slots.js';

const LcParams = z.object({ lc: z.string() });

export async function adminHomePages(app: FastifyInstance, opts: { figures: AdminFigures[] }) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    r.get(
      '/:lc/admin',
      { config: { permission: 'entities.view' }, schema: { hide: true, params: LcParams } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const groups = await homeFigures(req.ctx, opts.figures);
          const desks: [string, string][] = [['/admin/entities', v.t('admin.entities')]];
          if (can(req.ctx.actor, 'accounts.manage')) desks.unshift(['/admin/people', v.t('admin.people')]);
          if (can(req.ctx.actor, 'audit.view')) desks.push(['/admin/audit', v.t('admin.audit')]);
          if (can(req.ctx.actor, 'outbox.view')) desks.push(['/admin/outbox', v.t('admin.outbox')]);
          if (can(req.ctx.actor, 'organiser.manage')) desks.push(['/admin/organiser', v.t('organiser.title')]);
          return {
            title: v.t('admin.title'),
            body: (
              <section class="admin-home">
                <h1>{v.t('admin.title')}</h1>
                <p class="hint">{v.t('secretariat.figures_at', { when: formatDateTime(v.locale, v.now) })}</p>
                {groups.map((g) => (
                  <section aria-labelledby={`figures-${g.group}`}>
                    <h2 id={`figures-${g.group}`}>{v.t(`secretariat.groups.${g.group}`)}</h2>
                    <ul class="cards figures">
                      {g.figures.map((f) => (
                        <li class="card figure" data-figure={f.key}>
                          <a href={localePath(v.locale, f.href)}>
                            <span class="big" data-count={f.count}>
                              {formatNumber(v.locale, f.count)}
                            </span>{' '}
                            <span>{f.label ? text(f.label, v.locale) : v.t(`secretariat.figures.${f.key}`)}</span>
                          </a>
                        </li>
                      ))}
                    </ul>
                  </section>
                ))}
                <h2>{v.t('secretariat.desks')}</h2>
                <ul class="plain stack">
                  {desks.map(([href, label]) => (
                    <li>
                      <a href={localePath(v.locale, href)}>{label}</a>
                    </li>
                  ))}
                </ul>
              </section>
            ),
          };
        }),
    );
  });
}
