import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { count, eq } from 'drizzle-orm';
import { backup, restore } from './cli.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { loadSeed } from './seed/load-seed.js';
import { demoToken } from './demo/generate.js';
import { readDemoTokens } from './demo/tokens-file.js';
import { people } from './modules/accounts/index.js';
import { sessions } from './modules/programme/index.js';

describe('backup and restore of the embedded database', {
  skip: !!process.env.DATABASE_URL && 'embedded database only',
}, () => {
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
      await assert.rejects(
        backup(loadConfig({ CONVENE_DATA_DIR: dir }), undefined),
        /in use by another Convene process/,
      );
    } finally {
      await database.close();
    }
  });
});

describe('operators’ commands', { skip: !!process.env.DATABASE_URL && 'embedded database only' }, () => {
  const run = (dir: string, args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: '', CONVENE_DATA_DIR: dir, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it('creates the first administrator, a token for them, and imports entities from CSV with a report', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-cli-'));
    const admin = run(dir, ['create-admin', '--email', 'Admin@ITU.example', '--name', 'Gitanjali Sah']);
    assert.equal(admin.code, 0, admin.out);
    assert.match(admin.out, /Password \(shown once\): \S{20,}/);
    const token = run(dir, ['create-token', '--email', 'admin@itu.example', '--name', 'ops']);
    assert.equal(token.code, 0, token.out);
    assert.match(token.out, /\ncvn_[\w-]{30,}/);
    const csv = path.join(dir, 'entities.csv');
    fs.writeFileSync(
      csv,
      'kind,code,name_en,name_fr,name_es,name_ar,name_zh,name_ru,country,itu_region,itud_region,un_group\nacademia,UNIGE,University of Geneva,Université de Genève,,,,,CH,,,\nspaceship,X,Bad kind,,,,,,,,,\n',
    );
    const imp = run(dir, ['import-entities', csv]);
    assert.equal(imp.code, 1, imp.out);
    assert.match(imp.out, /Inserted 1, updated 0, rejected 1/);
    assert.match(imp.out, /line 3/);
    const database = await openDatabase({ dataDir: dir });
    const [p] = await database.db.select().from(people).where(eq(people.email, 'admin@itu.example'));
    await database.close();
    assert.equal(p.role, 'admin');
    assert.ok(p.emailVerifiedAt);
    assert.equal(run(dir, ['create-admin', '--email', 'not-an-address']).code, 2);
    // An existing account is not silently taken over: refused unless asked, and --promote keeps its password.
    const again = run(dir, ['create-admin', '--email', 'admin@itu.example', '--password', 'a brand new password']);
    assert.equal(again.code, 2, again.out);
    assert.match(again.out, /exists\. Nothing was changed/);
    assert.equal(run(dir, ['create-admin', '--email', 'admin@itu.example', '--promote']).code, 0);
    const db2 = await openDatabase({ dataDir: dir });
    const [same] = await db2.db.select().from(people).where(eq(people.email, 'admin@itu.example'));
    await db2.close();
    assert.equal(same.passwordHash, p.passwordHash, 'the password was kept');
  });
});

describe('the command line speaks to operators', () => {
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it('prints its usage for --help and help, and exits 0', () => {
    for (const args of [['--help'], ['help'], ['-h'], ['backup', '--help']]) {
      const r = cli(args);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /^Usage: npm run convene -- <command>/m);
      assert.match(r.out, /seed:demo --participants N/);
    }
  });

  it('refuses an unknown command with one line and the usage, exit 2', () => {
    const r = cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.out, /^Unknown command: frobnicate$/m);
    assert.doesNotMatch(r.out, /\n\s+at /);
  });

  it('a database it cannot reach is one line naming the reason, not a stack trace', () => {
    const r = cli(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /^Cannot use the database \(DATABASE_URL\): nothing answers there/m);
    assert.doesNotMatch(r.out, /\n\s+at /);
  });

  it('an invalid setting is one line naming it', () => {
    const r = cli(['migrate'], { PORT: 'eighty' });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /PORT/);
    assert.doesNotMatch(r.out, /\n\s+at /);
  });
});

describe('seed:demo refuses a database in use with one line', {
  skip: !!process.env.DATABASE_URL && 'embedded database only',
}, () => {
  it('the second run is refused: exit 2, one line, no stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-demo-'));
    const env = { ...process.env, DATABASE_URL: '', CONVENE_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const run = () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'seed:demo', '--participants', '5'], {
        env,
        encoding: 'utf8',
      });
      return { code: r.status, out: `${r.stdout}${r.stderr}` };
    };
    const first = run();
    assert.equal(first.code, 0, first.out);
    // The run's token secret is in a file beside the data, readable by its owner only, and nowhere in the output.
    const file = path.join(dir, 'demo-tokens.json');
    assert.ok(first.out.includes(`tokens (a secret of this run) are in ${file}.`), first.out);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const demo = readDemoTokens(file);
    assert.ok(demo.secret.length >= 43);
    assert.equal(demo.tokens['bench-admin'], demoToken(demo.secret, 'bench-admin'));
    assert.ok(!first.out.includes(demo.secret) && !first.out.includes(demo.tokens['bench-admin']));
    const second = run();
    assert.equal(second.code, 2, second.out);
    assert.match(second.out, /seed:demo/);
    assert.doesNotMatch(second.out, /\n\s+at /);
    assert.equal(readDemoTokens(file).secret, demo.secret, 'a refused run leaves the tokens file alone');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a database with real accounts: exit 2, one line saying why, no demo account added', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-demo-'));
    const env = { ...process.env, DATABASE_URL: '', CONVENE_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, encoding: 'utf8' });
      return { code: r.status, out: `${r.stdout}${r.stderr}` };
    };
    const admin = cli(['create-admin', '--email', 'head@itu.example', '--name', 'Real Admin']);
    assert.equal(admin.code, 0, admin.out);
    const demo = cli(['seed:demo', '--participants', '5']);
    assert.equal(demo.code, 2, demo.out);
    assert.match(demo.out, /holds 1 person that seed:demo did not create: it is not a demonstration database/);
    assert.equal(demo.out.trim().split('\n').length, 1, demo.out);
    assert.equal(fs.existsSync(path.join(dir, 'demo-tokens.json')), false);
    const database = await openDatabase({ dataDir: dir });
    const [{ n }] = await database.db.select({ n: count() }).from(people);
    await database.close();
    assert.equal(n, 1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
