/** Registration pages: a participant registers and follows their requests; a focal point decides for their entity. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDateTime, intlTag } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { ChoiceField, Notice, PostForm, SelectField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { getEvents } from '../events/index.js';
import { personOf } from '../../platform/permissions.js';
import { hasPhoto } from './registration.photo.js';
import { VISA_LEAD_DAYS, visaTrip } from './registration.visa.js';

const DONE = new Set(['submitted', 'edited', 'visa', 'visa_late']);
import { FUNCTIONS, STAKEHOLDER_TYPES } from './registration.options.js';
import { SubmitInput, VIP_CATEGORIES } from './registration.input.js';
import * as svc from './registration.service.js';
import { windowState } from './registration.window.js';

const LcParams = z.object({ lc: z.string() });
const IdParams = LcParams.extend({ id: z.string().uuid() });
const Done = z.object({ done: z.string().max(20).optional() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

/** The form asks for a function: none is chosen in advance. */
const SubmitForm = SubmitInput.extend({ function: SubmitInput.shape.function.pipe(z.string().min(1)) });

/** The events one registers for (ceremonies and roundtables are sessions of these). */
export const REGISTRABLE = new Set(['forum', 'summit', 'dialogue', 'track', 'roundtable']);

/**
 * Refusing asks first, without script: the refusal posts to itself, and the answer is this page, which says what will
 * happen (the person is told, with the reason shown here) and whose button sends the refusal again, confirmed.
 */
export function confirmReject(
  req: FastifyRequest,
  reply: FastifyReply,
  path: string,
  ids: string[],
  reason: string | undefined,
) {
  return sendPrivatePage(req, reply, async (v) => ({
    title: v.t('registration.queue.confirm_reject_title', { count: Math.max(ids.length, 1) }),
    body: (
      <section class="narrow confirm" aria-labelledby="confirm-title">
        <h1 id="confirm-title" tabindex={-1} data-autofocus>
          {v.t('registration.queue.confirm_reject_title', { count: Math.max(ids.length, 1) })}
        </h1>
        <p>{v.t('registration.queue.confirm_reject_body', { count: Math.max(ids.length, 1) })}</p>
        {reason ? (
          <>
            <h2>{v.t('registration.queue.reason')}</h2>
            <blockquote dir="auto">{reason}</blockquote>
          </>
        ) : (
          <p>{v.t('registration.queue.confirm_no_reason')}</p>
        )}
        <PostForm action={localePath(v.locale, path)} csrf={req.csrfToken()} class="actions">
          <input type="hidden" name="decision" value="reject" />
          <input type="hidden" name="confirmed" value="1" />
          {reason && <input type="hidden" name="reason" value={reason} />}
          {ids.map((id) => (
            <input type="hidden" name="ids" value={id} />
          ))}
          <button type="submit" class="danger">
            {v.t('registration.queue.confirm_reject_button', { count: Math.max(ids.length, 1) })}
          </button>
          <a href={localePath(v.locale, '/focal-point')}>{v.t('confirm.cancel')}</a>
        </PostForm>
      </section>
    ),
  }));
}

