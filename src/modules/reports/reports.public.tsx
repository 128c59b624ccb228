/**
 * Public headline figures: once the secretariat publishes them (a switch, audited), the home page and each event's
 * page say "N participants from M countries". Counts only, never a name; computed with the same figures and kept for
 * a minute per event, so the public pages' traffic never reaches the registrations table more than once a minute.
 */
import { publishEvent } from '../../platform/domain-events.js';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { formatNumber } from '../../platform/i18n/format.js';
import { authorize } from '../../platform/permissions.js';
import { appSettings } from '../../platform/platform.schema.js';
import type { View } from '../../platform/ui/page.js';
import { getFigures } from './reports.figures.js';

const KEY = 'reports.public_figures';
const TTL_MS = 60_000;
const cache = new Map<string, { at: number; participants: number; countries: number }>();

export async function publicFiguresPublished(db: DbOrTx): Promise<boolean> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KEY));
  return row?.value === 'true';
}

/** Publishes or withdraws the public headline figures. Audited. */
export async function setPublicFigures(ctx: Ctx & { db: Db }, published: boolean): Promise<void> {
  authorize(ctx, 'reports.view');
  await ctx.db.transaction(async (tx) => {
    const before = await publicFiguresPublished(tx);
    await tx
      .insert(appSettings)
      .values({ key: KEY, value: String(published) })
      .onConflictDoUpdate({ target: appSettings.key, set: { value: String(published) } });
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: published ? 'reports.figures_published' : 'reports.figures_withdrawn',
        subjectType: 'setting',
        subjectId: KEY,
        before: { published: before },
        after: { published },
      },
    );
    if (before !== published) await publishEvent(tx, ctx.now, 'reports.figures_published', { published });
    // The public pages are cached by content version: they show (or stop showing) the figures at once.
    await bumpContentVersion(tx);
  });
  cache.clear();
}

/** The public numbers for an event (or the week), when published; `null` otherwise. */
export async function publicHeadline(req: FastifyRequest, event?: string) {
  if (!(await publicFiguresPublished(req.ctx.db))) return null;
  const key = event ?? '';
  const hit = cache.get(key);
  if (hit && req.ctx.now.getTime() - hit.at < TTL_MS && hit.at <= req.ctx.now.getTime()) return hit;
  const f = await getFigures({ ...req.ctx, actor: { kind: 'system', name: 'public-figures' } }, { event });
  const v = { at: req.ctx.now.getTime(), participants: f.headline.participants, countries: f.headline.countries };
  cache.set(key, v);
  return v;
}

function Headline({ v, n }: { v: View; n: { participants: number; countries: number } }) {
  return (
    <section class="public-figures" aria-label={v.t('reports.public.label')}>
      <p class="lead">
        {v.t('reports.public.line', {
          participants: n.participants,
          countries: n.countries,
          p: formatNumber(v.locale, n.participants),
          c: formatNumber(v.locale, n.countries),
        })}
      </p>
    </section>
  );
}

export const homeFigures = async (v: View, req: FastifyRequest) => {
  const n = await publicHeadline(req);
  return n ? <Headline v={v} n={n} /> : null;
};

export const eventFigures = async (v: View, req: FastifyRequest, event: { slug: string }) => {
  const n = await publicHeadline(req, event.slug);
  return n ? <Headline v={v} n={n} /> : null;
};
