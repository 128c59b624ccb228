/**
 * The badge desk: find a participant by QR (a scanner gun types it), reference or name in any script; see the photo;
 * confirm a photo ID was checked; print; hand the badge over; revoke and reissue. Print batches with their progress.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { translator } from '../../platform/i18n/messages.js';
import { Notice, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { entities } from '../entities/index.js';
import { getEvents } from '../events/index.js';
import { personPhotos } from '../registration/index.js';
import { presentBatch } from './badges.api.js';
import { BatchFilter, badgeColours, ColoursInput, createBatch, listBatches, setBadgeColours } from './badges.print.js';
import {
  BADGE_CATEGORIES,
  confirmIdChecked,
  markCollected,
  revokeAndReissue,
  searchDesk,
  type DeskCard,
} from './badges.service.js';
import { PersonNameView } from '../../platform/ui/person-name.js';
import { fullName, langOnPage, latinIfDifferent } from '../../platform/i18n/names.js';

const LcParams = z.object({ lc: z.string() });
const LcId = z.object({ lc: z.string(), id: z.coerce.number().int().positive() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const Code = z
  .string()
  .regex(/^[a-z_]{1,60}$/)
  .optional();

function Card({ c, v, csrf, q, photo }: { c: DeskCard; v: View; csrf: string; q: string; photo: boolean }) {
  const t = v.t;
  const b = c.badge;
  const back = `?q=${encodeURIComponent(q)}`;
  const name = fullName(c.person);
  const latin = latinIfDifferent(c.person);
  return (
    <article class="card desk-card" data-badge={b.id}>
      <div class="desk-photo">
        {photo ? (
          <img
            src={`/api/v1/badges/${b.id}/photo`}
            // The name in its own script, as printed on the badge the desk compares the face with.
            alt={t('badges.desk.photo_of', { name })}
            width={120}
            height={160}
          />
        ) : (
          <div class="photo-missing">{t('badges.desk.no_photo')}</div>
        )}
      </div>
      <div class="desk-body">
        <h2>
          <PersonNameView p={c.person} locale={v.locale} latin={false} />
        </h2>
        {latin && (
          <p class="latin">
            <bdi dir="ltr" lang={langOnPage(latin, v.locale)}>
              {latin}
            </bdi>
          </p>
        )}
        <p>
          <span class="pill">{t(`badges.category.${b.category}`)}</span>{' '}
          {c.entity && <bdi>{text(c.entity.name as Parameters<typeof text>[0], v.locale)}</bdi>}
        </p>
        <p class="hint">
          {c.events.map((e) => text(e.name as Parameters<typeof text>[0], v.locale)).join(' · ') ||
            t('badges.desk.no_events')}
        </p>
        <ul class="desk-state">
          <li>
            {b.idCheckedAt
              ? t('badges.desk.id_checked_at', { at: formatDateTime(v.locale, b.idCheckedAt) })
              : t('badges.desk.id_not_checked')}
          </li>
          <li>{t('badges.desk.printed', { count: b.printCount })}</li>
          <li>
            {b.collectedAt
              ? t('badges.desk.collected_at', { at: formatDateTime(v.locale, b.collectedAt) })
              : t('badges.desk.not_collected')}
          </li>
        </ul>
        <div class="actions">
          {!b.idCheckedAt && (
            <PostForm
              action={localePath(v.locale, `/badge-desk/${b.id}/id-check${back}`)}
              csrf={csrf}
              class="inline-form"
            >
              <button type="submit">{t('badges.desk.confirm_id')}</button>
            </PostForm>
          )}
          <a class="button" href={`/api/v1/badges/${b.id}/pdf?size=CR80`} target="_blank" rel="noopener">
            {t('badges.desk.print_card')}
          </a>
          <a class="button secondary" href={`/api/v1/badges/${b.id}/pdf?size=A6`} target="_blank" rel="noopener">
            {t('badges.desk.print_a6')}
          </a>
          {b.idCheckedAt && !b.collectedAt && (
            <PostForm
              action={localePath(v.locale, `/badge-desk/${b.id}/collect${back}`)}
              csrf={csrf}
              class="inline-form"
            >
              <button type="submit">{t('badges.desk.mark_collected')}</button>
            </PostForm>
          )}
        </div>
        <details>
          <summary>{t('badges.desk.reissue')}</summary>
          <PostForm action={localePath(v.locale, `/badge-desk/${b.id}/reissue${back}`)} csrf={csrf}>
            <TextField name="reason" label={t('badges.desk.reissue_reason')} maxLength={300} required />
            <button type="submit">{t('badges.desk.reissue_submit')}</button>
          </PostForm>
        </details>
      </div>
    </article>
  );
}

export async function badgeDeskPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const desk = { permission: 'badges.print' as const };

    r.get(
      '/:lc/badge-desk',
      {
        config: desk,
        schema: {
          hide: true,
          params: LcParams,
          querystring: z.object({ q: z.string().max(200).optional(), done: Code, error: Code }),
        },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const q = req.query.q?.trim() ?? '';
          const found = q ? await searchDesk(req.ctx, q) : [];
          const withPhoto = found.length
            ? new Set(
                (
                  await req.ctx.db
                    .select({ id: personPhotos.personId })
                    .from(personPhotos)
                    .where(
                      inArray(
                        personPhotos.personId,
                        found.map((c) => c.person.id),
                      ),
                    )
                ).map((p) => p.id),
              )
            : new Set<string>();
          const t = v.t;
          return {
            title: t('badges.desk.title'),
            body: (
              <section>
                <h1>{t('badges.desk.title')}</h1>
                <p class="lead">{t('badges.desk.lead')}</p>
                {req.query.done && <Notice kind="ok">{t(`badges.desk.done.${req.query.done}`)}</Notice>}
                {req.query.error && <Notice kind="error">{t(`errors.${req.query.error}`)}</Notice>}
                <form method="get" action={localePath(v.locale, '/badge-desk')} class="search-form" role="search">
                  <label class="field field-wide">
                    <span>{t('badges.desk.search')}</span>
                    <small class="hint">{t('badges.desk.search_hint')}</small>
                    <input type="search" name="q" value={q} maxLength={200} autofocus autocomplete="off" />
                  </label>
                  <button type="submit">{t('badges.desk.find')}</button>
                </form>
                <p>
                  <a href={localePath(v.locale, '/badge-desk/batches')}>{t('badges.batches.title')}</a>
                </p>
                {q && found.length === 0 && <p role="status">{t('badges.desk.none')}</p>}
                {found.length > 0 && <p role="status">{t('badges.desk.found', { count: found.length })}</p>}
                <div class="desk-results">
                  {found.map((c) => (
                    <Card c={c} v={v} csrf={req.csrfToken()} q={q} photo={withPhoto.has(c.person.id)} />
                  ))}
                </div>
              </section>
            ),
          };
        }),
    );

    const act = (
      path: string,
      done: string,
      fn: (req: FastifyRequest<{ Params: { id: number }; Body: Record<string, unknown> }>) => Promise<unknown>,
    ) =>
      r.post(
        `/:lc/badge-desk/:id/${path}`,
        {
          config: desk,
          schema: { hide: true, params: LcId, querystring: z.object({ q: z.string().max(200).optional() }) },
        },
        async (req, reply: FastifyReply) => {
          const q = (req.query as { q?: string }).q ?? '';
          const to = (k: 'done' | 'error', code: string) =>
            reply.redirect(localePath(req.locale, `/badge-desk?q=${encodeURIComponent(q)}&${k}=${code}`), 303);
          try {
            await fn(req as never);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            return to('error', e.code);
          }
          return to('done', done);
        },
      );
    act('id-check', 'id_checked', (req) => confirmIdChecked(wctx(req), req.params.id));
    act('collect', 'collected', (req) => markCollected(wctx(req), req.params.id));
    act('reissue', 'reissued', async (req) => {
      const reason = String(req.body?.reason ?? '')
        .trim()
        .slice(0, 300);
      if (!reason) throw new DomainError('invalid_input', 400);
      await revokeAndReissue(wctx(req), req.params.id, reason);
    });

    // Print batches.
    const batchesPage = async (req: FastifyRequest, v: View, error?: string) => {
      const t = v.t;
      const [events, ents, batches] = await Promise.all([
        getEvents(req.ctx),
        req.ctx.db
          .select({ id: entities.id, name: entities.name })
          .from(entities)
          .where(eq(entities.kind, 'member_state'))
          .orderBy(asc(entities.code)),
        listBatches(req.ctx),
      ]);
      const running = batches.some((b) => b.state === 'queued' || b.state === 'running');
      const colourSets = await Promise.all(
        [
          { slug: 'default', label: t('badges.colours.default') },
          ...events.map((e) => ({ slug: e.slug, label: text(e.name, v.locale) })),
        ].map(async (e) => ({
          ...e,
          colours: await badgeColours(req.ctx.db, e.slug === 'default' ? undefined : e.slug),
        })),
      );
      return {
        title: t('badges.batches.title'),
        scripts: running ? ['/assets/batches.js'] : undefined,
        body: (
          <section>
            <h1>{t('badges.batches.title')}</h1>
            <p class="lead">{t('badges.batches.lead')}</p>
            <PostForm action={localePath(v.locale, '/badge-desk/batches')} csrf={req.csrfToken()} error={error}>
              <SelectField
                name="event"
                label={t('badges.batches.event')}
                any={t('badges.batches.any')}
                options={events.map((e) => [e.slug, text(e.name, v.locale)])}
              />
              <SelectField
                name="category"
                label={t('badges.batches.category')}
                any={t('badges.batches.any')}
                options={BADGE_CATEGORIES.map((c) => [c, t(`badges.category.${c}`)])}
              />
              <SelectField
                name="entityId"
                label={t('badges.batches.entity')}
                any={t('badges.batches.any')}
                options={ents.map((e) => [String(e.id), text(e.name, v.locale)])}
              />
              <label class="check">
                <input type="checkbox" name="notPrinted" value="1" checked /> {t('badges.batches.not_printed')}
              </label>
              <SelectField
                name="size"
                label={t('badges.batches.size')}
                value="CR80"
                options={[
                  ['CR80', t('badges.size.CR80')],
                  ['A6', t('badges.size.A6')],
                ]}
              />
              <button type="submit">{t('badges.batches.create')}</button>
            </PostForm>
            <h2>{t('badges.batches.recent')}</h2>
            {batches.length === 0 ? (
              <p>{t('badges.batches.none')}</p>
            ) : (
              <table class="data">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>{t('badges.batches.created')}</th>
                    <th>{t('badges.batches.size')}</th>
                    <th>{t('badges.batches.progress')}</th>
                    <th>{t('badges.batches.file')}</th>
                  </tr>
                </thead>
                <tbody>
                  {batches.map((b) => (
                    <tr data-batch={b.id} data-state={b.state}>
                      <td>{b.id}</td>
                      <td>{formatDateTime(v.locale, b.createdAt)}</td>
                      <td>{b.size}</td>
                      <td>
                        <progress max={b.total} value={b.done} aria-label={t('badges.batches.progress')} />{' '}
                        <span class="batch-count" dir="ltr">
                          <span class="batch-done">{b.done}</span> / {b.total}
                        </span>{' '}
                        · <span class="batch-state">{t(`badges.batches.state.${b.state}`)}</span>
                        {b.error && <div class="field-error">{b.error}</div>}
                      </td>
                      <td class="batch-file">
                        {b.state === 'done' && <a href={presentBatch(b).pdf!}>{t('badges.batches.download')}</a>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h2>{t('badges.colours.title')}</h2>
            <p class="hint">{t('badges.colours.lead')}</p>
            {colourSets.map((set) => (
              <details class="card">
                <summary>{set.label}</summary>
                <PostForm
                  action={localePath(v.locale, `/badge-desk/colours/${set.slug}`)}
                  csrf={req.csrfToken()}
                  class="colour-form"
                >
                  {BADGE_CATEGORIES.map((c) => (
                    <label class="field colour-field">
                      <span>{t(`badges.category.${c}`)}</span>
                      <input type="color" name={c} value={set.colours[c]} />
                    </label>
                  ))}
                  <button type="submit">{t('badges.colours.save')}</button>
                </PostForm>
              </details>
            ))}
          </section>
        ),
      };
    };
    r.post(
      '/:lc/badge-desk/colours/:slug',
      { config: desk, schema: { hide: true, params: z.object({ lc: z.string(), slug: z.string().max(80) }) } },
      async (req, reply) => {
        const parsed = ColoursInput.safeParse(req.body);
        const t = translator(req.locale);
        if (!parsed.success)
          return sendPrivatePage(req, reply, async (v) => ({
            ...(await batchesPage(req, v, t('errors.invalid_input'))),
            status: 400,
          }));
        try {
          await setBadgeColours(wctx(req), req.params.slug, parsed.data);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          return sendPrivatePage(req, reply, async (v) => ({
            ...(await batchesPage(req, v, t(`errors.${e.code}`, e.params))),
            status: e.status,
          }));
        }
        return reply.redirect(localePath(req.locale, '/badge-desk/batches'), 303);
      },
    );
    r.get('/:lc/badge-desk/batches', { config: desk, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, (v) => batchesPage(req, v)),
    );
    r.post(
      '/:lc/badge-desk/batches',
      { config: desk, schema: { hide: true, params: LcParams } },
      async (req, reply) => {
        const body = req.body as Record<string, string | undefined>;
        const parsed = BatchFilter.safeParse({
          event: body.event || undefined,
          category: body.category || undefined,
          entityId: body.entityId || undefined,
          notPrinted: body.notPrinted === '1',
        });
        const size = body.size === 'A6' ? 'A6' : 'CR80';
        const t = translator(req.locale);
        if (!parsed.success)
          return sendPrivatePage(req, reply, async (v) => ({
            ...(await batchesPage(req, v, t('errors.invalid_input'))),
            status: 400,
          }));
        try {
          await createBatch(wctx(req), parsed.data, size);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          return sendPrivatePage(req, reply, async (v) => ({
            ...(await batchesPage(req, v, t(`errors.${e.code}`, e.params))),
            status: e.status,
          }));
        }
        return reply.redirect(localePath(req.locale, '/badge-desk/batches'), 303);
      },
    );
  });
}
