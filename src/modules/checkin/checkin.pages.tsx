/**
 * Door scanning pages. `/{lc}/scan` is the scanner: pick a checkpoint, then the camera (or a typed code) answers at
 * once. Its script keeps it working offline (service worker + IndexedDB: the page, its script and the checkpoint's
 * manifest are cached; offline scans queue and sync when the network returns). Without the script the typed code is
 * posted and answered by the server. `/{lc}/arrivals` shows arrivals per checkpoint, live (server-sent events).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { formatDateTime, formatDay, formatNumber } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { Notice, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { listCheckpoints } from './checkin.checkpoints.js';
import { REFUSALS } from './checkin.rules.js';
import { BADGE_CATEGORIES } from '../badges/index.js';
import { hasPhoto } from '../registration/index.js';
import { arrivalCounts, resolveCheckpoint, scan, type ScanAnswer } from './checkin.service.js';
import { daysBetween, hoursOf, openState, saveCheckpointHours } from './checkin.hours.js';
import type { OpeningHours } from './checkin.rules.js';
import { langOnPage } from '../../platform/i18n/names.js';

const LcParams = z.object({ lc: z.string() });
const CheckpointQ = z.object({
  checkpoint: z
    .string()
    .regex(/^(event|session):[A-Za-z0-9_-]{1,80}$/)
    .optional(),
});
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const require = createRequire(import.meta.url);
const jsQrFile = require.resolve('jsqr/dist/jsQR.js');

/** What the scanner script says, in the page's language. */
function scannerStrings(v: View) {
  const t = v.t;
  return {
    admitted: t('checkin.scan.admitted'),
    refused: t('checkin.scan.refused'),
    reasons: Object.fromEntries(REFUSALS.map((r) => [r, t(`checkin.refusal.${r}`)])),
    categories: Object.fromEntries(BADGE_CATEGORIES.map((c) => [c, t(`badges.category.${c}`)])),
    thisDevice: t('checkin.scan.this_device'),
    previous: t('checkin.scan.previous', { at: '{at}', where: '{where}' }),
    online: t('checkin.scan.online'),
    offline: t('checkin.scan.offline'),
    queued: t('checkin.scan.queued', { n: '{n}' }),
    synced: t('checkin.scan.synced', { n: '{n}' }),
    conflicts: t('checkin.scan.conflicts', { n: '{n}' }),
    manifest: t('checkin.scan.manifest', { n: '{n}', at: '{at}' }),
    noManifest: t('checkin.scan.no_manifest'),
    cameraUnavailable: t('checkin.scan.camera_unavailable'),
    decidedOffline: t('checkin.scan.decided_offline'),
  };
}

function ResultPanel({ v, a, photo }: { v: View; a: ScanAnswer; photo: boolean }) {
  const t = v.t;
  return (
    <div class={`scan-result scan-${a.result}`} role="status">
      <p class="scan-verdict">{t(a.result === 'admitted' ? 'checkin.scan.admitted' : 'checkin.scan.refused')}</p>
      {a.reason && <p class="scan-reason">{t(`checkin.refusal.${a.reason}`)}</p>}
      {a.person && (
        <p class="scan-person">
          <bdi lang={langOnPage(a.person.name, v.locale)}>{a.person.name}</bdi>
          {a.person.nameLatin && a.person.nameLatin !== a.person.name && (
            <>
              {' · '}
              <bdi dir="ltr" lang={langOnPage(a.person.nameLatin, v.locale)}>
                {a.person.nameLatin}
              </bdi>
            </>
          )}
          {' · '}
          {t(`badges.category.${a.person.category}`)}
        </p>
      )}
      {a.previous && (
        <p class="scan-previous">
          {t('checkin.scan.previous', {
            at: formatDateTime(v.locale, new Date(a.previous.at)),
            where: a.previous.deviceId,
          })}
        </p>
      )}
      {a.badgeId && a.result === 'admitted' && photo && (
        <img class="scan-photo" src={`/api/v1/badges/${a.badgeId}/photo`} alt="" width={120} height={160} />
      )}
    </div>
  );
}

