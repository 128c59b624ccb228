/**
 * `tsx bench/reports-figures.ts`: how long the dashboard's figures take at 1,000 and 200,000 participants on
 * PostgreSQL. A scratch database per size (migrated, seeded, then filled with generate_series), `getFigures` run 30
 * times for every event and for one event; median and p99 printed. Nothing here is a test.
 * Env: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_SIZES (1000,200000).
 */
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import os from 'node:os';
import { countArrivals, rebuildCheckpointTallies } from '../src/modules/checkin/index.js';
import { getFigures, rebuildTallies } from '../src/modules/reports/index.js';
import { loadSeed } from '../src/seed/load-seed.js';

const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sizes = (process.env.BENCH_SIZES ?? '1000,200000').split(',').map(Number);

async function fill(url: string, n: number) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`
    insert into people (email, given_name, family_name, nationality, created_at, updated_at)
    select 'p' || g || '@example.org', 'G' || g, 'F' || g,
      (select code from entities where kind = 'member_state' order by id offset (g * 7919) % 190 limit 1), now(), now()
    from generate_series(1, ${n}) g`);
  await c.query(`
    insert into registrations (person_id, event_id, entity_id, mode, state, stakeholder_type, function, vip_category,
      registered_by, submitted_at, updated_at)
    select p.id, (select id from events order by id offset (hashtext(p.id) & 3) limit 1),
      (select id from entities e where e.kind = 'member_state' and e.code = p.nationality),
      case when hashtext(p.id) % 4 = 0 then 'remote' else 'in_person' end,
      (array['approved','approved','approved','pending_dfp','pending_secretariat','waitlisted','rejected'])[1 + abs(hashtext(p.id || 's')) % 7],
      (array['government','private_sector','civil_society','academia'])[1 + abs(hashtext(p.id || 't')) % 4],
      (array['minister','deputy_minister','ceo','other','academia'])[1 + abs(hashtext(p.id || 'f')) % 5],
      null, p.id, timestamptz '2026-03-01' + (abs(hashtext(p.id || 'd')) % (90 * 24)) * interval '1 hour', now()
    from people p where p.email like 'p%@example.org'`);
  // A badge for each approved person and a door admission for most of them (the arrivals statistics).
  await c.query(`
    insert into badges (person_id, token, category, issued_at)
    select distinct r.person_id, 'CVB1.bench.' || r.person_id, 'Participant', now()
    from registrations r join people p on p.id = r.person_id
    where r.state = 'approved' and p.email like 'p%@example.org'`);
  await c.query(`
    insert into scans (id, badge_id, checkpoint, device_id, result, scanned_at, received_at, scanned_by)
    select gen_random_uuid()::text, b.id, 'event:' || e.slug, 'door-1', 'admitted',
      timestamptz '2026-07-07 07:00+00' + (b.id % 600) * interval '1 minute', now(), 'bench'
    from badges b join registrations r on r.person_id = b.person_id and r.state = 'approved'
    join events e on e.id = r.event_id where b.id % 5 <> 0`);
  await c.query('analyze');
  await c.end();
}

for (const n of sizes) {
  const name = `convene_bench_reports_${n}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`drop database if exists ${name}`);
  await c.query(`create database ${name}`);
  await c.end();
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const database = await openDatabase({ dataDir: 'memory://', databaseUrl: url });
  await runMigrations(database);
  await loadSeed(database.db, new Date());
  const t0 = Date.now();
  await fill(url, n);
  // The rows were written around the services: the counters are made from them, as `reports:rebuild` does.
  const r0 = Date.now();
  await database.db.transaction(async (tx) => {
    await rebuildTallies(tx);
    await rebuildCheckpointTallies(tx);
  });
  console.log(
    `${n}: counters rebuilt in ${Date.now() - r0} ms; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const ctx = {
    db: database.db,
    actor: { kind: 'system', name: 'bench' } as const,
    locale: 'en' as const,
    now: new Date(),
  };
  for (const [label, run] of [
    ['every event', () => getFigures(ctx, {})],
    ['one event', () => getFigures(ctx, { event: 'wsis-forum-2026' })],
    ['arrivals', () => countArrivals(database.db)],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const s = process.hrtime.bigint();
      await run();
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${n} participants (filled in ${Date.now() - t0} ms), ${label}: median ${times[15].toFixed(1)} ms, p99 ${times[29].toFixed(1)} ms (load average ${os.loadavg()[0].toFixed(1)})`,
    );
  }
  await database.close();
}
