/**
 * People and sign-in. Every function takes `(ctx, input)`; state changes run in one transaction with their audit row
 * and their e-mail (enqueued, sent after commit). Answers to "is there an account for this address?" are never given.
 */
import type { ModuleDescriptor } from '../../platform/module.js';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import { CAPABILITIES } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { greeting } from '../../platform/i18n/names.js';
import { translator } from '../../platform/i18n/messages.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { authorize, personOf } from '../../platform/permissions.js';
import { auditLog } from '../../platform/platform.schema.js';
import { entities, focalPoints } from '../entities/index.js';
import { apiTokens, authSessions, oneTimeTokens, people, personIdentities } from './accounts.schema.js';
import { hashPassword, randomToken, sha256, verifyPassword } from './accounts.crypto.js';
import type { ProfileInput, SignUpInput } from './accounts.input.js';
import * as q from './accounts.queries.js';
import { clear, hit, LIMITS, LOCKOUT_MS, peek } from './accounts.throttle.js';

type WCtx = Ctx & { db: Db };

export const SESSION_TTL_MS = 14 * 24 * 3600_000;
const LINK_TTL_MS = 30 * 60_000;
const VERIFY_TTL_MS = 7 * 24 * 3600_000;

const base = (ctx: Ctx) => ctx.baseUrl ?? 'http://localhost:3000';

async function throttleAddress(ctx: WCtx, action: string) {
  if (!ctx.ip) return;
  const r = await hit(ctx.db, `${action}:ip:${ctx.ip}`, LIMITS.perAddress, ctx.now);
  if (r.over) throw new DomainError('rate_limited', 429, { retryAfter: r.retryAfterS });
}

/** Mails per account are limited too; over the limit the request is answered the same, and nothing is sent. */
async function mayMail(ctx: WCtx, kind: string, email: string): Promise<boolean> {
  return !(await hit(ctx.db, `${kind}:acct:${email}`, LIMITS.mailPerAccount, ctx.now)).over;
}

async function issueToken(
  tx: Db | Parameters<Parameters<Db['transaction']>[0]>[0],
  kind: 'verify' | 'sign_in' | 'reset',
  personId: string,
  now: Date,
  ttl: number,
) {
  const token = randomToken();
  await tx
    .insert(oneTimeTokens)
    .values({ id: sha256(token), kind, personId, createdAt: now, expiresAt: new Date(now.getTime() + ttl) });
  return token;
}

