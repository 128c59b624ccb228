/**
 * The administrators' webhook pages: subscriptions, a form to add one (the secret shown once), and each
 * subscription's page with its deliveries, every attempt's status and time, replay, test, enable/disable, rotate and
 * delete (asking first). No script needed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { parseForm } from '../../platform/http/forms.js';
import { ChoiceField, type FieldErrors, Notice, PostForm, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { SubscriptionForm } from './webhooks.input.js';
import * as svc from './webhooks.service.js';

const LcParams = z.object({ lc: z.string() });
const IdParams = LcParams.extend({ id: z.coerce.number().int().positive() });
const w = (req: FastifyRequest) => req.ctx as Ctx & { db: Db };
const config = { permission: 'webhooks.manage' as const };
const DONE = ['saved', 'tested', 'replayed', 'enabled', 'disabled'] as const;

const errorText = (v: View, e: unknown) =>
  e instanceof DomainError ? v.t(`errors.${e.code}`, e.params) : v.t('errors.invalid_input');

/** `registration<wbr>.submitted`: a long event name wraps at a dot, never inside a word. */
const breakAfterDots = (type: string) =>
  type.split('.').flatMap((part, i) => (i === 0 ? [part] : [<wbr />, `.${part}`]));

/** What an event means, in the reader's language (the catalogue's English summary when not translated). */
function typeSummary(v: View, c: { type: string; summary: string }): string {
  const key = `webhooks.types.${c.type.replace(/\./g, '_')}`;
  const said = v.t(key);
  return said === key ? c.summary : said;
}

function EventChoices(props: { v: View; checked: readonly string[]; error?: string }) {
  return (
    <ChoiceField
      name="eventTypes"
      type="checkbox"
      legend={props.v.t('webhooks.events')}
      error={props.error}
      options={svc.catalogue().map((c) => ({
        value: c.type,
        checked: props.checked.includes(c.type),
        label: (
          <span class="event-type">
            <code dir="ltr">{breakAfterDots(c.type)}</code>
            <small>{typeSummary(props.v, c)}</small>
          </span>
        ),
      }))}
    />
  );
}

function SubscriptionFields(props: {
  v: View;
  values: Record<string, string>;
  types: readonly string[];
  errors: FieldErrors;
}) {
  const { v, values, errors } = props;
  return (
    <>
      <TextField
        name="url"
        type="url"
        dir="ltr"
        wide
        label={v.t('webhooks.url')}
        hint={v.t('webhooks.url_hint')}
        value={values.url}
        maxLength={2000}
        error={errors.url}
        required
      />
      <TextField
        name="description"
        wide
        label={v.t('webhooks.description')}
        value={values.description}
        maxLength={200}
        error={errors.description}
      />
      <EventChoices v={v} checked={props.types} error={errors.eventTypes} />
    </>
  );
}

const formTypes = (body: unknown): string[] => {
  const t = (body as Record<string, unknown> | undefined)?.eventTypes;
  return Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : [];
};

