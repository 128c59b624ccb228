/**
 * Statements built once per database handle and prepared by name: Drizzle builds the SQL once, and PostgreSQL parses
 * and plans a named statement once per connection instead of on every call. For the queries every request or every
 * door scan runs; values go in as `sql.placeholder(…)`.
 */
import type { DbOrTx } from './client.js';

const built = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: DbOrTx, name: string, build: (db: DbOrTx) => T): T {
  let forDb = built.get(db);
  if (!forDb) built.set(db, (forDb = new Map()));
  let statement = forDb.get(name) as T | undefined;
  if (!statement) forDb.set(name, (statement = build(db)));
  return statement;
}
