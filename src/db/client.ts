/** Opens the database: the embedded PGlite (default) or a PostgreSQL server (DATABASE_URL). */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { lockDataDir, type DirLock } from './lock.js';
import { statementLogger } from './statements.js';

export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Queries accept either the database or an open transaction. */
export type DbOrTx = Db | Tx;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The PGlite instance when embedded (backup, tests). */
  pglite?: PGlite;
  /** The connection pool when on a server. */
  pool?: pg.Pool;
  close(): Promise<void>;
};

export type OpenOptions = {
  databaseUrl?: string;
  /** Connections to PostgreSQL kept by this process (default 20: 100 door scanners and the pages at once). */
  poolMax?: number;
  dataDir: string;
  /** A PGlite data folder dump (tar) to start from: tests clone a migrated template this way. */
  loadDataDir?: Blob;
};

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax ?? 20 });
    pool.on('error', () => {
      /* an idle client lost its connection: the pool replaces it */
    });
    const db = drizzlePg({ client: pool, logger: statementLogger }) as unknown as Db;
    return { db, kind: 'postgres', pool, close: () => pool.end() };
  }
  const memory = opts.dataDir === 'memory://';
  let lock: DirLock | undefined;
  if (!memory) lock = await lockDataDir(opts.dataDir);
  try {
    const pglite = await PGlite.create({
      dataDir: memory ? undefined : pgliteDir(opts.dataDir),
      extensions: { pg_trgm },
      loadDataDir: opts.loadDataDir,
    });
    const db = drizzlePglite({ client: pglite, logger: statementLogger }) as unknown as Db;
    return {
      db,
      kind: 'pglite',
      pglite,
      async close() {
        try {
          if (!pglite.closed) await pglite.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (e) {
    lock?.release();
    throw e;
  }
}