export async function webhooksPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    const listPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      form: { values: Record<string, string>; types: string[]; errors: FieldErrors; error?: string } = {
        values: {},
        types: [],
        errors: {},
      },
      status = 200,
    ) =>
      sendPrivatePage(req, reply, async (v) => {
        const list = await svc.listSubscriptions(req.ctx);
        return {
          title: v.t('webhooks.title'),
          status,
          body: (
            <section>
              <h1>{v.t('webhooks.title')}</h1>
              <p>{v.t('webhooks.intro')}</p>
              {list.length === 0 ? (
                <p>{v.t('webhooks.none')}</p>
              ) : (
                <table class="data">
                  <caption class="visually-hidden">{v.t('webhooks.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{v.t('webhooks.url')}</th>
                      <th scope="col">{v.t('webhooks.events')}</th>
                      <th scope="col">{v.t('webhooks.state')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((s) => (
                      <tr>
                        <td>
                          <a href={localePath(v.locale, `/admin/webhooks/${s.id}`)} dir="ltr">
                            {s.url}
                          </a>
                          {s.description && (
                            <>
                              <br />
                              <small>{s.description}</small>
                            </>
                          )}
                        </td>
                        <td>{s.eventTypes.length}</td>
                        <td>{stateLabel(v, s)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h2 id="new">{v.t('webhooks.new')}</h2>
              <PostForm
                action={localePath(v.locale, '/admin/webhooks')}
                csrf={req.csrfToken()}
                errors={form.errors}
                error={form.error}
              >
                <SubscriptionFields v={v} values={form.values} types={form.types} errors={form.errors} />
                <div class="form-actions">
                  <button type="submit">{v.t('webhooks.create')}</button>
                </div>
              </PostForm>
            </section>
          ),
        };
      });

    r.get('/:lc/admin/webhooks', { config, schema: { hide: true, params: LcParams } }, (req, reply) =>
      listPage(req, reply),
    );

    r.post('/:lc/admin/webhooks', { config, schema: { hide: true, params: LcParams } }, async (req, reply) => {
      const form = parseForm(SubscriptionForm, req.body, req.locale);
      const types = formTypes(req.body);
      if (!form.ok) return listPage(req, reply, { values: form.values, types, errors: form.errors }, 400);
      const created = await svc.createSubscription(w(req), form.data);
      // The secret is shown on this answer only (never in a URL, never again).
      return detailPage(req, reply, created.id, { secret: created.secret, status: 201 });
    });

    const detailPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      id: number,
      opts: {
        secret?: string;
        done?: string;
        form?: { values: Record<string, string>; types: string[]; errors: FieldErrors; error?: string };
        /** A refusal to show (a DomainError), in the reader's language. */
        error?: unknown;
        status?: number;
      } = {},
    ) =>
      sendPrivatePage(req, reply, async (v) => {
        const s = await svc.getSubscription(req.ctx, id);
        const deliveries = await svc.listDeliveries(req.ctx, id, { limit: 50 });
        const base = `/admin/webhooks/${id}`;
        const form = opts.form ?? {
          values: { url: s.url, description: s.description },
          types: s.eventTypes,
          errors: {},
        };
        const csrf = req.csrfToken();
        return {
          title: v.t('webhooks.subscription'),
          status: opts.status,
          body: (
            <section>
              <p>
                <a href={localePath(v.locale, '/admin/webhooks')}>{v.t('webhooks.title')}</a>
              </p>
              <h1>
                {v.t('webhooks.subscription')} <bdi dir="ltr">{s.url}</bdi>
              </h1>
              {opts.secret && (
                <Notice kind="ok">
                  <p>{v.t('webhooks.secret_once')}</p>
                  <p>
                    <code dir="ltr" class="secret">
                      {opts.secret}
                    </code>
                  </p>
                </Notice>
              )}
              {opts.done && <Notice kind="ok">{v.t(`webhooks.done.${opts.done}`)}</Notice>}
              {opts.error !== undefined && <Notice kind="error">{errorText(v, opts.error)}</Notice>}
              <p>
                {v.t('webhooks.state')}: <strong>{stateLabel(v, s)}</strong>
                {s.consecutiveFailures > 0 && <> · {v.t('webhooks.failures', { count: s.consecutiveFailures })}</>}
              </p>
              <div class="form-actions">
                <PostForm action={localePath(v.locale, `${base}/test`)} csrf={csrf} class="inline-form">
                  <button type="submit" class="secondary">
                    {v.t('webhooks.send_test')}
                  </button>
                </PostForm>
                <PostForm
                  action={localePath(v.locale, `${base}/${s.active ? 'disable' : 'enable'}`)}
                  csrf={csrf}
                  class="inline-form"
                >
                  <button type="submit" class="secondary">
                    {v.t(s.active ? 'webhooks.disable' : 'webhooks.enable')}
                  </button>
                </PostForm>
                <PostForm action={localePath(v.locale, `${base}/rotate`)} csrf={csrf} class="inline-form">
                  <button type="submit" class="secondary">
                    {v.t('webhooks.rotate')}
                  </button>
                </PostForm>
                <PostForm
                  action={localePath(v.locale, `${base}/delete`)}
                  csrf={csrf}
                  class="inline-form"
                  confirm="delete_webhook"
                >
                  <button type="submit" class="secondary">
                    {v.t('webhooks.delete')}
                  </button>
                </PostForm>
              </div>
              <h2>{v.t('webhooks.deliveries')}</h2>
              {deliveries.length === 0 ? (
                <p>{v.t('webhooks.no_deliveries')}</p>
              ) : (
                <div class="table-scroll">
                  <table class="data">
                    <caption class="visually-hidden">{v.t('webhooks.deliveries')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{v.t('webhooks.event')}</th>
                        <th scope="col">{v.t('webhooks.delivery_state')}</th>
                        <th scope="col">{v.t('webhooks.attempts')}</th>
                        <th scope="col">{v.t('webhooks.action')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {deliveries.map((d) => (
                        <tr>
                          <td>
                            <code>{d.type}</code>
                            <br />
                            <small dir="ltr">{d.messageId}</small>
                            {d.replayOf && <small> · {v.t('webhooks.replay_of', { id: d.replayOf })}</small>}
                          </td>
                          <td>{v.t(`webhooks.delivery_states.${d.state}`)}</td>
                          <td>
                            {d.attemptsLog.length === 0 ? (
                              '—'
                            ) : (
                              <ol class="plain">
                                {d.attemptsLog.map((a) => (
                                  <li>
                                    {formatDateTime(v.locale, a.attemptedAt)} ·{' '}
                                    <bdi dir="ltr">{a.status ?? a.error}</bdi> ·{' '}
                                    {v.t('webhooks.duration', { ms: a.durationMs })}
                                  </li>
                                ))}
                              </ol>
                            )}
                          </td>
                          <td>
                            {d.state !== 'pending' && (
                              <PostForm
                                action={localePath(v.locale, `${base}/deliveries/${d.id}/replay`)}
                                csrf={csrf}
                                class="inline-form"
                              >
                                <button type="submit" class="secondary">
                                  {v.t('webhooks.replay')}
                                </button>
                              </PostForm>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <h2>{v.t('webhooks.edit')}</h2>
              <PostForm action={localePath(v.locale, base)} csrf={csrf} errors={form.errors} error={form.error}>
                <SubscriptionFields v={v} values={form.values} types={form.types} errors={form.errors} />
                <div class="form-actions">
                  <button type="submit">{v.t('webhooks.save')}</button>
                </div>
              </PostForm>
              <h2>{v.t('webhooks.verify_title')}</h2>
              <p>{v.t('webhooks.verify_body')}</p>
            </section>
          ),
        };
      });

    r.get(
      '/:lc/admin/webhooks/:id',
      {
        config,
        schema: { hide: true, params: IdParams, querystring: z.object({ done: z.enum(DONE).optional() }) },
      },
      (req, reply) => detailPage(req, reply, req.params.id, { done: req.query.done }),
    );

    const back = (req: FastifyRequest, id: number, done: (typeof DONE)[number]) =>
      localePath(req.locale, `/admin/webhooks/${id}?done=${done}`);

    r.post('/:lc/admin/webhooks/:id', { config, schema: { hide: true, params: IdParams } }, async (req, reply) => {
      const form = parseForm(SubscriptionForm, req.body, req.locale);
      if (!form.ok)
        return detailPage(req, reply, req.params.id, {
          form: { values: form.values, types: formTypes(req.body), errors: form.errors },
          status: 400,
        });
      await svc.updateSubscription(w(req), req.params.id, { ...form.data, description: form.data.description ?? '' });
      return reply.redirect(back(req, req.params.id, 'saved'), 303);
    });
    for (const [action, active] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      r.post(
        `/:lc/admin/webhooks/:id/${action}`,
        { config, schema: { hide: true, params: IdParams } },
        async (req, reply) => {
          await svc.updateSubscription(w(req), req.params.id, { active });
          return reply.redirect(back(req, req.params.id, active ? 'enabled' : 'disabled'), 303);
        },
      );
    }
    r.post(
      '/:lc/admin/webhooks/:id/rotate',
      { config, schema: { hide: true, params: IdParams } },
      async (req, reply) => {
        const { secret } = await svc.rotateSecret(w(req), req.params.id);
        return detailPage(req, reply, req.params.id, { secret });
      },
    );
    r.post('/:lc/admin/webhooks/:id/test', { config, schema: { hide: true, params: IdParams } }, async (req, reply) => {
      await svc.sendTestMessage(w(req), req.params.id);
      return reply.redirect(back(req, req.params.id, 'tested'), 303);
    });
    r.post(
      '/:lc/admin/webhooks/:id/delete',
      { config, schema: { hide: true, params: IdParams } },
      async (req, reply) => {
        await svc.deleteSubscription(w(req), req.params.id);
        return reply.redirect(localePath(req.locale, '/admin/webhooks'), 303);
      },
    );
    r.post(
      '/:lc/admin/webhooks/:id/deliveries/:deliveryId/replay',
      { config, schema: { hide: true, params: IdParams.extend({ deliveryId: z.coerce.number().int().positive() }) } },
      async (req, reply) => {
        try {
          await svc.replayDelivery(w(req), req.params.id, req.params.deliveryId);
        } catch (e) {
          if (!(e instanceof DomainError) || e.status === 404) throw e;
          return detailPage(req, reply, req.params.id, { error: e, status: e.status });
        }
        return reply.redirect(back(req, req.params.id, 'replayed'), 303);
      },
    );
  });
}

function stateLabel(v: View, s: { active: boolean; disabledReason: string | null }): string {
  if (s.active) return v.t('webhooks.states.active');
  return v.t(s.disabledReason === 'failures' ? 'webhooks.states.disabled_failures' : 'webhooks.states.disabled');
}