async function scannerPage(
  req: FastifyRequest,
  v: View,
  checkpoint: string | undefined,
  answer?: ScanAnswer,
  error?: string,
  photo = false,
) {
  const t = v.t;
  const checkpoints = await listCheckpoints(req.ctx);
  const chosen = checkpoints.find((c) => c.id === checkpoint);
  if (!chosen) {
    return {
      title: t('checkin.scan.title'),
      body: (
        <section>
          <h1>{t('checkin.scan.title')}</h1>
          <p class="lead">{t('checkin.scan.choose_lead')}</p>
          {checkpoint && <Notice kind="error">{t('errors.checkpoint_not_found')}</Notice>}
          <form method="get" action={localePath(v.locale, '/scan')} class="stack">
            <SelectField
              name="checkpoint"
              label={t('checkin.scan.checkpoint')}
              options={checkpoints.map((c) => [c.id, c.label])}
            />
            <button type="submit">{t('checkin.scan.start')}</button>
          </form>
        </section>
      ),
    };
  }
  const { target } = await resolveCheckpoint(req.ctx.db, chosen.id);
  const state = openState(target, await hoursOf(req.ctx.db, chosen.id), req.ctx.now);
  return {
    title: `${t('checkin.scan.title')} · ${chosen.label}`,
    scripts: ['/vendor/jsqr.js', '/assets/scan.js'],
    body: (
      <section class="scanner" data-checkpoint={chosen.id} data-locale={v.locale} data-now={req.ctx.now.toISOString()}>
        <script
          type="application/json"
          id="scan-strings"
          dangerouslySetInnerHTML={{ __html: JSON.stringify(scannerStrings(v)).replace(/</g, '\\u003c') }}
        />
        <h1>{chosen.label}</h1>
        <p class={`door-state door-${state.open ? 'open' : 'closed'}`}>
          {state.open
            ? state.until
              ? t('checkin.hours.open_until', { until: state.until })
              : t('checkin.hours.open_all_day')
            : state.reason === 'outside_event_days'
              ? t('checkin.hours.closed_day')
              : state.today
                ? t('checkin.hours.closed_now', { opens: state.today.opens, closes: state.today.closes })
                : t('checkin.hours.closed_day')}{' '}
          <a href={localePath(v.locale, `/scan/hours?checkpoint=${encodeURIComponent(chosen.id)}`)}>
            {t('checkin.hours.edit')}
          </a>
        </p>
        <p class="scan-status" aria-live="polite">
          <span class="scan-net">{t('checkin.scan.online')}</span> ·{' '}
          <span class="scan-manifest">{t('checkin.scan.manifest_pending')}</span> · <span class="scan-queue"></span>
        </p>
        <div class="scan-camera">
          <video class="scan-video" muted playsinline hidden></video>
          <button type="button" class="scan-camera-start" hidden>
            {t('checkin.scan.camera')}
          </button>
        </div>
        <form
          method="post"
          action={localePath(v.locale, `/scan?checkpoint=${encodeURIComponent(chosen.id)}`)}
          class="scan-form stack"
        >
          <input type="hidden" name="_csrf" value={req.csrfToken()} />
          <TextField
            name="code"
            inputClass="scan-code"
            label={t('checkin.scan.code')}
            hint={t('checkin.scan.code_hint')}
            autocomplete="off"
            maxLength={200}
            dir="ltr"
            autofocus
            required
            wide
          />
          <button type="submit">{t('checkin.scan.check')}</button>
        </form>
        <div class="scan-output" aria-live="assertive">
          {error && <Notice kind="error">{error}</Notice>}
          {answer && <ResultPanel v={v} a={answer} photo={photo} />}
        </div>
        <p>
          <a href={localePath(v.locale, '/scan')}>{t('checkin.scan.change')}</a>
        </p>
      </section>
    ),
  };
}