/** Creates an unverified account and mails a verification link. An address already in use gets a sign-in link instead. */
export async function signUp(ctx: WCtx, input: SignUpInput): Promise<void> {
  await throttleAddress(ctx, 'signup');
  const passwordHash = await hashPassword(input.password); // before the lookup: the same time either way
  const existing = await q.getPersonByEmail(ctx.db, input.email);
  if (existing) {
    if (await mayMail(ctx, 'mail', input.email)) await sendSignInLink(ctx, existing);
    return;
  }
  await ctx.db.transaction(async (tx) => {
    const [p] = await tx
      .insert(people)
      .values({
        email: input.email,
        passwordHash,
        givenName: input.givenName,
        familyName: input.familyName,
        preferredLocale: input.preferredLocale,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning();
    if (!p) return; // a concurrent sign-up with the same address won
    const token = await issueToken(tx, 'verify', p.id, ctx.now, VERIFY_TTL_MS);
    await audit(
      tx,
      { ...ctx, actor: { kind: 'system', name: 'sign-up' } },
      { action: 'accounts.signed_up', subjectType: 'person', subjectId: p.id, after: { email: p.email } },
    );
    await enqueueMail(tx, ctx.now, {
      to: input.email,
      locale: input.preferredLocale,
      template: 'verify_email',
      params: {
        greeting: greeting(p, input.preferredLocale),
        link: `${base(ctx)}/${input.preferredLocale}/verify/${token}`,
      },
    });
  });
}

async function consumeToken(
  ctx: WCtx,
  kind: 'verify' | 'sign_in' | 'reset',
  token: string,
  then: (tx: Parameters<Parameters<Db['transaction']>[0]>[0], person: q.Person) => Promise<void>,
) {
  return ctx.db.transaction(async (tx) => {
    const row = await q.getOneTimeTokenForUpdate(tx, sha256(token));
    if (!row || row.kind !== kind || row.usedAt || row.expiresAt <= ctx.now)
      throw new DomainError('token_invalid', 400);
    const person = await q.getPersonForUpdate(tx, row.personId);
    if (!person || person.erasedAt) throw new DomainError('token_invalid', 400);
    await tx.update(oneTimeTokens).set({ usedAt: ctx.now }).where(eq(oneTimeTokens.id, row.id));
    await then(tx, person);
    return person;
  });
}

export async function verifyEmail(ctx: WCtx, token: string): Promise<q.Person> {
  return consumeToken(ctx, 'verify', token, async (tx, p) => {
    if (!p.emailVerifiedAt) {
      await tx.update(people).set({ emailVerifiedAt: ctx.now, updatedAt: ctx.now }).where(eq(people.id, p.id));
      await audit(
        tx,
        { ...ctx, actor: { kind: 'system', name: 'verify' } },
        { action: 'accounts.email_verified', subjectType: 'person', subjectId: p.id },
      );
    }
  });
}

export type NewSession = { token: string; personId: string; expiresAt: Date };

async function openSession(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  ctx: Ctx,
  personId: string,
  how: string,
): Promise<NewSession> {
  const token = randomToken();
  const expiresAt = new Date(ctx.now.getTime() + SESSION_TTL_MS);
  await tx.insert(authSessions).values({
    id: sha256(token),
    personId,
    createdAt: ctx.now,
    lastSeenAt: ctx.now,
    expiresAt,
    ip: ctx.ip ?? null,
    userAgent: (ctx.userAgent ?? '').slice(0, 300),
  });
  await audit(
    tx,
    { ...ctx, actor: { kind: 'system', name: how } },
    { action: 'accounts.signed_in', subjectType: 'person', subjectId: personId, data: { how } },
  );
  return { token, personId, expiresAt };
}

/** Throws `invalid_credentials`, `account_locked`, `email_not_verified`, `rate_limited`. */
export async function signInWithPassword(ctx: WCtx, input: { email: string; password: string }): Promise<NewSession> {
  // Per address, only failures count (a shared NAT signs in many people); per account, see below.
  const addressKey = ctx.ip ? `signin:fail:ip:${ctx.ip}` : undefined;
  if (addressKey) {
    const r = await peek(ctx.db, addressKey, LIMITS.signInFailuresPerAddress, ctx.now);
    if (r.over) throw new DomainError('rate_limited', 429, { retryAfter: r.retryAfterS });
  }
  const person = await q.getPersonByEmail(ctx.db, input.email);
  if (person?.lockedUntil && person.lockedUntil > ctx.now) {
    throw new DomainError('account_locked', 429, {
      retryAfter: Math.ceil((person.lockedUntil.getTime() - ctx.now.getTime()) / 1000),
    });
  }
  const ok = await verifyPassword(input.password, person?.passwordHash ?? null);
  if (!person || !ok) {
    if (addressKey) await hit(ctx.db, addressKey, LIMITS.signInFailuresPerAddress, ctx.now);
    const r = await hit(ctx.db, `signin:acct:${input.email}`, LIMITS.signInPerAccount, ctx.now);
    if (person && r.over) {
      await ctx.db.transaction(async (tx) => {
        await tx
          .update(people)
          .set({ lockedUntil: new Date(ctx.now.getTime() + LOCKOUT_MS) })
          .where(eq(people.id, person.id));
        await audit(
          tx,
          { ...ctx, actor: { kind: 'system', name: 'sign-in' } },
          { action: 'accounts.locked', subjectType: 'person', subjectId: person.id, data: { failures: r.count } },
        );
      });
      throw new DomainError('account_locked', 429, { retryAfter: LOCKOUT_MS / 1000 });
    }
    throw new DomainError('invalid_credentials', 401);
  }
  if (!person.emailVerifiedAt) throw new DomainError('email_not_verified', 403);
  await clear(ctx.db, `signin:acct:${input.email}`);
  return ctx.db.transaction(async (tx) => {
    await tx.update(people).set({ lockedUntil: null }).where(eq(people.id, person.id));
    return openSession(tx, ctx, person.id, 'password');
  });
}

/** What the organisation's identity provider says about the person signing on (from a verified ID token). */
export type SsoClaims = { issuer: string; subject: string; email?: string; emailVerified: boolean };

/**
 * Single sign-on for secretariat staff. The identity provider's account is linked to a staff or administrator account
 * by its verified e-mail address on first use, then found by issuer and subject. Roles and capabilities stay in the
 * platform (the permission table); participants sign in with a password or a link. Throws `sso_email_unverified`,
 * `sso_not_staff`.
 */
export async function signInWithSso(ctx: WCtx, claims: SsoClaims): Promise<NewSession> {
  return ctx.db.transaction(async (tx) => {
    const [linked] = await tx
      .select({ person: people })
      .from(personIdentities)
      .innerJoin(people, eq(people.id, personIdentities.personId))
      .where(and(eq(personIdentities.issuer, claims.issuer), eq(personIdentities.subject, claims.subject)));
    let person = linked?.person;
    if (!person) {
      if (!claims.email || !claims.emailVerified) throw new DomainError('sso_email_unverified', 403);
      const found = await q.getPersonByEmail(tx, claims.email.trim().toLowerCase());
      if (!found || found.role === 'participant') throw new DomainError('sso_not_staff', 403);
      person = found;
      await tx.insert(personIdentities).values({
        issuer: claims.issuer,
        subject: claims.subject,
        personId: person.id,
        linkedAt: ctx.now,
        lastUsedAt: ctx.now,
      });
      await audit(
        tx,
        { ...ctx, actor: { kind: 'system', name: 'sso' } },
        { action: 'accounts.sso_linked', subjectType: 'person', subjectId: person.id, data: { issuer: claims.issuer } },
      );
    } else {
      if (person.erasedAt || person.role === 'participant') throw new DomainError('sso_not_staff', 403);
      await tx
        .update(personIdentities)
        .set({ lastUsedAt: ctx.now })
        .where(and(eq(personIdentities.issuer, claims.issuer), eq(personIdentities.subject, claims.subject)));
    }
    // The provider has checked the address: an account not yet confirmed is confirmed, a lock from password guesses lifted.
    await tx
      .update(people)
      .set({ lockedUntil: null, ...(person.emailVerifiedAt ? {} : { emailVerifiedAt: ctx.now }) })
      .where(eq(people.id, person.id));
    return openSession(tx, ctx, person.id, 'sso');
  });
}

/** Issues a 30-minute one-time token and mails its link to the person, in their language. */
async function mailLink(ctx: WCtx, person: q.Person, kind: 'sign_in' | 'reset') {
  await ctx.db.transaction(async (tx) => {
    const token = await issueToken(tx, kind, person.id, ctx.now, LINK_TTL_MS);
    const locale = person.preferredLocale as Locale;
    const path = kind === 'sign_in' ? 'sign-in/link' : 'password/reset';
    await enqueueMail(tx, ctx.now, {
      to: person.email!,
      locale,
      template: kind === 'sign_in' ? 'sign_in_link' : 'password_reset',
      params: {
        greeting: greeting(person, locale),
        link: `${base(ctx)}/${locale}/${path}/${token}`,
        minutes: LINK_TTL_MS / 60_000,
      },
    });
  });
}

const sendSignInLink = (ctx: WCtx, person: q.Person) => mailLink(ctx, person, 'sign_in');

/** Always answers the same, whether or not the address has an account. */
export async function requestSignInLink(ctx: WCtx, email: string): Promise<void> {
  await throttleAddress(ctx, 'link');
  const person = await q.getPersonByEmail(ctx.db, email);
  if (person && (await mayMail(ctx, 'mail', email))) await sendSignInLink(ctx, person);
}

/** A sign-in link also proves the address. Throws `token_invalid`. */
export async function signInWithLink(ctx: WCtx, token: string): Promise<NewSession> {
  let session: NewSession | undefined;
  await consumeToken(ctx, 'sign_in', token, async (tx, p) => {
    if (!p.emailVerifiedAt) await tx.update(people).set({ emailVerifiedAt: ctx.now }).where(eq(people.id, p.id));
    await tx.update(people).set({ lockedUntil: null }).where(eq(people.id, p.id));
    session = await openSession(tx, ctx, p.id, 'link');
  });
  return session!;
}

export async function requestPasswordReset(ctx: WCtx, email: string): Promise<void> {
  await throttleAddress(ctx, 'reset');
  const person = await q.getPersonByEmail(ctx.db, email);
  if (!person || !(await mayMail(ctx, 'mail', email))) return;
  await mailLink(ctx, person, 'reset');
}

/** Sets a new password and ends every session of the account. Throws `token_invalid`. */
export async function resetPassword(ctx: WCtx, input: { token: string; password: string }): Promise<void> {
  const hash = await hashPassword(input.password);
  await consumeToken(ctx, 'reset', input.token, async (tx, p) => {
    await tx
      .update(people)
      .set({ passwordHash: hash, emailVerifiedAt: p.emailVerifiedAt ?? ctx.now, lockedUntil: null, updatedAt: ctx.now })
      .where(eq(people.id, p.id));
    await tx
      .update(authSessions)
      .set({ revokedAt: ctx.now })
      .where(and(eq(authSessions.personId, p.id), isNull(authSessions.revokedAt)));
    await audit(
      tx,
      { ...ctx, actor: { kind: 'system', name: 'reset' } },
      { action: 'accounts.password_reset', subjectType: 'person', subjectId: p.id },
    );
  });
}

export async function signOut(ctx: WCtx): Promise<void> {
  const me = personOf(ctx);
  if (!me.sessionId) return;
  await ctx.db.transaction(async (tx) => {
    await tx.update(authSessions).set({ revokedAt: ctx.now }).where(eq(authSessions.id, me.sessionId!));
    await audit(tx, ctx, { action: 'accounts.signed_out', subjectType: 'person', subjectId: me.id });
  });
}

export async function signOutEverywhere(ctx: WCtx): Promise<number> {
  const me = personOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .update(authSessions)
      .set({ revokedAt: ctx.now })
      .where(and(eq(authSessions.personId, me.id), isNull(authSessions.revokedAt)))
      .returning();
    await audit(tx, ctx, {
      action: 'accounts.signed_out_everywhere',
      subjectType: 'person',
      subjectId: me.id,
      data: { sessions: rows.length },
    });
    return rows.length;
  });
}

