/**
 * Trust Fund pages: the contributor's desk (`/{lc}/funding`), the secretariat's list, pledge page and totals
 * (`/{lc}/secretariat/funding…`), and the public partners page (`/{lc}/partners`). Forms post to the same services as
 * the API; a refused operation shows its translated error.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { formatDay, formatNumber } from '../../platform/i18n/format.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import { ENDONYMS, LOCALES } from '../../platform/i18n/locales.js';
import { can } from '../../platform/permissions.js';
import { fieldId, Notice, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { entityName, listEntities } from '../entities/index.js';
import { getEvents } from '../events/index.js';
import { LOGO_MAX_BYTES, saveLogo } from './funding.logos.js';
import { formatAmount, formatMoney } from './funding.money.js';
import { fundingReport, type TotalLine } from './funding.queries.js';
import { COMMITMENT_FORMS, PLEDGE_KINDS, PURPOSES, RECOGNITION } from './funding.state.js';
import * as svc from './funding.service.js';

const Lc = z.object({ lc: z.string() });
const LcId = Lc.extend({ id: z.coerce.number().int().positive() });
const Done = z.object({ done: z.string().max(20).optional() });
const DONE = new Set([
  'announced',
  'confirmed',
  'paid',
  'delivered',
  'logo',
  'reversed',
  'reduced',
  'cancelled',
  'tiers',
]);
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const body = (req: FastifyRequest) => {
  const b = { ...(req.body as Record<string, unknown>) };
  delete b._csrf;
  return b as Record<string, string>;
};

const eventOptions = async (req: FastifyRequest, v: View): Promise<[string, string][]> =>
  (await getEvents(req.ctx)).map((e) => [String(e.id), text(e.shortName, v.locale)]);

/** A pledge's state in words; an in-kind contribution is delivered rather than paid. */
const stateLabel = (v: View, p: { kind: string; state: string }) =>
  v.t(
    p.kind === 'in_kind' && (p.state === 'paid' || p.state === 'partially_paid')
      ? `funding.state_in_kind.${p.state}`
      : `funding.state.${p.state}`,
  );

function DoneNotice({ v, done }: { v: View; done?: string }) {
  return done && DONE.has(done) ? <Notice kind="ok">{v.t(`funding.done.${done}`)}</Notice> : null;
}
const Money = ({ v, minor, currency }: { v: View; minor: number | null; currency: string }) =>
  minor == null ? <span>—</span> : <bdi class="money">{formatMoney(v.locale, minor, currency)}</bdi>;

function Flags({ v, t }: { v: View; t: svc.Totals }) {
  const out: string[] = [];
  if (t.overpayment) out.push(v.t('funding.flag.overpayment'));
  if (t.currencyMismatch) out.push(v.t('funding.flag.mismatch'));
  if (t.pledgedChf == null) out.push(v.t('funding.flag.no_rate'));
  return <span class="flags">{out.join(' · ')}</span>;
}