export async function registrationPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const self = { permission: 'account.self' as const };

    const registerForm = async (
      req: FastifyRequest,
      v: View,
      values: Record<string, string | string[]> = {},
      errors: Record<string, string> = {},
      error?: string,
    ) => {
      const events = (await getEvents(req.ctx)).filter((e) => REGISTRABLE.has(e.kind));
      const windows = await svc.registrationWindows(req.ctx, events);
      const chosen = new Set([values.events ?? []].flat());
      const me = personOf(req.ctx);
      const category = svc.mayAssignCategory(req.ctx, me.entityId);
      return (
        <section>
          <h1>{v.t('registration.register.title')}</h1>
          <p class="lead">{v.t('registration.register.lead')}</p>
          <PostForm action={localePath(v.locale, '/register')} csrf={req.csrfToken()} errors={errors} error={error}>
            <ChoiceField
              name="events"
              type="checkbox"
              legend={v.t('registration.register.events')}
              error={errors.events}
              options={events.map((e) => {
                const w = windows.get(e.id)!;
                const state = windowState(w, req.ctx.now);
                return {
                  value: e.slug,
                  checked: state === 'open' && chosen.has(e.slug),
                  disabled: state !== 'open',
                  label: (
                    <>
                      {text(e.name, v.locale)}
                      <span class="hint">
                        {' '}
                        {state === 'open'
                          ? v.t('registration.register.closes', { date: formatDateTime(v.locale, w.closesAt) })
                          : state === 'closed'
                            ? v.t('registration.register.closed', { date: formatDateTime(v.locale, w.closesAt) })
                            : v.t('registration.register.opens', { date: formatDateTime(v.locale, w.opensAt!) })}
                      </span>
                    </>
                  ),
                };
              })}
            />
            <ChoiceField
              name="mode"
              type="radio"
              legend={v.t('registration.register.mode')}
              error={errors.mode}
              options={(['in_person', 'remote'] as const).map((m) => ({
                value: m,
                label: v.t(`registration.mode.${m}`),
                checked: (values.mode ?? 'in_person') === m,
              }))}
            />
            <SelectField
              name="stakeholderType"
              label={v.t('registration.register.stakeholder')}
              value={values.stakeholderType as string}
              error={errors.stakeholderType}
              options={STAKEHOLDER_TYPES.map((s) => [s, v.t(`registration.stakeholder.${s}`)])}
            />
            <SelectField
              name="function"
              label={v.t('registration.register.function')}
              any={v.t('registration.register.choose')}
              value={values.function as string}
              error={errors.function}
              options={FUNCTIONS.map((f) => [f, v.t(`registration.function.${f}`)])}
            />
            {category && (
              <SelectField
                name="vipCategory"
                label={v.t('registration.register.vip')}
                any={v.t('registration.register.no_vip')}
                value={values.vipCategory as string}
                error={errors.vipCategory}
                options={VIP_CATEGORIES.map((c) => [c, v.t(`registration.vip.${c}`)])}
              />
            )}
            <ChoiceField
              name="notListed"
              type="checkbox"
              legend={v.t('registration.register.listing')}
              hint={v.t('registration.register.listing_hint')}
              options={[
                { value: '1', label: v.t('registration.register.not_listed'), checked: values.notListed === '1' },
              ]}
            />
            <button type="submit">{v.t('registration.register.submit')}</button>
          </PostForm>
        </section>
      );
    };

    r.get('/:lc/register', { config: self, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => ({
        title: v.t('registration.register.title'),
        body: await registerForm(req, v),
      })),
    );
    r.post('/:lc/register', { config: self, schema: { hide: true, params: LcParams } }, async (req, reply) => {
      const body = { ...(req.body as Record<string, unknown>) };
      body.events = [body.events ?? []].flat();
      if (body.vipCategory === '') delete body.vipCategory;
      const form = parseForm(SubmitForm, { ...body, listed: body.notListed !== '1', notListed: undefined }, req.locale);
      const values = body as Record<string, string | string[]>;
      if (!form.ok)
        return sendPrivatePage(req, reply, async (v) => ({
          title: v.t('registration.register.title'),
          body: await registerForm(req, v, values, form.errors),
          status: 400,
        }));
      try {
        await svc.submitRegistration(wctx(req), form.data);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return sendPrivatePage(req, reply, async (v) => ({
          title: v.t('registration.register.title'),
          body: await registerForm(req, v, values, {}, v.t(`errors.${e.code}`, e.params)),
          status: e.status,
        }));
      }
      return reply.redirect(localePath(req.locale, '/registrations?done=submitted'), 303);
    });

    r.get(
      '/:lc/registrations',
      { config: self, schema: { hide: true, params: LcParams, querystring: Done } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const [mine, events, trip, photo] = await Promise.all([
            svc.listMyRegistrations(req.ctx),
            getEvents(req.ctx),
            visaTrip(req.ctx.db, personOf(req.ctx).id),
            hasPhoto(req.ctx, personOf(req.ctx).id),
          ]);
          const name = (id: number) => text(events.find((e) => e.id === id)?.name, v.locale);
          return {
            title: v.t('registration.mine.title'),
            body: (
              <section>
                <h1>{v.t('registration.mine.title')}</h1>
                {req.query.done && (
                  <Notice kind={req.query.done === 'visa_late' ? 'error' : 'ok'}>
                    {v.t(`registration.mine.done_${DONE.has(req.query.done) ? req.query.done : 'submitted'}`, {
                      lead: VISA_LEAD_DAYS,
                    })}
                  </Notice>
                )}
                <p>
                  <a class="button" href={localePath(v.locale, '/register')}>
                    {v.t('registration.register.title')}
                  </a>{' '}
                  <a class="button secondary" href={localePath(v.locale, '/photo')}>
                    {photo ? v.t('registration.photo.change') : v.t('registration.photo.add')}
                  </a>
                </p>
                {mine.length === 0 ? (
                  <p>{v.t('registration.mine.none')}</p>
                ) : (
                  <table class="data">
                    <thead>
                      <tr>
                        <th>{v.t('registration.col.event')}</th>
                        <th>{v.t('registration.col.mode')}</th>
                        <th>{v.t('registration.col.state')}</th>
                        <th>{v.t('registration.col.submitted')}</th>
                        <th />
                      </tr>
                    </thead>
                    <tbody>
                      {mine.map((reg) => (
                        <tr>
                          <td>{name(reg.eventId)}</td>
                          <td>{v.t(`registration.mode.${reg.mode}`)}</td>
                          <td>
                            <strong>{v.t(`registration.state.${reg.state}`)}</strong>
                            {reg.reason && <div class="hint">{reg.reason}</div>}
                          </td>
                          <td>{formatDateTime(v.locale, reg.submittedAt)}</td>
                          <td>
                            {(reg.state === 'pending_dfp' || reg.state === 'pending_secretariat') && (
                              <a href={localePath(v.locale, `/registrations/${reg.id}/edit`)}>
                                {v.t('registration.edit.link')}
                              </a>
                            )}{' '}
                            {['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'].includes(reg.state) && (
                              <PostForm
                                action={localePath(v.locale, `/registrations/${reg.id}/withdraw`)}
                                csrf={req.csrfToken()}
                                class="inline-form"
                                confirm="withdraw_registration"
                              >
                                <button type="submit" class="secondary">
                                  {v.t('registration.mine.withdraw')}
                                </button>
                              </PostForm>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                {trip.registrations.length > 0 && (
                  <>
                    <h2>{v.t('registration.visa.title')}</h2>
                    <p>
                      {v.t('registration.visa.trip', {
                        events: new Intl.ListFormat(intlTag(v.locale), { type: 'conjunction' }).format(
                          trip.registrations.map((x) => text(x.event.shortName, v.locale)),
                        ),
                      })}
                    </p>
                    <p>
                      {trip.request?.state === 'issued' ? (
                        <a class="button" href={`/api/v1/visa-requests/${trip.request.id}/letter.pdf`}>
                          {v.t('registration.visa.download')}
                        </a>
                      ) : (
                        <a
                          class="button secondary"
                          href={localePath(
                            v.locale,
                            `/registrations/${trip.request?.registrationId ?? trip.registrations[0].reg.id}/visa`,
                          )}
                        >
                          {trip.request ? v.t('registration.visa.requested_edit') : v.t('registration.visa.link')}
                        </a>
                      )}
                    </p>
                  </>
                )}
              </section>
            ),
          };
        }),
    );
    r.post(
      '/:lc/registrations/:id/withdraw',
      { config: self, schema: { hide: true, params: IdParams } },
      async (req, reply) => {
        await svc.withdrawRegistration(wctx(req), req.params.id);
        return reply.redirect(localePath(req.locale, '/registrations'), 303);
      },
    );
  });
}
