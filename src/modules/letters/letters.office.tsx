/**
 * The secretariat's letter pages (letters.send): the list, writing a letter in several languages, approving, sending
 * (to a region), deliveries and resending; and the response tracker (`/{lc}/letters/{ref}/responses`) with filters,
 * headline counts, CSV/XLSX export and reminders to the Member States that have not answered. A focal point sees the
 * tracker with their own Member State's row only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { sendExport } from '../../platform/export/index.js';
import { text } from '../../platform/i18n/localized.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { can } from '../../platform/permissions.js';
import { fieldId, hintId, Notice, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { ITU_REGIONS, ITUD_REGIONS, UN_GROUPS } from '../entities/index.js';
import { languageName, letterDate, readLetter } from './letters.present.js';
import { ANNEX_MAX_BYTES, checkAnnex, referenceSlug } from './letters.rules.js';
import { AUDIENCES, type Audience } from './letters.schema.js';
import * as send from './letters.sending.js';
import * as svc from './letters.service.js';
import { getTracker, RESPONSE_STATES, responseState, unanswered, type Tracker } from './letters.tracker.js';
import { WorldMap } from '../../platform/ui/world-map.js';
import { countryName } from '../../platform/i18n/countries.js';
import { formatNumber } from '../../platform/i18n/format.js';

const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const Lc = z.object({ lc: z.string() });
const LcId = z.object({ lc: z.string(), id: z.coerce.number().int().positive() });
const LcRef = z.object({ lc: z.string(), ref: z.string().max(20) });
const FilterQuery = z.object({
  ituRegion: z
    .enum(ITU_REGIONS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  itudRegion: z
    .enum(ITUD_REGIONS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  unGroup: z
    .enum(UN_GROUPS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  special: z
    .enum(send.SPECIAL_GROUPS)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  done: z.string().max(40).optional(),
  n: z.coerce.number().int().optional(),
});
export type Filter = z.infer<typeof FilterQuery>;
const filterOf = (q: Filter) => ({
  ituRegion: q.ituRegion,
  itudRegion: q.itudRegion,
  unGroup: q.unGroup,
  special: q.special,
});
const qs = (q: Filter) =>
  new URLSearchParams(Object.entries(filterOf(q)).flatMap(([k, v]) => (v ? [[k, String(v)]] : []))).toString();

export function FilterFields({ v, q }: { v: View; q: Filter }) {
  const { t } = v;
  return (
    <>
      <SelectField
        name="ituRegion"
        label={t('letters.office.itu_region')}
        any={t('letters.office.any')}
        value={q.ituRegion}
        options={ITU_REGIONS.map((r) => [r, r])}
      />
      <SelectField
        name="itudRegion"
        label={t('letters.office.itud_region')}
        any={t('letters.office.any')}
        value={q.itudRegion}
        options={ITUD_REGIONS.map((r) => [r, r])}
      />
      <SelectField
        name="unGroup"
        label={t('letters.office.un_group')}
        any={t('letters.office.any')}
        value={q.unGroup}
        options={UN_GROUPS.map((r) => [r, r])}
      />
      <SelectField
        name="special"
        label={t('letters.office.special')}
        any={t('letters.office.any')}
        value={q.special}
        options={send.SPECIAL_GROUPS.map((g) => [g, t(`letters.office.special_group.${g}`)])}
      />
    </>
  );
}

/** The form's fields (subject_xx, body_xx per language, audiences…) as a letter input. */
function letterFromForm(b: Record<string, unknown>, current: svc.Letter | undefined) {
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const per = (prefix: string) =>
    Object.fromEntries(LOCALES.map((l) => [l, str(`${prefix}_${l}`).trim()]).filter(([, v]) => v)) as Partial<
      Record<Locale, string>
    >;
  const audiences = [b.audiences].flat().filter((a): a is Audience => AUDIENCES.includes(a as Audience));
  return {
    reference: str('reference').trim() || undefined,
    date: str('date'),
    originalLanguage: str('originalLanguage') as Locale,
    audiences,
    subject: per('subject'),
    body: per('body'),
    addressees: Object.keys(per('addressees')).length ? per('addressees') : (current?.addressees ?? {}),
    sender: current?.sender ?? { en: 'ITU General Secretariat' },
    signatoryName: current?.signatoryName ?? '',
    signatoryTitle: current?.signatoryTitle ?? {},
    contactName: current?.contactName ?? '',
    contactEmail: current?.contactEmail ?? '',
  };
}

