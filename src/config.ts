/** The only reader of process.env: validated, typed configuration. */
import { Refusal } from './refusal.js';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
  CONVENE_DATA_DIR: z.string().default('./data'),
  CONVENE_NOW: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 instant, e.g. 2026-04-20T10:00:00+02:00')
    .optional(),
  CONVENE_PUBLIC_URL: z.string().url().optional(),
  CONVENE_WORKER: z.enum(['on', 'off']).default('on'),
  CONVENE_TRUST_PROXY: z
    .string()
    .refine(
      (s) => parseTrustProxy(s) !== undefined,
      'must be a number of proxy hops (1–10), or a comma-separated list of addresses and CIDR ranges (e.g. 10.0.0.0/8,::1), or "loopback"/"linklocal"/"uniquelocal", or "off"',
    )
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be smtp://user:pass@host:port or smtps://…')
    .optional(),
  MAIL_FROM: z.string().default('WSIS Forum 2026 <no-reply@convene.localhost>'),
  BOUNCE_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+$/, 'must be a plain address such as bounces@itu.int')
    .optional(),
  CONVENE_OIDC_ISSUER: z.string().url().optional(),
  CONVENE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CONVENE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CONVENE_OIDC_LABEL: z.string().max(60).default('ITU staff'),
  CONVENE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type Config = {
  port: number;
  host: string;
  /** `postgres://…` when running on a PostgreSQL server; otherwise the embedded PGlite database. */
  databaseUrl?: string;
  databasePoolMax: number;
  /** Folder of the embedded database and of other local files (backups, outbox). `memory://` keeps nothing. */
  dataDir: string;
  /** Rehearsal clock: the app runs as if it were this instant at start-up. */
  now?: Date;
  publicUrl: string;
  /**
   * Which proxies' X-Forwarded-For to believe: none (false, the default: the client's own address is used), the
   * number of hops in front of the app, or the proxies' addresses/CIDR ranges.
   */
  trustProxy: false | number | string[];
  worker: boolean;
  /** Outgoing mail over SMTP; without it, messages are written as .eml files under `<dataDir>/outbox`. */
  smtpUrl?: string;
  mailFrom: string;
  /**
   * Where bounces of circular letters and messages come back: each delivery goes out with the envelope sender
   * `<local>+<delivery>.<attempt>-<check>@<domain>` (VERP), read back by `letters:bounces`. Default: `bounces@` the
   * domain of MAIL_FROM.
   */
  bounceAddress?: string;
  /**
   * Single sign-on for staff with the organisation's OpenID Connect provider (authorization code with PKCE): the
   * issuer, this app's client id and secret, and the button's label. Unset: password and link sign-in only.
   */
  oidc?: { issuer: string; clientId: string; clientSecret: string; label: string };
  /** Signs cookies and QR tokens. Without it, one is generated and kept in `<dataDir>/secret` (embedded mode). */
  secret?: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  env: z.infer<typeof Env>['NODE_ENV'];
};

/** All three OIDC settings or none: a half-configured sign-on stops the start, naming what is missing. */
function oidcConfig(e: z.infer<typeof Env>): Config['oidc'] {
  const set = {
    CONVENE_OIDC_ISSUER: e.CONVENE_OIDC_ISSUER,
    CONVENE_OIDC_CLIENT_ID: e.CONVENE_OIDC_CLIENT_ID,
    CONVENE_OIDC_CLIENT_SECRET: e.CONVENE_OIDC_CLIENT_SECRET,
  };
  const missing = Object.entries(set).filter(([, v]) => !v);
  if (missing.length === 3) return undefined;
  if (missing.length)
    throw new ConfigError(
      `Invalid configuration: single sign-on needs ${missing.map(([k]) => k).join(' and ')} as well (or none of the CONVENE_OIDC_ settings)`,
    );
  return {
    issuer: e.CONVENE_OIDC_ISSUER!,
    clientId: e.CONVENE_OIDC_CLIENT_ID!,
    clientSecret: e.CONVENE_OIDC_CLIENT_SECRET!,
    label: e.CONVENE_OIDC_LABEL,
  };
}

/** A setting that is missing or invalid: the start stops with a message naming it. */
export class ConfigError extends Refusal {}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(s: string): boolean {
  const [addr, bits, ...rest] = s.split('/');
  const v = isIP(addr);
  if (!v || rest.length) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (v === 4 ? 32 : 128);
}

/** `CONVENE_TRUST_PROXY` read: false, a hop count, or addresses/ranges; `undefined` when it means nothing. */
export function parseTrustProxy(raw: string): false | number | string[] | undefined {
  const s = raw.trim().toLowerCase();
  if (['off', 'false', 'no', '0', 'none'].includes(s)) return false;
  if (/^\d+$/.test(s)) return Number(s) >= 1 && Number(s) <= 10 ? Number(s) : undefined;
  const items = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (!items.length || !items.every((x) => PROXY_NAMES.has(x) || isAddressOrRange(x))) return undefined;
  return items;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  // An empty variable counts as unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    dataDir: e.CONVENE_DATA_DIR === 'memory://' ? 'memory://' : path.resolve(e.CONVENE_DATA_DIR),
    now: e.CONVENE_NOW ? new Date(e.CONVENE_NOW) : undefined,
    publicUrl: (e.CONVENE_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    trustProxy: e.CONVENE_TRUST_PROXY ? (parseTrustProxy(e.CONVENE_TRUST_PROXY) ?? false) : false,
    worker: e.CONVENE_WORKER === 'on',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    bounceAddress: e.BOUNCE_ADDRESS ?? `bounces@${/@([A-Za-z0-9.-]+)/.exec(e.MAIL_FROM)?.[1] ?? 'convene.localhost'}`,
    oidc: oidcConfig(e),
    secret: e.CONVENE_SECRET,
    logLevel: e.LOG_LEVEL,
    env: e.NODE_ENV,
    ...overrides,
  };
}