export async function getMe(ctx: Ctx): Promise<q.Person> {
  const me = personOf(ctx);
  const p = await q.getPerson(ctx.db, me.id);
  if (!p) throw new DomainError('unauthenticated', 401);
  return p;
}

const PROFILE_FIELDS = [
  'givenName',
  'familyName',
  'nameOrder',
  'givenNameLatin',
  'familyNameLatin',
  'honorific',
  'jobTitle',
  'preferredLocale',
  'nationality',
  'gender',
  'function',
  'entityId',
] as const;

export async function updateProfile(ctx: WCtx, input: ProfileInput): Promise<q.Person> {
  const me = personOf(ctx);
  authorize(ctx, 'account.self', { personId: me.id });
  return ctx.db.transaction(
    async (tx) => (await writeProfile(tx, ctx, me.id, input, 'accounts.profile_updated')).after,
  );
}

/** The profile fields that changed between two versions of a person. */
const changedFields = (a: q.Person, b: q.Person) => PROFILE_FIELDS.filter((k) => a[k] !== b[k]);

/** Writes a profile in the caller's transaction, with the same checks for the person and the secretariat; audited. */
async function writeProfile(
  tx: Parameters<Parameters<Db['transaction']>[0]>[0],
  ctx: WCtx,
  personId: string,
  input: ProfileInput,
  action: string,
  data?: Record<string, unknown>,
) {
  const before = await q.getPersonForUpdate(tx, personId);
  if (!before || before.erasedAt) throw new DomainError('person_not_found', 404);
  if (input.entityId != null) {
    const [e] = await tx
      .select({ id: entities.id, mergedInto: entities.mergedInto })
      .from(entities)
      .where(eq(entities.id, input.entityId));
    if (!e || e.mergedInto) throw new DomainError('entity_not_found', 400);
  }
  const entityId = input.entityId ?? null;
  // A new organisation is a new claim: the verification of the old one does not carry over.
  const moved = entityId !== before.entityId;
  const values = {
    ...input,
    nationality: input.nationality ?? null,
    entityId,
    ...(moved ? { entityVerifiedAt: null, entityVerifiedBy: null } : {}),
    updatedAt: ctx.now,
  };
  const [after] = await tx.update(people).set(values).where(eq(people.id, personId)).returning();
  for (const hook of profileHooks) await hook(tx, after);
  const pick = (p: q.Person) => Object.fromEntries(PROFILE_FIELDS.map((k) => [k, p[k]]));
  await audit(tx, ctx, {
    action,
    subjectType: 'person',
    subjectId: personId,
    before: pick(before),
    after: pick(after),
    data,
  });
  return { before, after };
}

