import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createPerson } from '../../../test/helpers/actors.js';
import { createTestDatabase, TEST_NOW } from '../../../test/helpers/db.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { auditLog } from '../../platform/platform.schema.js';
import { translate } from '../../platform/i18n/messages.js';
import { people } from '../accounts/index.js';
import { readEntitiesCsv } from './entities.csv.js';
import { entities, focalPoints } from './entities.schema.js';
import { seedMemberStates } from './entities.seed.js';
import * as svc from './entities.service.js';

/** Runs `fn` and returns the DomainError code it throws (fails if it does not). */
async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  assert.fail('expected a DomainError');
}

describe('Member States seed', () => {
  it('gives the 194 Member States with their regions and names in six languages; a second run adds none and keeps edits', async () => {
    const database = await createTestDatabase();
    try {
      const db = database.db;
      // Start from no entities at all, whatever the template holds.
      await db.delete(focalPoints);
      await db.update(people).set({ entityId: null });
      await db.delete(entities);
      assert.equal(await seedMemberStates(db, TEST_NOW), 194);
      const ms = await db.select().from(entities).where(eq(entities.kind, 'member_state'));
      assert.equal(ms.length, 194);
      const byCode = new Map(ms.map((e) => [e.code, e]));
      for (const code of ['PW', 'VA', 'CH', 'SS', 'CN', 'RU', 'SA']) assert.ok(byCode.has(code), code);
      const pw = byCode.get('PW')!;
      assert.deepEqual(
        [pw.country, pw.ituRegion, pw.itudRegion, pw.unGroup],
        ['PW', 'E', 'asia-pacific', 'asia-pacific'],
      );
      assert.equal(byCode.get('VA')!.unGroup, null, 'the Holy See is in no UN regional group');
      for (const e of ms) {
        assert.deepEqual(Object.keys(e.name).sort(), ['ar', 'en', 'es', 'fr', 'ru', 'zh'], e.code!);
        for (const n of Object.values(e.name)) assert.ok(n && n !== e.code, `${e.code}: ${n}`);
      }
      const ch = byCode.get('CH')!.name;
      assert.equal(ch.fr, 'Suisse');
      assert.equal(ch.zh, '瑞士');
      assert.equal(ch.ru, 'Швейцария');
      assert.match(ch.ar!, /سويسرا/);

      await db
        .update(entities)
        .set({ name: { en: 'Switzerland (edited)' } })
        .where(eq(entities.code, 'CH'));
      assert.equal(await seedMemberStates(db, TEST_NOW), 0);
      const [edited] = await db.select().from(entities).where(eq(entities.code, 'CH'));
      assert.deepEqual(edited.name, { en: 'Switzerland (edited)' });
    } finally {
      await database.close();
    }
  });
});

describe('CSV reading', () => {
  it('gives each record the line it starts on, and reports broken lines', () => {
    const r = readEntitiesCsv(
      '\uFEFFKind,code,name_en\r\nacademia,,"Multi\nline"\r\n\r\nacademia,X1,"Quoted, with ""quotes"""\nacademia,,a,extra\nacademia,,last',
    );
    assert.equal(r.fatal, false);
    assert.deepEqual(
      r.records.map((x) => x.line),
      [2, 5, 7],
    );
    assert.equal(r.records[1].values.name_en, 'Quoted, with "quotes"');
    assert.deepEqual(r.problems, [{ line: 6, problem: 'column_count' }]);
  });

  it('stops at a header it does not know, or a quote that breaks the file', () => {
    assert.deepEqual(readEntitiesCsv('kind,nom\nacademia,x').problems, [
      { line: 1, problem: 'unknown_columns', columns: ['nom'] },
    ]);
    assert.equal(readEntitiesCsv('code\nX').problems[0].problem, 'missing_columns');
    const broken = readEntitiesCsv('kind,code,name_en\nacademia,,ok\nacademia,,"x"y\nacademia,,after');
    assert.equal(broken.fatal, true);
    assert.equal(broken.problems[0].line, 3);
  });
});

