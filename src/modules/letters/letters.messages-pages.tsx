/**
 * The secretariat's messages to an audience (letters.send): `/{lc}/secretariat/messages` — write a message in one or
 * more languages, choose the audience (organizations by filter, optionally only their focal points or only the Member
 * States that have not answered a letter; or an audience another module offers: an event's approved participants, a
 * session's speakers), preview who gets what, send a test to oneself, send; the list of messages with their delivery
 * counts — and `/{lc}/secretariat/messages/{id}`: who got what.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { Notice, PostForm, SelectField, TextField } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { audienceSource, audienceSources } from './letters.audiences.js';
import * as msg from './letters.messages.js';
import { FilterFields, type Filter } from './letters.office.js';
import { languageName } from './letters.present.js';
import { AUDIENCES } from './letters.schema.js';
import { listLetters } from './letters.service.js';

const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const Lc = z.object({ lc: z.string() });
const office = { permission: 'letters.send' as const };

function fromForm(b: Record<string, unknown>): msg.MessageInput {
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const per = (prefix: string) =>
    Object.fromEntries(LOCALES.map((l) => [l, str(`${prefix}_${l}`).trim()]).filter(([, v]) => v));
  const source = str('source') || msg.ENTITY_AUDIENCE;
  return {
    subject: per('subject'),
    body: per('body'),
    originalLanguage: str('originalLanguage') as 'en',
    source,
    target: source === msg.ENTITY_AUDIENCE ? undefined : str(`target_${source}`),
    variant: source === msg.ENTITY_AUDIENCE ? undefined : str(`variant_${source}`),
    focalPointsOnly: str('focalPointsOnly') === '1',
    audiences: [b.audiences].flat().filter((a): a is 'member_states' => typeof a === 'string'),
    ituRegion: str('ituRegion') as 'B',
    itudRegion: str('itudRegion') as 'africa',
    unGroup: str('unGroup') as 'grulac',
    special: str('special') as 'ldc',
    unansweredOf: str('unansweredOf') as unknown as number,
  };
}

/** A kept message's audience in words: "Approved participants of an event: WSIS Forum 2026 (in person)". */
function AudienceText({ v, audience }: { v: View; audience: Record<string, unknown> }) {
  const { t, locale } = v;
  const str = (k: string) => (typeof audience[k] === 'string' ? (audience[k] as string) : undefined);
  const key = str('source') ?? msg.ENTITY_AUDIENCE;
  if (key === msg.ENTITY_AUDIENCE) {
    const aud = (Array.isArray(audience.audiences) ? audience.audiences : []) as string[];
    const filters = ['ituRegion', 'itudRegion', 'unGroup', 'special'].flatMap((k) => (str(k) ? [str(k)] : []));
    return (
      <>
        {aud.map((a) => t(`letters.office.audience.${a}`)).join(', ')}
        {filters.length > 0 && ` · ${filters.join(', ')}`}
        {audience.focalPointsOnly === true && ` · ${t('letters.messages.focal_points_only')}`}
      </>
    );
  }
  const src = audienceSource(key);
  const variant = str('variant');
  const variantLabel = variant && src?.variants?.options(locale).find(([x]) => x === variant)?.[1];
  return (
    <>
      {src ? src.label(locale) : key}: <bdi>{str('title') ?? str('target')}</bdi>
      {variantLabel && ` (${variantLabel})`}
    </>
  );
}