/**
 * The secretariat corrects a participant's data, with the checks of the participant's own profile form and a reason
 * (required): audited with the reason, and the participant is told by e-mail, in their language, what changed and
 * why (nothing changed: no message). Throws `person_not_found`, `entity_not_found`, `reason_required`.
 */
export async function correctProfile(
  ctx: WCtx,
  personId: string,
  input: ProfileInput,
  reason: string,
): Promise<{ person: q.Person; changed: string[] }> {
  authorize(ctx, 'accounts.manage');
  if (!reason.trim()) throw new DomainError('reason_required', 400);
  return ctx.db.transaction(async (tx) => {
    const current = await q.getPersonForUpdate(tx, personId);
    if (!current || current.erasedAt) throw new DomainError('person_not_found', 404);
    const { before, after } = await writeProfile(tx, ctx, personId, input, 'accounts.profile_corrected', {
      reason: reason.trim(),
    });
    const changed = changedFields(before, after);
    if (changed.length && after.email) {
      const locale = after.preferredLocale as Locale;
      const t = translator(locale);
      await enqueueMail(tx, ctx.now, {
        to: after.email,
        locale,
        template: 'profile_corrected',
        params: {
          greeting: greeting(after, locale),
          fields: changed.map((f) => `- ${t(`secretariat.field.${f}`)}`).join('\n'),
          reason: reason.trim(),
          link: `${base(ctx)}/${locale}/account`,
        },
      });
    }
    return { person: after, changed };
  });
}

