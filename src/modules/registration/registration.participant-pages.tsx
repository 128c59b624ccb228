/** A participant's own pages beyond registering: the badge photo, changing a request, asking for a visa-support letter. */
import type { FieldError } from '../../platform/i18n/validation.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { collator } from '../../platform/i18n/countries.js';
import { countryName, formatDateTime, intlTag } from '../../platform/i18n/format.js';
import { text } from '../../platform/i18n/localized.js';
import { personOf } from '../../platform/permissions.js';
import {
  ChoiceField,
  errorId,
  fieldId,
  Notice,
  PostForm,
  SelectField,
  TextField,
  type FieldErrors,
} from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { translator } from '../../platform/i18n/messages.js';
import { events as eventsTable } from '../events/index.js';
import { readMemberStates } from '../entities/index.js';
import { EditInput, VisaInput, VIP_CATEGORIES } from './registration.input.js';
import { FUNCTIONS, STAKEHOLDER_TYPES } from './registration.options.js';
import { hasPhoto, PHOTO_MAX_BYTES, savePhoto } from './registration.photo.js';
import { registrations } from './registration.schema.js';
import * as svc from './registration.service.js';
import { daysBefore, requestVisaLetter, VISA_LEAD_DAYS, visaTrip } from './registration.visa.js';
import { windowState } from './registration.window.js';
import { people } from '../accounts/index.js';

const LcParams = z.object({ lc: z.string() });
const IdParams = LcParams.extend({ id: z.string().uuid() });
const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
type Values = Record<string, string>;

async function ownRegistration(req: FastifyRequest, id: string, opts: { orDecider?: boolean } = {}) {
  const [reg] = await req.ctx.db.select().from(registrations).where(eq(registrations.id, id));
  const mine = reg?.personId === personOf(req.ctx).id;
  // The focal point of the request's entity and the secretariat may change it too (and set its protocol category).
  if (!reg || (!mine && !(opts.orDecider && svc.mayAssignCategory(req.ctx, reg.entityId))))
    throw new DomainError('registration_not_found', 404);
  const [event] = await req.ctx.db.select().from(eventsTable).where(eq(eventsTable.id, reg.eventId));
  return { reg, event };
}

