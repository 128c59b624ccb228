/**
 * An expected refusal (a bad setting, a locked data folder, a command used wrongly, a database that cannot be
 * reached): the server and the command line print its message as one line and exit 2, never a stack trace.
 */
export class Refusal extends Error {}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'nothing answers there',
  ENOTFOUND: 'the host name is unknown',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  '3D000': 'the database does not exist',
  '28P01': 'the password was refused',
  '28000': 'the user is not allowed to connect',
};

/** The one line to print for an expected failure at start-up, or undefined for a bug (which keeps its stack). */
export function refusalLine(e: unknown): string | undefined {
  if (e instanceof Refusal) return e.message;
  const err = e as { code?: string; message?: string; errors?: { code?: string }[] } | undefined;
  const code = err?.code ?? err?.errors?.[0]?.code;
  if (code && code in CONNECTION_CODES)
    return `Cannot use the database (DATABASE_URL): ${CONNECTION_CODES[code]} (${err?.message || code}).`;
  return undefined;
}