type ExportSection = (db: DbOrTx, personId: string) => Promise<unknown>;
const exportSections = new Map<string, ExportSection>();
const CORE_SECTIONS = ['exportedAt', 'person', 'sessions', 'apiTokens', 'focalPointOf', 'auditTrail'];
/**
 * Other modules add what they hold about a person to the export, each as one section of the same JSON document
 * (registrations, badge photo, visa requests, speaking requests, badges, door scans), as they erase it through
 * `onPersonErased`. A section returns plain JSON-able data and leaves out credentials (tokens, hashes).
 */
export function onPersonExport(section: string, fn: ExportSection) {
  if (CORE_SECTIONS.includes(section) || exportSections.has(section))
    throw new Error(`export section ${section} is taken`);
  exportSections.set(section, fn);
}

/** Everything the platform holds about a person, for them to download: one JSON document. */
export async function exportPersonData(ctx: Ctx, personId?: string) {
  const me = personOf(ctx);
  const id = personId ?? me.id;
  authorize(ctx, id === me.id ? 'account.self' : 'accounts.manage', { personId: id });
  const person = await q.getPerson(ctx.db, id);
  if (!person) throw new DomainError('person_not_found', 404);
  const { passwordHash: _omit, ...profile } = person;
  const [sessions, tokens, focal, log, identities] = await Promise.all([
    q.listSessions(ctx.db, id),
    q.listApiTokens(ctx.db, id),
    ctx.db.select().from(focalPoints).where(eq(focalPoints.personId, id)),
    ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, id)),
    ctx.db.select().from(personIdentities).where(eq(personIdentities.personId, id)),
  ]);
  const sections = await Promise.all(
    [...exportSections].map(async ([name, fn]) => [name, await fn(ctx.db, id)] as const),
  );
  await audit(ctx.db, ctx, { action: 'accounts.data_exported', subjectType: 'person', subjectId: id });
  return {
    exportedAt: ctx.now.toISOString(),
    person: { ...profile, hasPassword: !!person.passwordHash },
    sessions: sessions.map(({ id: _s, ...s }) => s),
    apiTokens: tokens.map(({ tokenHash: _h, ...t }) => t),
    focalPointOf: focal.map((f) => f.entityId),
    singleSignOn: identities.map(({ personId: _p, ...i }) => i),
    auditTrail: log,
    ...Object.fromEntries(sections),
  };
}

