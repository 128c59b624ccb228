/**
 * A fresh, migrated and seeded database for each test file: on PostgreSQL (DATABASE_URL) a new database, dropped at
 * the end; otherwise an in-memory PGlite cloned from a template built once and cached on disk (keyed by the
 * migrations and the seed), since initdb + migrations take seconds and a clone well under one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrationsFolder, runMigrations } from '../../src/db/migrate.js';
import { defaultSeedFile, loadSeed } from '../../src/seed/load-seed.js';

/** The instant the tests' world starts at: before the speaking-request deadline, like a rehearsal. */
export const TEST_NOW = new Date('2026-04-20T10:00:00+02:00');

function templateKey(): string {
  const h = createHash('sha1');
  for (const f of fs.readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    const p = path.join(migrationsFolder, f);
    if (fs.statSync(p).isFile()) h.update(f).update(fs.readFileSync(p));
  }
  h.update(fs.readFileSync(defaultSeedFile));
  // Seed code and data of every module (a change must rebuild the template).
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  for (const f of walk('src')
    .filter((f) => /\.seed\.ts$|load-seed\.ts$|[\\/]data[\\/][^\\/]+\.json$/.test(f))
    .sort())
    h.update(f).update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

const cacheDir = path.resolve('node_modules/.cache/convene-test');

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(cacheDir, `pglite-${templateKey()}.tar.gz`);
  if (!fs.existsSync(file)) {
    const db = await openDatabase({ dataDir: 'memory://' });
    await runMigrations(db);
    await loadSeed(db.db, TEST_NOW);
    const dump = await db.pglite!.dumpDataDir('gzip');
    await db.close();
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
  }
  return new Blob([fs.readFileSync(file)]);
}

export type TestDatabase = Database & { name: string };

export async function createTestDatabase(opts: { seed?: boolean } = {}): Promise<TestDatabase> {
  const seed = opts.seed ?? true;
  const url = process.env.DATABASE_URL;
  if (!url) {
    if (!seed) return Object.assign(await openDatabase({ dataDir: 'memory://' }), { name: 'pglite' });
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: await pgliteTemplate() });
    return Object.assign(database, { name: 'pglite' });
  }
  const name = `convene_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: u.toString(), dataDir: 'memory://' });
  if (seed) {
    await runMigrations(database);
    await loadSeed(database.db, TEST_NOW);
  }
  const close = database.close;
  return Object.assign(database, {
    name,
    async close() {
      await close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  });
}
