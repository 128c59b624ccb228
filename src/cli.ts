/** Operators' command line: `npm run convene -- <command>`. */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config.js';
import { eq } from 'drizzle-orm';
import { openDatabase, pgliteDir, type Database } from './db/client.js';
import { accounts, people } from './modules/accounts/index.js';
import { EmailOnly } from './modules/accounts/accounts.input.js';
import { randomToken } from './modules/accounts/accounts.crypto.js';
import { importEntitiesCsv } from './modules/entities/index.js';
import { importBounces } from './modules/letters/index.js';
import { rebuildCheckpointTallies } from './modules/checkin/index.js';
import { rebuildBadgeTallies } from './modules/badges/index.js';
import { rebuildRegistrationTallies } from './modules/registration/index.js';
import { rebuildTallies } from './modules/reports/index.js';
import { Refusal, refusalLine } from './refusal.js';
import { runMigrations } from './db/migrate.js';
import { loadSeed } from './seed/load-seed.js';
import { MAX_PARTICIPANTS, seedDemo } from './demo/generate.js';
import { DEMO_TOKENS_FILE, redactUrl, writeDemoTokens } from './demo/tokens-file.js';
import { rehearsalClock, systemClock } from './platform/clock.js';

const USAGE = `Usage: npm run convene -- <command>   (in production: node dist/cli.js <command>)

  help, --help             Print this help

  backup [FILE]            Write a backup of the embedded database (default: <data>/backups/convene-<time>.tar.gz)
  restore FILE [--force]   Replace the embedded database with a backup (--force when it already holds data;
                           the replaced folder is kept beside it)
  migrate                  Apply pending migrations and load the seed (also done at every start)
  create-admin --email E [--name "Given Family"] [--password P] [--promote | --reset-password]
                           Create a secretariat administrator; without --password one is generated and printed
                           once. An existing account is refused unless --promote (keeps its password) or
                           --reset-password (replaces it) is given
  create-token --email E [--name N] [--days D]
                           Create a personal API token for a person; printed once
  import-entities FILE     Import entities from a CSV file (columns: see src/modules/entities/README.md)
  letters:bounces FOLDER   Read the delivery-status notifications (bounces) in a Maildir or a folder of .eml files
                           and mark the letters' and messages' deliveries they name as bounced, with the diagnostic
                           code (idempotent: reading the same reports again changes nothing; files are not moved)
  reports:rebuild          Make every counter again from the rows: the dashboard's, the arrivals', badges per
                           category and registrations per event and entity (after data was written around the
                           application: an import, a repair, triggers turned off)
  seed:demo --participants N [--seed S] [--bench-accounts K] [--tokens-file F]
                           Fill an empty database with a realistic summit (up to 200,000 participants), the same
                           for the same seed, with demo accounts whose API tokens derive from a secret drawn for
                           this run and written to F (default <data folder>/demo-tokens.json, owner-only). Refuses
                           a database holding anyone it did not create (for demonstrations and benchmarks only)
`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function withDatabase<T>(
  config: ReturnType<typeof loadConfig>,
  fn: (db: Database['db'], now: Date) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await runMigrations(database);
    const now = (config.now ? rehearsalClock(config.now) : systemClock).now();
    await loadSeed(database.db, now);
    return await fn(database.db, now);
  } finally {
    await database.close();
  }
}

const cliCtx = (db: Database['db'], now: Date) => ({
  db,
  actor: { kind: 'system' as const, name: 'cli' },
  locale: 'en' as const,
  now,
});

/** The command was used wrongly: its message, then the usage. */
class UsageError extends Refusal {}

function stamp(d: Date) {
  return d.toISOString().replace(/[:.]/g, '-');
}

function requireEmbedded(config: ReturnType<typeof loadConfig>, what: string) {
  if (config.databaseUrl) {
    throw new UsageError(`${what} is for the embedded database. On a PostgreSQL server use pg_dump / pg_restore.`);
  }
  if (config.dataDir === 'memory://') throw new UsageError(`${what} needs CONVENE_DATA_DIR to be a folder.`);
}

export async function backup(config: ReturnType<typeof loadConfig>, file?: string): Promise<string> {
  requireEmbedded(config, 'backup');
  if (!fs.existsSync(pgliteDir(config.dataDir)))
    throw new UsageError(`There is no embedded database in ${config.dataDir} yet.`);
  const database = await openDatabase({ dataDir: config.dataDir });
  try {
    const dump = await database.pglite!.dumpDataDir('gzip');
    const out = path.resolve(file ?? path.join(config.dataDir, 'backups', `convene-${stamp(new Date())}.tar.gz`));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
    return out;
  } finally {
    await database.close();
  }
}