/** The fields of a submitted form as plain values: multipart fields arrive as `{ value }`, repeated ones as arrays. */
export function formValues(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const plain = (x: unknown) =>
    typeof x === 'string'
      ? x
      : x && typeof x === 'object' && 'value' in x && typeof x.value === 'string'
        ? x.value
        : undefined;
  for (const [k, x] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(x)) {
      const vs = x.map(plain).filter((y): y is string => y !== undefined);
      if (vs.length) out[k] = vs;
    } else {
      const y = plain(x);
      if (y !== undefined) out[k] = y;
    }
  }
  return out;
}

type FilePart = { type?: string; filename?: string; toBuffer?: () => Promise<Buffer>; file?: { truncated?: boolean } };

/** The uploaded annex of a form (`annex` file, `annex_title`), checked by its bytes; undefined when none was chosen. */
async function annexOf(body: unknown, values: Record<string, string | string[]>) {
  const part = (body as Record<string, FilePart> | undefined)?.annex;
  if (part?.type !== 'file' || !part.toBuffer) return undefined;
  const bytes = await part.toBuffer();
  if (!bytes.length && !part.filename) return undefined; // the field left empty
  if (part.file?.truncated || bytes.length > ANNEX_MAX_BYTES)
    throw new DomainError('annex_too_large', 413, { max: '10 MB' });
  checkAnnex(bytes);
  const filename = part.filename || 'annex.pdf';
  const title = String(values.annex_title ?? '').trim() || filename.replace(/\.pdf$/i, '');
  return { bytes, filename, title: title.slice(0, 300) };
}

/** A page's multipart limits for a letter form: one annex of up to 10 MB, the six languages' texts. */
const LETTER_FORM_MULTIPART = {
  // One byte more than allowed: a larger file arrives truncated, and is refused in words with the form kept.
  limits: { fileSize: ANNEX_MAX_BYTES + 1, files: 1, fields: 60, fieldSize: 60_000 },
  throwFileSizeLimit: false,
};

function AnnexFields({ v, value }: { v: View; value?: string }) {
  const { t } = v;
  return (
    <fieldset>
      <legend>{t('letters.annexes_heading')}</legend>
      <TextField
        name="annex_title"
        label={t('letters.office.annex_title')}
        maxLength={300}
        wide
        value={value}
        dir="auto"
      />
      <div class="field field-wide">
        <label for={fieldId('annex')}>{t('letters.office.annex_file')}</label>
        <small class="hint" id={hintId('annex')}>
          {t('letters.office.annex_hint')}
        </small>
        <input
          id={fieldId('annex')}
          type="file"
          name="annex"
          accept="application/pdf,.pdf"
          aria-describedby={hintId('annex')}
        />
      </div>
    </fieldset>
  );
}

