/** Sign-up, sign-in (password or e-mailed link), password reset, sign-out, the account page and API tokens. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import { formatDateTime } from '../../platform/i18n/format.js';
import { ENDONYMS, LOCALES } from '../../platform/i18n/locales.js';
import { CONFIRM_KINDS, PostForm, SelectField, TextField, Notice, type FieldErrors } from '../../platform/ui/forms.js';
import { localePath } from '../../platform/ui/layout.js';
import { requireLocalePrefix } from '../../platform/ui/locale-routes.js';
import { sendPrivatePage, type View } from '../../platform/ui/page.js';
import { rememberReturnPath, RETURN_COOKIE, safeReturnPath, takeReturnPath } from '../../platform/http/return-path.js';
import { clearSessionCookie, setSessionCookie } from './accounts.http.js';
import { EmailOnly, ProfileInput, ResetInput, SignInInput, SignUpInput, TokenCreateInput } from './accounts.input.js';
import * as svc from './accounts.service.js';
import { affiliationOf, decideAffiliations, listPendingAffiliations } from './accounts.affiliation.js';
import { entityName, listEntities } from '../entities/index.js';
import { ProfileFields } from './accounts.profile-fields.js';

/** `sso`: the staff single sign-on's button label, when it is configured. */
type Opts = { secure: boolean; sso?: { label: string } };
type Req = FastifyRequest<{ Params: { lc: string; token?: string; id?: string }; Querystring: { done?: string } }>;

const SSO_ERRORS = new Set(['sso_not_staff', 'sso_email_unverified', 'sso_failed', 'sso_expired', 'sso_unavailable']);

const wctx = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };

/** A translated message for a DomainError raised by a form's service call, or rethrow. */
function formError(v: View, e: unknown): string {
  if (e instanceof DomainError) return v.t(`errors.${e.code}`, e.params);
  throw e;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function accountsPages(app: FastifyInstance, opts: Opts) {
  await app.register(async (r) => {
    await requireLocalePrefix(r);
    const pub = { config: { permission: 'public' as const }, schema: { hide: true } };
    const self = { config: { permission: 'account.self' as const }, schema: { hide: true } };

    const page = (
      req: FastifyRequest,
      reply: FastifyReply,
      title: (v: View) => string,
      body: (v: View) => VNode,
      status = 200,
    ) => sendPrivatePage(req, reply, async (v) => ({ title: title(v), body: body(v), status }));

    // ---- sign-up
    const signUpForm = (
      req: FastifyRequest,
      v: View,
      values: Record<string, string> = {},
      errors: FieldErrors = {},
      error?: string,
    ) => (
      <section class="narrow">
        <h1>{v.t('accounts.sign_up.title')}</h1>

        <PostForm action={localePath(v.locale, '/sign-up')} csrf={req.csrfToken()} errors={errors} error={error}>
          <TextField
            name="givenName"
            label={v.t('accounts.field.given_name')}
            value={values.givenName}
            error={errors.givenName}
            required
            autocomplete="given-name"
            maxLength={100}
          />
          <TextField
            name="familyName"
            label={v.t('accounts.field.family_name')}
            value={values.familyName}
            error={errors.familyName}
            hint={v.t('names.order.single')}
            autocomplete="family-name"
            maxLength={100}
          />
          <TextField
            name="email"
            type="email"
            label={v.t('accounts.field.email')}
            value={values.email}
            error={errors.email}
            required
            autocomplete="email"
          />
          <TextField
            name="password"
            type="password"
            label={v.t('accounts.field.password')}
            hint={v.t('accounts.field.password_hint')}
            error={errors.password}
            required
            autocomplete="new-password"
          />
          <SelectField
            name="preferredLocale"
            label={v.t('accounts.field.language')}
            value={values.preferredLocale ?? v.locale}
            error={errors.preferredLocale}
            options={LOCALES.map((l) => [l, ENDONYMS[l]])}
          />
          <button type="submit">{v.t('accounts.sign_up.submit')}</button>
        </PostForm>
        <p>
          <a href={localePath(v.locale, '/sign-in')}>{v.t('accounts.sign_up.have_account')}</a>
        </p>
      </section>
    );
    r.get('/:lc/sign-up', pub, (req, reply) => {
      rememberReturnPath(reply, (req.query as { next?: unknown }).next, opts.secure);
      return page(
        req,
        reply,
        (v) => v.t('accounts.sign_up.title'),
        (v) => signUpForm(req, v),
      );
    });
    r.post('/:lc/sign-up', pub, async (req, reply) => {
      const form = parseForm(SignUpInput, req.body, req.locale);
      if (!form.ok)
        return page(
          req,
          reply,
          (v) => v.t('accounts.sign_up.title'),
          (v) => signUpForm(req, v, form.values, form.errors),
          400,
        );
      try {
        await svc.signUp(wctx(req), form.data);
        // Sign-up → (the e-mail, sign-in) → profile → where the visitor was going.
        const next = safeReturnPath(req.cookies[RETURN_COOKIE]);
        if (next) rememberReturnPath(reply, `/${req.locale}/account?next=${encodeURIComponent(next)}`, opts.secure);
      } catch (e) {
        return page(
          req,
          reply,
          (v) => v.t('accounts.sign_up.title'),
          (v) => signUpForm(req, v, form.values, {}, formError(v, e)),
          e instanceof DomainError ? e.status : 500,
        );
      }
      return page(
        req,
        reply,
        (v) => v.t('accounts.check_mail.title'),
        (v) => (
          <section class="narrow">
            <h1>{v.t('accounts.check_mail.title')}</h1>
            <p>{v.t('accounts.check_mail.sign_up', { email: form.data.email })}</p>
          </section>
        ),
      );
    });

    r.get<{ Params: { lc: string; token: string } }>('/:lc/verify/:token', pub, async (req, reply) => {
      try {
        await svc.verifyEmail(wctx(req), req.params.token);
      } catch (e) {
        return page(
          req,
          reply,
          (v) => v.t('errors.token_invalid'),
          (v) => <Notice kind="error">{formError(v, e)}</Notice>,
          400,
        );
      }
      return page(
        req,
        reply,
        (v) => v.t('accounts.verified.title'),
        (v) => (
          <section class="narrow">
            <h1>{v.t('accounts.verified.title')}</h1>
            <p>
              <a class="button" href={localePath(v.locale, '/sign-in')}>
                {v.t('accounts.sign_in.title')}
              </a>
            </p>
          </section>
        ),
      );
    });

    // ---- sign-in
    const signInPage = (
      req: FastifyRequest,
      v: View,
      values: Record<string, string> = {},
      errors: FieldErrors = {},
      error?: string,
      notice?: string,
    ) => (
      <section class="narrow">
        <h1>{v.t('accounts.sign_in.title')}</h1>

        {notice && <Notice kind="ok">{notice}</Notice>}
        {opts.sso && (
          <div class="sso">
            <a class="button" href={localePath(v.locale, '/sign-in/sso')}>
              {v.t('accounts.sso.button', { label: opts.sso.label })}
            </a>
            <small class="hint">{v.t('accounts.sso.hint')}</small>
          </div>
        )}
        <div class="split">
          <PostForm action={localePath(v.locale, '/sign-in')} csrf={req.csrfToken()} errors={errors} error={error}>
            <h2>{v.t('accounts.sign_in.with_password')}</h2>
            <TextField
              name="email"
              type="email"
              label={v.t('accounts.field.email')}
              value={values.email}
              error={errors.email}
              required
              autocomplete="username"
            />
            <TextField
              name="password"
              type="password"
              label={v.t('accounts.field.password')}
              error={errors.password}
              required
              autocomplete="current-password"
            />
            <button type="submit">{v.t('accounts.sign_in.submit')}</button>
            <a href={localePath(v.locale, '/password/forgot')}>{v.t('accounts.sign_in.forgot')}</a>
          </PostForm>
          <PostForm action={localePath(v.locale, '/sign-in/link')} csrf={req.csrfToken()}>
            <h2>{v.t('accounts.sign_in.with_link')}</h2>
            <TextField
              name="email"
              type="email"
              label={v.t('accounts.field.email')}
              value={values.email}
              required
              autocomplete="email"
            />
            <button type="submit">{v.t('accounts.sign_in.send_link')}</button>
          </PostForm>
        </div>
        <p>
          <a href={localePath(v.locale, '/sign-up')}>{v.t('accounts.sign_in.no_account')}</a>
        </p>
      </section>
    );
    r.get('/:lc/sign-in', pub, (req, reply) => {
      rememberReturnPath(reply, (req.query as { next?: unknown }).next, opts.secure);
      // A single sign-on that was refused comes back here with its reason.
      const sso = (req.query as { sso_error?: unknown }).sso_error;
      const ssoError = typeof sso === 'string' && SSO_ERRORS.has(sso) ? sso : undefined;
      return page(
        req,
        reply,
        (v) => v.t('accounts.sign_in.title'),
        (v) => signInPage(req, v, {}, {}, ssoError && v.t(`errors.${ssoError}`)),
        ssoError ? 403 : 200,
      );
    });
    r.post('/:lc/sign-in', pub, async (req, reply) => {
      const form = parseForm(SignInInput, req.body, req.locale);
      if (!form.ok)
        return page(
          req,
          reply,
          (v) => v.t('accounts.sign_in.title'),
          (v) => signInPage(req, v, form.values, form.errors),
          400,
        );
      try {
        const session = await svc.signInWithPassword(wctx(req), form.data);
        setSessionCookie(reply, session, opts.secure);
        return reply.redirect(takeReturnPath(req, reply) ?? localePath(req.locale, '/account'), 303);
      } catch (e) {
        if (e instanceof DomainError && e.params.retryAfter) reply.header('retry-after', String(e.params.retryAfter));
        return page(
          req,
          reply,
          (v) => v.t('accounts.sign_in.title'),
          (v) => signInPage(req, v, { email: form.data.email }, {}, formError(v, e)),
          e instanceof DomainError ? e.status : 500,
        );
      }
    });
    r.post('/:lc/sign-in/link', pub, async (req, reply) => {
      const form = parseForm(EmailOnly, req.body, req.locale);
      if (!form.ok)
        return page(
          req,
          reply,
          (v) => v.t('accounts.sign_in.title'),
          (v) => signInPage(req, v, form.values, form.errors),
          400,
        );
      try {
        await svc.requestSignInLink(wctx(req), form.data.email);
      } catch (e) {
        return page(
          req,
          reply,
          (v) => v.t('accounts.sign_in.title'),
          (v) => signInPage(req, v, form.values, {}, formError(v, e)),
          e instanceof DomainError ? e.status : 500,
        );
      }
      return page(
        req,
        reply,
        (v) => v.t('accounts.check_mail.title'),
        (v) => signInPage(req, v, {}, {}, undefined, v.t('accounts.check_mail.link', { email: form.data.email })),
      );
    });
    // The e-mailed link opens a page with a button: mail scanners that follow links do not use it up.
    r.get<{ Params: { lc: string; token: string } }>('/:lc/sign-in/link/:token', pub, (req, reply) =>
      page(
        req,
        reply,
        (v) => v.t('accounts.sign_in.title'),
        (v) => (
          <section class="narrow">
            <h1>{v.t('accounts.sign_in.title')}</h1>
            <PostForm
              action={localePath(v.locale, `/sign-in/link/${encodeURIComponent(req.params.token)}`)}
              csrf={req.csrfToken()}
            >
              <button type="submit">{v.t('accounts.sign_in.continue')}</button>
            </PostForm>
          </section>
        ),
      ),
    );
    r.post<{ Params: { lc: string; token: string } }>('/:lc/sign-in/link/:token', pub, async (req, reply) => {
      try {
        const session = await svc.signInWithLink(wctx(req), req.params.token);
        setSessionCookie(reply, session, opts.secure);
        return reply.redirect(takeReturnPath(req, reply) ?? localePath(req.locale, '/account'), 303);
      } catch (e) {
        return page(
          req,
          reply,
          (v) => v.t('accounts.sign_in.title'),
          (v) => signInPage(req, v, {}, {}, formError(v, e)),
          400,
        );
      }
    });

    // ---- password reset
    const forgotPage = (req: FastifyRequest, v: View, errors: FieldErrors = {}, notice?: string) => (
      <section class="narrow">
        <h1>{v.t('accounts.forgot.title')}</h1>
        {notice && <Notice kind="ok">{notice}</Notice>}
        <PostForm action={localePath(v.locale, '/password/forgot')} csrf={req.csrfToken()} errors={errors}>
          <TextField
            name="email"
            type="email"
            label={v.t('accounts.field.email')}
            error={errors.email}
            required
            autocomplete="email"
          />
          <button type="submit">{v.t('accounts.forgot.submit')}</button>
        </PostForm>
      </section>
    );
    r.get('/:lc/password/forgot', pub, (req, reply) =>
      page(
        req,
        reply,
        (v) => v.t('accounts.forgot.title'),
        (v) => forgotPage(req, v),
      ),
    );
    r.post('/:lc/password/forgot', pub, async (req, reply) => {
      const form = parseForm(EmailOnly, req.body, req.locale);
      if (!form.ok)
        return page(
          req,
          reply,
          (v) => v.t('accounts.forgot.title'),
          (v) => forgotPage(req, v, form.errors),
          400,
        );
      await svc.requestPasswordReset(wctx(req), form.data.email);
      return page(
        req,
        reply,
        (v) => v.t('accounts.forgot.title'),
        (v) => forgotPage(req, v, {}, v.t('accounts.check_mail.reset', { email: form.data.email })),
      );
    });
    const resetPage = (req: Req, v: View, errors: FieldErrors = {}, error?: string) => (
      <section class="narrow">
        <h1>{v.t('accounts.reset.title')}</h1>

        <PostForm
          action={localePath(v.locale, `/password/reset/${encodeURIComponent(req.params.token ?? '')}`)}
          csrf={req.csrfToken()}
          errors={errors}
          error={error}
        >
          <TextField
            name="password"
            type="password"
            label={v.t('accounts.field.new_password')}
            hint={v.t('accounts.field.password_hint')}
            error={errors.password}
            required
            autocomplete="new-password"
          />
          <button type="submit">{v.t('accounts.reset.submit')}</button>
        </PostForm>
      </section>
    );
    r.get<{ Params: { lc: string; token: string } }>('/:lc/password/reset/:token', pub, (req, reply) =>
      page(
        req,
        reply,
        (v) => v.t('accounts.reset.title'),
        (v) => resetPage(req as Req, v),
      ),
    );
    r.post<{ Params: { lc: string; token: string } }>('/:lc/password/reset/:token', pub, async (req, reply) => {
      const form = parseForm(ResetInput, { ...(req.body as object), token: req.params.token }, req.locale);
      if (!form.ok)
        return page(
          req,
          reply,
          (v) => v.t('accounts.reset.title'),
          (v) => resetPage(req as Req, v, form.errors, form.errors.token ? v.t('errors.token_invalid') : undefined),
          400,
        );
      try {
        await svc.resetPassword(wctx(req), form.data);
      } catch (e) {
        return page(
          req,
          reply,
          (v) => v.t('accounts.reset.title'),
          (v) => resetPage(req as Req, v, {}, formError(v, e)),
          400,
        );
      }
      clearSessionCookie(reply);
      return page(
        req,
        reply,
        (v) => v.t('accounts.reset.title'),
        (v) => signInPage(req, v, {}, {}, undefined, v.t('accounts.reset.done')),
      );
    });

    // ---- signed in
    // Actions that ask first (PostForm `confirm`): what will happen, and the form that does it. No script needed.
    r.get('/:lc/confirm', self, (req, reply) => {
      const q = req.query as { to?: unknown; what?: unknown };
      const to = safeReturnPath(q.to);
      const what = CONFIRM_KINDS.find((k) => k === q.what);
      if (!to || !what) throw new DomainError('invalid_input', 400);
      const back = safeReturnPath(
        (() => {
          try {
            // Only its path is used: the link stays on this site whatever the referring host.
            const ref = new URL(String(req.headers.referer ?? ''));
            return ref.pathname + ref.search;
          } catch {
            return undefined;
          }
        })(),
      );
      return page(
        req,
        reply,
        (v) => v.t(`confirm.${what}.title`),
        (v) => (
          <section class="narrow confirm" aria-labelledby="confirm-title">
            <h1 id="confirm-title">{v.t(`confirm.${what}.title`)}</h1>
            <p>{v.t(`confirm.${what}.body`)}</p>
            <PostForm action={to} csrf={req.csrfToken()} class="actions">
              <button type="submit" class="danger">
                {v.t(`confirm.${what}.button`)}
              </button>
              <a href={back ?? localePath(v.locale, '/account')}>{v.t('confirm.cancel')}</a>
            </PostForm>
          </section>
        ),
      );
    });
    // Cached public pages carry no CSRF token: their "Sign out" leads here, to a page with the form.
    r.get('/:lc/sign-out', self, (req, reply) =>
      page(
        req,
        reply,
        (v) => v.t('nav.sign_out'),
        (v) => (
          <section class="narrow">
            <h1>{v.t('nav.sign_out')}</h1>
            <PostForm action={localePath(v.locale, '/sign-out')} csrf={req.csrfToken()}>
              <button type="submit">{v.t('nav.sign_out')}</button>
            </PostForm>
          </section>
        ),
      ),
    );
    r.post('/:lc/sign-out', self, async (req, reply) => {
      await svc.signOut(wctx(req));
      clearSessionCookie(reply);
      return reply.redirect(localePath(req.locale, '/'), 303);
    });
    r.post('/:lc/account/sign-out-everywhere', self, async (req, reply) => {
      await svc.signOutEverywhere(wctx(req));
      clearSessionCookie(reply);
      return reply.redirect(localePath(req.locale, '/sign-in'), 303);
    });

    const accountPage = async (
      req: FastifyRequest,
      v: View,
      values?: Record<string, string>,
      errors: FieldErrors = {},
      notice?: string,
      next?: string,
    ) => {
      const [me, orgs] = await Promise.all([svc.getMe(req.ctx), listEntities(req.ctx)]);
      const val = values ?? Object.fromEntries(Object.entries(me).map(([k, x]) => [k, x == null ? '' : String(x)]));
      const claim = await affiliationOf(req.ctx.db, me);
      return (
        <section>
          <h1>{v.t('accounts.account.title')}</h1>
          {notice && <Notice kind="ok">{notice}</Notice>}
          {next && (
            <div class="notice notice-ok guide" role="status">
              <p>{v.t('way_in.profile_first')}</p>
              <p>
                <a href={next}>{v.t('way_in.continue')}</a>
              </p>
            </div>
          )}
          <p>
            {v.t('accounts.field.email')}: <bdi>{me.email}</bdi>
          </p>
          <PostForm action={localePath(v.locale, '/account')} csrf={req.csrfToken()} errors={errors}>
            {next && <input type="hidden" name="next" value={next} />}
            <ProfileFields
              v={v}
              values={val}
              errors={errors}
              orgs={orgs.map((e) => [String(e.id), entityName(e, v.locale)] as [string, string])}
              gender
              afterEntity={
                claim.state !== 'none' && (
                  <p id="affiliation-state" class={`affiliation affiliation-${claim.state}`}>
                    <strong>
                      {claim.state === 'verified'
                        ? v.t('accounts.affiliation.verified')
                        : v.t(`accounts.affiliation.awaiting_${claim.confirmedBy}`)}
                    </strong>{' '}
                    {v.t('accounts.affiliation.change_drops')}
                  </p>
                )
              }
            />
            <button type="submit">{v.t('accounts.account.save')}</button>
          </PostForm>
          <h2>{v.t('accounts.account.security')}</h2>
          <ul class="plain stack">
            <li>
              <a href={localePath(v.locale, '/account/tokens')}>{v.t('accounts.tokens.title')}</a>
            </li>
            <li>
              <a href={localePath(v.locale, '/account/export.json')} download>
                {v.t('accounts.account.export')}
              </a>
            </li>
            <li>
              <PostForm
                action={localePath(v.locale, '/account/sign-out-everywhere')}
                csrf={req.csrfToken()}
                class="inline-form"
              >
                <button type="submit" class="secondary">
                  {v.t('accounts.account.sign_out_everywhere')}
                </button>
              </PostForm>
            </li>
            <li>
              {me.erasureRequestedAt ? (
                <p>
                  {v.t('accounts.account.erasure_requested', { when: formatDateTime(v.locale, me.erasureRequestedAt) })}
                </p>
              ) : (
                <PostForm
                  action={localePath(v.locale, '/account/erase')}
                  csrf={req.csrfToken()}
                  class="inline-form"
                  confirm="erase_account"
                >
                  <button type="submit" class="secondary">
                    {v.t('accounts.account.request_erasure')}
                  </button>
                </PostForm>
              )}
            </li>
          </ul>
        </section>
      );
    };
    r.get<{ Querystring: { done?: string; next?: string } }>('/:lc/account', self, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => ({
        title: v.t('accounts.account.title'),
        body: await accountPage(
          req,
          v,
          undefined,
          {},
          req.query.done === 'saved' ? v.t('accounts.account.saved') : undefined,
          safeReturnPath(req.query.next),
        ),
      })),
    );
    r.post('/:lc/account', self, async (req, reply) => {
      const form = parseForm(ProfileInput, req.body, req.locale);
      if (!form.ok)
        return sendPrivatePage(req, reply, async (v) => ({
          title: v.t('accounts.account.title'),
          body: await accountPage(req, v, form.values, form.errors, undefined, safeReturnPath(form.values.next)),
          status: 400,
        }));
      let after: Awaited<ReturnType<typeof svc.updateProfile>>;
      try {
        after = await svc.updateProfile(wctx(req), form.data);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        const field = e.code === 'entity_not_found' ? 'entityId' : '_';
        return sendPrivatePage(req, reply, async (v) => ({
          title: v.t('accounts.account.title'),
          body: await accountPage(req, v, form.values, { [field]: v.t(`errors.${e.code}`) }),
          status: e.status,
        }));
      }
      const next = safeReturnPath((req.body as { next?: unknown } | undefined)?.next);
      if (next) return reply.redirect(next, 303);
      return reply.redirect(localePath(after.preferredLocale as typeof req.locale, '/account?done=saved'), 303);
    });
    r.get('/:lc/account/export.json', self, async (req, reply) => {
      const data = await svc.exportPersonData(req.ctx);
      return reply
        .header('content-disposition', 'attachment; filename="convene-my-data.json"')
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(data, null, 2));
    });
    r.post('/:lc/account/erase', self, async (req, reply) => {
      await svc.requestErasure(wctx(req));
      return reply.redirect(localePath(req.locale, '/account'), 303);
    });

    // ---- API tokens
    const tokensPage = async (
      req: FastifyRequest,
      v: View,
      created?: { token: string; name: string },
      errors: FieldErrors = {},
    ) => {
      const tokens = await svc.listMyTokens(req.ctx);
      return (
        <section>
          <h1>{v.t('accounts.tokens.title')}</h1>
          <p>{v.t('accounts.tokens.intro')}</p>
          {created && (
            <Notice kind="ok">
              <p>{v.t('accounts.tokens.created', { name: created.name })}</p>
              <p>
                <code class="token" dir="ltr">
                  {created.token}
                </code>
              </p>
            </Notice>
          )}
          <PostForm action={localePath(v.locale, '/account/tokens')} csrf={req.csrfToken()} errors={errors}>
            <TextField name="name" label={v.t('accounts.tokens.name')} error={errors.name} required maxLength={80} />
            <TextField name="days" label={v.t('accounts.tokens.days')} value="90" error={errors.days} />
            <button type="submit">{v.t('accounts.tokens.create')}</button>
          </PostForm>
          {tokens.length > 0 && (
            <table class="data">
              <thead>
                <tr>
                  <th>{v.t('accounts.tokens.name')}</th>
                  <th>{v.t('accounts.tokens.prefix')}</th>
                  <th>{v.t('accounts.tokens.expires')}</th>
                  <th>{v.t('accounts.tokens.state')}</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((tk) => (
                  <tr>
                    <td>{tk.name}</td>
                    <td>
                      <code dir="ltr">{tk.prefix}…</code>
                    </td>
                    <td>{formatDateTime(v.locale, tk.expiresAt)}</td>
                    <td>
                      {tk.revokedAt ? (
                        v.t('accounts.tokens.revoked')
                      ) : (
                        <PostForm
                          action={localePath(v.locale, `/account/tokens/${tk.id}/revoke`)}
                          csrf={req.csrfToken()}
                          class="inline-form"
                          confirm="revoke_token"
                        >
                          <button type="submit" class="secondary">
                            {v.t('accounts.tokens.revoke')}
                          </button>
                        </PostForm>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      );
    };
    r.get('/:lc/account/tokens', self, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => ({
        title: v.t('accounts.tokens.title'),
        body: await tokensPage(req, v),
      })),
    );
    r.post('/:lc/account/tokens', self, async (req, reply) => {
      const form = parseForm(TokenCreateInput, req.body, req.locale);
      if (!form.ok)
        return sendPrivatePage(req, reply, async (v) => ({
          title: v.t('accounts.tokens.title'),
          body: await tokensPage(req, v, undefined, form.errors),
          status: 400,
        }));
      const created = await svc.createApiToken(wctx(req), form.data);
      return sendPrivatePage(req, reply, async (v) => ({
        title: v.t('accounts.tokens.title'),
        body: await tokensPage(req, v, created),
      }));
    });
    r.post<{ Params: { lc: string; id: string } }>('/:lc/account/tokens/:id/revoke', self, async (req, reply) => {
      const id = Number(req.params.id);
      if (!Number.isInteger(id)) throw new DomainError('token_not_found', 404);
      await svc.revokeApiToken(wctx(req), id);
      return reply.redirect(localePath(req.locale, '/account/tokens'), 303);
    });

    // ---- affiliations awaiting confirmation (the secretariat; a focal point for their entities)
    const confirmer = { config: { permission: 'affiliation.confirm' as const }, schema: { hide: true } };
    const affiliationsPage = async (req: FastifyRequest, v: View, notice?: string) => {
      const [pending, orgs] = await Promise.all([listPendingAffiliations(req.ctx), listEntities(req.ctx)]);
      const nameOf = new Map(orgs.map((e) => [e.id, entityName(e, v.locale)]));
      return (
        <section>
          <h1>{v.t('accounts.affiliations.title')}</h1>
          {notice && <Notice kind="ok">{notice}</Notice>}
          <p>{v.t('accounts.affiliations.intro')}</p>
          {pending.length === 0 ? (
            <p>{v.t('accounts.affiliations.none')}</p>
          ) : (
            <PostForm action={localePath(v.locale, '/affiliations')} csrf={req.csrfToken()}>
              <table class="data" id="pending-affiliations">
                <thead>
                  <tr>
                    <th>{v.t('accounts.affiliations.select')}</th>
                    <th>{v.t('accounts.affiliations.person')}</th>
                    <th>{v.t('accounts.field.email')}</th>
                    <th>{v.t('accounts.affiliations.organization')}</th>
                  </tr>
                </thead>
                <tbody>
                  {pending.map((p) => (
                    <tr key={p.personId}>
                      <td>
                        <input
                          type="checkbox"
                          name="personId"
                          value={p.personId}
                          id={`aff-${p.personId}`}
                          aria-label={`${p.givenName} ${p.familyName}`}
                        />
                      </td>
                      <td>
                        <label for={`aff-${p.personId}`}>
                          <bdi>
                            {p.givenName} {p.familyName}
                          </bdi>
                          {p.jobTitle && (
                            <>
                              {' · '}
                              <bdi>{p.jobTitle}</bdi>
                            </>
                          )}
                        </label>
                      </td>
                      <td>
                        <bdi class="email">{p.email}</bdi>
                      </td>
                      <td>
                        <bdi>{nameOf.get(p.entityId) ?? p.entityId}</bdi>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>
                <button type="submit" name="decision" value="confirm">
                  {v.t('accounts.affiliations.confirm')}
                </button>{' '}
                <button type="submit" name="decision" value="refuse" class="secondary">
                  {v.t('accounts.affiliations.refuse')}
                </button>
              </p>
            </PostForm>
          )}
        </section>
      );
    };
    r.get<{ Querystring: { done?: string } }>('/:lc/affiliations', confirmer, (req, reply) =>
      sendPrivatePage(req, reply, async (v) => {
        const done = Number(req.query.done);
        return {
          title: v.t('accounts.affiliations.title'),
          body: await affiliationsPage(
            req,
            v,
            Number.isInteger(done) && done >= 0 ? v.t('accounts.affiliations.done', { count: done }) : undefined,
          ),
        };
      }),
    );
    r.post('/:lc/affiliations', confirmer, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const ids = [body.personId].flat().filter((x): x is string => typeof x === 'string' && UUID.test(x));
      const decision = body.decision === 'refuse' ? 'refuse' : 'confirm';
      const results = ids.length ? await decideAffiliations(wctx(req), ids, decision) : [];
      return reply.redirect(localePath(req.locale, `/affiliations?done=${results.filter((x) => x.ok).length}`), 303);
    });
  });
}