export async function restore(
  config: ReturnType<typeof loadConfig>,
  file: string,
  force: boolean,
): Promise<string | undefined> {
  requireEmbedded(config, 'restore');
  if (!fs.existsSync(file)) throw new UsageError(`No such backup file: ${file}`);
  const dir = pgliteDir(config.dataDir);
  let kept: string | undefined;
  // Opening takes the folder's lock: a running server makes this fail before anything is touched.
  const probe = fs.existsSync(dir) ? await openDatabase({ dataDir: config.dataDir }) : undefined;
  await probe?.close();
  if (fs.existsSync(dir) && fs.readdirSync(dir).length) {
    if (!force)
      throw new UsageError(`${dir} already holds a database. Add --force to replace it (it will be kept beside it).`);
    kept = `${dir}.replaced-${stamp(new Date())}`;
    fs.renameSync(dir, kept);
  }
  const blob = new Blob([fs.readFileSync(file)]);
  const database = await openDatabase({ dataDir: config.dataDir, loadDataDir: blob });
  try {
    await runMigrations(database);
  } finally {
    await database.close();
  }
  return kept;
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h' || rest.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'backup': {
      const out = await backup(config, rest[0]);
      console.log(`Backup written to ${out}`);
      return;
    }
    case 'restore': {
      const file = rest.find((a) => !a.startsWith('--'));
      if (!file) throw new UsageError('restore needs the backup file.');
      const kept = await restore(config, path.resolve(file), rest.includes('--force'));
      console.log(
        `Restored ${file} into ${pgliteDir(config.dataDir)}.${kept ? ` The previous database is kept in ${kept}.` : ''}`,
      );
      return;
    }
    case 'migrate': {
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        await runMigrations(database);
        const clock = config.now ? rehearsalClock(config.now) : systemClock;
        const n = await loadSeed(database.db, clock.now());
        console.log(`Migrations applied; seed added ${n} rows.`);
      } finally {
        await database.close();
      }
      return;
    }
    case 'create-admin': {
      const email = EmailOnly.safeParse({ email: flag(rest, 'email') });
      if (!email.success) throw new UsageError('create-admin needs --email with a valid address.');
      const [givenName = 'Secretariat', ...family] = (flag(rest, 'name') ?? 'Secretariat Administrator').split(' ');
      const password = flag(rest, 'password') ?? randomToken(18);
      if (password.length < 10) throw new UsageError('The password must have at least 10 characters.');
      const onExisting = rest.includes('--reset-password')
        ? 'reset_password'
        : rest.includes('--promote')
          ? 'promote'
          : 'refuse';
      const p = await withDatabase(config, (db, now) =>
        accounts
          .createAdministrator(
            cliCtx(db, now),
            { email: email.data.email, password, givenName, familyName: family.join(' ') || 'Administrator' },
            onExisting,
          )
          .catch((e: unknown) => {
            if ((e as { code?: string }).code === 'person_exists')
              throw new UsageError(
                `An account with the address ${email.data.email} exists. Nothing was changed. Add --promote to make it an administrator (its password is kept), or --reset-password to also replace its password.`,
              );
            throw e;
          }),
      );
      console.log(`Administrator ${p.email} (id ${p.id}) is ready.`);
      // A promoted account keeps its own password: print the generated one only when it was set.
      const passwordSet = onExisting !== 'promote' || p.createdAt.getTime() === p.updatedAt.getTime();
      if (passwordSet && !flag(rest, 'password')) console.log(`Password (shown once): ${password}`);
      return;
    }
    case 'create-token': {
      const email = EmailOnly.safeParse({ email: flag(rest, 'email') });
      if (!email.success) throw new UsageError('create-token needs --email with a valid address.');
      const t = await withDatabase(config, async (db, now) => {
        const [person] = await db.select().from(people).where(eq(people.email, email.data.email));
        if (!person) throw new UsageError(`No person with the address ${email.data.email}.`);
        const actor = {
          kind: 'person' as const,
          id: person.id,
          role: person.role,
          capabilities: person.capabilities,
          focalPointOf: [],
          entityId: person.entityId,
          entityVerified: person.entityVerifiedAt != null,
          via: 'session' as const,
        };
        return accounts.createApiToken(
          { ...cliCtx(db, now), actor },
          { name: flag(rest, 'name') ?? 'command line', days: Number(flag(rest, 'days') ?? 90) },
        );
      });
      console.log(`Token "${t.name}" (expires ${t.expiresAt.toISOString()}), shown once:\n${t.token}`);
      return;
    }
    case 'import-entities': {
      const file = rest.find((a) => !a.startsWith('--'));
      if (!file || !fs.existsSync(file)) throw new UsageError('import-entities needs an existing CSV file.');
      const report = await withDatabase(config, (db, now) =>
        importEntitiesCsv(cliCtx(db, now), fs.readFileSync(file, 'utf8')),
      );
      console.log(`Inserted ${report.inserted}, updated ${report.updated}, rejected ${report.rejected.length}.`);
      for (const r of report.rejected)
        console.log(
          `  line ${r.line}: ${r.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ')}`,
        );
      if (report.rejected.length) process.exitCode = 1;
      return;
    }
    case 'letters:bounces': {
      const folder = rest.find((a) => !a.startsWith('--'));
      if (!folder || !fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
        throw new UsageError('letters:bounces needs an existing folder (a Maildir or a folder of .eml files).');
      const r = await withDatabase(config, (db, now) =>
        importBounces(cliCtx(db, now), path.resolve(folder), config.bounceAddress ?? 'bounces@convene.localhost'),
      );
      for (const x of r.results)
        if (x.outcome !== 'not_a_bounce')
          console.log(
            `  ${x.file}: ${x.outcome}${x.delivery ? ` (delivery ${x.delivery})` : ''}${x.error ? `: ${x.error}` : ''}`,
          );
      console.log(
        `Read ${r.files} files: ${r.counts.bounced} deliveries marked bounced, ${r.counts.already} already bounced, ` +
          `${r.counts.stale} about an earlier attempt, ${r.counts.unmatched} naming no delivery, ` +
          `${r.counts.not_a_bounce} not a bounce.`,
      );
      return;
    }
    case 'reports:rebuild': {
      const started = performance.now();
      const r = await withDatabase(config, (db) =>
        db.transaction(async (tx) => ({
          ...(await rebuildTallies(tx)),
          checkpoints: await rebuildCheckpointTallies(tx),
          badgeCounters: await rebuildBadgeTallies(tx),
          registrationCounters: await rebuildRegistrationTallies(tx),
        })),
      );
      console.log(
        `Rebuilt ${r.counters} counters from ${r.subjects} people and speaking requests, ${r.checkpoints} checkpoints, ${r.badgeCounters} badge and ${r.registrationCounters} registration counters, in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
      );
      return;
    }
    case 'seed:demo': {
      const participants = Number(flag(rest, 'participants') ?? 11000);
      if (!Number.isInteger(participants) || participants < 1 || participants > MAX_PARTICIPANTS)
        throw new UsageError(`--participants must be a whole number from 1 to ${MAX_PARTICIPANTS}.`);
      const seed = Number(flag(rest, 'seed') ?? 2026);
      const benchAccounts =
        flag(rest, 'bench-accounts') === undefined ? undefined : Number(flag(rest, 'bench-accounts'));
      const tokensFile = path.resolve(
        flag(rest, 'tokens-file') ?? path.join(config.dataDir === 'memory://' ? '.' : config.dataDir, DEMO_TOKENS_FILE),
      );
      const started = performance.now();
      const report = await withDatabase(config, (db, now) =>
        seedDemo(db, { participants, seed, benchAccounts, now, log: (l) => console.log(l) }),
      );
      writeDemoTokens(tokensFile, {
        seed: report.seed,
        database: config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir,
        secret: report.tokenSecret,
      });
      console.log(
        `Seeded ${report.participants} participants from ${report.countries} countries (seed ${report.seed}) in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
          `${Object.entries(report.registrations)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}; ${report.focalPoints} focal points, ${report.sessions} sessions, ` +
          `${report.speakingRequests} speaking requests, ${report.badges} badges, ${report.scans} check-ins, ${report.tokens} API tokens.`,
      );
      console.log(`The demo accounts' API tokens (a secret of this run) are in ${tokensFile}.`);
      return;
    }
    default:
      throw new UsageError(command ? `Unknown command: ${command}` : 'No command given.');
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  main(process.argv.slice(2)).catch((e) => {
    if (e instanceof UsageError) console.error(`${e.message}\n\n${USAGE}`);
    else {
      const line = refusalLine(e);
      if (!line) {
        console.error(e);
        process.exit(1);
      }
      console.error(line);
    }
    process.exit(2);
  });
}