describe('entities service', () => {
  let t: TestApp;
  let system: Ctx;
  const as = (actor: Actor, locale: Ctx['locale'] = 'en'): Ctx => ({ ...t.ctx(), actor, locale });
  const person = (id: string, role: 'admin' | 'staff' | 'participant', focalPointOf: number[] = []): Actor => ({
    kind: 'person',
    id,
    role,
    capabilities: [],
    focalPointOf,
    entityId: null,
    via: 'session',
  });
  const db = () => t.database.db;
  const wc = (c: Ctx) => c as Ctx & { db: typeof t.database.db };

  before(async () => {
    t = await buildTestApp();
    await seedMemberStates(t.database.db, t.clock.now()); // a template seeded before the Member States existed
    system = t.ctx();
  });
  after(() => t.close());

  const msId = async (code: string) =>
    (
      await db()
        .select()
        .from(entities)
        .where(and(eq(entities.kind, 'member_state'), eq(entities.code, code)))
    )[0].id;

  it('lists Member States by name in the reader’s language, filtered by region, UN group and text (accents ignored)', async () => {
    const fr = await svc.listEntities(as({ kind: 'anonymous' }, 'fr'), { kind: 'member_state' });
    assert.equal(fr.length, 194);
    const names = fr.map((e) => svc.entityName(e, 'fr'));
    assert.deepEqual(names, [...names].sort(new Intl.Collator('fr-CH').compare));
    const regionE = await svc.listEntities(system, { region: 'E' });
    assert.ok(regionE.some((e) => e.code === 'PW'));
    assert.ok(regionE.every((e) => e.ituRegion === 'E'));
    const weog = await svc.listEntities(system, { unGroup: 'weog' });
    assert.ok(weog.some((e) => e.code === 'CH') && !weog.some((e) => e.code === 'VA'));
    assert.deepEqual(
      (await svc.listEntities(system, { q: 'cote d’ivoire' })).map((e) => e.code),
      ['CI'],
    );
    assert.deepEqual(
      (await svc.listEntities(system, { q: 'suisse' })).map((e) => e.code),
      ['CH'],
    );
    assert.ok(
      (await svc.listEntities(system, { q: 'ch' })).some((e) => e.code === 'CH'),
      'by code',
    );
    assert.equal(await codeOf(() => svc.getEntity(system, 999_999)), 'entity_not_found');
  });

  it('creates entities: a Member State code is unique and its missing names come from Intl; invalid input is refused', async () => {
    assert.equal(
      await codeOf(() => svc.createEntity(wc(system), { kind: 'member_state', code: 'CH' })),
      'entity_code_taken',
    );
    assert.equal(
      await codeOf(() => svc.createEntity(wc(system), { kind: 'member_state', code: 'XX' })),
      'invalid_input',
    );
    assert.equal(await codeOf(() => svc.createEntity(wc(system), { kind: 'academia', name: {} })), 'invalid_input');
    const uni = await svc.createEntity(wc(system), {
      kind: 'academia',
      code: 'UNIGE',
      name: { fr: 'Université de Genève' },
      country: 'ch',
    });
    assert.equal(uni.country, 'CH');
    assert.equal(svc.entityName(uni, 'en'), 'Université de Genève', 'falls back to the language it has');
    assert.equal(
      await codeOf(() => svc.createEntity(wc(system), { kind: 'academia', code: 'UNIGE', name: { en: 'Again' } })),
      'entity_code_taken',
    );
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'entities.created'), eq(auditLog.subjectId, String(uni.id))));
    assert.ok(audited);

    const participant = await createPerson(t);
    assert.equal(
      await codeOf(() =>
        svc.createEntity(wc(as(person(participant.id, 'participant'))), { kind: 'media', name: { en: 'Daily' } }),
      ),
      'forbidden',
    );
    assert.equal(
      await codeOf(() => svc.createEntity(wc(as({ kind: 'anonymous' })), { kind: 'media', name: { en: 'Daily' } })),
      'unauthenticated',
    );
  });

  it('updates an entity with before and after in the audit log; names change per language', async () => {
    const e = await svc.createEntity(wc(system), {
      kind: 'civil_society',
      name: { en: 'Open Net', fr: 'Réseau ouvert' },
    });
    const after = await svc.updateEntity(wc(system), {
      id: e.id,
      patch: { name: { en: 'Open Network' }, itudRegion: 'europe' },
    });
    assert.deepEqual(after.name, { en: 'Open Network', fr: 'Réseau ouvert' });
    assert.equal(after.itudRegion, 'europe');
    const [row] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'entities.updated'), eq(auditLog.subjectId, String(e.id))));
    assert.deepEqual((row.changes as Record<string, unknown>).itudRegion, [null, 'europe']);
    assert.deepEqual((row.changes as Record<string, unknown>).name, [
      { en: 'Open Net', fr: 'Réseau ouvert' },
      { en: 'Open Network', fr: 'Réseau ouvert' },
    ]);
    const fr = await msId('FR');
    assert.equal(
      await codeOf(() => svc.updateEntity(wc(system), { id: fr, patch: { code: 'DE' } })),
      'entity_code_taken',
    );
    assert.equal(await codeOf(() => svc.updateEntity(wc(system), { id: 999_999, patch: {} })), 'entity_not_found');
  });

  it('imports a CSV: good rows in, bad rows reported by line with reasons in the caller’s language', async () => {
    const csv = [
      'kind,code,name_en,name_fr,name_es,name_ar,name_zh,name_ru,country,itu_region,itud_region,un_group',
      'academia,EPFL,École polytechnique fédérale de Lausanne,,,,,,CH,B,europe,', // 2 good
      'unicorn,,Magic Org,,,,,,,,,', // 3 unknown kind
      'private_sector,ACME,Acme Corp,,,,,,US,Z,,', // 4 bad region
      `civil_society,,${'N'.repeat(201)},,,,,,,,,`, // 5 over-long name
      'media,,"Bad\u0007Name",,,,,,,,,', // 6 control character
      'member_state,ch,,Confédération suisse,,,,,,,,', // 7 good: updates Switzerland's French name
      'intl_org,,"Org, with a comma",,,,,,,,,', // 8 good
    ].join('\n');
    const before = (await db().select({ n: count() }).from(entities))[0].n;
    const report = await svc.importEntitiesCsv(wc(as({ kind: 'system', name: 'test' }, 'fr')), csv);
    assert.equal(report.inserted, 2);
    assert.equal(report.updated, 1);
    assert.deepEqual(
      report.rejected.map((r) => r.line),
      [3, 4, 5, 6],
    );
    assert.deepEqual(
      report.rejected.map((r) => r.errors[0].field),
      ['kind', 'itu_region', 'name_en', 'name_en'],
    );
    assert.equal(
      report.rejected[3].errors[0].message,
      translate('fr', 'validation.rule.control_chars', { field: translate('fr', 'validation.field.name_en') }),
    );
    assert.match(report.rejected[2].errors[0].message, /200/);
    assert.doesNotMatch(report.rejected[0].errors[0].message, /Invalid/, 'Zod’s own messages in French too');
    const afterCount = (await db().select({ n: count() }).from(entities))[0].n;
    assert.equal(afterCount, before + 2);
    const [ch] = await db()
      .select()
      .from(entities)
      .where(eq(entities.id, await msId('CH')));
    assert.equal(ch.name.fr, 'Confédération suisse');
    assert.ok(ch.name.ar, 'cells left empty keep what was there');
    const names = (await db().select().from(entities)).map((e) => e.name.en);
    assert.ok(!names.includes('Magic Org') && !names.includes('Acme Corp'));

    const again = await svc.importEntitiesCsv(wc(system), csv);
    assert.deepEqual([again.inserted, again.updated], [0, 3], 'importing the same file again inserts nothing');
  });

  it('imports nothing from a file it cannot read', async () => {
    const before = (await db().select({ n: count() }).from(entities))[0].n;
    const header = await svc.importEntitiesCsv(wc(system), 'kind,nom\nacademia,Nowhere U');
    assert.deepEqual([header.inserted, header.rejected[0].line], [0, 1]);
    const quote = await svc.importEntitiesCsv(
      wc(system),
      'kind,code,name_en\nacademia,,Fine U\nacademia,,"broken"quote\nacademia,,After U',
    );
    assert.equal(quote.inserted, 0);
    assert.equal(quote.rejected[0].line, 3);
    assert.equal((await db().select({ n: count() }).from(entities))[0].n, before);
  });

  it('merges a duplicate: people and focal points move, the row stays marked; invalid merges are refused', async () => {
    const a = await svc.createEntity(wc(system), { kind: 'private_sector', name: { en: 'Telco SA' } });
    const b = await svc.createEntity(wc(system), { kind: 'private_sector', name: { en: 'Telco S.A.' } });
    const p1 = await createPerson(t, { entityId: a.id, focalPointOf: [a.id] });
    const p2 = await createPerson(t, { entityId: a.id, focalPointOf: [a.id, b.id] });
    const res = await svc.mergeEntities(wc(system), { from: a.id, into: b.id });
    assert.deepEqual(res, { from: a.id, into: b.id, people: 2, focalPoints: 1 });
    const moved = await db().select().from(people).where(eq(people.entityId, b.id));
    assert.deepEqual(moved.map((p) => p.id).sort(), [p1.id, p2.id].sort());
    const fps = await db().select().from(focalPoints).where(eq(focalPoints.entityId, b.id));
    assert.deepEqual(fps.map((f) => f.personId).sort(), [p1.id, p2.id].sort());
    assert.equal((await db().select().from(focalPoints).where(eq(focalPoints.entityId, a.id))).length, 0);
    assert.equal((await svc.getEntity(system, a.id)).mergedInto, b.id);
    assert.ok(
      !(await svc.listEntities(system, { kind: 'private_sector' })).some((e) => e.id === a.id),
      'merged ones leave the list',
    );

    assert.equal(await codeOf(() => svc.mergeEntities(wc(system), { from: a.id, into: b.id })), 'entity_merge_invalid');
    assert.equal(await codeOf(() => svc.mergeEntities(wc(system), { from: b.id, into: b.id })), 'entity_merge_invalid');
    const ch = await msId('CH');
    assert.equal(await codeOf(() => svc.mergeEntities(wc(system), { from: b.id, into: ch })), 'entity_merge_invalid');
    assert.equal(await codeOf(() => svc.mergeEntities(wc(system), { from: b.id, into: 999_999 })), 'entity_not_found');
  });

  it('appoints focal points by e-mail (idempotent), removes them, and shows them only to staff and the entity’s own DFPs', async () => {
    const a = await msId('KE');
    const b = await msId('GH');
    const p = await createPerson(t, { email: 'dfp.kenya@example.org' });
    const first = await svc.appointFocalPoint(wc(system), { entityId: a, email: 'DFP.Kenya@example.org' });
    const second = await svc.appointFocalPoint(wc(system), { entityId: a, email: 'dfp.kenya@example.org' });
    assert.deepEqual([first.created, second.created], [true, false]);
    assert.equal(
      await codeOf(() => svc.appointFocalPoint(wc(system), { entityId: a, email: 'nobody@example.org' })),
      'person_not_found',
    );
    assert.equal(
      await codeOf(() => svc.appointFocalPoint(wc(system), { entityId: 999_999, email: 'dfp.kenya@example.org' })),
      'entity_not_found',
    );

    const dfp = person(p.id, 'participant', [a]);
    assert.deepEqual(
      (await svc.listFocalPoints(as(dfp), a)).map((f) => f.email),
      ['dfp.kenya@example.org'],
    );
    assert.equal(await codeOf(() => svc.listFocalPoints(as(dfp), b)), 'forbidden');
    assert.equal(await codeOf(() => svc.listFocalPoints(as(dfp), 999_999)), 'forbidden', 'no hint whether it exists');
    assert.equal(await codeOf(() => svc.listFocalPoints(as({ kind: 'anonymous' }), a)), 'unauthenticated');
    assert.equal((await svc.listFocalPoints(as(person(p.id, 'staff')), a)).length, 1);
    assert.equal(
      await codeOf(() =>
        svc.appointFocalPoint(wc(as(person(p.id, 'staff'))), { entityId: b, email: 'dfp.kenya@example.org' }),
      ),
      'forbidden',
    );

    assert.deepEqual(await svc.removeFocalPoint(wc(system), { entityId: a, personId: p.id }), { removed: true });
    assert.deepEqual(await svc.removeFocalPoint(wc(system), { entityId: a, personId: p.id }), { removed: false });
    assert.equal((await svc.listFocalPoints(system, a)).length, 0);
    const actions = (
      await db()
        .select()
        .from(auditLog)
        .where(eq(auditLog.subjectId, String(a)))
    ).map((r) => r.action);
    assert.deepEqual(actions.filter((x) => x.startsWith('entities.focal')).sort(), [
      'entities.focal_point_appointed',
      'entities.focal_point_removed',
    ]);
  });
});
