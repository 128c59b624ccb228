/**
 * What registration gives the secretariat's desk (the admin module's `adminFigures` and `adminPerson` slots): the
 * requests waiting at each stage and per event, visa letters waiting; and a person's registrations with their states.
 */
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../../platform/context.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { localePath } from '../../platform/ui/layout.js';
import type { View } from '../../platform/ui/page.js';
import { people } from '../accounts/index.js';
import type { AdminFigureGroup } from '../admin/index.js';
import { events, getEvents } from '../events/index.js';
import { REGISTRABLE } from './registration.pages.js';
import { registrations, visaRequests } from './registration.schema.js';
import { registrationReference } from './registration.service.js';

const STAGES = ['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'] as const;
const WAITING = ['pending_dfp', 'pending_secretariat'] as const;

/** Requests by stage, waiting requests by event, visa letters to issue: each a count read from the rows. */
export async function registrationFigures(ctx: Ctx): Promise<AdminFigureGroup[]> {
  const byState = await ctx.db
    .select({ state: registrations.state, n: count() })
    .from(registrations)
    .where(inArray(registrations.state, [...STAGES]))
    .groupBy(registrations.state);
  const n = (s: string) => byState.find((r) => r.state === s)?.n ?? 0;
  const waitingByEvent = await ctx.db
    .select({ eventId: registrations.eventId, n: count() })
    .from(registrations)
    .where(inArray(registrations.state, [...WAITING]))
    .groupBy(registrations.eventId);
  const [visas] = await ctx.db
    .select({ n: count() })
    .from(visaRequests)
    .innerJoin(registrations, eq(visaRequests.registrationId, registrations.id))
    .where(and(eq(visaRequests.state, 'requested'), inArray(registrations.state, [...STAGES])));
  const list = (await getEvents(ctx)).filter((e) => REGISTRABLE.has(e.kind));
  return [
    {
      group: 'registrations',
      figures: [
        ...STAGES.map((s) => ({
          key: `registrations_${s}`,
          count: n(s),
          href: `/focal-point?state=${s}`,
          permission: 'registration.decide' as const,
        })),
        {
          key: 'visas_waiting',
          count: visas?.n ?? 0,
          href: '/secretariat/registration#visa',
          permission: 'registration.review' as const,
        },
      ],
    },
    {
      group: 'waiting_by_event',
      figures: list.map((e) => ({
        key: `waiting_${e.slug}`,
        label: e.shortName,
        count: waitingByEvent.find((r) => r.eventId === e.id)?.n ?? 0,
        href: `/focal-point?event=${e.slug}`,
        permission: 'registration.decide' as const,
      })),
    },
  ];
}

/** A person's registrations, per event, with state, mode, category, who made it and the visa letter. */
export async function personRegistrations(v: View, req: FastifyRequest, personId: string) {
  const rows = await req.ctx.db
    .select({ r: registrations, event: { name: events.shortName, slug: events.slug }, visa: visaRequests.state })
    .from(registrations)
    .innerJoin(events, eq(registrations.eventId, events.id))
    .leftJoin(visaRequests, eq(visaRequests.registrationId, registrations.id))
    .where(eq(registrations.personId, personId))
    .orderBy(asc(events.startDate), asc(registrations.submittedAt));
  const makers = [...new Set(rows.map((x) => x.r.registeredBy).filter((id) => id !== personId))];
  const staff = new Set(
    makers.length
      ? (
          await req.ctx.db
            .select({ id: people.id })
            .from(people)
            .where(and(inArray(people.id, makers), inArray(people.role, ['admin', 'staff'])))
        ).map((x) => x.id)
      : [],
  );
  const madeBy = (r: { registeredBy: string; personId: string }) =>
    r.registeredBy === r.personId ? 'by_self' : staff.has(r.registeredBy) ? 'by_staff' : 'by_focal_point';
  const t = v.t;
  return (
    <section aria-labelledby="person-registrations">
      <h2 id="person-registrations">{t('secretariat.person.registrations')}</h2>
      {rows.length === 0 ? (
        <p>{t('secretariat.person.no_registrations')}</p>
      ) : (
        <table class="data stacked">
          <thead>
            <tr>
              <th scope="col">{t('registration.col.event')}</th>
              <th scope="col">{t('registration.col.state')}</th>
              <th scope="col">{t('registration.col.mode')}</th>
              <th scope="col">{t('secretariat.person.reference')}</th>
              <th scope="col">{t('secretariat.person.made_by')}</th>
              <th scope="col">{t('secretariat.person.visa')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ r, event, visa }) => (
              <tr>
                <td data-label={t('registration.col.event')}>{text(event.name, v.locale)}</td>
                <td data-label={t('registration.col.state')}>
                  <strong>{t(`registration.state.${r.state}`)}</strong>
                  {r.vipCategory && <> · {r.vipCategory}</>}
                </td>
                <td data-label={t('registration.col.mode')}>{t(`registration.mode.${r.mode}`)}</td>
                <td data-label={t('secretariat.person.reference')}>
                  <code dir="ltr">{registrationReference(r.id)}</code>
                  <div class="hint">{formatDateTime(v.locale, r.submittedAt)}</div>
                </td>
                <td data-label={t('secretariat.person.made_by')}>{t(`secretariat.person.${madeBy(r)}`)}</td>
                <td data-label={t('secretariat.person.visa')}>{visa ? t(`secretariat.person.visa_${visa}`) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={localePath(v.locale, `/admin/people/${personId}/register`)}>{t('secretariat.on_behalf.title')}</a>
      </p>
    </section>
  );
}
