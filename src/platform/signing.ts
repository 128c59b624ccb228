/**
 * Signed references for QR codes: `<prefix>.<value>.<mac>`, an HMAC-SHA256 (truncated to 128 bits) under a key made
 * once and shared by every process through the database. The value is an opaque id (no personal data); a code cannot
 * be forged or guessed without the key, and `verifySigned` compares in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { appSettings } from './platform.schema.js';

const keys = new WeakMap<object, Buffer>();

export async function signingKey(db: DbOrTx): Promise<Buffer> {
  const cached = keys.get(db);
  if (cached) return cached;
  await db
    .insert(appSettings)
    .values({ key: 'qr_signing_key', value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, 'qr_signing_key'));
  const key = Buffer.from(row.value, 'base64url');
  keys.set(db, key);
  return key;
}

/**
 * The key, read inside a transaction `tx` of the database `root` at most once per process: kept under `root`, since
 * each transaction is a new handle (a decision's QR codes cost no statement once the key is known).
 */
export async function signingKeyVia(tx: DbOrTx, root: DbOrTx): Promise<Buffer> {
  const cached = keys.get(root);
  if (cached) return cached;
  const key = await signingKey(tx);
  keys.set(root, key);
  return key;
}

const mac = (key: Buffer, prefix: string, value: string) =>
  createHmac('sha256', key).update(`${prefix}.${value}`).digest().subarray(0, 16).toString('base64url');

export function sign(key: Buffer, prefix: string, value: string): string {
  if (value.includes('.') || prefix.includes('.')) throw new Error('sign: no dots in prefix or value');
  return `${prefix}.${value}.${mac(key, prefix, value)}`;
}

/** The value if the code is well formed, of this prefix and correctly signed; otherwise undefined. */
export function verifySigned(key: Buffer, prefix: string, code: string): string | undefined {
  const parts = code.trim().split('.');
  if (parts.length !== 3 || parts[0] !== prefix) return undefined;
  const want = Buffer.from(mac(key, prefix, parts[1]));
  const got = Buffer.from(parts[2]);
  return got.length === want.length && timingSafeEqual(got, want) ? parts[1] : undefined;
}