export async function registrationParticipantPages(app: FastifyInstance) {
  await app.register(async (plain) => {
    const r = plain.withTypeProvider<ZodTypeProvider>();
    await requireLocalePrefix(plain);
    const self = { permission: 'account.self' as const };

    // The badge photo.
    const photoPage = async (req: FastifyRequest, v: View, error?: string, done?: boolean) => {
      const has = await hasPhoto(req.ctx, personOf(req.ctx).id);
      return {
        title: v.t('registration.photo.title'),
        status: error ? 400 : 200,
        body: (
          <section>
            <h1>{v.t('registration.photo.title')}</h1>
            <p class="lead">{v.t('registration.photo.lead', { max: PHOTO_MAX_BYTES / 1024 / 1024 })}</p>
            {done && <Notice kind="ok">{v.t('registration.photo.saved')}</Notice>}
            {has ? (
              <p>
                <img class="badge-photo" src="/api/v1/me/photo" alt={v.t('registration.photo.current')} width={150} />
              </p>
            ) : (
              <p>{v.t('registration.photo.none')}</p>
            )}
            <PostForm
              action={localePath(v.locale, '/photo')}
              csrf={req.csrfToken()}
              enctype="multipart/form-data"
              errors={error ? { photo: error } : undefined}
            >
              <div class="field">
                <label for={fieldId('photo')}>{v.t('registration.photo.file')}</label>
                {error && (
                  <p class="field-error" id={errorId('photo')}>
                    {error}
                  </p>
                )}
                <input
                  id={fieldId('photo')}
                  type="file"
                  name="photo"
                  accept="image/jpeg,image/png,image/webp"
                  required
                  aria-invalid={error ? 'true' : undefined}
                  aria-describedby={error ? errorId('photo') : undefined}
                />
              </div>
              <button type="submit">{v.t('registration.photo.upload')}</button>
            </PostForm>
            <p>
              <a href={localePath(v.locale, '/registrations')}>{v.t('registration.mine.title')}</a>
            </p>
          </section>
        ),
      };
    };
    r.get(
      '/:lc/photo',
      {
        config: self,
        schema: { hide: true, params: LcParams, querystring: z.object({ done: z.string().max(5).optional() }) },
      },
      (req, reply) => sendPrivatePage(req, reply, (v) => photoPage(req, v, undefined, !!req.query.done)),
    );
    r.post('/:lc/photo', { config: self, schema: { hide: true, params: LcParams } }, async (req, reply) => {
      const file = (
        req.body as { photo?: { toBuffer?: () => Promise<Buffer>; mimetype?: string; type?: string } } | undefined
      )?.photo;
      try {
        if (file?.type !== 'file' || !file.toBuffer) throw new DomainError('photo_unreadable', 400);
        await savePhoto(wctx(req), personOf(req.ctx).id, await file.toBuffer(), file.mimetype);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        return sendPrivatePage(req, reply, async (v) => photoPage(req, v, v.t(`errors.${e.code}`, e.params)));
      }
      return reply.redirect(localePath(req.locale, '/photo?done=1'), 303);
    });

    // Changing a request awaiting a decision.
    const editForm = (
      req: FastifyRequest,
      v: View,
      id: string,
      eventName: string,
      values: Values,
      errors: FieldErrors = {},
      error?: string,
      category = false,
    ) => (
      <section>
        <h1>{v.t('registration.edit.title')}</h1>
        <p class="lead">{eventName}</p>
        <PostForm
          action={localePath(v.locale, `/registrations/${id}/edit`)}
          csrf={req.csrfToken()}
          errors={errors}
          error={error}
        >
          <ChoiceField
            name="mode"
            type="radio"
            legend={v.t('registration.register.mode')}
            error={errors.mode}
            options={(['in_person', 'remote'] as const).map((m) => ({
              value: m,
              label: v.t(`registration.mode.${m}`),
              checked: values.mode === m,
            }))}
          />
          <SelectField
            name="stakeholderType"
            label={v.t('registration.register.stakeholder')}
            value={values.stakeholderType}
            error={errors.stakeholderType}
            options={STAKEHOLDER_TYPES.map((s) => [s, v.t(`registration.stakeholder.${s}`)])}
          />
          <SelectField
            name="function"
            label={v.t('registration.register.function')}
            value={values.function}
            error={errors.function}
            options={FUNCTIONS.map((f) => [f, v.t(`registration.function.${f}`)])}
          />
          {category && (
            <SelectField
              name="vipCategory"
              label={v.t('registration.register.vip')}
              any={v.t('registration.register.no_vip')}
              value={values.vipCategory}
              error={errors.vipCategory}
              options={VIP_CATEGORIES.map((c) => [c, v.t(`registration.vip.${c}`)])}
            />
          )}
          <button type="submit">{v.t('registration.edit.save')}</button>
        </PostForm>
      </section>
    );
    r.get('/:lc/registrations/:id/edit', { config: self, schema: { hide: true, params: IdParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { reg, event } = await ownRegistration(req, req.params.id, { orDecider: true });
        const values = {
          mode: reg.mode,
          stakeholderType: reg.stakeholderType,
          function: reg.function,
          vipCategory: reg.vipCategory ?? '',
        };
        const category = svc.mayAssignCategory(req.ctx, reg.entityId);
        return {
          title: v.t('registration.edit.title'),
          body: editForm(req, v, reg.id, text(event.name, v.locale), values, {}, undefined, category),
        };
      }),
    );
    r.post(
      '/:lc/registrations/:id/edit',
      { config: self, schema: { hide: true, params: IdParams } },
      async (req, reply) => {
        const body = { ...(req.body as Record<string, unknown>) };
        if (body.vipCategory === '') body.vipCategory = null;
        const form = parseForm(EditInput, body, req.locale);
        const { reg, event } = await ownRegistration(req, req.params.id, { orDecider: true });
        const category = svc.mayAssignCategory(req.ctx, reg.entityId);
        const values = form.values;
        const fail = (errors: FieldErrors, error?: string, status = 400) =>
          sendPrivatePage(req, reply, async (v) => ({
            title: v.t('registration.edit.title'),
            status,
            body: editForm(req, v, req.params.id, text(event.name, v.locale), values, errors, error, category),
          }));
        if (!form.ok) return fail(form.errors);
        try {
          await svc.editRegistration(wctx(req), req.params.id, form.data);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          return fail({}, translatorError(req, e), e.status);
        }
        const mine = reg.personId === personOf(req.ctx).id;
        return reply.redirect(localePath(req.locale, mine ? '/registrations?done=edited' : '/focal-point?done=1'), 303);
      },
    );

    // Asking for a visa-support letter.
    const visaForm = (
      req: FastifyRequest,
      v: View,
      id: string,
      eventName: string,
      days: number,
      values: Values,
      errors: FieldErrors = {},
      error?: string,
      closed?: string,
    ) => (
      <section>
        <h1>{v.t('registration.visa.title')}</h1>
        <p class="lead">{v.t('registration.visa.trip', { events: eventName })}</p>
        {closed ? (
          <Notice kind="error">{closed}</Notice>
        ) : days < VISA_LEAD_DAYS ? (
          <Notice kind="error">{v.t('registration.visa.late', { days, lead: VISA_LEAD_DAYS })}</Notice>
        ) : (
          <p>{v.t('registration.visa.lead', { days, lead: VISA_LEAD_DAYS })}</p>
        )}
        {!closed && (
          <PostForm
            action={localePath(v.locale, `/registrations/${id}/visa`)}
            csrf={req.csrfToken()}
            errors={errors}
            error={error}
          >
            <TextField
              name="passportName"
              label={v.t('registration.visa.passport_name')}
              hint={v.t('registration.visa.passport_name_hint')}
              value={values.passportName}
              error={errors.passportName}
              maxLength={200}
              required
              dir="ltr"
            />
            <TextField
              name="passportNumber"
              label={v.t('registration.visa.passport_number')}
              value={values.passportNumber}
              error={errors.passportNumber}
              maxLength={30}
              required
              dir="ltr"
            />
            <TextField
              name="passportExpiry"
              type="date"
              label={v.t('registration.visa.passport_expiry')}
              value={values.passportExpiry}
              error={errors.passportExpiry}
            />
            <SelectField
              name="nationality"
              label={v.t('registration.visa.nationality')}
              value={values.nationality}
              error={errors.nationality}
              options={readMemberStates()
                .map((m) => m.iso2)
                .map((c) => [c, countryName(v.locale, c)] as [string, string])
                .sort((a, b) => collator(v.locale).compare(a[1], b[1]))}
            />
            <TextField
              name="dateOfBirth"
              type="date"
              label={v.t('registration.visa.date_of_birth')}
              value={values.dateOfBirth}
              error={errors.dateOfBirth}
              required
            />
            <TextField
              name="visaPlace"
              label={v.t('registration.visa.place')}
              hint={v.t('registration.visa.place_hint')}
              value={values.visaPlace}
              error={errors.visaPlace}
              maxLength={200}
              required
            />
            <SelectField
              name="letterLocale"
              label={v.t('registration.visa.letter_language')}
              value={values.letterLocale}
              error={errors.letterLocale}
              options={[
                ['en', 'English'],
                ['fr', 'Français'],
              ]}
            />
            <button type="submit">{v.t('registration.visa.submit')}</button>
          </PostForm>
        )}
      </section>
    );
    /** The trip the letter covers, the days before its first event, and whether requests are still taken. */
    const visaContext = async (req: FastifyRequest, v: { locale: View['locale'] }, id: string) => {
      const { reg, event } = await ownRegistration(req, id);
      const trip = await visaTrip(req.ctx.db, reg.personId);
      const list = (trip.registrations.length ? trip.registrations.map((x) => x.event) : [event]).map((e) =>
        text(e.name, v.locale),
      );
      const names = new Intl.ListFormat(intlTag(v.locale), { type: 'conjunction' }).format(list);
      const first = trip.registrations[0]?.event.startDate ?? event.startDate;
      const [w] = [...(await svc.registrationWindows(req.ctx, [event])).values()];
      const state = windowState(w, req.ctx.now);
      const closed =
        state === 'open'
          ? undefined
          : translator(v.locale)(`errors.registration_${state}`, {
              event: text(event.name, v.locale),
              date: formatDateTime(v.locale, state === 'closed' ? w.closesAt : w.opensAt!),
            });
      return { reg, trip, names, days: daysBefore(req.ctx.now, first), closed };
    };
    r.get('/:lc/registrations/:id/visa', { config: self, schema: { hide: true, params: IdParams } }, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const { reg, trip, names, days, closed } = await visaContext(req, v, req.params.id);
        const existing = trip.request;
        const [p] = await req.ctx.db.select().from(people).where(eq(people.id, reg.personId));
        // Prefilled from the profile: the name in Latin letters as in the passport, the nationality.
        const values: Values = existing
          ? {
              passportName: existing.passportName,
              passportNumber: existing.passportNumber,
              passportExpiry: existing.passportExpiry ?? '',
              nationality: existing.nationality,
              dateOfBirth: existing.dateOfBirth,
              visaPlace: existing.visaPlace,
              letterLocale: existing.letterLocale,
            }
          : {
              passportName:
                `${p.givenNameLatin || p.givenName} ${(p.familyNameLatin || p.familyName).toUpperCase()}`.trim(),
              nationality: p.nationality ?? '',
              letterLocale: v.locale === 'fr' ? 'fr' : 'en',
            };
        return {
          title: v.t('registration.visa.title'),
          body: visaForm(req, v, reg.id, names, days, values, {}, undefined, closed),
        };
      }),
    );
    r.post(
      '/:lc/registrations/:id/visa',
      { config: self, schema: { hide: true, params: IdParams } },
      async (req, reply) => {
        const body = { ...(req.body as Record<string, unknown>) };
        if (body.passportExpiry === '') delete body.passportExpiry;
        const form = parseForm(VisaInput, body, req.locale);
        const { names, days } = await visaContext(req, req, req.params.id);
        const fail = (errors: FieldErrors, error?: string, status = 400) =>
          sendPrivatePage(req, reply, async (v) => ({
            title: v.t('registration.visa.title'),
            status,
            body: visaForm(req, v, req.params.id, names, days, form.values, errors, error),
          }));
        if (!form.ok) return fail(form.errors);
        try {
          const res = await requestVisaLetter(wctx(req), req.params.id, form.data);
          return reply.redirect(localePath(req.locale, `/registrations?done=${res.late ? 'visa_late' : 'visa'}`), 303);
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          // Dates refused for this trip: each under its field, like the form's other errors.
          if (Array.isArray(e.details))
            return fail(Object.fromEntries((e.details as FieldError[]).map((x) => [x.field, x.message])));
          return fail({}, translatorError(req, e), e.status);
        }
      },
    );
  });
}

function translatorError(req: FastifyRequest, e: DomainError): string {
  return translator(req.locale)(`errors.${e.code}`, e.params);
}
