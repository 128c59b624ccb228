/** The secretariat's back office: index, people and roles (the audit trail and outgoing e-mail have their own files). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { CAPABILITIES } from '../../platform/context.js';
import { parseForm } from '../../platform/http/forms.js';
import { Notice, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { accounts } from '../accounts/index.js';
import { RoleInput } from '../accounts/index.js';
import { PersonNameView } from '../../platform/ui/person-name.js';

const LcParams = z.object({ lc: z.string() });
const PersonParams = LcParams.extend({ id: z.string().uuid() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

export async function adminPages(app: FastifyInstance, _opts: { dataDir: string }) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    r.get(
      '/:lc/admin',
      { config: { permission: 'entities.view' }, schema: { hide: true, params: LcParams } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const isAdmin = req.ctx.actor.kind === 'person' && req.ctx.actor.role === 'admin';
          const links: [string, string][] = [['/admin/entities', v.t('admin.entities')]];
          if (isAdmin) {
            links.unshift(['/admin/people', v.t('admin.people')]);
            links.push(['/admin/audit', v.t('admin.audit')], ['/admin/outbox', v.t('admin.outbox')]);
          }
          return {
            title: v.t('admin.title'),
            body: (
              <section>
                <h1>{v.t('admin.title')}</h1>
                <ul class="cards">
                  {links.map(([href, label]) => (
                    <li class="card">
                      <a href={localePath(v.locale, href)}>{label}</a>
                    </li>
                  ))}
                </ul>
              </section>
            ),
          };
        }),
    );

    r.get(
      '/:lc/admin/people',
      {
        config: { permission: 'accounts.manage' },
        schema: { hide: true, params: LcParams, querystring: z.object({ q: z.string().max(100).optional() }) },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const list = await accounts.listPeople(req.ctx, req.query.q || undefined);
          return {
            title: v.t('admin.people'),
            body: (
              <section>
                <h1>{v.t('admin.people')}</h1>
                <form method="get" action={localePath(v.locale, '/admin/people')} class="filters" role="search">
                  <TextField name="q" type="search" label={v.t('admin.search')} value={req.query.q} maxLength={100} />
                  <div class="form-actions">
                    <button type="submit">{v.t('admin.filter')}</button>
                  </div>
                </form>
                <table class="data">
                  <thead>
                    <tr>
                      <th>{v.t('admin.name')}</th>
                      <th>{v.t('admin.email')}</th>
                      <th>{v.t('admin.role')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((p) => (
                      <tr>
                        <td>
                          <a href={localePath(v.locale, `/admin/people/${p.id}`)}>
                            <PersonNameView p={p} locale={v.locale} />
                          </a>
                          {p.erasureRequestedAt && <> · {v.t('admin.erasure_requested')}</>}
                        </td>
                        <td>
                          <bdi class="email">{p.email}</bdi>
                        </td>
                        <td>
                          {v.t(`admin.roles.${p.role}`)}
                          {p.capabilities.length > 0 && <small> ({p.capabilities.join(', ')})</small>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ),
          };
        }),
    );

    const personPage = async (req: FastifyRequest, id: string, v: View, notice?: string, error?: string) => {
      const p = await accounts.getPersonForAdmin(req.ctx, id);
      return (
        <section>
          <h1>
            <PersonNameView p={p} locale={v.locale} />
          </h1>
          {notice && <Notice kind="ok">{notice}</Notice>}
          <p>
            <bdi class="email">{p.email}</bdi>
          </p>
          <PostForm action={localePath(v.locale, `/admin/people/${p.id}/role`)} csrf={req.csrfToken()} error={error}>
            <SelectField
              name="role"
              label={v.t('admin.role')}
              value={p.role}
              options={(['participant', 'staff', 'admin'] as const).map((r) => [r, v.t(`admin.roles.${r}`)])}
            />
            <SelectField
              name="capabilities"
              label={v.t('admin.capabilities')}
              multiple
              values={p.capabilities}
              options={CAPABILITIES.map((c) => [c, c])}
            />
            <button type="submit">{v.t('admin.save_role')}</button>
          </PostForm>
          <p>
            <a href={`/api/v1/people/${p.id}/export`}>{v.t('admin.export')}</a>
          </p>
          <PostForm
            action={localePath(v.locale, `/admin/people/${p.id}/erase`)}
            csrf={req.csrfToken()}
            class="inline-form"
            confirm="erase_person"
          >
            <button type="submit" class="secondary">
              {v.t('admin.erase')}
            </button>
          </PostForm>
        </section>
      );
    };
    r.get(
      '/:lc/admin/people/:id',
      {
        config: { permission: 'accounts.manage' },
        schema: { hide: true, params: PersonParams, querystring: z.object({ done: z.string().optional() }) },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => ({
          title: v.t('admin.people'),
          body: await personPage(req, req.params.id, v, req.query.done ? v.t('admin.saved') : undefined),
        })),
    );
    r.post(
      '/:lc/admin/people/:id/role',
      { config: { permission: 'accounts.manage' }, schema: { hide: true, params: PersonParams } },
      async (req, reply) => {
        const form = parseForm(RoleInput, req.body, req.locale);
        try {
          if (!form.ok) throw new Error('invalid');
          await accounts.setRole(wctx(req), req.params.id, form.data);
        } catch (e) {
          const msg = (v: View) =>
            e instanceof Error && 'code' in e
              ? v.t(`errors.${(e as { code: string }).code}`, (e as { params?: Record<string, string> }).params)
              : v.t('errors.invalid_input');
          return sendPrivatePage(req, reply, async (v) => ({
            title: v.t('admin.people'),
            body: await personPage(req, req.params.id, v, undefined, msg(v)),
            status: 400,
          }));
        }
        return reply.redirect(localePath(req.locale, `/admin/people/${req.params.id}?done=1`), 303);
      },
    );
    r.post(
      '/:lc/admin/people/:id/erase',
      { config: { permission: 'accounts.manage' }, schema: { hide: true, params: PersonParams } },
      async (req, reply) => {
        await accounts.erasePerson(wctx(req), req.params.id);
        return reply.redirect(localePath(req.locale, '/admin/people'), 303);
      },
    );
  });
}