export async function requestErasure(ctx: WCtx): Promise<void> {
  const me = personOf(ctx);
  await ctx.db.transaction(async (tx) => {
    await tx.update(people).set({ erasureRequestedAt: ctx.now }).where(eq(people.id, me.id));
    await audit(tx, ctx, { action: 'accounts.erasure_requested', subjectType: 'person', subjectId: me.id });
  });
}

type ErasureHook = (tx: DbOrTx, personId: string, now: Date) => Promise<void>;
const erasureHooks: ErasureHook[] = [];
/** Other modules erase what they hold about a person (photos, passport details) in the same transaction. */
export function onPersonErased(hook: ErasureHook) {
  erasureHooks.push(hook);
}

type ProfileHook = (tx: DbOrTx, person: q.Person) => Promise<void>;
const profileHooks: ProfileHook[] = [];
/** Other modules keep what they derive from a person's profile (the badge desk's search by name) in step, in the same transaction. */
export function onProfileChanged(hook: ProfileHook) {
  profileHooks.push(hook);
}
/** Runs every module's profile hook for a person, in the caller's transaction (a merge moves what they derive from). */
export async function profileChangedInTx(tx: DbOrTx, person: q.Person) {
  for (const hook of profileHooks) await hook(tx, person);
}

const registered = new WeakSet<ModuleDescriptor>();
/** Takes every listed module's personal-data sections and hooks (once per module, whoever asks). */
export function registerPersonalData(modules: readonly ModuleDescriptor[]) {
  for (const m of modules) {
    if (registered.has(m) || !m.personalData) continue;
    registered.add(m);
    const { export: sections, erase, profileChanged } = m.personalData;
    for (const [name, fn] of Object.entries(sections ?? {})) onPersonExport(name, fn);
    if (erase) onPersonErased(erase);
    if (profileChanged) onProfileChanged(profileChanged);
  }
}

/** The profile fields that erasure empties, in the person's row and in the audit rows about them. */
const ERASED_FIELDS = [
  'email',
  'givenName',
  'familyName',
  'givenNameLatin',
  'familyNameLatin',
  'honorific',
  'jobTitle',
  'gender',
] as const;

/**
 * Erases a person: names, address, gender, password, sessions and tokens go; the row stays, anonymous, with what
 * statistics count (nationality, entity, function, role). Throws `person_not_found`, `last_admin`.
 */