function PledgeTable({ v, rows, href }: { v: View; rows: svc.PledgeRow[]; href: (id: number) => string }) {
  if (!rows.length) return <p>{v.t('funding.none')}</p>;
  return (
    <div class="table-scroll" style="overflow-x:auto;max-inline-size:100%">
      <table class="data" id="pledges">
        <thead>
          <tr>
            {['reference', 'contributor', 'state', 'pledged', 'received', 'outstanding', 'chf', 'flags'].map((c) => (
              <th scope="col">{v.t(`funding.col.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ pledge: p, entity, totals: t }) => (
            <tr data-pledge={p.reference}>
              <td>
                <a href={href(p.id)}>{p.reference}</a>
              </td>
              <td>
                <bdi>{entityName(entity, v.locale)}</bdi>
              </td>
              <td class={`state state-${p.state}`}>{stateLabel(v, p)}</td>
              <td>
                <Money v={v} minor={t.pledged} currency={t.currency} />
              </td>
              <td>
                <Money v={v} minor={t.received} currency={t.currency} />
              </td>
              <td>
                <Money v={v} minor={t.outstanding} currency={t.currency} />
              </td>
              <td>
                <Money v={v} minor={t.pledgedChf} currency="CHF" /> /{' '}
                <Money v={v} minor={t.receivedChf} currency="CHF" />
              </td>
              <td>
                <Flags v={v} t={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AnnounceForm(props: {
  v: View;
  csrf: string;
  action: string;
  entities: [string, string][];
  events: [string, string][];
  values?: Record<string, string>;
  error?: string;
}) {
  const { v } = props;
  const val = props.values ?? {};
  const f = (k: string) => v.t(`funding.field.${k}`);
  return (
    <section>
      <h2>{v.t('funding.announce')}</h2>
      {props.error && <Notice kind="error">{props.error}</Notice>}
      <PostForm action={props.action} csrf={props.csrf} class="stack pledge-form">
        <SelectField name="entityId" label={f('entity')} value={val.entityId} options={props.entities} />
        <SelectField
          name="kind"
          label={f('kind')}
          value={val.kind}
          options={PLEDGE_KINDS.map((k) => [k, v.t(`funding.kind.${k}`)])}
        />
        <TextField name="currency" label={f('currency')} value={val.currency ?? 'CHF'} maxLength={3} dir="ltr" />
        <TextField name="amount" label={f('amount')} value={val.amount} maxLength={40} dir="ltr" required />
        <TextField name="inKindDescription" label={f('in_kind')} value={val.inKindDescription} maxLength={2000} />
        <SelectField
          name="purpose"
          label={f('purpose')}
          value={val.purpose}
          options={PURPOSES.map((k) => [k, v.t(`funding.purpose.${k}`)])}
        />
        <TextField name="purposeDetail" label={f('purpose_detail')} value={val.purposeDetail} maxLength={300} />
        <SelectField
          name="eventId"
          label={f('event')}
          any={v.t('funding.event_whole')}
          value={val.eventId}
          options={props.events}
        />
        <SelectField
          name="recognition"
          label={f('recognition')}
          value={val.recognition}
          options={RECOGNITION.map((k) => [k, v.t(`funding.recognition.${k}`)])}
        />
        <TextField name="contactName" label={f('contact_name')} value={val.contactName} maxLength={200} required />
        <TextField
          name="contactEmail"
          type="email"
          label={f('contact_email')}
          value={val.contactEmail}
          maxLength={254}
          required
        />
        <SelectField
          name="contactLocale"
          label={f('contact_locale')}
          value={val.contactLocale ?? v.locale}
          options={LOCALES.map((l) => [l, ENDONYMS[l]])}
        />
        <button type="submit">{v.t('funding.action.submit')}</button>
      </PostForm>
    </section>
  );
}

function PledgeDetailView({ v, d, csrf, manage }: { v: View; d: svc.PledgeDetail; csrf?: string; manage: boolean }) {
  const p = d.pledge;
  const t = d.totals;
  const base = localePath(v.locale, `/secretariat/funding/${p.id}`);
  const f = (k: string) => v.t(`funding.field.${k}`);
  return (
    <>
      <dl class="facts">
        <dt>{v.t('funding.col.contributor')}</dt>
        <dd>
          <bdi>{entityName(d.entity, v.locale)}</bdi>
        </dd>
        <dt>{v.t('funding.col.state')}</dt>
        <dd id="pledge-state" data-state={p.state}>
          {stateLabel(v, p)}
          {p.reason && ` — ${p.reason}`}
        </dd>
        <dt>{f('purpose')}</dt>
        <dd>
          {v.t(`funding.purpose.${p.purpose}`)} {p.purposeDetail && <bdi>({p.purposeDetail})</bdi>}
        </dd>
        <dt>{v.t('funding.col.pledged')}</dt>
        <dd id="total-pledged">
          <Money v={v} minor={t.pledged} currency={t.currency} /> · <Money v={v} minor={t.pledgedChf} currency="CHF" />
        </dd>
        <dt>{v.t('funding.col.received')}</dt>
        <dd id="total-received">
          <Money v={v} minor={t.received} currency={t.currency} /> ·{' '}
          <Money v={v} minor={t.receivedChf} currency="CHF" />
        </dd>
        <dt>{v.t('funding.col.outstanding')}</dt>
        <dd id="total-outstanding">
          <Money v={v} minor={t.outstanding} currency={t.currency} /> ·{' '}
          <Money v={v} minor={t.outstandingChf} currency="CHF" />
        </dd>
        <dt>{v.t('funding.col.flags')}</dt>
        <dd id="flags">
          <Flags v={v} t={t} />
        </dd>
      </dl>
      <h2>{v.t('funding.payments')}</h2>
      {d.payments.length ? (
        <div class="table-scroll" style="overflow-x:auto;max-inline-size:100%">
          <table class="data" id="payments">
            <thead>
              <tr>
                {['date', 'amount', 'rate', 'chf', 'counted', 'reference'].map((c) => (
                  <th scope="col">{v.t(`funding.col.${c}`)}</th>
                ))}
                {manage && <th />}
              </tr>
            </thead>
            <tbody>
              {d.payments.map((x) => (
                <tr class={x.reversed || x.reverses ? 'reversed' : undefined}>
                  <td>{formatDay(v.locale, x.receivedOn, 'short')}</td>
                  <td>
                    <Money v={v} minor={x.amountMinor} currency={x.currency} />
                  </td>
                  <td dir="ltr">{x.rateToChf}</td>
                  <td>
                    <Money v={v} minor={x.chfMinor} currency="CHF" />
                  </td>
                  <td>
                    <Money v={v} minor={x.pledgeMinor} currency={p.currency} />
                  </td>
                  <td>
                    <bdi>{x.bankReference}</bdi> {x.note && <small>({x.note})</small>}
                  </td>
                  {manage && (
                    <td>
                      {!x.reversed && x.reverses == null && csrf && (
                        <PostForm action={`${base}/payments/${x.id}/reverse`} csrf={csrf} class="decision">
                          <TextField name="reason" label={f('reason')} maxLength={1000} required />
                          <button type="submit">{v.t('funding.action.reverse')}</button>
                        </PostForm>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>—</p>
      )}
      {p.kind === 'in_kind' && <Deliveries v={v} d={d} />}
      <h2>{v.t('funding.acknowledgements')}</h2>
      <ul id="acknowledgements">
        {d.acknowledgements.map((a) => (
          <li>
            {v.t(`funding.ack_event.${a.event}`)} · <bdi dir="ltr">{a.reference}</bdi>{' '}
            {a.mailedAt && (
              <a href={`/api/v1/pledges/${p.id}/acknowledgements/${a.event}.pdf`}>{v.t('funding.download')}</a>
            )}
          </li>
        ))}
      </ul>
      {manage && csrf && (
        <div class="split">
          {p.state === 'announced' && (
            <PostForm action={`${base}/confirm`} csrf={csrf} class="stack">
              <h3>{v.t('funding.action.confirm')}</h3>
              {p.currency !== 'CHF' && <TextField name="rateToChf" label={f('rate')} maxLength={30} dir="ltr" />}
              <SelectField
                name="commitmentForm"
                label={f('form')}
                value="agreement"
                options={COMMITMENT_FORMS.map((k) => [k, v.t(`funding.form.${k}`)])}
              />
              <TextField name="commitmentReference" label={f('commitment_reference')} maxLength={200} />
              <button type="submit">{v.t('funding.action.confirm')}</button>
            </PostForm>
          )}
          {['confirmed', 'partially_paid', 'paid'].includes(p.state) && p.kind === 'cash' && (
            <PostForm action={`${base}/payments`} csrf={csrf} class="stack payment-form">
              <h3>{v.t('funding.action.pay')}</h3>
              <TextField name="receivedOn" type="date" label={f('received_on')} required />
              <TextField name="amount" label={f('amount')} maxLength={40} dir="ltr" required />
              <TextField name="currency" label={f('currency')} value={p.currency} maxLength={3} dir="ltr" required />
              <TextField name="rateToChf" label={f('rate')} maxLength={30} dir="ltr" />
              <TextField name="bankReference" label={f('bank_reference')} maxLength={200} />
              <button type="submit">{v.t('funding.action.pay')}</button>
            </PostForm>
          )}
          {['confirmed', 'partially_paid'].includes(p.state) && p.kind === 'in_kind' && (
            <PostForm action={`${base}/deliveries`} csrf={csrf} class="stack delivery-form">
              <h3>{v.t('funding.action.deliver')}</h3>
              <TextField name="deliveredOn" type="date" label={f('delivered_on')} required />
              <TextField name="description" label={f('delivered')} maxLength={2000} required />
              <TextField
                name="value"
                label={v.t('funding.field.delivered_value', { currency: p.currency })}
                maxLength={40}
                dir="ltr"
                required
              />
              <button type="submit">{v.t('funding.action.deliver')}</button>
            </PostForm>
          )}
          <LogoForm v={v} d={d} csrf={csrf} />
          {!['paid', 'cancelled'].includes(p.state) && (
            <PostForm action={`${base}/reduce`} csrf={csrf} class="stack">
              <h3>{v.t('funding.action.reduce')}</h3>
              <TextField name="amount" label={f('new_amount')} maxLength={40} dir="ltr" required />
              <TextField name="reason" label={f('reason')} maxLength={1000} required />
              <button type="submit">{v.t('funding.action.reduce')}</button>
            </PostForm>
          )}
          {!['paid', 'cancelled'].includes(p.state) && t.received === 0 && (
            <PostForm action={`${base}/cancel`} csrf={csrf} class="stack">
              <h3>{v.t('funding.action.cancel')}</h3>
              <TextField name="reason" label={f('reason')} maxLength={1000} required />
              <button type="submit">{v.t('funding.action.cancel')}</button>
            </PostForm>
          )}
        </div>
      )}
    </>
  );
}

function Deliveries({ v, d }: { v: View; d: svc.PledgeDetail }) {
  return (
    <>
      <h2>{v.t('funding.deliveries')}</h2>
      {d.deliveries.length ? (
        <table class="data" id="deliveries">
          <thead>
            <tr>
              <th scope="col">{v.t('funding.col.date')}</th>
              <th scope="col">{v.t('funding.field.delivered')}</th>
              <th scope="col">{v.t('funding.col.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {d.deliveries.map((x) => (
              <tr>
                <td>{formatDay(v.locale, x.deliveredOn, 'short')}</td>
                <td>
                  <bdi>{x.description}</bdi>
                </td>
                <td>
                  <Money v={v} minor={x.valueMinor} currency={d.pledge.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>—</p>
      )}
    </>
  );
}

/** The contributor's logo for the partners and event pages: an image file and its text alternative per language. */
function LogoForm({ v, d, csrf }: { v: View; d: svc.PledgeDetail; csrf: string }) {
  const base = localePath(v.locale, `/secretariat/funding/${d.pledge.id}`);
  return (
    <PostForm action={`${base}/logo`} csrf={csrf} class="stack logo-form" enctype="multipart/form-data">
      <h3>{v.t('funding.logo.title')}</h3>
      <p>
        <small>{v.t('funding.logo.hint', { max: LOGO_MAX_BYTES / 1024 / 1024 })}</small>
      </p>
      <div class="field">
        <label for={fieldId('logo')}>{v.t('funding.logo.file')}</label>
        <input id={fieldId('logo')} type="file" name="logo" accept="image/png,image/jpeg,image/webp" required />
      </div>
      {LOCALES.map((l) => (
        <TextField name={`alt_${l}`} label={v.t('funding.logo.alt', { lang: ENDONYMS[l] })} maxLength={200} />
      ))}
      <button type="submit">{v.t('funding.logo.upload')}</button>
    </PostForm>
  );
}

function TotalsTable({
  v,
  id,
  lines,
  label,
}: {
  v: View;
  id: string;
  lines: TotalLine[];
  label: (k: string) => string;
}) {
  return (
    <table class="data" id={id}>
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">{v.t('funding.col.pledges')}</th>
          <th scope="col">{v.t('funding.col.pledged')}</th>
          <th scope="col">{v.t('funding.col.received')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr>
            <th scope="row">{label(l.key)}</th>
            <td>{formatNumber(v.locale, l.pledges)}</td>
            <td>
              <Money v={v} minor={l.pledgedChf} currency="CHF" />
            </td>
            <td>
              <Money v={v} minor={l.receivedChf} currency="CHF" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export async function fundingPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const own = { permission: 'pledges.announce' as const };
    const manage = { permission: 'pledges.manage' as const };

    /** Runs a form's operation; a refused one re-renders the page with its translated error. */
    const attempt = async (
      req: FastifyRequest,
      reply: FastifyReply,
      op: () => Promise<string>,
      page: (error: string) => (v: View) => Promise<{ title: string; body: VNode; status?: number }>,
    ) => {
      try {
        return reply.redirect(await op(), 303);
      } catch (e) {
        if (!(e instanceof DomainError) || e.status === 404 || e.status === 401) throw e;
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await page(v.t(`errors.${e.code}`, e.params))(v)),
          status: e.status,
        }));
      }
    };

    // ---------------------------------------------------------------- the contributor's desk
    const deskPage =
      (req: FastifyRequest, o: { done?: string; error?: string; values?: Record<string, string> } = {}) =>
      async (v: View) => {
        const mine = svc.pledgeEntitiesOf(req.ctx);
        const ents = (await listEntities(req.ctx)).filter((e) => mine.includes(e.id));
        const rows = await svc.listPledges(req.ctx, {});
        return {
          title: v.t('funding.desk_title'),
          body: (
            <>
              <h1>{v.t('funding.desk_title')}</h1>
              <p class="lead">{v.t('funding.desk_lead')}</p>
              <DoneNotice v={v} done={o.done} />
              <PledgeTable
                v={v}
                rows={rows.filter((x) => mine.includes(x.entity.id))}
                href={(id) => localePath(v.locale, `/funding/${id}`)}
              />
              {ents.length > 0 && (
                <AnnounceForm
                  v={v}
                  csrf={req.csrfToken()}
                  action={localePath(v.locale, '/funding')}
                  entities={ents.map((e) => [String(e.id), entityName(e, v.locale)])}
                  events={await eventOptions(req, v)}
                  values={o.values}
                  error={o.error}
                />
              )}
            </>
          ),
        };
      };
    r.get('/:lc/funding', { config: own, schema: { hide: true, params: Lc, querystring: Done } }, (req, reply) =>
      sendPrivatePage(req, reply, deskPage(req, { done: req.query.done })),
    );
    r.post('/:lc/funding', { config: own, schema: { hide: true, params: Lc } }, async (req, reply) => {
      const values = body(req);
      return attempt(
        req,
        reply,
        async () => {
          const p = await svc.announcePledge(wctx(req), values as unknown as svc.AnnounceBody);
          return localePath(req.locale, `/funding/${p.id}?done=announced`);
        },
        (error) => deskPage(req, { error, values }),
      );
    });
    r.get('/:lc/funding/:id', { config: own, schema: { hide: true, params: LcId, querystring: Done } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const d = await svc.getPledge(req.ctx, req.params.id);
        return {
          title: `${v.t('funding.desk_title')} · ${d.pledge.reference}`,
          body: (
            <>
              <h1>
                <bdi dir="ltr">{d.pledge.reference}</bdi>
              </h1>
              <DoneNotice v={v} done={req.query.done} />
              <PledgeDetailView v={v} d={d} manage={false} />
              <p>
                <a href={localePath(v.locale, '/funding')}>{v.t('funding.desk_title')}</a>
              </p>
            </>
          ),
        };
      }),
    );

    // ---------------------------------------------------------------- the secretariat
    const listPage =
      (req: FastifyRequest, o: { done?: string; error?: string; values?: Record<string, string> } = {}) =>
      async (v: View) => {
        const [rows, ents] = await Promise.all([svc.listPledges(req.ctx), listEntities(req.ctx)]);
        return {
          title: v.t('funding.secretariat_title'),
          body: (
            <>
              <h1>{v.t('funding.secretariat_title')}</h1>
              <p>
                <a href={localePath(v.locale, '/secretariat/funding/report')}>{v.t('funding.report_title')}</a> ·{' '}
                <a href={localePath(v.locale, '/partners')}>{v.t('funding.partners_title')}</a> ·{' '}
                <a href={`/api/v1/pledges.csv?lang=${v.locale}`}>{v.t('funding.action.csv')}</a> ·{' '}
                <a href={`/api/v1/pledges.xlsx?lang=${v.locale}`}>XLSX</a>
              </p>
              <DoneNotice v={v} done={o.done} />
              <PledgeTable v={v} rows={rows} href={(id) => localePath(v.locale, `/secretariat/funding/${id}`)} />
              <AnnounceForm
                v={v}
                csrf={req.csrfToken()}
                action={localePath(v.locale, '/secretariat/funding')}
                entities={ents.map((e) => [String(e.id), entityName(e, v.locale)])}
                events={await eventOptions(req, v)}
                values={o.values}
                error={o.error}
              />
            </>
          ),
        };
      };
    r.get(
      '/:lc/secretariat/funding',
      { config: manage, schema: { hide: true, params: Lc, querystring: Done } },
      (req, reply) => sendPrivatePage(req, reply, listPage(req, { done: req.query.done })),
    );
    r.post('/:lc/secretariat/funding', { config: manage, schema: { hide: true, params: Lc } }, async (req, reply) => {
      const values = body(req);
      return attempt(
        req,
        reply,
        async () => {
          const p = await svc.announcePledge(wctx(req), values as unknown as svc.AnnounceBody);
          return localePath(req.locale, `/secretariat/funding/${p.id}?done=announced`);
        },
        (error) => listPage(req, { error, values }),
      );
    });

    const pledgePage =
      (req: FastifyRequest, id: number, o: { done?: string; error?: string } = {}) =>
      async (v: View) => {
        const d = await svc.getPledge(req.ctx, id);
        return {
          title: `${v.t('funding.secretariat_title')} · ${d.pledge.reference}`,
          body: (
            <>
              <h1>
                <bdi dir="ltr">{d.pledge.reference}</bdi> · <bdi>{entityName(d.entity, v.locale)}</bdi>
              </h1>
              <DoneNotice v={v} done={o.done} />
              {o.error && <Notice kind="error">{o.error}</Notice>}
              <PledgeDetailView v={v} d={d} csrf={req.csrfToken()} manage={can(req.ctx.actor, 'pledges.manage')} />
              <p>
                <a href={localePath(v.locale, '/secretariat/funding')}>{v.t('funding.secretariat_title')}</a>
              </p>
            </>
          ),
        };
      };
    r.get(
      '/:lc/secretariat/funding/:id',
      { config: manage, schema: { hide: true, params: LcId, querystring: Done } },
      (req, reply) => sendPrivatePage(req, reply, pledgePage(req, req.params.id, { done: req.query.done })),
    );
    const action = (
      path: string,
      done: string,
      op: (req: FastifyRequest, id: number, b: Record<string, string>) => Promise<unknown>,
    ) =>
      r.post(
        `/:lc/secretariat/funding/:id${path}`,
        {
          config: manage,
          schema: { hide: true, params: LcId.extend({ payment: z.coerce.number().int().optional() }) },
        },
        async (req, reply) =>
          attempt(
            req,
            reply,
            async () => {
              await op(req, req.params.id, body(req));
              return localePath(req.locale, `/secretariat/funding/${req.params.id}?done=${done}`);
            },
            (error) => pledgePage(req, req.params.id, { error }),
          ),
      );
    action('/confirm', 'confirmed', (req, id, b) => svc.confirmPledge(wctx(req), id, b));
    action('/payments', 'paid', (req, id, b) => svc.recordPayment(wctx(req), id, b as unknown as svc.PaymentBody));
    action('/deliveries', 'delivered', (req, id, b) =>
      svc.recordDelivery(wctx(req), id, b as unknown as svc.DeliveryBody),
    );
    r.post(
      '/:lc/secretariat/funding/:id/logo',
      { config: manage, schema: { hide: true, params: LcId } },
      async (req, reply) =>
        attempt(
          req,
          reply,
          async () => {
            const parts = (req.body ?? {}) as Record<
              string,
              { type?: string; value?: unknown; mimetype?: string; toBuffer?: () => Promise<Buffer> }
            >;
            const file = parts.logo;
            if (file?.type !== 'file' || !file.toBuffer) throw new DomainError('logo_unreadable', 400);
            const alt = Object.fromEntries(
              LOCALES.map((l) => [l, String(parts[`alt_${l}`]?.value ?? '')]).filter(([, x]) => x.trim()),
            );
            const d = await svc.getPledge(req.ctx, req.params.id);
            await saveLogo(wctx(req), d.entity.id, await file.toBuffer(), alt, file.mimetype);
            return localePath(req.locale, `/secretariat/funding/${req.params.id}?done=logo`);
          },
          (error) => pledgePage(req, req.params.id, { error }),
        ),
    );
    action('/reduce', 'reduced', (req, id, b) => svc.reducePledge(wctx(req), id, b as unknown as svc.ReduceBody));
    action('/cancel', 'cancelled', (req, id, b) => svc.cancelPledge(wctx(req), id, b as { reason: string }));
    action('/payments/:payment/reverse', 'reversed', async (req, id, b) => {
      const paymentId = (req.params as { payment: number }).payment;
      const d = await svc.getPledge(req.ctx, id);
      if (!d.payments.some((x) => x.id === Number(paymentId))) throw new DomainError('payment_not_found', 404);
      return svc.reversePayment(wctx(req), Number(paymentId), b as { reason: string });
    });

    // ---------------------------------------------------------------- totals and tiers
    const reportPage =
      (req: FastifyRequest, o: { done?: string; error?: string } = {}) =>
      async (v: View) => {
        const [rep, tiers] = await Promise.all([fundingReport(req.ctx.db), svc.listTiers(req.ctx.db)]);
        const rows: { name: Localized; minChfMinor: number | null; package: string }[] = [
          ...tiers,
          { name: {}, minChfMinor: null, package: '' },
        ];
        return {
          title: v.t('funding.report_title'),
          body: (
            <>
              <h1>{v.t('funding.report_title')}</h1>
              <DoneNotice v={v} done={o.done} />
              {o.error && <Notice kind="error">{o.error}</Notice>}
              <dl class="facts" id="report-totals">
                <dt>{v.t('funding.col.pledged')}</dt>
                <dd id="report-pledged">
                  <Money v={v} minor={rep.totals.pledgedChf} currency="CHF" />
                </dd>
                <dt>{v.t('funding.col.received')}</dt>
                <dd id="report-received">
                  <Money v={v} minor={rep.totals.receivedChf} currency="CHF" />
                </dd>
                <dt>{v.t('funding.col.outstanding')}</dt>
                <dd id="report-outstanding">
                  <Money v={v} minor={rep.totals.outstandingChf} currency="CHF" />
                </dd>
              </dl>
              {rep.totals.withoutRate > 0 && <p>{v.t('funding.without_rate', { n: rep.totals.withoutRate })}</p>}
              <h2>{v.t('funding.by_type')}</h2>
              <TotalsTable v={v} id="by-type" lines={rep.byType} label={(k) => v.t(`entities.kind.${k}`)} />
              <h2>{v.t('funding.by_region')}</h2>
              <TotalsTable v={v} id="by-region" lines={rep.byRegion} label={(k) => k} />
              <h2>{v.t('funding.by_purpose')}</h2>
              <TotalsTable v={v} id="by-purpose" lines={rep.byPurpose} label={(k) => v.t(`funding.purpose.${k}`)} />
              <h2>{v.t('funding.by_currency')}</h2>
              <table class="data" id="by-currency">
                <thead>
                  <tr>
                    <th scope="col">{v.t('funding.field.currency')}</th>
                    <th scope="col">{v.t('funding.col.pledges')}</th>
                    <th scope="col">{v.t('funding.col.pledged')}</th>
                    <th scope="col">{v.t('funding.col.received')}</th>
                    <th scope="col">{v.t('funding.col.chf')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rep.byCurrency.map((c) => (
                    <tr>
                      <th scope="row">{c.currency}</th>
                      <td>{formatNumber(v.locale, c.pledges)}</td>
                      <td>
                        <Money v={v} minor={c.pledged} currency={c.currency} />
                      </td>
                      <td>
                        <Money v={v} minor={c.received} currency={c.currency} />
                      </td>
                      <td>
                        <Money v={v} minor={c.receivedChf} currency="CHF" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{v.t('funding.over_time')}</h2>
              <table class="data" id="over-time">
                <thead>
                  <tr>
                    <th scope="col">{v.t('funding.col.month')}</th>
                    <th scope="col">{v.t('funding.col.pledged')}</th>
                    <th scope="col">{v.t('funding.col.received')}</th>
                    <th scope="col">{v.t('funding.col.cumulative')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rep.overTime.map((m) => (
                    <tr>
                      <th scope="row" dir="ltr">
                        {m.month}
                      </th>
                      <td>
                        <Money v={v} minor={m.pledgedChf} currency="CHF" />
                      </td>
                      <td>
                        <Money v={v} minor={m.receivedChf} currency="CHF" />
                      </td>
                      <td>
                        <Money v={v} minor={m.cumulativePledgedChf} currency="CHF" /> /{' '}
                        <Money v={v} minor={m.cumulativeReceivedChf} currency="CHF" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{v.t('funding.tiers')}</h2>
              <PostForm
                action={localePath(v.locale, '/secretariat/funding/tiers')}
                csrf={req.csrfToken()}
                class="stack"
              >
                {rows.map((tier, i) => (
                  <fieldset class="field">
                    <TextField
                      name={`min${i}`}
                      label={v.t('funding.tier_min')}
                      value={tier.minChfMinor == null ? '' : formatAmount(v.locale, tier.minChfMinor, 'CHF')}
                      maxLength={40}
                      dir="ltr"
                    />
                    <TextField
                      name={`package${i}`}
                      label={v.t('funding.tier_package')}
                      hint={v.t('funding.tier_package_hint')}
                      value={tier.package}
                      maxLength={300}
                    />
                    {LOCALES.map((l) => (
                      <TextField
                        name={`name${i}_${l}`}
                        label={v.t('funding.tier_name', { lang: ENDONYMS[l] })}
                        value={tier.name[l] ?? ''}
                        maxLength={100}
                      />
                    ))}
                  </fieldset>
                ))}
                <button type="submit">{v.t('funding.action.save_tiers')}</button>
              </PostForm>
            </>
          ),
        };
      };
    r.get(
      '/:lc/secretariat/funding/report',
      { config: manage, schema: { hide: true, params: Lc, querystring: Done } },
      (req, reply) => sendPrivatePage(req, reply, reportPage(req, { done: req.query.done })),
    );
    r.post(
      '/:lc/secretariat/funding/tiers',
      { config: manage, schema: { hide: true, params: Lc } },
      async (req, reply) => {
        const b = body(req);
        const tiers: { minChf: string; name: Localized; package: string }[] = [];
        for (let i = 0; b[`min${i}`] !== undefined; i++) {
          const name = Object.fromEntries(
            LOCALES.map((l) => [l, (b[`name${i}_${l}`] ?? '').trim()]).filter(([, x]) => x),
          );
          const pkg = (b[`package${i}`] ?? '').trim();
          if (!b[`min${i}`].trim() && !pkg && !Object.keys(name).length) continue;
          // A package tier needs no threshold of its own: it ranks with the CHF thresholds by the one given, else 0.
          tiers.push({ minChf: b[`min${i}`].trim() || '0', name, package: pkg });
        }
        return attempt(
          req,
          reply,
          async () => {
            await svc.setTiers(wctx(req), { tiers });
            return localePath(req.locale, '/secretariat/funding/report?done=tiers');
          },
          (error) => reportPage(req, { error }),
        );
      },
    );
  });
}
