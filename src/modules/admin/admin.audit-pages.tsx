/** The audit log in words (`/{lc}/admin/audit`) and its API (`/api/v1/audit`). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditWording } from '../../platform/audit-words.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { KeysetPager } from '../../platform/ui/bulk-table.js';
import { SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage } from '../../platform/ui/page.js';
import { AUDIT_PAGE, AuditLogQuery, auditActions, auditInWords, type AuditLine } from './admin.audit.js';

const LcParams = z.object({ lc: z.string() });

const show = (v: unknown) =>
  v === null || v === undefined || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

export async function adminAuditPages(app: FastifyInstance, opts: { wordings: readonly AuditWording[] }) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    r.get(
      '/:lc/admin/audit',
      { config: { permission: 'audit.view' }, schema: { hide: true, params: LcParams, querystring: AuditLogQuery } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const q = req.query;
          const { rows, next } = await auditInWords(req.ctx, opts.wordings, q, v.locale);
          const actions = await auditActions(req.ctx);
          const keep = new URLSearchParams(
            Object.entries({ ...q, after: undefined }).filter((e): e is [string, string] => typeof e[1] === 'string'),
          );
          const url = (after?: string) => {
            const p = new URLSearchParams(keep);
            if (after) p.set('after', after);
            const s = p.toString();
            return localePath(v.locale, `/admin/audit${s ? `?${s}` : ''}`);
          };
          return {
            title: v.t('admin.audit'),
            body: (
              <section class="audit">
                <h1>{v.t('admin.audit')}</h1>
                <form method="get" action={localePath(v.locale, '/admin/audit')} class="filters" role="search">
                  <TextField
                    name="actor"
                    type="search"
                    label={v.t('audit.filters.actor')}
                    value={q.actor ?? q.person}
                    maxLength={100}
                  />
                  <TextField
                    name="about"
                    type="search"
                    label={v.t('audit.filters.about')}
                    value={q.about}
                    maxLength={100}
                  />
                  <SelectField
                    name="action"
                    label={v.t('audit.filters.action')}
                    value={q.action}
                    any={v.t('audit.filters.any_action')}
                    options={actions.map((a) => [a, a])}
                  />
                  <TextField name="from" type="date" label={v.t('audit.filters.from')} value={q.from} />
                  <TextField name="to" type="date" label={v.t('audit.filters.to')} value={q.to} />
                  <div class="form-actions">
                    <button type="submit">{v.t('admin.filter')}</button>
                  </div>
                </form>
                {rows.length === 0 ? (
                  <p>{v.t('admin.none')}</p>
                ) : (
                  <ol class="audit-log">
                    {rows.map((a) => (
                      <AuditItem a={a} t={v.t} at={formatDateTime(v.locale, a.at)} />
                    ))}
                  </ol>
                )}
                <KeysetPager
                  t={v.t}
                  first={q.after ? url() : undefined}
                  next={next ? url(next) : null}
                  size={AUDIT_PAGE}
                />
              </section>
            ),
          };
        }),
    );
  });
}

function AuditItem({ a, t, at }: { a: AuditLine; t: (k: string, v?: Record<string, string>) => string; at: string }) {
  const changes = Object.entries(a.changes);
  return (
    <li>
      <p class="audit-sentence">{a.sentence}</p>
      <p class="audit-meta">
        <time datetime={a.at.toISOString()}>{at}</time> · <code dir="ltr">{a.action}</code>
      </p>
      {changes.length > 0 && (
        <ul class="audit-changes" aria-label={t('audit.changes')}>
          {changes.map(([field, [before, after]]) => (
            <li>
              {t('audit.change', { field })} <bdi class="audit-value">{show(before)}</bdi> →{' '}
              <bdi class="audit-value">{show(after)}</bdi>
            </li>
          ))}
        </ul>
      )}
      <details class="audit-raw">
        <summary>{t('audit.raw')}</summary>
        <pre dir="ltr">
          {JSON.stringify(
            {
              actor: a.actor,
              actingFor: a.actingFor,
              action: a.action,
              subject: `${a.subjectType}:${a.subjectId}`,
              ip: a.ip,
              changes: a.changes,
              data: a.data,
            },
            null,
            2,
          )}
        </pre>
      </details>
    </li>
  );
}

export async function adminAuditApi(app: FastifyInstance, opts: { wordings: readonly AuditWording[] }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit.view' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail (administrators), each entry with its sentence in the reader’s language',
        querystring: AuditLogQuery,
      },
    },
    async (req) => {
      const { rows, next } = await auditInWords(req.ctx, opts.wordings, req.query, req.locale);
      return { entries: rows, next };
    },
  );
}
