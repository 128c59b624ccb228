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
import { getListOfParticipants } from './reports.lop.js';
import { listOfParticipantsPdf } from './reports.lop-export.js';

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

  it('downloads from the secretariat’s page as PDF and XLSX; a focal point may not', async () => {
    const page = await staff.inject({ method: 'GET', url: '/fr/reports/list-of-participants' });
    assert.equal(page.statusCode, 200);
    const pdf = await staff.inject({
      method: 'GET',
      url: '/en/reports/list-of-participants/download?edition=final&lang=ru',
    });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const csv = await staff.inject({
      method: 'GET',
      url: '/en/reports/list-of-participants/download?format=csv&lang=en',
    });
    const lines = csv.body.split('\n');
    assert.match(lines[0], /"edition","delegation"/);
    const fr = lines.filter((l) => l.includes(`"${countryName('en', 'FR')}"`));
    assert.match(fr[0], /"Claire".*|Zola/);
    assert.match(fr[0], /,true,/, 'the head of delegation flagged');
    const xlsx = await staff.inject({ method: 'GET', url: '/en/reports/list-of-participants/download?format=xlsx' });
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const [dfp] = await t.database.db.select().from(entities).where(eq(entities.code, 'FR'));
    const fp = await client(t, await createPerson(t, { focalPointOf: [dfp.id] }));
    assert.equal(
      (await fp.inject({ method: 'GET', url: '/en/reports/list-of-participants/download' })).statusCode,
      403,
    );
  });
});
