/** The secretariat's back office: audit trail, outgoing e-mail (the home and the people desk: admin.home-pages.tsx, admin.people-pages.tsx). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatDateTime } from '../../platform/i18n/format.js';
import { TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage } from '../../platform/ui/page.js';
import { AuditQuery } from './admin.input.js';
import { browseAudit, browseOutbox } from './admin.service.js';

const LcParams = z.object({ lc: z.string() });

export async function adminPages(app: FastifyInstance, opts: { dataDir: string }) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    r.get(
      '/:lc/admin/audit',
      { config: { permission: 'audit.view' }, schema: { hide: true, params: LcParams, querystring: AuditQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const rows = await browseAudit(req.ctx, req.query);
          const q = req.query;
          return {
            title: v.t('admin.audit'),
            body: (
              <section>
                <h1>{v.t('admin.audit')}</h1>
                <form method="get" action={localePath(v.locale, '/admin/audit')} class="filters" role="search">
                  <TextField name="person" label={v.t('admin.audit_filters.person')} value={q.person} />
                  <TextField name="entity" label={v.t('admin.audit_filters.entity')} value={q.entity} />
                  <TextField name="action" label={v.t('admin.audit_filters.action')} value={q.action} />
                  <TextField name="from" label={v.t('admin.audit_filters.from')} value={q.from} />
                  <TextField name="to" label={v.t('admin.audit_filters.to')} value={q.to} />
                  <div class="form-actions">
                    <button type="submit">{v.t('admin.filter')}</button>
                  </div>
                </form>
                {rows.length === 0 ? (
                  <p>{v.t('admin.none')}</p>
                ) : (
                  <table class="data">
                    <thead>
                      <tr>
                        {(['at', 'actor', 'acting_for', 'action', 'subject', 'ip', 'changes'] as const).map((c) => (
                          <th>{v.t(`admin.audit_cols.${c}`)}</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((a) => (
                        <tr>
                          <td>{formatDateTime(v.locale, a.at)}</td>
                          <td>
                            <code dir="ltr">{a.actor}</code>
                          </td>
                          <td>{a.actingFor ?? ''}</td>
                          <td>
                            <code dir="ltr">{a.action}</code>
                          </td>
                          <td>
                            <code dir="ltr">{`${a.subjectType}:${a.subjectId}`}</code>
                          </td>
                          <td dir="ltr">{a.ip ?? ''}</td>
                          <td>
                            <code dir="ltr">{Object.keys(a.changes).length ? JSON.stringify(a.changes) : ''}</code>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            ),
          };
        }),
    );

    r.get(
      '/:lc/admin/outbox',
      { config: { permission: 'outbox.view' }, schema: { hide: true, params: LcParams } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const mails = await browseOutbox(req.ctx, opts.dataDir);
          return {
            title: v.t('admin.outbox'),
            body: (
              <section>
                <h1>{v.t('admin.outbox')}</h1>
                <p>{v.t('admin.outbox_smtp')}</p>
                {mails.length === 0 ? (
                  <p>{v.t('admin.none')}</p>
                ) : (
                  <table class="data">
                    <thead>
                      <tr>
                        <th>{v.t('admin.outbox_cols.date')}</th>
                        <th>{v.t('admin.outbox_cols.to')}</th>
                        <th>{v.t('admin.outbox_cols.subject')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {mails.map((m) => (
                        <tr>
                          <td>{m.date ? formatDateTime(v.locale, m.date) : ''}</td>
                          <td>
                            <bdi class="email">{m.to}</bdi>
                          </td>
                          <td>
                            <bdi>{m.subject}</bdi>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            ),
          };
        }),
    );
  });
}

export async function adminApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit.view' },
      schema: { tags: ['audit'], summary: 'The audit trail (administrators)', querystring: AuditQuery },
    },
    async (req) => ({
      entries: await browseAudit(req.ctx, req.query),
    }),
  );
}
