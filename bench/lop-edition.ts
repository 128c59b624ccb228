/**
 * `npx tsx bench/lop-edition.ts`: the List of Participants for 11,000 approved participants (BENCH_LOP), made by the
 * worker's job as in production (`requestLopEdition` then the job `runLopEdition`), on PostgreSQL in a scratch
 * database (migrated, seeded, filled with generate_series: names in Latin, Arabic, Cyrillic and Chinese scripts, one
 * Member State each, a tenth in other organisations). Prints, per language (BENCH_LOP_LANGS, default en,ar), the time
 * from the job's start to its files, rows per second, the progress writes seen, and the PDF's and XLSX's sizes.
 * The target: under 60 s. Nothing here is a test.
 * Env: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test).
 */
import os from 'node:os';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import type { Locale } from '../src/platform/i18n/locales.js';
import { requestLopEdition, runLopEdition } from '../src/modules/reports/index.js';
import { reportLopEditions } from '../src/modules/reports/reports.schema.js';
import { loadSeed } from '../src/seed/load-seed.js';

const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const n = Number(process.env.BENCH_LOP ?? 11000);
const langs = (process.env.BENCH_LOP_LANGS ?? 'en,ar').split(',') as Locale[];
const name = 'convene_bench_lop';

async function fill(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`
    insert into people (email, honorific, given_name, family_name, given_name_latin, family_name_latin, nationality,
      job_title, created_at, updated_at)
    select 'lop' || g || '@example.org', (array['Mr','Ms','Dr','H.E.'])[1 + g % 4],
      (array['Anne','عمرو','Ирина','伟'])[1 + g % 4] || g, (array['Martin','طلعت','Иванова','王'])[1 + (g / 4) % 4],
      case when g % 4 = 0 then '' else 'Given' || g end, case when g % 4 = 0 then '' else 'Family' || g end,
      (select code from entities where kind = 'member_state' order by id offset (g * 7919) % 190 limit 1),
      (array['Minister','Ambassador','Director','Expert','Adviser'])[1 + g % 5], now(), now()
    from generate_series(1, ${n}) g`);
  await c.query(`
    insert into registrations (person_id, event_id, entity_id, mode, state, function, vip_category, listed,
      registered_by, submitted_at, updated_at)
    select p.id, (select id from events where slug = 'wsis-forum-2026'),
      case when hashtext(p.id) % 10 = 0
        then (select id from entities where kind <> 'member_state' order by id limit 1)
        else (select id from entities e where e.kind = 'member_state' and e.code = p.nationality and e.merged_into is null) end,
      'in_person', 'approved',
      (array['minister','deputy_minister','ambassador','technical_expert','other'])[1 + abs(hashtext(p.id || 'f')) % 5],
      (array['MIN', null, null, null])[1 + abs(hashtext(p.id || 'v')) % 4], true, p.id, now(), now()
    from people p where p.email like 'lop%@example.org'`);
  await c.query('analyze');
  await c.end();
}

const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`drop database if exists ${name}`);
await c.query(`create database ${name}`);
await c.end();
const url = admin.replace(/\/[^/]*$/, `/${name}`);
const database = await openDatabase({ dataDir: 'memory://', databaseUrl: url });
await runMigrations(database);
await loadSeed(database.db, new Date());
await fill(url);
const ctx = {
  db: database.db,
  actor: { kind: 'system', name: 'bench' } as const,
  locale: 'en' as const,
  now: new Date(),
};
for (const locale of langs) {
  const { edition } = await requestLopEdition(ctx, { edition: 'provisional', locale });
  // Count the progress writes as the page would see them: poll the row from a second connection while the job runs.
  const seen = new Set<number>();
  const poll = new pg.Client({ connectionString: url });
  await poll.connect();
  let running = true;
  const watcher = (async () => {
    while (running) {
      const r = await poll.query('select done from report_lop_editions where id = $1', [edition.id]);
      seen.add(Number(r.rows[0]?.done ?? 0));
      await new Promise((res) => setTimeout(res, 250));
    }
  })();
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await runLopEdition(database.db, () => new Date(), edition.id);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // The process's own CPU time: on a shared machine the wall time says more about the neighbours than about the job.
  const cpu = process.cpuUsage(cpu0);
  running = false;
  await watcher;
  await poll.end();
  const [row] = await database.db.select().from(reportLopEditions).where(eq(reportLopEditions.id, edition.id));
  console.log(
    `${locale}: ${row.total} participants in ${(ms / 1000).toFixed(1)} s (${Math.round(row.total / (ms / 1000))} rows/s), ` +
      `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, state ${row.state}, progress values seen ${seen.size}, PDF ${(row.pdf!.length / 1e6).toFixed(1)} MB, ` +
      `XLSX ${(row.xlsx!.length / 1e6).toFixed(2)} MB; load average ${os.loadavg()[0].toFixed(1)}`,
  );
}
await database.close();
