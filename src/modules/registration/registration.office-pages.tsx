/**
 * Back-office registration pages: a focal point registers a VIP of their administration; the secretariat sets each
 * event's window, places and restrictions, and issues visa-support letters.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDateTime, genevaParts } from '../../platform/i18n/format.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { translator } from '../../platform/i18n/messages.js';
import { text } from '../../platform/i18n/localized.js';
import { personOf } from '../../platform/permissions.js';
import { ChoiceField, Notice, PostForm, SelectField, TextField, type FieldErrors } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { entities } from '../entities/index.js';
import { getEvents } from '../events/index.js';
import { SettingsInput, VIP_CATEGORIES, VipInput } from './registration.input.js';
import { FUNCTIONS } from './registration.options.js';
import { REGISTRABLE } from './registration.pages.js';
import * as q from './registration.queries.js';
import * as svc from './registration.service.js';
import { issueVisaLetter, listVisaRequests, peopleWithApprovedTrip, resendVisaLetter } from './registration.visa.js';
import { PersonNameView } from '../../platform/ui/person-name.js';
import { honorificOptions, langOnPage } from '../../platform/i18n/names.js';

const LcParams = z.object({ lc: z.string() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
type Values = Record<string, string | string[]>;
const LANGUAGE_NAMES: Record<string, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

/** `2026-05-01T23:59` in Geneva time, for a datetime-local input. */
function genevaLocalInput(at: Date | null | undefined): string {
  if (!at) return '';
  const p = genevaParts(at);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A datetime-local value read as Geneva time, as an ISO instant with its offset. */
export function genevaInputToIso(value: string): string | null {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) throw new DomainError('invalid_input', 400);
  // The offset of Geneva at that wall time (CET +01:00 or CEST +02:00).
  for (const offset of ['+02:00', '+01:00']) {
    const at = new Date(`${m[1]}T${m[2]}:${m[3]}:00${offset}`);
    if (genevaLocalInput(at) === value) return at.toISOString();
  }
  throw new DomainError('invalid_input', 400);
}