export async function erasePerson(ctx: WCtx, personId: string): Promise<void> {
  authorize(ctx, 'accounts.manage');
  await ctx.db.transaction(async (tx) => {
    const p = await q.getPersonForUpdate(tx, personId);
    if (!p || p.erasedAt) throw new DomainError('person_not_found', 404);
    if (p.role === 'admin' && (await q.countAdmins(tx)) <= 1) throw new DomainError('last_admin', 409);
    if (p.email) {
      await enqueueMail(tx, ctx.now, {
        to: p.email,
        locale: p.preferredLocale as Locale,
        template: 'account_erased',
        params: { greeting: greeting(p, p.preferredLocale as Locale) },
      });
    }
    await tx
      .update(people)
      .set({
        email: null,
        passwordHash: null,
        givenName: '',
        familyName: '',
        givenNameLatin: '',
        familyNameLatin: '',
        honorific: '',
        jobTitle: '',
        gender: null,
        erasedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .where(eq(people.id, personId));
    await tx
      .update(authSessions)
      .set({ revokedAt: ctx.now })
      .where(and(eq(authSessions.personId, personId), isNull(authSessions.revokedAt)));
    await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.now })
      .where(and(eq(apiTokens.personId, personId), isNull(apiTokens.revokedAt)));
    await tx.delete(focalPoints).where(eq(focalPoints.personId, personId));
    await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.personId, personId));
    await tx.delete(personIdentities).where(eq(personIdentities.personId, personId));
    // Where they signed in from goes with them: the sessions' addresses and browsers.
    await tx.update(authSessions).set({ ip: null, userAgent: '' }).where(eq(authSessions.personId, personId));
    // The audit rows about them keep what happened and which fields changed, not the erased values, nor the address
    // they (or the system on their behalf) acted from.
    await tx
      .update(auditLog)
      .set({
        changes: sql`(select coalesce(jsonb_object_agg(key, case when key in (${sql.join(
          ERASED_FIELDS.map((f) => sql`${f}`),
          sql`, `,
        )}) then '[null, null]'::jsonb else value end), '{}'::jsonb) from jsonb_each(${auditLog.changes}))`,
        ip: sql`case when ${auditLog.actor} = ${personId} or ${auditLog.actor} like 'system:%' or ${auditLog.actor} = 'anonymous' then null else ${auditLog.ip} end`,
      })
      .where(and(eq(auditLog.subjectType, 'person'), eq(auditLog.subjectId, personId)));
    // Duplicates merged into them were the same person: their tombstones lose names and address too.
    await tx
      .update(people)
      .set({
        email: null,
        passwordHash: null,
        givenName: '',
        familyName: '',
        givenNameLatin: '',
        familyNameLatin: '',
        honorific: '',
        jobTitle: '',
        erasedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .where(and(eq(people.mergedInto, personId), isNull(people.erasedAt)));
    for (const hook of erasureHooks) await hook(tx, personId, ctx.now);
    await audit(tx, ctx, { action: 'accounts.erased', subjectType: 'person', subjectId: personId });
  });
}

/** Creates a personal API token; the token itself is returned once and never stored. */
export async function createApiToken(ctx: WCtx, input: { name: string; days: number }, personId?: string) {
  const me = personOf(ctx);
  const owner = personId ?? me.id;
  authorize(ctx, owner === me.id ? 'account.self' : 'accounts.manage', { personId: owner });
  const token = `cvn_${randomToken(30)}`;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        personId: owner,
        name: input.name,
        tokenHash: sha256(token),
        prefix: token.slice(0, 10),
        createdAt: ctx.now,
        expiresAt: new Date(ctx.now.getTime() + input.days * 86_400_000),
      })
      .returning();
    await audit(tx, ctx, {
      action: 'accounts.token_created',
      subjectType: 'api_token',
      subjectId: row.id,
      data: { owner, name: input.name },
    });
    return { token, id: row.id, name: row.name, prefix: row.prefix, expiresAt: row.expiresAt };
  });
}

/** Throws `token_not_found` (also for another person's token: no hint that it exists). */
export async function revokeApiToken(ctx: WCtx, id: number): Promise<void> {
  const me = personOf(ctx);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id)).for('update');
    if (!row || (row.personId !== me.id && me.role !== 'admin')) throw new DomainError('token_not_found', 404);
    if (!row.revokedAt) await tx.update(apiTokens).set({ revokedAt: ctx.now }).where(eq(apiTokens.id, id));
    await audit(tx, ctx, { action: 'accounts.token_revoked', subjectType: 'api_token', subjectId: id });
  });
}

export async function listMyTokens(ctx: Ctx) {
  return q.listApiTokens(ctx.db, personOf(ctx).id);
}

export async function listPeople(ctx: Ctx, search?: string) {
  authorize(ctx, 'accounts.manage');
  return q.listPeople(ctx.db, search, 200);
}

