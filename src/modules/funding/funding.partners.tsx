/**
 * Public recognition of the Trust Fund's contributors: the partners page (`/{lc}/partners`, by tier and purpose, with
 * logos), the logos themselves (`/partners/logos/{entity}-{hash}.png`, public and cached for good: the hash is in the
 * name), and the block of partners on event pages (the events module's `eventPage` slot).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import { text } from '../../platform/i18n/localized.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPage, type View } from '../../platform/ui/page.js';
import { events } from '../events/index.js';
import { getLogo, logoPath } from './funding.logos.js';
import { formatMoney } from './funding.money.js';
import { eventPartners, listPartners, type Partner } from './funding.queries.js';

/** The event the WSIS 2026 Trust Fund belongs to: its page and the pages under it show the fund's general partners. */
export const FUND_EVENT_SLUG = 'wsis-forum-2026';

/** A partner's logo (with its text alternative in the page's language, else the partner's name) and name. */
function PartnerMark({ v, x }: { v: View; x: Partner }) {
  const name = text(x.name, v.locale);
  return (
    <>
      {x.logo && (
        <img
          class="partner-logo"
          src={logoPath(x.entityId, x.logo.sha256)}
          alt={x.logo.alt[v.locale] || name}
          width={x.logo.width}
          height={x.logo.height}
          loading="lazy"
          style="display:block;max-block-size:80px;max-inline-size:200px;inline-size:auto;block-size:auto;margin-block-end:.25rem"
        />
      )}
      <bdi>{name}</bdi>
    </>
  );
}

const listStyle = 'display:flex;flex-wrap:wrap;gap:1rem 2rem;list-style:none;padding:0';

/** The partners an event's page acknowledges, or nothing. */
export async function eventPartnersBlock(v: View, req: FastifyRequest, event: { id: number; slug: string }) {
  const db = req.ctx.db;
  // The fund's event and the events under it acknowledge the partners of the fund as a whole.
  let general = false;
  let id: number | null = event.id;
  for (let depth = 0; id != null && depth < 10 && !general; depth++) {
    const [row] = await db
      .select({ slug: events.slug, parentId: events.parentId })
      .from(events)
      .where(eq(events.id, id));
    general = row?.slug === FUND_EVENT_SLUG;
    id = row?.parentId ?? null;
  }
  const groups = await eventPartners(db, v.locale, { id: event.id, general });
  if (!groups.length) return null;
  return (
    <section aria-labelledby="event-partners" class="event-partners">
      <h2 id="event-partners">{v.t('funding.event_partners')}</h2>
      {groups.map((g) => (
        <>
          {g.tier && <h3>{text(g.tier.name, v.locale)}</h3>}
          <ul class="partners" style={listStyle}>
            {g.partners.map((x) => (
              <li data-entity={x.entityId}>
                <PartnerMark v={v} x={x} />
              </li>
            ))}
          </ul>
        </>
      ))}
      <p>
        <a href={localePath(v.locale, '/partners')}>{v.t('funding.partners_title')}</a>
      </p>
    </section>
  );
}

export async function partnersPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/partners/logos/:file',
      {
        config: { permission: 'public' },
        schema: { hide: true, params: z.object({ file: z.string().regex(/^\d{1,9}-[0-9a-f]{12}\.png$/) }) },
      },
      async (req, reply) => {
        const [entity, hash] = req.params.file.replace('.png', '').split('-');
        const logo = await getLogo(req.ctx.db, Number(entity));
        if (!logo) throw new DomainError('logo_not_found', 404);
        // An old address (a replaced logo) moves to the current one.
        if (!logo.sha256.startsWith(hash)) return reply.redirect(logoPath(Number(entity), logo.sha256), 302);
        return reply
          .header('content-type', 'image/png')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          .send(logo.png);
      },
    );
  });
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    r.get(
      '/:lc/partners',
      { config: { permission: 'public' }, schema: { hide: true, params: z.object({ lc: z.string() }) } },
      (req, reply) =>
        sendPage(req, reply, async (v) => {
          const groups = await listPartners(req.ctx.db, v.locale);
          return {
            title: v.t('funding.partners_title'),
            body: (
              <>
                <h1>{v.t('funding.partners_title')}</h1>
                <p class="lead">{v.t('funding.partners_lead')}</p>
                {!groups.length && <p>{v.t('funding.partners_none')}</p>}
                {groups.map((g) => (
                  <section class="partner-tier" data-tier={g.tier ? text(g.tier.name, 'en') : ''}>
                    <h2>{g.tier ? text(g.tier.name, v.locale) : v.t('funding.other_contributors')}</h2>
                    {g.purposes.map((p) => (
                      <>
                        <h3>{v.t(`funding.purpose.${p.purpose}`)}</h3>
                        <ul class="partners" style={listStyle}>
                          {p.partners.map((x) => (
                            <li data-entity={x.entityId}>
                              <PartnerMark v={v} x={x} />
                              {x.amount && (
                                <>
                                  {' '}
                                  · <bdi class="money">{formatMoney(v.locale, x.amount.minor, x.amount.currency)}</bdi>
                                </>
                              )}
                            </li>
                          ))}
                        </ul>
                      </>
                    ))}
                  </section>
                ))}
              </>
            ),
          };
        }),
    );
  });
}