export async function registrationOfficePages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);

    // A focal point registers a VIP.
    const vipForm = async (req: FastifyRequest, v: View, values: Values, errors: FieldErrors = {}, error?: string) => {
      const me = personOf(req.ctx);
      const [mine, events] = await Promise.all([
        me.focalPointOf.length
          ? req.ctx.db
              .select()
              .from(entities)
              .where(inArray(entities.id, [...me.focalPointOf]))
          : Promise.resolve([]),
        getEvents(req.ctx),
      ]);
      const chosen = new Set([values.events ?? []].flat());
      return (
        <section>
          <h1>{v.t('registration.vip_form.title')}</h1>
          <p class="lead">{v.t('registration.vip_form.lead')}</p>
          <PostForm
            action={localePath(v.locale, '/focal-point/vip')}
            csrf={req.csrfToken()}
            errors={errors}
            error={error}
          >
            <SelectField
              name="entityId"
              label={v.t('registration.vip_form.entity')}
              value={values.entityId as string}
              error={errors.entityId}
              options={mine.map((e) => [String(e.id), text(e.name, v.locale)])}
            />
            <TextField
              name="email"
              type="email"
              label={v.t('registration.vip_form.email')}
              value={values.email as string}
              error={errors.email}
              maxLength={254}
              required
            />
            <SelectField
              name="honorific"
              label={v.t('registration.vip_form.honorific')}
              value={values.honorific as string}
              error={errors.honorific}
              options={honorificOptions(v.locale)}
            />
            <TextField
              name="givenName"
              label={v.t('registration.vip_form.given_name')}
              value={values.givenName as string}
              error={errors.givenName}
              maxLength={100}
              required
            />
            <TextField
              name="familyName"
              label={v.t('registration.vip_form.family_name')}
              value={values.familyName as string}
              error={errors.familyName}
              hint={v.t('names.order.single')}
              maxLength={100}
            />
            <TextField
              name="givenNameLatin"
              label={v.t('registration.vip_form.given_name_latin')}
              value={values.givenNameLatin as string}
              error={errors.givenNameLatin}
              maxLength={100}
              dir="ltr"
            />
            <TextField
              name="familyNameLatin"
              label={v.t('registration.vip_form.family_name_latin')}
              value={values.familyNameLatin as string}
              error={errors.familyNameLatin}
              maxLength={100}
              dir="ltr"
            />
            <TextField
              name="jobTitle"
              label={v.t('registration.vip_form.job_title')}
              value={values.jobTitle as string}
              error={errors.jobTitle}
              maxLength={200}
            />
            <SelectField
              name="preferredLocale"
              label={v.t('registration.vip_form.language')}
              value={(values.preferredLocale as string) ?? v.locale}
              options={LOCALES.map((l) => [l, LANGUAGE_NAMES[l]])}
            />
            <ChoiceField
              name="events"
              type="checkbox"
              legend={v.t('registration.register.events')}
              error={errors.events}
              options={events
                .filter((e) => REGISTRABLE.has(e.kind))
                .map((e) => ({ value: e.slug, label: text(e.name, v.locale), checked: chosen.has(e.slug) }))}
            />
            <ChoiceField
              name="mode"
              type="radio"
              legend={v.t('registration.register.mode')}
              error={errors.mode}
              options={(['in_person', 'remote'] as const).map((m) => ({
                value: m,
                label: v.t(`registration.mode.${m}`),
                checked: (values.mode ?? 'in_person') === m,
              }))}
            />
            <SelectField
              name="function"
              label={v.t('registration.register.function')}
              value={(values.function as string) ?? 'minister'}
              options={FUNCTIONS.map((f) => [f, v.t(`registration.function.${f}`)])}
            />
            <SelectField
              name="vipCategory"
              label={v.t('registration.register.vip')}
              any={v.t('registration.register.no_vip')}
              value={(values.vipCategory as string) ?? 'MIN'}
              options={VIP_CATEGORIES.map((c) => [c, v.t(`registration.vip.${c}`)])}
            />
            <input type="hidden" name="stakeholderType" value="government" />
            <button type="submit">{v.t('registration.vip_form.submit')}</button>
          </PostForm>
        </section>
      );
    };
    const decide = { permission: 'registration.decide' as const };
    r.get('/:lc/focal-point/vip', { config: decide, schema: { hide: true, params: LcParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => ({
        title: v.t('registration.vip_form.title'),
        body: await vipForm(req, v, {}),
      })),
    );
    r.post('/:lc/focal-point/vip', { config: decide, schema: { hide: true, params: LcParams } }, async (req, reply) => {
      const body = { ...(req.body as Record<string, unknown>) };
      body.events = [body.events ?? []].flat();
      if (body.vipCategory === '') delete body.vipCategory;
      const form = parseForm(VipInput, body, req.locale);
      const values = body as Values;
      const fail = (errors: FieldErrors, error?: string, status = 400) =>
        sendPrivatePage(req, reply, async (v) => ({
          title: v.t('registration.vip_form.title'),
          status,
          body: await vipForm(req, v, values, errors, error),
        }));
      if (!form.ok) return fail(form.errors);
      try {
        await svc.registerVip(wctx(req), form.data);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return fail({}, translator(req.locale)(`errors.${e.code}`, e.params), e.status);
      }
      return reply.redirect(localePath(req.locale, '/focal-point?done=vip'), 303);
    });

    // The secretariat: each event's registration settings, and visa-support letters.
    const review = { permission: 'registration.review' as const };
    r.get(
      '/:lc/secretariat/registration',
      {
        config: review,
        schema: {
          hide: true,
          params: LcParams,
          querystring: z.object({
            done: z.string().max(20).optional(),
            error: z
              .string()
              .regex(/^[a-z_]{1,60}$/)
              .optional(),
          }),
        },
      },
      (req, reply) =>
        sendPrivatePage(req, reply, async (v) => {
          const events = (await getEvents(req.ctx)).filter((e) => REGISTRABLE.has(e.kind));
          const settings = new Map(
            await Promise.all(events.map(async (e) => [e.id, await q.getSettings(req.ctx.db, e.id)] as const)),
          );
          const visas = await listVisaRequests(req.ctx);
          // Only what can succeed is offered: a letter is issued once an in-person event of the trip is approved.
          const issuable = await peopleWithApprovedTrip(
            req.ctx,
            visas.map((x) => x.person.id),
          );
          const t = v.t;
          return {
            title: t('registration.office.title'),
            body: (
              <section>
                <h1>{t('registration.office.title')}</h1>
                {req.query.done && <Notice kind="ok">{t('registration.office.saved')}</Notice>}
                {req.query.error && <Notice kind="error">{t(`errors.${req.query.error}`)}</Notice>}
                <p>
                  <a href={localePath(v.locale, '/focal-point')}>{t('registration.office.queue')}</a>
                </p>
                <h2>{t('registration.office.events')}</h2>
                <p class="hint">{t('registration.office.geneva_time')}</p>
                {events.map((e) => {
                  const s = settings.get(e.id);
                  return (
                    <details class="card" open={!!s}>
                      <summary>
                        <strong>{text(e.name, v.locale)}</strong>
                        {s?.invitationOnly && <> · {t('registration.office.invitation_only')}</>}
                        {!!s?.eligibleFunctions.length && <> · {t('registration.office.restricted')}</>}
                      </summary>
                      <PostForm
                        action={localePath(v.locale, `/secretariat/registration/${e.slug}`)}
                        csrf={req.csrfToken()}
                      >
                        <TextField
                          name="opensAt"
                          type="datetime-local"
                          label={t('registration.office.opens')}
                          value={genevaLocalInput(s?.opensAt)}
                        />
                        <TextField
                          name="closesAt"
                          type="datetime-local"
                          label={t('registration.office.closes')}
                          value={genevaLocalInput(s?.closesAt)}
                        />
                        <TextField
                          name="capacity"
                          type="number"
                          label={t('registration.office.capacity')}
                          hint={t('registration.office.capacity_hint')}
                          value={s?.capacity == null ? '' : String(s.capacity)}
                        />
                        <SelectField
                          name="secretariatCategories"
                          multiple
                          label={t('registration.office.secretariat_categories')}
                          values={s?.secretariatCategories ?? []}
                          options={VIP_CATEGORIES.map((c) => [c, t(`registration.vip.${c}`)])}
                        />
                        <SelectField
                          name="eligibleFunctions"
                          multiple
                          label={t('registration.office.eligible_functions')}
                          values={s?.eligibleFunctions ?? []}
                          options={FUNCTIONS.map((f) => [f, t(`registration.function.${f}`)])}
                        />
                        <label class="check">
                          <input type="checkbox" name="invitationOnly" value="1" checked={!!s?.invitationOnly} />{' '}
                          {t('registration.office.invitation_only')}
                        </label>
                        <button type="submit">{t('registration.office.save')}</button>
                      </PostForm>
                    </details>
                  );
                })}
                <h2>{t('registration.office.visas')}</h2>
                {visas.length === 0 ? (
                  <p>{t('registration.office.no_visas')}</p>
                ) : (
                  <table class="data">
                    <thead>
                      <tr>
                        <th>{t('registration.col.person')}</th>
                        <th>{t('registration.visa.passport_name')}</th>
                        <th>{t('registration.visa.place')}</th>
                        <th>{t('registration.col.state')}</th>
                        <th>{t('registration.col.decision')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {visas.map(({ v: visa, person, reg }) => (
                        <tr>
                          <td>
                            <PersonNameView p={person} locale={v.locale} />
                            <div class="hint">{t(`registration.state.${reg.state}`)}</div>
                          </td>
                          <td>
                            <bdi lang={langOnPage(visa.passportName, v.locale)}>{visa.passportName}</bdi>
                          </td>
                          <td>
                            <bdi lang={langOnPage(visa.visaPlace, v.locale)}>{visa.visaPlace}</bdi>
                          </td>
                          <td>
                            {visa.state === 'issued' ? (
                              <>
                                {t('registration.visa.issued', { reference: visa.reference ?? '' })}
                                <div class="hint">
                                  {visa.issuedAt && formatDateTime(v.locale, visa.issuedAt)} ·{' '}
                                  {t('registration.office.sent', { count: visa.sentCount })}
                                </div>
                              </>
                            ) : (
                              t('registration.visa.requested')
                            )}
                          </td>
                          <td>
                            {visa.state === 'issued' ? (
                              <>
                                <a href={`/api/v1/visa-requests/${visa.id}/letter.pdf`}>
                                  {t('registration.visa.download')}
                                </a>
                                <PostForm
                                  action={localePath(v.locale, `/secretariat/visa/${visa.id}/resend`)}
                                  csrf={req.csrfToken()}
                                  class="inline-form"
                                >
                                  <button type="submit" class="secondary">
                                    {t('registration.office.resend')}
                                  </button>
                                </PostForm>
                              </>
                            ) : issuable.has(person.id) ? (
                              <PostForm
                                action={localePath(v.locale, `/secretariat/visa/${visa.id}/issue`)}
                                csrf={req.csrfToken()}
                                class="inline-form"
                              >
                                <button type="submit">{t('registration.office.issue')}</button>
                              </PostForm>
                            ) : (
                              <span class="hint">{t('registration.office.awaiting_approval')}</span>
                            )}
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
    r.post(
      '/:lc/secretariat/registration/:slug',
      { config: review, schema: { hide: true, params: LcParams.extend({ slug: z.string().max(80) }) } },
      async (req, reply) => {
        const b = req.body as Record<string, unknown>;
        const list = (x: unknown) => [x ?? []].flat().filter((s): s is string => typeof s === 'string' && s !== '');
        const str = (x: unknown) => (typeof x === 'string' ? x.trim() : '');
        const input = {
          opensAt: genevaInputToIso(str(b.opensAt)),
          closesAt: genevaInputToIso(str(b.closesAt)),
          capacity: str(b.capacity) === '' ? null : Number(str(b.capacity)),
          secretariatCategories: list(b.secretariatCategories),
          eligibleFunctions: list(b.eligibleFunctions),
          invitationOnly: b.invitationOnly === '1',
        };
        const form = parseForm(SettingsInput, input, req.locale);
        if (!form.ok)
          return reply.redirect(localePath(req.locale, '/secretariat/registration?error=invalid_input'), 303);
        await svc.setRegistrationSettings(wctx(req), req.params.slug, form.data);
        return reply.redirect(localePath(req.locale, '/secretariat/registration?done=1'), 303);
      },
    );
    const VisaParams = LcParams.extend({ id: z.coerce.number().int().positive() });
    for (const action of ['issue', 'resend'] as const) {
      r.post(
        `/:lc/secretariat/visa/:id/${action}`,
        { config: review, schema: { hide: true, params: VisaParams } },
        async (req, reply) => {
          try {
            await (action === 'issue' ? issueVisaLetter : resendVisaLetter)(wctx(req), req.params.id);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            return reply.redirect(localePath(req.locale, `/secretariat/registration?error=${e.code}`), 303);
          }
          return reply.redirect(localePath(req.locale, '/secretariat/registration?done=1'), 303);
        },
      );
    }
  });
}