/** The new letter: every field kept as typed when the server refuses it (the error on top, in the reader's language). */
function NewLetterForm({
  v,
  csrf,
  current,
  values = {},
  error,
}: {
  v: View;
  csrf: string;
  current?: svc.Letter;
  values?: Record<string, string | string[]>;
  error?: string;
}) {
  const { t, locale } = v;
  const typed = Object.keys(values).length > 0;
  const val = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const audiences = [values.audiences ?? []].flat();
  return (
    <PostForm
      action={localePath(locale, '/secretariat/letters')}
      csrf={csrf}
      enctype="multipart/form-data"
      error={error}
      label={t('letters.office.new')}
    >
      <TextField
        name="reference"
        label={t('letters.office.reference')}
        hint={t('letters.office.reference_hint')}
        maxLength={20}
        dir="ltr"
        value={val('reference')}
      />
      <TextField
        name="date"
        type="date"
        label={t('letters.office.date')}
        value={val('date') ?? v.now.toISOString().slice(0, 10)}
        required
      />
      <SelectField
        name="originalLanguage"
        label={t('letters.original_label')}
        value={val('originalLanguage') ?? locale}
        options={LOCALES.map((l) => [l, languageName(locale, l)])}
      />
      <fieldset>
        <legend>{t('letters.office.audiences')}</legend>
        {AUDIENCES.map((a) => (
          <label class="check">
            <input
              type="checkbox"
              name="audiences"
              value={a}
              checked={typed ? audiences.includes(a) : a === 'member_states'}
            />{' '}
            {t(`letters.office.audience.${a}`)}
          </label>
        ))}
      </fieldset>
      {LOCALES.map((l) => (
        <fieldset lang={l}>
          <legend>{languageName(locale, l)}</legend>
          <TextField
            name={`subject_${l}`}
            label={t('letters.office.subject')}
            maxLength={500}
            wide
            dir="auto"
            value={val(`subject_${l}`)}
          />
          <TextField
            name={`addressees_${l}`}
            label={t('letters.office.addressees')}
            maxLength={500}
            wide
            dir="auto"
            value={typed ? val(`addressees_${l}`) : (current?.addressees[l] ?? '')}
          />
          <label class="field field-wide">
            <span>{t('letters.office.body')}</span>
            <small class="hint">{t('letters.office.body_hint')}</small>
            <textarea name={`body_${l}`} rows={8} maxLength={50000} dir="auto">
              {val(`body_${l}`) ?? ''}
            </textarea>
          </label>
        </fieldset>
      ))}
      <AnnexFields v={v} value={val('annex_title')} />
      <button type="submit">{t('letters.office.create')}</button>
    </PostForm>
  );
}

/** The map's colours by response state, from "no answer" (orange) through deepening greens to a pledge. */
export const STATE_COLOURS: Record<(typeof RESPONSE_STATES)[number], string> = {
  none: '#fdae6b',
  focal_point: '#c7e9c0',
  registered: '#74c476',
  speaking: '#31a354',
  pledge: '#00441b',
};

/** Each Member State of the tracker coloured by its furthest answer; the table below is the same data in words. */
function TrackerMap({ v, t: tr }: { v: View; t: Tracker }) {
  const { t, locale } = v;
  const states = tr.rows.map((r) => [r, responseState(r)] as const);
  const shown = RESPONSE_STATES.filter((s) => s !== 'pledge' || tr.columns.some((c) => c.key === 'pledge'));
  const stateName = (s: string) => t(`letters.office.map.state.${s}`);
  return (
    <figure class="chart-block tracker-map">
      <figcaption>
        <strong>{t('letters.office.map.title')}</strong>
      </figcaption>
      <div class="chart-frame">
        <WorldMap
          id="tracker-map"
          locale={locale}
          title={t('letters.office.map.title')}
          desc={t('letters.office.map.desc', { total: tr.rows.length, reference: tr.letter.reference })}
          legendCell={locale === 'zh' ? 150 : 235}
          legend={shown.map((s) => ({
            colour: STATE_COLOURS[s],
            label: t('letters.office.map.legend_item', {
              state: stateName(s),
              n: formatNumber(locale, states.filter(([, x]) => x === s).length),
            }),
          }))}
          areas={states
            .filter(([r]) => r.code)
            .map(([r, s]) => ({
              iso2: r.code,
              fill: STATE_COLOURS[s],
              state: s,
              label: t('letters.office.map.country_state', {
                country: countryName(locale, r.code),
                state: stateName(s),
              }),
            }))}
        />
      </div>
    </figure>
  );
}

