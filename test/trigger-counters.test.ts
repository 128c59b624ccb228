/**
 * The counters kept by triggers (`badge_tallies`: live badges per category; `registration_tallies`: registrations per
 * event, entity, state and VIP category) equal counts made from the rows after a varied world is written, and
 * `reports:rebuild`'s functions make them again when they were spoiled (data written with the triggers off). Both
 * databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rebuildBadgeTallies } from '../src/modules/badges/index.js';
import { rebuildRegistrationTallies } from '../src/modules/registration/index.js';
import { rowsOf } from '../src/modules/reports/reports.queries.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { buildReportWorld } from './helpers/report-world.js';

type Row = Record<string, unknown>;
const rows = async (db: TestDatabase['db'], q: ReturnType<typeof sql>) =>
  rowsOf<Row>(await db.execute(q))
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)]))))
    .sort();

const BADGES_FROM_ROWS = sql`select category, count(*)::int as n from badges where revoked_at is null group by 1`;
const BADGES_COUNTED = sql`select category, live as n from badge_tallies where live <> 0`;
const REGS_FROM_ROWS = sql`select event_id, entity_id, state, coalesce(vip_category, '') as vip, count(*)::int as n
  from registrations where entity_id is not null group by 1, 2, 3, 4`;
const REGS_COUNTED = sql`select event_id, entity_id, state, vip_category as vip, n from registration_tallies where n <> 0`;

describe('counters kept by triggers', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
    await buildReportWorld(t.db, { people: 80, seed: 11 });
  });
  after(() => t?.close());

  it('equal the counts from the rows after a world of registrations and badges is written', async () => {
    assert.ok((await rows(t.db, REGS_FROM_ROWS)).length > 10, 'the world has registrations');
    assert.deepEqual(await rows(t.db, BADGES_COUNTED), await rows(t.db, BADGES_FROM_ROWS));
    assert.deepEqual(await rows(t.db, REGS_COUNTED), await rows(t.db, REGS_FROM_ROWS));
  });

  it('are made again from the rows by the rebuild after they were spoiled', async () => {
    await t.db.execute(sql`update badge_tallies set live = live + 7`);
    await t.db.execute(sql`delete from registration_tallies where state = 'approved'`);
    assert.notDeepEqual(await rows(t.db, REGS_COUNTED), await rows(t.db, REGS_FROM_ROWS));
    const made = await t.db.transaction(async (tx) => ({
      badges: await rebuildBadgeTallies(tx),
      registrations: await rebuildRegistrationTallies(tx),
    }));
    assert.ok(made.badges > 0 && made.registrations > 0);
    assert.deepEqual(await rows(t.db, BADGES_COUNTED), await rows(t.db, BADGES_FROM_ROWS));
    assert.deepEqual(await rows(t.db, REGS_COUNTED), await rows(t.db, REGS_FROM_ROWS));
  });
});