async function messagesPage(
  req: FastifyRequest,
  v: View,
  o: { values?: Record<string, unknown>; preview?: msg.Preview; notice?: string; error?: string } = {},
) {
  const { t, locale } = v;
  const val = (o.values ?? {}) as Record<string, string | string[] | undefined>;
  const s = (k: string) => (typeof val[k] === 'string' ? (val[k] as string) : undefined);
  const chosen = [val.audiences ?? 'member_states'].flat();
  const source = s('source') || msg.ENTITY_AUDIENCE;
  const [list, letters, sources] = await Promise.all([
    msg.listMessages(req.ctx),
    listLetters(req.ctx),
    Promise.all(audienceSources().map(async (src) => [src, await src.target.options?.(req.ctx.db, locale)] as const)),
  ]);
  return {
    title: t('letters.messages.title'),
    body: (
      <section>
        <h1>{t('letters.messages.title')}</h1>
        <p class="lead">{t('letters.messages.lead')}</p>
        {o.notice && <Notice kind="ok">{o.notice}</Notice>}
        {o.error && <Notice kind="error">{o.error}</Notice>}
        {o.preview && (
          <section aria-labelledby="preview" class="message-preview">
            <h2 id="preview">{t('letters.messages.preview')}</h2>
            {o.preview.title && (
              <p id="preview-audience">
                <bdi>{o.preview.title}</bdi>
              </p>
            )}
            <p id="preview-count">
              {t('letters.messages.preview_count', { n: o.preview.recipients, entities: o.preview.entities })}
            </p>
            {o.preview.unreachable > 0 && (
              <p id="preview-unreachable">{t('letters.messages.unreachable', { n: o.preview.unreachable })}</p>
            )}
            {o.preview.sample.length > 0 && (
              <>
                <h3>
                  {o.preview.recipients > o.preview.sample.length
                    ? t('letters.messages.first_recipients', { n: o.preview.sample.length })
                    : t('letters.messages.all_recipients')}
                </h3>
                <ul id="preview-recipients" class="recipient-list">
                  {o.preview.sample.map((r) => (
                    <li data-locale={r.locale}>
                      {r.name && (
                        <>
                          <bdi>{r.name}</bdi>{' '}
                        </>
                      )}
                      <span dir="ltr">&lt;{r.email}&gt;</span> · {languageName(locale, r.locale)}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {o.preview.texts
              .filter((x) => x.readers > 0 || x.lang === x.locale)
              .map((x) => (
                <article lang={x.lang} dir={x.lang === 'ar' ? 'rtl' : 'ltr'} data-locale={x.locale}>
                  <h3>
                    {languageName(locale, x.locale)} ({x.readers})
                    {x.lang !== x.locale &&
                      ` — ${t('letters.messages.in_original', { lang: languageName(locale, x.lang) })}`}
                  </h3>
                  <p>
                    <strong>{x.subject}</strong>
                  </p>
                  <p style="white-space:pre-line">{x.body}</p>
                </article>
              ))}
          </section>
        )}
        <PostForm action={localePath(locale, '/secretariat/messages')} csrf={req.csrfToken()}>
          <fieldset class="audience-choice" style="min-inline-size:0">
            <legend>{t('letters.messages.audience')}</legend>
            <label class="check">
              <input type="radio" name="source" value={msg.ENTITY_AUDIENCE} checked={source === msg.ENTITY_AUDIENCE} />{' '}
              <strong>{t('letters.messages.source_entities')}</strong>
            </label>
            <fieldset class="audience-options" style="min-inline-size:0">
              <legend>{t('letters.office.audiences')}</legend>
              {AUDIENCES.filter((a) => a !== 'ministers').map((a) => (
                <label class="check">
                  <input type="checkbox" name="audiences" value={a} checked={chosen.includes(a)} />{' '}
                  {t(`letters.office.audience.${a}`)}
                </label>
              ))}
              <label class="check">
                <input type="checkbox" name="focalPointsOnly" value="1" checked={s('focalPointsOnly') === '1'} />{' '}
                {t('letters.messages.focal_points_only')}
              </label>
              <FilterFields v={v} q={val as unknown as Filter} />
              <SelectField
                name="unansweredOf"
                label={t('letters.messages.unanswered_of')}
                any={t('letters.messages.everyone')}
                value={s('unansweredOf')}
                options={letters.filter((l) => l.state === 'sent').map((l) => [String(l.id), l.reference])}
              />
            </fieldset>
            {sources.map(([src, options]) => (
              <>
                <label class="check">
                  <input type="radio" name="source" value={src.key} checked={source === src.key} />{' '}
                  <strong>{src.label(locale)}</strong>
                </label>
                <fieldset class="audience-options" style="min-inline-size:0">
                  <legend>{src.label(locale)}</legend>
                  {options ? (
                    <SelectField
                      name={`target_${src.key}`}
                      label={src.target.label(locale)}
                      any={t('letters.messages.choose')}
                      value={s(`target_${src.key}`)}
                      options={options}
                    />
                  ) : (
                    <TextField
                      name={`target_${src.key}`}
                      label={src.target.label(locale)}
                      hint={src.target.hint?.(locale)}
                      maxLength={100}
                      dir="ltr"
                      value={s(`target_${src.key}`)}
                    />
                  )}
                  {src.variants && (
                    <SelectField
                      name={`variant_${src.key}`}
                      label={src.variants.label(locale)}
                      any={t('letters.messages.everyone')}
                      value={s(`variant_${src.key}`)}
                      options={src.variants.options(locale)}
                    />
                  )}
                </fieldset>
              </>
            ))}
          </fieldset>
          <SelectField
            name="originalLanguage"
            label={t('letters.original_label')}
            value={s('originalLanguage') ?? locale}
            options={LOCALES.map((l) => [l, languageName(locale, l)])}
          />
          {LOCALES.map((l) => (
            <fieldset lang={l}>
              <legend>{languageName(locale, l)}</legend>
              <TextField
                name={`subject_${l}`}
                label={t('letters.office.subject')}
                maxLength={300}
                wide
                dir="auto"
                value={s(`subject_${l}`)}
              />
              <label class="field field-wide">
                <span>{t('letters.messages.body')}</span>
                <textarea name={`body_${l}`} rows={6} maxLength={20000} dir="auto">
                  {s(`body_${l}`) ?? ''}
                </textarea>
              </label>
            </fieldset>
          ))}
          <p class="actions">
            <button type="submit" name="intent" value="preview">
              {t('letters.messages.do_preview')}
            </button>{' '}
            <button type="submit" name="intent" value="test">
              {t('letters.messages.do_test')}
            </button>{' '}
            <button type="submit" name="intent" value="send">
              {t('letters.messages.do_send')}
            </button>
          </p>
        </PostForm>
        <h2>{t('letters.messages.sent')}</h2>
        <table class="data" id="messages">
          <thead>
            <tr>
              <th scope="col">{t('letters.office.subject')}</th>
              <th scope="col">{t('letters.messages.when')}</th>
              <th scope="col">{t('letters.messages.deliveries')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr data-message={m.id}>
                <th scope="row">
                  <a href={localePath(locale, `/secretariat/messages/${m.id}`)}>
                    {m.subject[locale] || m.subject[m.originalLanguage as 'en']}
                  </a>
                  {m.test ? ` (${t('letters.messages.test')})` : ''}
                  {!m.sentAt && ` (${t('letters.messages.draft')})`}
                </th>
                <td dir="ltr">{m.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
                <td>
                  {Object.entries(m.states)
                    .map(([st, n]) => `${t(`letters.messages.state.${st}`)}: ${n}`)
                    .join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    ),
  };
}

export async function messagesPages(app: FastifyInstance) {
  app.get('/:lc/secretariat/messages', { config: office, schema: { hide: true, params: Lc } }, (req, reply) =>
    sendPrivatePage(req, reply, (v) => messagesPage(req, v, { values: req.query as Record<string, unknown> })),
  );

  app.post('/:lc/secretariat/messages', { config: office, schema: { hide: true, params: Lc } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const input = fromForm(b);
    try {
      if (b.intent === 'preview') {
        const preview = await msg.previewMessage(req.ctx, input);
        return sendPrivatePage(req, reply, async (v) => messagesPage(req, v, { values: b, preview }));
      }
      if (b.intent === 'test') {
        const r = await msg.sendTestMessage(wctx(req), input);
        return sendPrivatePage(req, reply, async (v) =>
          messagesPage(req, v, { values: b, notice: v.t('letters.messages.tested', { to: r.to }) }),
        );
      }
      const r = await msg.sendMessage(wctx(req), input);
      return reply.redirect(localePath(req.locale, `/secretariat/messages/${r.messageId}`), 303);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return sendPrivatePage(req, reply, async (v) => ({
        ...(await messagesPage(req, v, { values: b, error: v.t(`errors.${e.code}`, e.params) })),
        status: e.status,
      }));
    }
  });

  app.get<{ Params: { lc: string; id: number } }>(
    '/:lc/secretariat/messages/:id',
    {
      config: office,
      schema: { hide: true, params: z.object({ lc: z.string(), id: z.coerce.number().int().positive() }) },
    },
    (req: FastifyRequest<{ Params: { lc: string; id: number } }>, reply: FastifyReply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { message: m, deliveries } = await msg.messageDeliveries(req.ctx, req.params.id);
        const { t, locale } = v;
        return {
          title: t('letters.messages.title'),
          body: (
            <section>
              <h1>{m.subject[locale] || m.subject[m.originalLanguage as 'en']}</h1>
              <p id="message-audience">
                {t('letters.messages.audience')}: <AudienceText v={v} audience={m.audience} />
                {!m.sentAt && ` (${t('letters.messages.draft')})`}
              </p>
              <p style="white-space:pre-line">{m.body[locale] || m.body[m.originalLanguage as 'en']}</p>
              <h2>{t('letters.messages.deliveries')}</h2>
              <table class="data" id="deliveries">
                <thead>
                  <tr>
                    <th scope="col">{t('letters.messages.recipient')}</th>
                    <th scope="col">{t('letters.messages.language')}</th>
                    <th scope="col">{t('letters.office.state')}</th>
                  </tr>
                </thead>
                <tbody>
                  {deliveries.map((d) => (
                    <tr data-state={d.state}>
                      <td>
                        <bdi>{d.name}</bdi> <span dir="ltr">&lt;{d.email}&gt;</span>
                      </td>
                      <td>{languageName(locale, d.locale as 'en')}</td>
                      <td>
                        {t(`letters.messages.state.${d.state}`)}
                        {d.error && <small> ({d.error})</small>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>
                <a href={localePath(locale, '/secretariat/messages')}>{t('letters.messages.title')}</a>
              </p>
            </section>
          ),
        };
      }),
  );
}