function ArrivalsTable({
  v,
  data,
  labels,
}: {
  v: View;
  data: Awaited<ReturnType<typeof arrivalCounts>>;
  labels: Map<string, string>;
}) {
  const t = v.t;
  return (
    <table class="data arrivals">
      <thead>
        <tr>
          <th>{t('checkin.arrivals.checkpoint')}</th>
          <th>{t('checkin.arrivals.count')}</th>
          <th>{t('checkin.arrivals.conflicts')}</th>
        </tr>
      </thead>
      <tbody>
        {data.checkpoints.map((c) => (
          <tr data-checkpoint={c.checkpoint}>
            <td>{labels.get(c.checkpoint) ?? c.checkpoint}</td>
            <td class="arrivals-n">{formatNumber(v.locale as Locale, c.arrivals)}</td>
            <td class="arrivals-c">{formatNumber(v.locale as Locale, c.conflicts)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export async function checkinPages(app: FastifyInstance) {
  // The scanner's offline shell: served from the root so it may control the scanner pages of every language.
  app.get('/scan-sw.js', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('service-worker-allowed', '/')
      .send(fs.readFileSync(new URL('./checkin.sw.js', import.meta.url))),
  );
  app.get('/vendor/jsqr.js', { config: { permission: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(fs.readFileSync(jsQrFile)),
  );

  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const scanner = { permission: 'checkin.scan' as const };
    r.get(
      '/:lc/scan',
      { config: scanner, schema: { hide: true, params: LcParams, querystring: CheckpointQ } },
      (req, reply) => sendPrivatePage(req, reply, (v) => scannerPage(req, v, req.query.checkpoint)),
    );
    // Without the script: the typed code, answered by the server.
    r.post(
      '/:lc/scan',
      { config: scanner, schema: { hide: true, params: LcParams, querystring: CheckpointQ } },
      async (req, reply) => {
        const code = String((req.body as { code?: unknown })?.code ?? '').slice(0, 200);
        const deviceId = `web-${req.ctx.actor.kind === 'person' ? req.ctx.actor.id.slice(0, 8) : 'anon'}`;
        let answer: ScanAnswer | undefined;
        let error: string | undefined;
        try {
          answer = await scan(wctx(req), {
            scanId: crypto.randomUUID(),
            code,
            checkpoint: req.query.checkpoint ?? '',
            deviceId,
          });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          error = e.code;
        }
        // Without the script no image can hide itself when it fails: the photo is shown only when there is one.
        const photo = !!answer?.person?.id && (await hasPhoto(req.ctx, answer.person.id));
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await scannerPage(req, v, req.query.checkpoint, answer, error && v.t(`errors.${error}`), photo)),
          status: error ? 404 : 200,
        }));
      },
    );

    // Opening hours of a checkpoint, per day of its event, in Geneva time.
    const hoursPage =
      (
        req: FastifyRequest,
        checkpoint: string | undefined,
        o: { done?: boolean; error?: string; field?: string; values?: Record<string, string> } = {},
      ) =>
      async (v: View) => {
        const t = v.t;
        const chosen = (await listCheckpoints(req.ctx)).find((c) => c.id === checkpoint);
        if (!chosen) throw new DomainError('checkpoint_not_found', 404, { checkpoint: checkpoint ?? '' });
        const { target } = await resolveCheckpoint(req.ctx.db, chosen.id);
        const hours = new Map((await hoursOf(req.ctx.db, chosen.id)).map((h) => [h.day, h]));
        const days = target.days ? daysBetween(target.days.from, target.days.to) : [];
        const val = (name: string, h?: OpeningHours, k?: 'opens' | 'closes') =>
          o.values?.[name] ?? (h && k ? h[k] : '');
        const errors = o.field ? { [o.field]: o.error ?? '' } : undefined;
        return {
          title: `${t('checkin.hours.title')} · ${chosen.label}`,
          status: o.error ? 400 : undefined,
          body: (
            <section>
              <h1>{t('checkin.hours.title')}</h1>
              <p class="lead">{chosen.label}</p>
              <p>{t('checkin.hours.lead')}</p>
              {o.done && <Notice kind="ok">{t('checkin.hours.saved')}</Notice>}
              <PostForm
                action={localePath(v.locale, `/scan/hours?checkpoint=${encodeURIComponent(chosen.id)}`)}
                csrf={req.csrfToken()}
                errors={errors}
                error={o.field ? undefined : o.error}
              >
                {days.map((d) => {
                  const h = hours.get(d);
                  return (
                    <fieldset class="stack hours-day">
                      <legend>{formatDay(v.locale, d)}</legend>
                      <TextField
                        type="time"
                        name={`opens_${d}`}
                        label={t('checkin.hours.opens')}
                        value={val(`opens_${d}`, h, 'opens')}
                        error={errors?.[`opens_${d}`]}
                        dir="ltr"
                      />
                      <TextField
                        type="time"
                        name={`closes_${d}`}
                        label={t('checkin.hours.closes')}
                        hint={t('checkin.hours.closes_hint')}
                        value={val(`closes_${d}`, h, 'closes')}
                        error={errors?.[`closes_${d}`]}
                        dir="ltr"
                      />
                    </fieldset>
                  );
                })}
                <button type="submit">{t('checkin.hours.save')}</button>
              </PostForm>
              <p>
                <a href={localePath(v.locale, `/scan?checkpoint=${encodeURIComponent(chosen.id)}`)}>
                  {t('checkin.hours.back')}
                </a>
              </p>
            </section>
          ),
        };
      };
    r.get(
      '/:lc/scan/hours',
      {
        config: scanner,
        schema: { hide: true, params: LcParams, querystring: CheckpointQ.extend({ done: z.literal('1').optional() }) },
      },
      (req, reply) => sendPrivatePage(req, reply, hoursPage(req, req.query.checkpoint, { done: !!req.query.done })),
    );
    r.post(
      '/:lc/scan/hours',
      { config: scanner, schema: { hide: true, params: LcParams, querystring: CheckpointQ } },
      async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const values = Object.fromEntries(
          Object.entries(body)
            .filter(([k]) => /^(opens|closes)_\d{4}-\d{2}-\d{2}$/.test(k))
            .map(([k, x]) => [k, String(x ?? '').slice(0, 10)]),
        );
        const checkpoint = req.query.checkpoint ?? '';
        try {
          const { target } = await resolveCheckpoint(req.ctx.db, checkpoint);
          const days = target.days ? daysBetween(target.days.from, target.days.to) : [];
          await saveCheckpointHours(
            wctx(req),
            checkpoint,
            target,
            days.map((day) => ({ day, opens: values[`opens_${day}`] ?? '', closes: values[`closes_${day}`] ?? '' })),
          );
          return reply.redirect(
            localePath(req.locale, `/scan/hours?checkpoint=${encodeURIComponent(checkpoint)}&done=1`),
            303,
          );
        } catch (e) {
          if (!(e instanceof DomainError) || e.status !== 400) throw e;
          return sendPrivatePage(req, reply, async (v) =>
            hoursPage(req, checkpoint, {
              values,
              error: v.t(`errors.${e.code}`),
              field: typeof e.params?.field === 'string' ? String(e.params.field) : undefined,
            })(v),
          );
        }
      },
    );

    r.get(
      '/:lc/arrivals',
      { config: { permission: 'reports.view' as const }, schema: { hide: true, params: LcParams } },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const data = await arrivalCounts(req.ctx);
          const labels = new Map((await listCheckpointsForReports(req)).map((c) => [c.id, c.label]));
          return {
            title: v.t('checkin.arrivals.title'),
            scripts: ['/assets/arrivals.js'],
            body: (
              <section
                class="arrivals-page"
                data-now={req.ctx.now.toISOString()}
                data-labels={JSON.stringify(Object.fromEntries(labels))}
                data-updated-label={v.t('checkin.arrivals.updated', { at: '{at}' })}
              >
                <h1>{v.t('checkin.arrivals.title')}</h1>
                <p class="lead">
                  {v.t('checkin.arrivals.lead', { badges: formatNumber(v.locale as Locale, data.badgesIssued) })}
                </p>
                <p class="arrivals-live hint" aria-live="polite">
                  {v.t('checkin.arrivals.updated', { at: formatDateTime(v.locale, req.ctx.now) })}
                </p>
                <ArrivalsTable v={v} data={data} labels={labels} />
              </section>
            ),
          };
        }),
    );
  });
}

/** Checkpoint labels for the arrivals page (whose readers may not scan). */
async function listCheckpointsForReports(req: FastifyRequest) {
  return listCheckpoints({ ...req.ctx, actor: { kind: 'system', name: 'reports' } });
}
