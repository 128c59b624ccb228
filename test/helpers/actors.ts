/**
 * People for tests: `createPerson` writes a verified person; `client(t, person)` returns an `inject` wrapper that
 * carries their session cookie and a CSRF token (taken from a real page, as a browser would).
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../src/modules/accounts/accounts.crypto.js';
import { people, authSessions } from '../../src/modules/accounts/accounts.schema.js';
import { focalPoints } from '../../src/modules/entities/entities.schema.js';
import { randomToken, sha256 } from '../../src/modules/accounts/accounts.crypto.js';
import type { TestApp } from './app.js';

let n = 0;

export type TestPerson = { id: string; email: string; password: string; sessionToken: string };

export async function createPerson(
  t: TestApp,
  opts: {
    role?: 'admin' | 'staff' | 'participant';
    capabilities?: string[];
    entityId?: number | null;
    /** Whether the affiliation with `entityId` is verified (default) or only claimed. */
    verified?: boolean;
    focalPointOf?: number[];
    email?: string;
    locale?: string;
  } = {},
): Promise<TestPerson> {
  n++;
  const email = opts.email ?? `person${n}.${Math.random().toString(36).slice(2, 7)}@example.org`;
  const password = 'correct horse battery staple';
  const now = t.clock.now();
  const [p] = await t.database.db
    .insert(people)
    .values({
      email,
      passwordHash: await hashPassword(password),
      emailVerifiedAt: now,
      givenName: `Given${n}`,
      familyName: `Family${n}`,
      role: opts.role ?? 'participant',
      capabilities: opts.capabilities ?? [],
      entityId: opts.entityId ?? null,
      entityVerifiedAt: opts.entityId != null && opts.verified !== false ? now : null,
      entityVerifiedBy: opts.entityId != null && opts.verified !== false ? 'test' : null,
      preferredLocale: opts.locale ?? 'en',
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  for (const entityId of opts.focalPointOf ?? []) {
    await t.database.db.insert(focalPoints).values({ entityId, personId: p.id, appointedAt: now, appointedBy: 'test' });
  }
  const sessionToken = randomToken();
  await t.database.db.insert(authSessions).values({
    id: sha256(sessionToken),
    personId: p.id,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });
  return { id: p.id, email, password, sessionToken };
}

export type Client = {
  inject(opts: InjectOptions & { form?: Record<string, string | string[]> }): Promise<LightMyRequestResponse>;
  csrf: string;
};

function cookieHeader(jar: Map<string, string>) {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

function absorb(jar: Map<string, string>, res: LightMyRequestResponse) {
  for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
    if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name);
    else jar.set(c.name, c.value);
  }
}

/** A browser-like client: cookies kept between requests, forms posted with the page's CSRF token. */
export async function client(t: TestApp, person?: TestPerson): Promise<Client> {
  const jar = new Map<string, string>();
  if (person) jar.set('cvn_session', person.sessionToken);
  const first = await t.app.inject({ method: 'GET', url: '/en/sign-in', headers: { cookie: cookieHeader(jar) } });
  absorb(jar, first);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(first.body)?.[1] ?? '';
  const c: Client = {
    csrf,
    async inject(opts) {
      const headers: Record<string, string> = {
        ...(opts.headers as Record<string, string>),
        cookie: cookieHeader(jar),
      };
      let payload = opts.payload;
      if (opts.form) {
        const body = new URLSearchParams();
        body.append('_csrf', csrf);
        for (const [k, v] of Object.entries(opts.form)) for (const x of [v].flat()) body.append(k, x);
        payload = body.toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      const res = await t.app.inject({ ...opts, headers, payload } as InjectOptions);
      absorb(jar, res);
      return res;
    },
  };
  return c;
}
