/** What the badges module gives the secretariat's desk (admin slots): badges printed, and a person's badge. */
import { and, count, desc, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import type { View } from '../../platform/ui/page.js';
import type { AdminFigureGroup } from '../admin/index.js';
import { badges } from './badges.schema.js';

/** Live badges printed at least once, and those collected at the desk. */
export async function badgeFigures(ctx: Ctx): Promise<AdminFigureGroup[]> {
  const live = isNull(badges.revokedAt);
  const [printed] = await ctx.db
    .select({ n: count() })
    .from(badges)
    .where(and(live, gt(badges.printCount, 0)));
  const [collected] = await ctx.db
    .select({ n: count() })
    .from(badges)
    .where(and(live, isNotNull(badges.collectedAt)));
  return [
    {
      group: 'badges',
      figures: [
        { key: 'badges_printed', count: printed.n, href: '/badge-desk/batches', permission: 'badges.print' },
        { key: 'badges_collected', count: collected.n, href: '/badge-desk', permission: 'badges.print' },
      ],
    },
  ];
}

/** The person's badges: category, prints, collection, revocation. */
export async function personBadges(v: View, req: FastifyRequest, personId: string) {
  const rows = await req.ctx.db
    .select()
    .from(badges)
    .where(eq(badges.personId, personId))
    .orderBy(desc(badges.issuedAt));
  const t = v.t;
  return (
    <section aria-labelledby="person-badges">
      <h2 id="person-badges">{t('secretariat.person.badges')}</h2>
      {rows.length === 0 ? (
        <p>{t('secretariat.person.no_badge')}</p>
      ) : (
        <ul class="plain stack">
          {rows.map((b) => (
            <li>
              <strong>{b.category}</strong> ·{' '}
              {b.revokedAt
                ? t('secretariat.person.badge_revoked', { when: formatDateTime(v.locale, b.revokedAt) })
                : b.lastPrintedAt
                  ? t('secretariat.person.badge_printed', {
                      count: b.printCount,
                      when: formatDateTime(v.locale, b.lastPrintedAt),
                    })
                  : t('secretariat.person.badge_not_printed')}
              {b.collectedAt && (
                <> · {t('secretariat.person.badge_collected', { when: formatDateTime(v.locale, b.collectedAt) })}</>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
