/**
 * Single sign-on for staff with the organisation's OpenID Connect provider: authorization code flow with PKCE, state
 * and nonce (openid-client). `/{lc}/sign-in/sso` sends the browser to the provider with those checks kept in a
 * signed, short-lived cookie; `/auth/sso/callback` (the one redirect URI to register with the provider:
 * `<CONVENE_PUBLIC_URL>/auth/sso/callback`) checks them, reads the verified ID token, and opens a session for the
 * staff account linked to it (`signInWithSso`). A refusal comes back to the sign-in page, in the reader's language.
 */
import type { FastifyInstance } from 'fastify';
import * as oidc from 'openid-client';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../platform/errors.js';
import { isLocale, type Locale } from '../../platform/i18n/locales.js';
import { rememberReturnPath, takeReturnPath } from '../../platform/http/return-path.js';
import { setSessionCookie } from './accounts.http.js';
import { signInWithSso } from './accounts.service.js';

const FLOW_COOKIE = 'cvn_sso';
const CALLBACK = '/auth/sso/callback';
const FLOW_TTL_S = 600;

type Flow = { verifier: string; state: string; nonce: string; lc: Locale };

/** The provider's metadata, fetched once (and again after a failure). */
function providerConfig(c: NonNullable<Config['oidc']>): () => Promise<oidc.Configuration> {
  let pending: Promise<oidc.Configuration> | undefined;
  const local = /^http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/|$)/.test(c.issuer);
  return () => {
    pending ??= oidc
      .discovery(new URL(c.issuer), c.clientId, c.clientSecret, undefined, {
        // Plain http only to a provider on this machine (development and tests); https everywhere else.
        execute: local ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((e) => {
        pending = undefined;
        throw e;
      });
    return pending;
  };
}

export async function ssoRoutes(app: FastifyInstance, opts: { config: Config; secure: boolean }) {
  const c = opts.config.oidc;
  if (!c) return;
  const provider = providerConfig(c);
  const redirectUri = `${opts.config.publicUrl}${CALLBACK}`;
  const pub = { config: { permission: 'public' as const }, schema: { hide: true } };
  const back = (lc: Locale, code: string) => `/${lc}/sign-in?sso_error=${encodeURIComponent(code)}`;

  app.get<{ Params: { lc: string }; Querystring: { next?: string } }>('/:lc/sign-in/sso', pub, async (req, reply) => {
    const lc: Locale = isLocale(req.params.lc) ? req.params.lc : 'en';
    rememberReturnPath(reply, req.query.next, opts.secure);
    let config: oidc.Configuration;
    try {
      config = await provider();
    } catch (e) {
      req.log.error({ err: e }, 'single sign-on: the identity provider cannot be reached');
      return reply.redirect(back(lc, 'sso_unavailable'), 303);
    }
    const flow: Flow = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      lc,
    };
    reply.setCookie(FLOW_COOKIE, JSON.stringify(flow), {
      path: CALLBACK,
      httpOnly: true,
      // The provider sends the browser back with a top-level GET: Lax lets the cookie come along.
      sameSite: 'lax',
      secure: opts.secure,
      signed: true,
      maxAge: FLOW_TTL_S,
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
      ui_locales: lc,
    });
    return reply.redirect(url.href, 303);
  });

  app.get(CALLBACK, pub, async (req, reply) => {
    const raw = req.cookies[FLOW_COOKIE];
    const unsigned = raw ? req.unsignCookie(raw) : undefined;
    reply.clearCookie(FLOW_COOKIE, { path: CALLBACK });
    let flow: Flow | undefined;
    try {
      flow = unsigned?.valid && unsigned.value ? (JSON.parse(unsigned.value) as Flow) : undefined;
    } catch {
      flow = undefined;
    }
    if (!flow || !isLocale(flow.lc)) return reply.redirect(back('en', 'sso_expired'), 303);
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    try {
      const config = await provider();
      const tokens = await oidc.authorizationCodeGrant(config, new URL(`${redirectUri}${query}`), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      let verified = claims.email_verified === true;
      if (!email) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        email = typeof info.email === 'string' ? info.email : undefined;
        verified = info.email_verified === true;
      }
      const session = await signInWithSso(req.ctx as typeof req.ctx & { db: Db }, {
        issuer: claims.iss,
        subject: claims.sub,
        email,
        emailVerified: verified,
      });
      setSessionCookie(reply, session, opts.secure);
      return reply.redirect(takeReturnPath(req, reply) ?? `/${flow.lc}/account`, 303);
    } catch (e) {
      if (e instanceof DomainError) return reply.redirect(back(flow.lc, e.code), 303);
      // A refused or tampered answer (state, nonce, PKCE, signature): logged for the operators, a plain word for the person.
      req.log.warn({ err: e }, 'single sign-on refused');
      return reply.redirect(back(flow.lc, 'sso_failed'), 303);
    }
  });
}
