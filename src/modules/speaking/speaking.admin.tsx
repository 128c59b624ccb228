/** What speaking gives the secretariat's desk (admin slots): requests waiting, and a person's speaking requests. */
import { count, desc, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.js';
import { text } from '../../platform/i18n/localized.js';
import type { View } from '../../platform/ui/page.js';
import type { AdminFigureGroup } from '../admin/index.js';
import { events } from '../events/index.js';
import { speakingRequests } from './speaking.schema.js';

/** Speaking requests submitted and not yet decided. */
export async function speakingFigures(ctx: Ctx): Promise<AdminFigureGroup[]> {
  const [waiting] = await ctx.db
    .select({ n: count() })
    .from(speakingRequests)
    .where(eq(speakingRequests.state, 'submitted'));
  return [
    {
      group: 'speaking',
      figures: [
        {
          key: 'speaking_waiting',
          count: waiting.n,
          href: '/secretariat/speaking?state=submitted',
          permission: 'speaking.review',
        },
      ],
    },
  ];
}

/** The requests in which the person is the speaker. */
export async function personSpeaking(v: View, req: FastifyRequest, personId: string) {
  const rows = await req.ctx.db
    .select({ r: speakingRequests, event: events.shortName })
    .from(speakingRequests)
    .innerJoin(events, eq(speakingRequests.eventId, events.id))
    .where(eq(speakingRequests.speakerPersonId, personId))
    .orderBy(desc(speakingRequests.submittedAt));
  if (!rows.length) return null;
  const t = v.t;
  return (
    <section aria-labelledby="person-speaking">
      <h2 id="person-speaking">{t('secretariat.person.speaking')}</h2>
      <ul class="plain stack">
        {rows.map(({ r, event }) => (
          <li>
            {text(event, v.locale)} · {t(`speaking.kind.${r.kind}`)} · <strong>{t(`speaking.state.${r.state}`)}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}
