import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { needPoppler, pdfText, pdfToPngs, RESULTS } from '../../../test/helpers/pdf.js';
import { countryName } from '../../platform/i18n/countries.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { registrations } from '../registration/index.js';
import ExcelJS from 'exceljs';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { runDueJobs } from '../../platform/jobs.js';
import { getListOfParticipants } from './reports.lop.js';
import { listOfParticipantsPdf } from './reports.lop-export.js';
import { LOP_JOB, lopJobHandlers } from './reports.lop-editions.js';
import { renderListOfParticipants } from './reports.lop-pdf.js';
import { reportLopEditions } from './reports.schema.js';

describe('reports: the official List of Participants', () => {
  let t: TestApp;
  let staff: Client;
  const ids: Record<string, string> = {};

  async function person(
    key: string,
    o: { given: string; family: string; latin?: [string, string]; nat: string; entity: string | null; title: string },
    reg: { state?: string; vip?: string | null; fn: string; listed?: boolean; event?: string },
  ) {
    const db = t.database.db;
    const now = t.clock.now();
    const [ev] = await db
      .select()
      .from(events)
      .where(eq(events.slug, reg.event ?? 'wsis-forum-2026'));
    const [ent] = o.entity
      ? await db
          .select()
          .from(entities)
          .where(and(eq(entities.kind, 'member_state'), eq(entities.code, o.entity), isNull(entities.mergedInto)))
      : [undefined];
    const [p] = await db
      .insert(people)
      .values({
        email: `${key}@example.org`,
        honorific: reg.vip === 'MIN' ? 'H.E.' : 'Mr',
        givenName: o.given,
        familyName: o.family,
        givenNameLatin: o.latin?.[0] ?? '',
        familyNameLatin: o.latin?.[1] ?? '',
        nationality: o.nat,
        jobTitle: o.title,
        entityId: ent?.id ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    ids[key] = p.id;
    await db.insert(registrations).values({
      personId: p.id,
      eventId: ev.id,
      entityId: ent?.id ?? null,
      mode: 'in_person',
      state: (reg.state ?? 'approved') as 'approved',
      function: reg.fn,
      vipCategory: reg.vip ?? null,
      listed: reg.listed ?? true,
      registeredBy: p.id,
      submittedAt: now,
      updatedAt: now,
    });
  }

  before(async () => {
    t = await buildTestApp();
    staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    const fr = { nat: 'FR', entity: 'FR' };
    await person('fr_expert', { ...fr, given: 'Anne', family: 'Aubert', title: 'Expert' }, { fn: 'technical_expert' });
    await person(
      'fr_deputy',
      { ...fr, given: 'Bruno', family: 'Blanc', title: 'Vice-ministre' },
      { fn: 'deputy_minister', vip: 'DMIN' },
    );
    await person(
      'fr_minister',
      { ...fr, given: 'Claire', family: 'Zola', title: 'Ministre du numérique' },
      { fn: 'minister', vip: 'MIN' },
    );
    await person(
      'fr_objects',
      { ...fr, given: 'Denis', family: 'Dupont', title: 'Conseiller' },
      { fn: 'other', listed: false },
    );
    await person(
      'fr_pending',
      { ...fr, given: 'Eve', family: 'Durand', title: 'Conseillère' },
      { fn: 'other', state: 'pending_dfp' },
    );
    const eg = { nat: 'EG', entity: 'EG' };
    await person(
      'eg_minister',
      { ...eg, given: 'عمرو', family: 'طلعت', latin: ['Amr', 'Talaat'], title: 'وزير الاتصالات وتكنولوجيا المعلومات' },
      { fn: 'minister', vip: 'MIN' },
    );
    await person(
      'eg_adviser',
      { ...eg, given: 'منى', family: 'حسن', latin: ['Mona', 'Hassan'], title: 'مستشارة' },
      { fn: 'other' },
    );
    await person(
      'ch_ambassador',
      { nat: 'CH', entity: 'CH', given: 'Jürg', family: 'Lauber', title: 'Ambassador' },
      { fn: 'ambassador', vip: 'AMB' },
    );
    await person(
      'none',
      { nat: 'JP', entity: null, given: '太郎', family: '山田', latin: ['Taro', 'Yamada'], title: 'Researcher' },
      { fn: 'academia', event: 'ai-for-good-2026' },
    );
  });
  after(async () => t?.close());

  it('lists approved people who did not object, Member States by UN name in the reader’s order, the head first', async () => {
    const lop = await getListOfParticipants(t.ctx(), {}, 'en');
    const listed = lop.groups.flatMap((g) => g.entries.map((e) => e.personId));
    assert.ok(!listed.includes(ids.fr_objects), 'one who objected is not listed');
    assert.ok(!listed.includes(ids.fr_pending), 'one not approved is not listed');
    assert.equal(lop.total, 7);
    assert.deepEqual(
      lop.groups.map((g) => g.heading),
      [countryName('en', 'EG'), countryName('en', 'FR'), countryName('en', 'CH'), ''],
      'Egypt, France, Switzerland by English name; then people of no entity',
    );
    const france = lop.groups[1];
    assert.deepEqual(
      france.entries.map((e) => e.personId),
      [ids.fr_minister, ids.fr_deputy, ids.fr_expert],
      'the minister heads the delegation, then the deputy minister, then by name',
    );
    assert.equal(france.entries[0].head, true);
    assert.equal(france.entries[1].head, false);
    // In Arabic the Member States follow Arabic collation of their UN names.
    const ar = await getListOfParticipants(t.ctx(), {}, 'ar');
    const c = new Intl.Collator('ar');
    const headings = ar.groups.filter((g) => g.kind === 'member_state').map((g) => g.heading);
    assert.deepEqual(headings, [...headings].sort(c.compare));
    assert.deepEqual(headings.sort(), ['EG', 'FR', 'CH'].map((x) => countryName('ar', x)).sort());
    // One event: the person registered only for AI for Good is not in the Forum's list.
    const forum = await getListOfParticipants(t.ctx(), { event: 'wsis-forum-2026' }, 'en');
    assert.equal(forum.total, 6);
  });

  it('renders the PDF in English and Arabic: Member State headings, the head of delegation first (PNG looked at)', async (tc) => {
    if (!needPoppler(tc)) return;
    const dir = path.join(RESULTS, 'lop');
    fs.mkdirSync(dir, { recursive: true });
    for (const locale of ['en', 'ar'] as const) {
      const pdf = await listOfParticipantsPdf(t.ctx({ locale }), { edition: 'provisional', locale });
      const file = path.join(dir, `lop-${locale}.pdf`);
      fs.writeFileSync(file, pdf);
      const txt = pdfText(file);
      // pdftotext reads shaped Arabic letters back imperfectly: in Arabic the order is checked on the Latin names
      // (and the headings by eye on the PNG, test-results/lop/lop-ar-1.png).
      const fr = locale === 'en' ? txt.indexOf(countryName(locale, 'FR')) : 0;
      assert.ok(fr >= 0, `the heading ${countryName(locale, 'FR')}`);
      const after = txt.slice(fr);
      assert.ok(after.indexOf('Zola') < after.indexOf('Blanc'), 'the minister (head) before the deputy');
      assert.ok(after.indexOf('Blanc') < after.indexOf('Aubert'), 'the deputy before the expert');
      assert.ok(!txt.includes('Dupont'), 'one who objected is absent');
      if (locale === 'en') {
        assert.match(txt, /Head of Delegation/);
        assert.match(txt, /Provisional edition, Monday,? 20 April 2026/);
        assert.match(txt, /Amr Talaat/, 'the Latin spelling beside an Arabic name');
      }
      const pngs = pdfToPngs(file, path.join(dir, `lop-${locale}`), 60);
      assert.ok(pngs.length >= 1);
    }
  });

  /** Runs the queue as the worker does (the test app's worker is off). */
  const work = () => runDueJobs(t.database.db, t.clock, lopJobHandlers(t.database.db, t.clock));
  const editionId = (location: string | undefined) => Number(/editions\/(\d+)/.exec(location ?? '')?.[1]);

  it('“Make the list” queues the worker’s job: progress to the total, then the PDF and the XLSX; no second job while one waits', async (tc) => {
    const page = await staff.inject({ method: 'GET', url: '/fr/reports/list-of-participants' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Établir la liste/);
    const make = () =>
      staff.inject({
        method: 'POST',
        url: '/en/reports/list-of-participants',
        form: { event: '', edition: 'final', lang: 'en' },
      });
    const first = await make();
    assert.equal(first.statusCode, 303);
    const id = editionId(first.headers.location as string);
    assert.ok(id > 0);
    const jobsOf = async () =>
      (await t.database.db.select().from(jobs).where(eq(jobs.kind, LOP_JOB))).filter((j) => j.payload.editionId === id);
    assert.equal((await jobsOf()).length, 1, 'one job queued');
    // While it waits: its page says so and reloads itself (no script needed).
    const waiting = await staff.inject({ method: 'GET', url: first.headers.location as string });
    assert.equal(waiting.statusCode, 200);
    // It moves by a script while the job runs (a <meta refresh> is a timing no one can stop: WCAG 2.2.1), and says so.
    assert.match(waiting.body, /<script src="\/assets\/lop-edition\.js"/);
    assert.doesNotMatch(waiting.body, /http-equiv="refresh"/);
    assert.match(waiting.body, /data-state="queued"/);
    assert.doesNotMatch(waiting.body, /class="lop-pdf"/);
    // A second request for the same edition while the first waits starts no second job: it leads to the same page.
    const second = await make();
    assert.equal(editionId(second.headers.location as string), id);
    assert.match(second.headers.location as string, /already=1/);
    assert.equal((await jobsOf()).length, 1, 'still one job');
    const busy = await staff.inject({ method: 'GET', url: second.headers.location as string });
    assert.match(busy.body, /already being made/);
    // The worker runs it.
    await work();
    const [row] = await t.database.db.select().from(reportLopEditions).where(eq(reportLopEditions.id, id));
    assert.equal(row.state, 'done');
    assert.equal(row.total, 7, 'the approved participants who did not object');
    assert.equal(row.done, row.total, 'progress reached the total');
    assert.equal(row.dated, '2026-04-20');
    const [job] = await jobsOf();
    assert.equal(job.state, 'done');
    const ready = await staff.inject({ method: 'GET', url: `/en/reports/list-of-participants/editions/${id}` });
    assert.doesNotMatch(ready.body, /lop-edition\.js/, 'done: no more reloading');
    assert.match(ready.body, /class="lop-pdf" href="\/en\/reports\/list-of-participants\/editions\/\d+\/list.pdf"/);
    const list = await staff.inject({ method: 'GET', url: '/en/reports/list-of-participants' });
    assert.match(list.body, new RegExp(`data-edition="${id}" data-state="done"`));
    // The PDF: the Member State heading, the head of delegation first.
    const pdf = await staff.inject({ method: 'GET', url: `/en/reports/list-of-participants/editions/${id}/list.pdf` });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /list-of-participants-week-final-en-2026-04-20\.pdf/);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    if (needPoppler(tc)) {
      const dir = path.join(RESULTS, 'lop');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, 'lop-worker.pdf');
      fs.writeFileSync(file, pdf.rawPayload);
      const txt = pdfText(file);
      assert.match(txt, /Final edition, Monday,? 20 April 2026/);
      const at = txt.indexOf(`\n${countryName('en', 'FR')}\n`);
      assert.ok(at >= 0, 'the heading France');
      const rest = txt.slice(at);
      const head = rest.indexOf('Claire Zola — Head of Delegation');
      assert.ok(head >= 0, 'the minister marked head of delegation');
      assert.ok(head < rest.indexOf('Bruno Blanc') && rest.indexOf('Bruno Blanc') < rest.indexOf('Anne Aubert'));
    }
    // The XLSX of the same edition.
    const xlsx = await staff.inject({
      method: 'GET',
      url: `/en/reports/list-of-participants/editions/${id}/list.xlsx`,
    });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.worksheets[0];
    assert.equal(ws.rowCount, 8, 'a header and seven people');
    const names = ws.getColumn(7).values.slice(2) as string[];
    assert.ok(names.indexOf('Claire Zola') < names.indexOf('Bruno Blanc'));
    // Made again once done: a new job; the previous file stays downloadable meanwhile.
    const again = await make();
    assert.equal(editionId(again.headers.location as string), id);
    assert.doesNotMatch(again.headers.location as string, /already/);
    assert.equal((await jobsOf()).length, 2);
    const meanwhile = await staff.inject({
      method: 'GET',
      url: `/en/reports/list-of-participants/editions/${id}/list.pdf`,
    });
    assert.equal(meanwhile.statusCode, 200);
    await work();
  });

  it('the job reports its progress as it renders, every 200 rows, up to the total', async () => {
    const entries = Array.from({ length: 450 }, (_, i) => ({
      personId: `p${i}`,
      honorific: '',
      givenName: `Given${i}`,
      familyName: `Family${i}`,
      givenNameLatin: '',
      familyNameLatin: '',
      nameOrder: '',
      nationality: 'FR',
      jobTitle: 'Expert',
      vipCategory: null,
      function: 'other',
      head: i === 0,
    }));
    const seen: [number, number][] = [];
    await renderListOfParticipants(
      {
        lop: {
          groups: [{ entityId: 1, kind: 'member_state', code: 'FR', heading: 'France', organisation: '', entries }],
          total: 450,
        },
        locale: 'en',
        title: 'List of Participants',
        subtitle: 'Test',
        edition: 'Provisional edition',
      },
      (done, total) => void seen.push([done, total]),
    );
    assert.deepEqual(seen, [
      [200, 450],
      [400, 450],
      [450, 450],
    ]);
  });

  it('refuses a bad request with what was typed; an unknown edition; a focal point may not', async () => {
    const bad = await staff.inject({
      method: 'POST',
      url: '/en/reports/list-of-participants',
      form: { event: 'no-such-event', edition: 'final', lang: 'ar' },
    });
    assert.equal(bad.statusCode, 404);
    assert.match(bad.body, /<option value="ar" selected/);
    const missing = await staff.inject({ method: 'GET', url: '/en/reports/list-of-participants/editions/999999' });
    assert.equal(missing.statusCode, 404);
    const [dfp] = await t.database.db.select().from(entities).where(eq(entities.code, 'FR'));
    const fp = await client(t, await createPerson(t, { focalPointOf: [dfp.id] }));
    assert.equal((await fp.inject({ method: 'GET', url: '/en/reports/list-of-participants' })).statusCode, 403);
    assert.equal(
      (
        await fp.inject({
          method: 'POST',
          url: '/en/reports/list-of-participants',
          form: { event: '', edition: 'final', lang: 'en' },
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await fp.inject({ method: 'GET', url: '/en/reports/list-of-participants/editions/1/list.pdf' })).statusCode,
      403,
    );
  });

  it('the secretariat orders the other kinds of entity (Member States stay first): saved, audited, followed by the PDF and the XLSX', async (tc) => {
    const db = t.database.db;
    const now = t.clock.now();
    const [un, ngo] = await db
      .insert(entities)
      .values([
        { kind: 'un_system', name: { en: 'UNESCO' }, createdAt: now, updatedAt: now },
        {
          kind: 'civil_society',
          name: { en: 'Association for Progressive Communications' },
          createdAt: now,
          updatedAt: now,
        },
      ])
      .returning();
    const [ev] = await db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    for (const [key, ent, family] of [
      ['unesco', un, 'Unescoperson'],
      ['apc', ngo, 'Apcperson'],
    ] as const) {
      const [p] = await db
        .insert(people)
        .values({
          email: `${key}@example.org`,
          givenName: 'Pat',
          familyName: family,
          jobTitle: 'Officer',
          entityId: ent.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await db.insert(registrations).values({
        personId: p.id,
        eventId: ev.id,
        entityId: ent.id,
        mode: 'in_person',
        state: 'approved',
        function: 'other',
        registeredBy: p.id,
        submittedAt: now,
        updatedAt: now,
      });
    }
    const kinds = async () =>
      (await getListOfParticipants(t.ctx(), {}, 'en')).groups
        .map((g) => g.kind)
        .filter((k, i, a) => a.indexOf(k) === i);
    // The default: the entities module's order (the UN system before civil society).
    assert.deepEqual(await kinds(), ['member_state', 'un_system', 'civil_society', null]);
    const screen = await staff.inject({ method: 'GET', url: '/ar/reports/list-of-participants/order' });
    assert.equal(screen.statusCode, 200);
    assert.match(screen.body, /dir="rtl"/);
    const order = [...screen.body.matchAll(/<input type="hidden" name="order" value="([a-z_]+)"/g)].map((m) => m[1]);
    assert.equal(order[0], 'sector_member');
    assert.ok(!order.includes('member_state'), 'the Member States cannot be moved');
    // Civil society up, step by step, until it is before the UN system.
    let current = order;
    while (current.indexOf('civil_society') > current.indexOf('un_system')) {
      const res = await staff.inject({
        method: 'POST',
        url: '/en/reports/list-of-participants/order',
        form: { order: current, up: 'civil_society' },
      });
      assert.equal(res.statusCode, 303);
      const page = await staff.inject({ method: 'GET', url: '/en/reports/list-of-participants/order?done=1' });
      assert.match(page.body, /The order is saved/);
      current = [...page.body.matchAll(/<input type="hidden" name="order" value="([a-z_]+)"/g)].map((m) => m[1]);
    }
    assert.deepEqual(await kinds(), ['member_state', 'civil_society', 'un_system', null]);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'reports.lop_kind_order_set'));
    assert.ok(audits.length >= 1);
    const last = audits[audits.length - 1];
    assert.equal(last.subjectId, 'reports.lop_kind_order');
    assert.ok(last.changes.order, 'before and after recorded');
    // A list that is not the kinds once each is refused, and nothing changes.
    const bad = await staff.inject({
      method: 'POST',
      url: '/en/reports/list-of-participants/order',
      form: { order: ['media', 'media'] },
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(await kinds(), ['member_state', 'civil_society', 'un_system', null]);
    // The edition made now follows it, in the PDF and in the XLSX.
    const made = await staff.inject({
      method: 'POST',
      url: '/en/reports/list-of-participants',
      form: { event: '', edition: 'provisional', lang: 'en' },
    });
    const id = editionId(made.headers.location as string);
    await work();
    const xlsx = await staff.inject({
      method: 'GET',
      url: `/en/reports/list-of-participants/editions/${id}/list.xlsx`,
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const delegations = (wb.worksheets[0].getColumn(2).values.slice(2) as string[]).filter(
      (d, i, a) => a.indexOf(d) === i,
    );
    assert.ok(
      delegations.indexOf('Association for Progressive Communications') < delegations.indexOf('UNESCO'),
      'civil society before the UN system in the XLSX',
    );
    assert.ok(
      delegations.indexOf(countryName('en', 'CH')) < delegations.indexOf('Association for Progressive Communications'),
    );
    if (needPoppler(tc)) {
      const pdf = await staff.inject({
        method: 'GET',
        url: `/en/reports/list-of-participants/editions/${id}/list.pdf`,
      });
      const file = path.join(RESULTS, 'lop', 'lop-kind-order.pdf');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, pdf.rawPayload);
      const txt = pdfText(file);
      assert.ok(txt.indexOf('Apcperson') > txt.indexOf('Zola'), 'after the Member States');
      assert.ok(
        txt.indexOf('Apcperson') < txt.indexOf('Unescoperson'),
        'civil society before the UN system in the PDF',
      );
    }
  });
});