/** Sets a person's role and staff capabilities. Throws `person_not_found`, `last_admin`, `unknown_capability`. */
export async function setRole(
  ctx: WCtx,
  personId: string,
  input: { role: 'admin' | 'staff' | 'participant'; capabilities: string[] },
) {
  authorize(ctx, 'accounts.manage');
  const bad = input.capabilities.filter((c) => !(CAPABILITIES as readonly string[]).includes(c));
  if (bad.length) throw new DomainError('unknown_capability', 400, { capability: bad.join(', ') });
  return ctx.db.transaction(async (tx) => {
    const before = await q.getPersonForUpdate(tx, personId);
    if (!before || before.erasedAt) throw new DomainError('person_not_found', 404);
    if (before.role === 'admin' && input.role !== 'admin') {
      const others = await tx
        .select({ id: people.id })
        .from(people)
        .where(and(eq(people.role, 'admin'), ne(people.id, personId), isNull(people.erasedAt)))
        .for('update');
      if (!others.length) throw new DomainError('last_admin', 409);
    }
    const capabilities = input.role === 'staff' ? [...new Set(input.capabilities)].sort() : [];
    const [after] = await tx
      .update(people)
      .set({ role: input.role, capabilities, updatedAt: ctx.now })
      .where(eq(people.id, personId))
      .returning();
    await audit(tx, ctx, {
      action: 'accounts.role_changed',
      subjectType: 'person',
      subjectId: personId,
      before: { role: before.role, capabilities: before.capabilities },
      after: { role: after.role, capabilities: after.capabilities },
    });
    return after;
  });
}

/** For the command line: the first (or another) administrator, verified, with a password. */
/**
 * An existing account is refused (`person_exists`) unless asked: `promote` makes it an administrator and keeps its
 * password; `reset_password` also replaces the password.
 */
export async function createAdministrator(
  ctx: WCtx,
  input: { email: string; password: string; givenName: string; familyName: string },
  onExisting: 'refuse' | 'promote' | 'reset_password' = 'refuse',
) {
  const hash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const existing = await q.getPersonByEmail(tx, input.email);
    if (existing && onExisting === 'refuse') throw new DomainError('person_exists', 409);
    const values = {
      role: 'admin' as const,
      capabilities: [],
      ...(existing && onExisting === 'promote' ? {} : { passwordHash: hash }),
      emailVerifiedAt: existing?.emailVerifiedAt ?? ctx.now,
      updatedAt: ctx.now,
    };
    const [p] = existing
      ? await tx.update(people).set(values).where(eq(people.id, existing.id)).returning()
      : await tx
          .insert(people)
          .values({
            ...values,
            email: input.email,
            givenName: input.givenName,
            familyName: input.familyName,
            createdAt: ctx.now,
          })
          .returning();
    await audit(tx, ctx, {
      action: 'accounts.administrator_created',
      subjectType: 'person',
      subjectId: p.id,
      after: { role: 'admin' },
    });
    return p;
  });
}

/** Who the bearer of a session cookie or API token is; undefined when it is not valid. */
export async function resolveActor(
  db: Db,
  now: Date,
  credentials: { session?: string; bearer?: string },
): Promise<PersonActor | undefined> {
  if (credentials.bearer) {
    const row = await q.getLiveApiToken(db, sha256(credentials.bearer), now);
    if (!row) return undefined;
    if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > 3600_000) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
    }
    return toActor(row.person, row.focalPointOf, 'token');
  }
  if (credentials.session) {
    const id = sha256(credentials.session);
    const row = await q.getLiveSession(db, id, now);
    if (!row) return undefined;
    if (now.getTime() - row.session.lastSeenAt.getTime() > 3600_000) {
      await db
        .update(authSessions)
        .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) })
        .where(eq(authSessions.id, id));
    }
    return { ...toActor(row.person, row.focalPointOf, 'session'), sessionId: id };
  }
  return undefined;
}

function toActor(p: q.Person, focalPointOf: number[], via: 'session' | 'token'): PersonActor {
  return {
    kind: 'person',
    id: p.id,
    role: p.role,
    capabilities: p.capabilities,
    focalPointOf,
    entityId: p.entityId,
    entityVerified: p.entityId != null && p.entityVerifiedAt != null,
    via,
  };
}

/** One person, for administrators. Throws `person_not_found`. */
export async function getPersonForAdmin(ctx: Ctx, id: string): Promise<q.Person> {
  authorize(ctx, 'accounts.manage');
  const p = await q.getPerson(ctx.db, id);
  if (!p || p.erasedAt) throw new DomainError('person_not_found', 404);
  return p;
}

export { mergePeople, previewMerge } from './accounts.merge.js';
