/** The outgoing e-mail (`/{lc}/admin/outbox`): every message with its delivery, a preview as sent, sending again. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { ENDONYMS, isLocale } from '../../platform/i18n/locales.js';
import { KeysetPager } from '../../platform/ui/bulk-table.js';
import { Notice, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import {
  listOutboxMessages,
  OUTBOX_PAGE,
  OutboxQuery,
  previewOutboxMessage,
  resendFailedMessages,
  resendOutboxMessage,
  type OutboxMessage,
} from './admin.outbox.js';

const LcParams = z.object({ lc: z.string() });
const MessageParams = LcParams.extend({ id: z.coerce.number().int().positive() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const STATES = ['pending', 'done', 'failed'] as const;

const language = (lc: string) => (isLocale(lc) ? ENDONYMS[lc] : lc);

function StateText({ m, v }: { m: OutboxMessage; v: View }) {
  return (
    <span class={`mail-state mail-state-${m.state}`}>
      {v.t(`outbox.states.${m.state}`)} · {v.t('outbox.attempts', { count: m.attempts, max: m.maxAttempts })}
    </span>
  );
}

export async function adminOutboxPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    r.get(
      '/:lc/admin/outbox',
      {
        config: { permission: 'outbox.view' },
        schema: {
          hide: true,
          params: LcParams,
          querystring: OutboxQuery.extend({ resent: z.coerce.number().int().min(0).optional() }),
        },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const q = req.query;
          const { rows, next } = await listOutboxMessages(req.ctx, q);
          const keep = new URLSearchParams(
            Object.entries({ state: q.state, to: q.to, template: q.template }).filter(
              (e): e is [string, string] => typeof e[1] === 'string',
            ),
          );
          const url = (after?: number) => {
            const p = new URLSearchParams(keep);
            if (after) p.set('after', String(after));
            const s = p.toString();
            return localePath(v.locale, `/admin/outbox${s ? `?${s}` : ''}`);
          };
          return {
            title: v.t('admin.outbox'),
            body: (
              <section class="outbox">
                <h1>{v.t('admin.outbox')}</h1>
                {q.resent !== undefined && <Notice kind="ok">{v.t('outbox.resent_count', { count: q.resent })}</Notice>}
                <form method="get" action={localePath(v.locale, '/admin/outbox')} class="filters" role="search">
                  <SelectField
                    name="state"
                    label={v.t('outbox.filters.state')}
                    value={q.state}
                    any={v.t('outbox.filters.any_state')}
                    options={STATES.map((s) => [s, v.t(`outbox.states.${s}`)])}
                  />
                  <TextField
                    name="to"
                    type="search"
                    label={v.t('outbox.filters.to')}
                    value={q.to}
                    maxLength={254}
                    dir="ltr"
                  />
                  <TextField name="template" label={v.t('outbox.filters.template')} value={q.template} dir="ltr" />
                  <div class="form-actions">
                    <button type="submit">{v.t('admin.filter')}</button>
                  </div>
                </form>
                <PostForm
                  action={localePath(v.locale, '/admin/outbox/resend-failed')}
                  csrf={req.csrfToken()}
                  class="inline-form"
                >
                  {q.to && <input type="hidden" name="to" value={q.to} />}
                  {q.template && <input type="hidden" name="template" value={q.template} />}
                  <button type="submit" class="secondary">
                    {v.t('outbox.resend_failed')}
                  </button>
                </PostForm>
                {rows.length === 0 ? (
                  <p>{v.t('admin.none')}</p>
                ) : (
                  <table class="data stacked outbox-list">
                    <thead>
                      <tr>
                        <th scope="col">{v.t('admin.outbox_cols.date')}</th>
                        <th scope="col">{v.t('admin.outbox_cols.to')}</th>
                        <th scope="col">{v.t('admin.outbox_cols.subject')}</th>
                        <th scope="col">{v.t('outbox.state')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((m) => (
                        <tr>
                          <td data-label={v.t('admin.outbox_cols.date')}>{formatDateTime(v.locale, m.createdAt)}</td>
                          <td data-label={v.t('admin.outbox_cols.to')}>
                            <bdi class="email">{m.to}</bdi>
                          </td>
                          <td data-label={v.t('admin.outbox_cols.subject')}>
                            <a href={localePath(v.locale, `/admin/outbox/${m.id}`)}>
                              <bdi>{m.subject}</bdi>
                            </a>
                          </td>
                          <td data-label={v.t('outbox.state')}>
                            <StateText m={m} v={v} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <KeysetPager
                  t={v.t}
                  first={q.after ? url() : undefined}
                  next={next ? url(next) : null}
                  size={OUTBOX_PAGE}
                />
              </section>
            ),
          };
        }),
    );

    r.get(
      '/:lc/admin/outbox/:id',
      {
        config: { permission: 'outbox.view' },
        schema: { hide: true, params: MessageParams, querystring: z.object({ resent: z.coerce.number().optional() }) },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const { message: m, rendered, attachments } = await previewOutboxMessage(req.ctx, req.params.id);
          const dir = rendered.locale === 'ar' ? 'rtl' : 'ltr';
          return {
            title: rendered.subject,
            body: (
              <section class="outbox-message">
                <p>
                  <a href={localePath(v.locale, '/admin/outbox')}>{v.t('outbox.back')}</a>
                </p>
                <h1>
                  <bdi lang={rendered.locale}>{rendered.subject}</bdi>
                </h1>
                {req.query.resent && (
                  <Notice kind="ok">
                    {v.t('outbox.resent_one')}{' '}
                    <a href={localePath(v.locale, `/admin/outbox/${req.query.resent}`)}>{v.t('outbox.see_new')}</a>
                  </Notice>
                )}
                <dl class="facts">
                  <dt>{v.t('admin.outbox_cols.to')}</dt>
                  <dd>
                    <bdi class="email">{m.to}</bdi>
                  </dd>
                  <dt>{v.t('outbox.language')}</dt>
                  <dd>{language(rendered.locale)}</dd>
                  <dt>{v.t('outbox.state')}</dt>
                  <dd>
                    <StateText m={m} v={v} />
                  </dd>
                  <dt>{v.t('outbox.queued')}</dt>
                  <dd>{formatDateTime(v.locale, m.createdAt)}</dd>
                  {m.finishedAt && (
                    <>
                      <dt>{v.t('outbox.finished')}</dt>
                      <dd>{formatDateTime(v.locale, m.finishedAt)}</dd>
                    </>
                  )}
                  <dt>{v.t('outbox.last_answer')}</dt>
                  <dd>
                    {m.lastAnswer ? (
                      <code dir="ltr" class="smtp-answer">
                        {m.lastAnswer}
                      </code>
                    ) : (
                      v.t('outbox.no_answer')
                    )}
                  </dd>
                  {m.resentFrom && (
                    <>
                      <dt>{v.t('outbox.resent_from')}</dt>
                      <dd>
                        <a href={localePath(v.locale, `/admin/outbox/${m.resentFrom}`)}>#{m.resentFrom}</a>
                      </dd>
                    </>
                  )}
                  {attachments.length > 0 && (
                    <>
                      <dt>{v.t('outbox.attachments')}</dt>
                      <dd>
                        {attachments.map((a, i) => (
                          <>
                            {i > 0 && ', '}
                            <bdi dir="ltr">{a}</bdi>
                          </>
                        ))}
                      </dd>
                    </>
                  )}
                </dl>
                {m.credential && <p class="hint">{v.t('outbox.credential')}</p>}
                {!m.credential && (
                  <PostForm
                    action={localePath(v.locale, `/admin/outbox/${m.id}/resend`)}
                    csrf={req.csrfToken()}
                    class="inline-form"
                  >
                    <button type="submit">{v.t('outbox.resend')}</button>
                  </PostForm>
                )}
                <h2>{v.t('outbox.text_part')}</h2>
                <pre class="mail-text" dir={dir} lang={rendered.locale}>
                  {rendered.text}
                </pre>
                <h2>{v.t('outbox.html_part')}</h2>
                <iframe
                  class="mail-html"
                  title={v.t('outbox.html_part')}
                  sandbox=""
                  src={localePath(v.locale, `/admin/outbox/${m.id}/html`)}
                />
              </section>
            ),
          };
        }),
    );

    r.get(
      '/:lc/admin/outbox/:id/html',
      { config: { permission: 'outbox.view' }, schema: { hide: true, params: MessageParams } },
      async (req, reply) => {
        const { rendered } = await previewOutboxMessage(req.ctx, req.params.id);
        return reply
          .header('cache-control', 'no-store')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
          .type('text/html; charset=utf-8')
          .send(rendered.html);
      },
    );

    r.post(
      '/:lc/admin/outbox/:id/resend',
      { config: { permission: 'outbox.resend' }, schema: { hide: true, params: MessageParams } },
      async (req, reply) => {
        const id = await resendOutboxMessage(wctx(req), req.params.id);
        return reply.redirect(localePath(req.locale, `/admin/outbox/${req.params.id}?resent=${id}`), 303);
      },
    );

    r.post(
      '/:lc/admin/outbox/resend-failed',
      { config: { permission: 'outbox.resend' }, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const parsed = OutboxQuery.pick({ to: true, template: true }).safeParse(req.body ?? {});
        const f = parsed.success ? parsed.data : {};
        const n = await resendFailedMessages(wctx(req), f);
        const p = new URLSearchParams({ resent: String(n) });
        if (f.to) p.set('to', f.to);
        if (f.template) p.set('template', f.template);
        return reply.redirect(localePath(req.locale, `/admin/outbox?${p}`), 303);
      },
    );
  });
}