function TrackerTable({ v, t: tr }: { v: View; t: Tracker }) {
  const { t } = v;
  return (
    <table class="data">
      <caption class="visually-hidden">{t('letters.office.tracker')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('letters.office.member_state')}</th>
          <th scope="col">{t('letters.office.map.answer')}</th>
          <th scope="col">{t('letters.office.delivered')}</th>
          <th scope="col">{t('letters.office.focal_point')}</th>
          <th scope="col">{t('letters.office.delegates')}</th>
          <th scope="col">{t('letters.office.head_level')}</th>
          <th scope="col">{t('letters.office.speaking')}</th>
          <th scope="col">{t('letters.office.last_contact')}</th>
          {tr.columns.map((c) => (
            <th scope="col">{c.header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {tr.rows.map((r) => (
          <tr data-code={r.code}>
            <th scope="row">
              {r.name}
              {r.special.length > 0 && (
                <small class="special">
                  {' '}
                  ({r.special.map((g) => t(`letters.office.special_short.${g}`)).join(', ')})
                </small>
              )}
            </th>
            <td class="answer" data-state={responseState(r)}>
              {t(`letters.office.map.state.${responseState(r)}`)}
            </td>
            <td data-delivered={r.delivered ? 'yes' : r.bounced ? 'bounced' : 'no'}>
              {r.delivered ? t('letters.office.yes') : r.bounced ? t('letters.office.bounced') : t('letters.office.no')}
            </td>
            <td>{r.focalPoint ? t('letters.office.yes') : t('letters.office.no')}</td>
            <td class="delegates">
              {r.delegates}
              {r.delegates > 0 &&
                ` (${Object.entries(r.delegatesByState)
                  .map(([s, n]) => `${t(`letters.office.reg_state.${s}`)}: ${n}`)
                  .join(', ')})`}
            </td>
            <td>{r.headLevel ? t(`letters.office.level.${r.headLevel}`) : '—'}</td>
            <td>
              {Object.entries(r.speaking)
                .map(([s, n]) => `${t(`letters.office.speaking_state.${s}`)}: ${n}`)
                .join(', ') || '—'}
            </td>
            <td>{r.lastContact ? letterDate(v.locale, r.lastContact.toISOString().slice(0, 10)) : '—'}</td>
            {tr.columns.map((c) => (
              <td>{r.extraText[c.key] ?? '—'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The annexes of a letter: each one to read; while it is not sent, removed or added (a PDF of up to 10 MB). */
function LetterAnnexes({
  v,
  csrf,
  l,
  annexes,
  error,
  title,
}: {
  v: View;
  csrf: string;
  l: svc.Letter;
  annexes: svc.Annex[];
  error?: string;
  title?: string;
}) {
  const { t, locale } = v;
  const open = l.state !== 'sent';
  return (
    <section aria-labelledby="letter-annexes" id="annexes">
      <h2 id="letter-annexes">{t('letters.annexes_heading')}</h2>
      {!open && error && <Notice kind="error">{error}</Notice>}
      {annexes.length === 0 && <p>{t('letters.office.annex_none')}</p>}
      {annexes.length > 0 && (
        <ul class="annex-list">
          {annexes.map((a) => (
            <li data-annex={a.id}>
              <a href={localePath(locale, `/secretariat/letters/${l.id}/annexes/${a.id}`)} type="application/pdf">
                <bdi>{a.title}</bdi>
              </a>{' '}
              <small dir="ltr">
                ({a.filename}, {formatNumber(locale, Math.max(1, Math.round(a.size / 1024)))} KB)
              </small>
              {open && (
                <PostForm
                  action={localePath(locale, `/secretariat/letters/${l.id}/annexes/${a.id}/remove`)}
                  csrf={csrf}
                  class="inline-form"
                >
                  <button type="submit" class="secondary">
                    {t('letters.office.annex_remove', { title: a.title })}
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && (
        <PostForm
          action={localePath(locale, `/secretariat/letters/${l.id}/annexes`)}
          csrf={csrf}
          enctype="multipart/form-data"
          error={error}
          label={t('letters.office.annex_add')}
        >
          {l.state === 'approved' && <p class="hint">{t('letters.office.annex_reapprove')}</p>}
          <AnnexFields v={v} value={title} />
          <button type="submit">{t('letters.office.annex_add')}</button>
        </PostForm>
      )}
    </section>
  );
}

/** The secretariat's page of one letter: its state, approval, sending, annexes, deliveries. */
async function letterPage(
  req: FastifyRequest,
  v: View,
  l: svc.Letter,
  o: { query?: Filter; annexError?: string; annexTitle?: string } = {},
) {
  const { t, locale } = v;
  const [ds, annexes] = await Promise.all([send.listDeliveries(req.ctx, l.id), svc.listAnnexes(req.ctx.db, l.id)]);
  const by = (s: string) => ds.filter((d) => d.state === s).length;
  const r = readLetter(l, locale);
  const done = o.query?.done;
  return {
    title: `${l.reference} · ${t('letters.office.title')}`,
    body: (
      <section>
        <p class="kicker">
          <a href={localePath(locale, '/secretariat/letters')}>{t('letters.office.title')}</a>
        </p>
        <h1>
          {l.reference}: <span lang={r.lang}>{r.subject}</span>
        </h1>
        {done && <Notice kind="ok">{t(`letters.office.done.${done}`, { n: o.query?.n ?? 0 })}</Notice>}
        <p class="state">
          {t('letters.office.state')}: <strong>{t(`letters.office.states.${l.state}`)}</strong>
        </p>
        <p>
          {LOCALES.filter((x) => l.body[x])
            .map((x) => languageName(locale, x))
            .join(', ')}{' '}
          · {t('letters.original', { language: languageName(locale, l.originalLanguage as Locale) })}
        </p>
        {l.state === 'draft' && (
          <PostForm
            action={localePath(locale, `/secretariat/letters/${l.id}/approve`)}
            csrf={req.csrfToken()}
            class="inline-form"
          >
            <button type="submit">{t('letters.office.approve')}</button>
          </PostForm>
        )}
        {l.state === 'approved' && (
          <PostForm action={localePath(locale, `/secretariat/letters/${l.id}/send`)} csrf={req.csrfToken()}>
            <p>{t('letters.office.send_hint')}</p>
            <FilterFields v={v} q={{}} />
            <button type="submit">{t('letters.office.send')}</button>
          </PostForm>
        )}
        {l.state === 'sent' && (
          <>
            <p>
              <a href={localePath(locale, `/letters/${referenceSlug(l.reference)}`)}>{t('letters.read')}</a> ·{' '}
              <a href={localePath(locale, `/letters/${referenceSlug(l.reference)}/responses`)}>
                {t('letters.office.tracker')}
              </a>
            </p>
            <h2>{t('letters.office.deliveries')}</h2>
            <p class="deliveries">
              {t('letters.office.delivery_counts', {
                queued: by('queued'),
                sent: by('sent'),
                failed: by('failed'),
                bounced: by('bounced'),
              })}
            </p>
            {by('failed') + by('bounced') > 0 && (
              <>
                <ul id="undelivered">
                  {ds
                    .filter((d) => d.state === 'failed' || d.state === 'bounced')
                    .slice(0, 100)
                    .map((d) => (
                      <li dir="ltr" data-state={d.state}>
                        {d.email} ({t(`letters.messages.state.${d.state}`)}): {d.error}
                      </li>
                    ))}
                </ul>
                <PostForm
                  action={localePath(locale, `/secretariat/letters/${l.id}/resend`)}
                  csrf={req.csrfToken()}
                  class="inline-form"
                >
                  <button type="submit">{t('letters.office.resend')}</button>
                </PostForm>
              </>
            )}
          </>
        )}
        <LetterAnnexes v={v} csrf={req.csrfToken()} l={l} annexes={annexes} error={o.annexError} title={o.annexTitle} />
        <h2>{t('letters.office.addressees')}</h2>
        <p>{text(l.addressees, locale)}</p>
      </section>
    ),
  };
}

export async function lettersOfficePages(app: FastifyInstance) {
  const office = { permission: 'letters.send' as const };
  const signedIn = { permission: 'account.self' as const };

  const fail = (reply: FastifyReply, req: FastifyRequest, e: unknown, back: string) => {
    if (!(e instanceof DomainError)) throw e;
    return sendPrivatePage(req, reply, async (v) => ({
      title: v.t('letters.nav'),
      status: e.status,
      body: (
        <section>
          <Notice kind="error">{v.t(`errors.${e.code}`, e.params)}</Notice>
          <p>
            <a href={localePath(v.locale, back)}>{v.t('letters.office.back')}</a>
          </p>
        </section>
      ),
    }));
  };

  app.get('/:lc/secretariat/letters', { config: office, schema: { hide: true, params: Lc } }, (req, reply) =>
    sendPrivatePage(req, reply, async (v) => {
      const { t, locale } = v;
      const list = await svc.listLetters(req.ctx);
      const current = list.find((l) => l.state === 'sent');
      return {
        title: t('letters.office.title'),
        body: (
          <section>
            <h1>{t('letters.office.title')}</h1>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t('letters.office.reference')}</th>
                  <th scope="col">{t('letters.office.subject')}</th>
                  <th scope="col">{t('letters.office.state')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((l) => (
                  <tr>
                    <th scope="row">
                      <a href={localePath(locale, `/secretariat/letters/${l.id}`)}>{l.reference}</a>
                    </th>
                    <td>{readLetter(l, locale).subject}</td>
                    <td>{t(`letters.office.states.${l.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2 id="new-letter">{t('letters.office.new')}</h2>
            <NewLetterForm v={v} csrf={req.csrfToken()} current={current} />
          </section>
        ),
      };
    }),
  );

  app.post(
    '/:lc/secretariat/letters',
    { config: { ...office, multipartOptions: LETTER_FORM_MULTIPART }, schema: { hide: true, params: Lc } },
    async (req, reply) => {
      const values = formValues(req.body);
      const current = await svc.getCurrentLetter(req.ctx);
      try {
        const annex = await annexOf(req.body, values);
        const l = await svc.createLetter(wctx(req), letterFromForm(values, current));
        if (annex) await svc.addAnnex(wctx(req), l.id, annex);
        return reply.redirect(localePath(req.locale, `/secretariat/letters/${l.id}`), 303);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        // The form again, as typed, with the reason on top (a file cannot be chosen again for the reader).
        return sendPrivatePage(req, reply, async (v) => ({
          title: v.t('letters.office.new'),
          status: e.status,
          body: (
            <section>
              <h1>{v.t('letters.office.new')}</h1>
              <NewLetterForm
                v={v}
                csrf={req.csrfToken()}
                current={current}
                values={values}
                error={v.t(`errors.${e.code}`, e.params)}
              />
            </section>
          ),
        }));
      }
    },
  );

  app.get<{ Params: { lc: string; id: number } }>(
    '/:lc/secretariat/letters/:id',
    { config: office, schema: { hide: true, params: LcId, querystring: FilterQuery } },
    (req, reply) =>
      sendPrivatePage(req, reply, async (v) =>
        letterPage(req, v, await svc.getLetter(req.ctx, req.params.id), { query: req.query as Filter }),
      ),
  );

  // Annexes of a letter not sent yet: added (multipart, checked like the new-letter form's), removed, downloaded.
  app.post<{ Params: { lc: string; id: number } }>(
    '/:lc/secretariat/letters/:id/annexes',
    { config: { ...office, multipartOptions: LETTER_FORM_MULTIPART }, schema: { hide: true, params: LcId } },
    async (req, reply) => {
      const values = formValues(req.body);
      try {
        const annex = await annexOf(req.body, values);
        if (!annex) throw new DomainError('annex_missing', 400);
        await svc.addAnnex(wctx(req), req.params.id, annex);
        return reply.redirect(localePath(req.locale, `/secretariat/letters/${req.params.id}?done=annex_added`), 303);
      } catch (e) {
        if (!(e instanceof DomainError) || e.code === 'letter_not_found') throw e;
        // The letter's page again, the reason above the annex form and the title as typed.
        const l = await svc.getLetter(req.ctx, req.params.id);
        return sendPrivatePage(req, reply, async (v) => ({
          ...(await letterPage(req, v, l, {
            annexError: v.t(`errors.${e.code}`, e.params),
            annexTitle: typeof values.annex_title === 'string' ? values.annex_title : undefined,
          })),
          status: e.status,
        }));
      }
    },
  );

  app.get<{ Params: { lc: string; id: number; annex: number } }>(
    '/:lc/secretariat/letters/:id/annexes/:annex',
    {
      config: office,
      schema: {
        hide: true,
        params: LcId.extend({ annex: z.coerce.number().int().positive() }),
      },
    },
    async (req, reply) => {
      const l = await svc.getLetter(req.ctx, req.params.id);
      const a = await svc.getAnnexFile(req.ctx.db, l.id, req.params.annex);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `inline; filename="${a.filename.replace(/[^\w.-]/g, '_')}"`)
        .send(a.pdf);
    },
  );

  const action =
    (name: string, run: (req: FastifyRequest, id: number) => Promise<number | undefined>) =>
    async (req: FastifyRequest<{ Params: { lc: string; id: number } }>, reply: FastifyReply) => {
      try {
        const n = await run(req, req.params.id);
        return reply.redirect(
          localePath(req.locale, `/secretariat/letters/${req.params.id}?done=${name}&n=${n ?? 0}`),
          303,
        );
      } catch (e) {
        return fail(reply, req, e, `/secretariat/letters/${req.params.id}`);
      }
    };
  const opts = { config: office, schema: { hide: true, params: LcId } };
  app.post(
    '/:lc/secretariat/letters/:id/approve',
    opts,
    action('approved', async (req, id) => void (await svc.approveLetter(wctx(req), id))),
  );
  app.post(
    '/:lc/secretariat/letters/:id/send',
    opts,
    action('sent', async (req, id) => {
      const f = FilterQuery.parse(req.body ?? {});
      return (await send.sendLetter(wctx(req), id, filterOf(f))).queued;
    }),
  );
  app.post<{ Params: { lc: string; id: number; annex: number } }>(
    '/:lc/secretariat/letters/:id/annexes/:annex/remove',
    {
      config: office,
      schema: { hide: true, params: LcId.extend({ annex: z.coerce.number().int().positive() }) },
    },
    async (req, reply) => {
      try {
        await svc.removeAnnex(wctx(req), req.params.id, req.params.annex);
        return reply.redirect(localePath(req.locale, `/secretariat/letters/${req.params.id}?done=annex_removed`), 303);
      } catch (e) {
        return fail(reply, req, e, `/secretariat/letters/${req.params.id}`);
      }
    },
  );
  app.post(
    '/:lc/secretariat/letters/:id/resend',
    opts,
    action('resent', async (req, id) => send.resendFailed(wctx(req), id)),
  );

  // The tracker: the secretariat sees every Member State, a focal point their own.
  const trackerFor = async (req: FastifyRequest<{ Params: { lc: string; ref: string } }>, q: Filter) => {
    const l = can(req.ctx.actor, 'letters.send')
      ? ((await svc.listLetters(req.ctx)).find((x) => referenceSlug(x.reference) === req.params.ref) ??
        (await svc.getPublishedLetter(req.ctx, req.params.ref)))
      : await svc.getPublishedLetter(req.ctx, req.params.ref);
    return getTracker(req.ctx, l.id, filterOf(q));
  };

  app.get<{ Params: { lc: string; ref: string } }>(
    '/:lc/letters/:ref/responses',
    { config: signedIn, schema: { hide: true, params: LcRef, querystring: FilterQuery } },
    (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { t, locale } = v;
        const q = req.query as Filter;
        const tr = await trackerFor(req, q);
        const base = `/letters/${referenceSlug(tr.letter.reference)}/responses`;
        const secretariat = can(req.ctx.actor, 'letters.send');
        const query = qs(q);
        return {
          title: `${tr.letter.reference} · ${t('letters.office.tracker')}`,
          body: (
            <section>
              <h1>
                {tr.letter.reference} · {t('letters.office.tracker')}
              </h1>
              {q.done === 'reminded' && <Notice kind="ok">{t('letters.office.done.reminded', { n: q.n ?? 0 })}</Notice>}
              <p class="lead headline">
                {t('letters.office.headline', {
                  registered: tr.totals.registered,
                  total: tr.totals.memberStates,
                  ministerial: tr.totals.ministerial,
                })}
              </p>
              <p>
                {t('letters.office.headline_more', {
                  delivered: tr.totals.delivered,
                  focal: tr.totals.focalPoints,
                  speaking: tr.totals.speaking,
                  total: tr.totals.memberStates,
                })}
              </p>
              {secretariat && (
                <form method="get" action={localePath(locale, base)} class="inline-form">
                  <FilterFields v={v} q={q} />
                  <button type="submit">{t('letters.office.filter')}</button>
                </form>
              )}
              {secretariat && (
                <p>
                  <a href={localePath(locale, `${base}.csv${query ? `?${query}` : ''}`)}>CSV</a> ·{' '}
                  <a href={localePath(locale, `${base}.xlsx${query ? `?${query}` : ''}`)}>XLSX</a>
                </p>
              )}
              <TrackerMap v={v} t={tr} />
              <TrackerTable v={v} t={tr} />
              {secretariat && tr.letter.state === 'sent' && (
                <PostForm
                  action={localePath(locale, `${base}/remind${query ? `?${query}` : ''}`)}
                  csrf={req.csrfToken()}
                >
                  <p>{t('letters.office.remind_hint', { n: unanswered(tr).length })}</p>
                  <button type="submit">{t('letters.office.remind')}</button>
                </PostForm>
              )}
            </section>
          ),
        };
      }),
  );

  for (const format of ['csv', 'xlsx'] as const)
    app.get<{ Params: { lc: string; ref: string } }>(
      `/:lc/letters/:ref/responses.${format}`,
      { config: office, schema: { hide: true, params: LcRef, querystring: FilterQuery } },
      async (req, reply) => {
        const tr = await trackerFor(req, req.query as Filter);
        return sendExport(reply, format, `${referenceSlug(tr.letter.reference)}-responses`, {
          columns: [
            'code',
            'member_state',
            'itu_region',
            'itud_region',
            'un_group',
            'un_lists',
            'delivered',
            'focal_point',
            'delegates',
            'delegates_approved',
            'delegates_pending',
            'head_of_delegation_level',
            'speaking_requests',
            'last_contact',
            ...tr.columns.map((c) => ({ key: c.key, header: c.key })),
          ],
          rows: tr.rows.map((r) => ({
            code: r.code,
            member_state: r.name,
            itu_region: r.ituRegion,
            itud_region: r.itudRegion,
            un_group: r.unGroup,
            un_lists: r.special.map((g) => g.toUpperCase()).join(' '),
            delivered: r.delivered ? 'yes' : r.bounced ? 'bounced' : 'no',
            focal_point: r.focalPoint ? 'yes' : 'no',
            delegates: r.delegates,
            delegates_approved: r.delegatesByState.approved ?? 0,
            delegates_pending: (r.delegatesByState.pending_dfp ?? 0) + (r.delegatesByState.pending_secretariat ?? 0),
            head_of_delegation_level: r.headLevel,
            speaking_requests: Object.entries(r.speaking)
              .map(([s, n]) => `${s}:${n}`)
              .join(' '),
            last_contact: r.lastContact,
            ...r.extra,
          })),
          sheet: tr.letter.reference.replace('/', '-'),
        });
      },
    );

  app.post<{ Params: { lc: string; ref: string } }>(
    '/:lc/letters/:ref/responses/remind',
    { config: office, schema: { hide: true, params: LcRef, querystring: FilterQuery } },
    async (req, reply) => {
      const q = req.query as Filter;
      try {
        const tr = await trackerFor(req, q);
        const ids = unanswered(tr);
        const r = ids.length ? await send.sendReminders(wctx(req), tr.letter.id, { entityIds: ids }) : { queued: 0 };
        const query = qs(q);
        return reply.redirect(
          localePath(
            req.locale,
            `/letters/${req.params.ref}/responses?${query ? `${query}&` : ''}done=reminded&n=${r.queued}`,
          ),
          303,
        );
      } catch (e) {
        return fail(reply, req, e, `/letters/${req.params.ref}/responses`);
      }
    },
  );
}
