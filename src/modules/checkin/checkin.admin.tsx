/** What check-in gives the secretariat's desk (admin slots): people admitted today, and a person's door scans. */
import { and, countDistinct, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.js';
import { formatDateTime, genevaDate, genevaInstant } from '../../platform/i18n/format.js';
import type { View } from '../../platform/ui/page.js';
import type { AdminFigureGroup } from '../admin/index.js';
import { badges } from '../badges/badges.schema.js';
import { scans } from './checkin.schema.js';

/** The Geneva day of `now`, as instants [start, end). */
export function genevaToday(now: Date): [Date, Date] {
  const day = genevaDate(now);
  const next = new Date(`${day}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return [genevaInstant(day, '00:00'), genevaInstant(next.toISOString().slice(0, 10), '00:00')];
}

/** Badges admitted at least once today (Geneva time), whatever the door. */
export async function checkinFigures(ctx: Ctx): Promise<AdminFigureGroup[]> {
  const [from, to] = genevaToday(ctx.now);
  const [today] = await ctx.db
    .select({ n: countDistinct(scans.badgeId) })
    .from(scans)
    .where(and(eq(scans.result, 'admitted'), gte(scans.scannedAt, from), lt(scans.scannedAt, to)));
  return [
    {
      group: 'doors',
      figures: [{ key: 'checked_in_today', count: today.n, href: '/arrivals', permission: 'reports.view' }],
    },
  ];
}

/** The person's last door scans (their badges, admitted or refused). */
export async function personScans(v: View, req: FastifyRequest, personId: string) {
  const own = await req.ctx.db.select({ id: badges.id }).from(badges).where(eq(badges.personId, personId));
  const rows = own.length
    ? await req.ctx.db
        .select()
        .from(scans)
        .where(
          inArray(
            scans.badgeId,
            own.map((b) => b.id),
          ),
        )
        .orderBy(desc(scans.scannedAt))
        .limit(20)
    : [];
  const t = v.t;
  return (
    <section aria-labelledby="person-scans">
      <h2 id="person-scans">{t('secretariat.person.scans')}</h2>
      {rows.length === 0 ? (
        <p>{t('secretariat.person.no_scans')}</p>
      ) : (
        <ul class="plain stack">
          {rows.map((s) => (
            <li>
              {formatDateTime(v.locale, s.scannedAt)} · <code dir="ltr">{s.checkpoint}</code> ·{' '}
              <strong>{t(`secretariat.person.scan_${s.result}`)}</strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
