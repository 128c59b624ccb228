import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { count } from 'drizzle-orm';
import { backup, restore } from './cli.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { loadSeed } from './db/seed/load-seed.js';
import { sessions } from './db/schema.js';

describe('backup and restore of the embedded database', { skip: !!process.env.DATABASE_URL && 'embedded database only' }, () => {
  it('backs up, refuses to overwrite without --force, and restores what was lost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-backup-'));
    const config = loadConfig({ CONVENE_DATA_DIR: dir, NODE_ENV: 'test' });
    let database = await openDatabase({ dataDir: dir });
    await runMigrations(database);
    await loadSeed(database.db, new Date('2026-04-20T08:00:00Z'));
    const [{ n: before }] = await database.db.select({ n: count() }).from(sessions);
    await database.close();

    const file = await backup(config, path.join(dir, 'b.tar.gz'));
    assert.ok(fs.statSync(file).size > 10_000);

    database = await openDatabase({ dataDir: dir });
    await database.db.delete(sessions);
    await database.close();

    await assert.rejects(restore(config, file, false), /already holds a database/);
    const kept = await restore(config, file, true);
    assert.ok(kept && fs.existsSync(kept), 'the replaced database is kept');

    database = await openDatabase({ dataDir: dir });
    const [{ n: after }] = await database.db.select({ n: count() }).from(sessions);
    await database.close();
    assert.equal(after, before);
    assert.ok(before >= 60);
  });

  it('refuses while another process holds the folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-backup-'));
    const database = await openDatabase({ dataDir: dir });
    try {
      await assert.rejects(backup(loadConfig({ CONVENE_DATA_DIR: dir }), undefined), /in use by another Convene process/);
    } finally {
      await database.close();
    }
  });
});
