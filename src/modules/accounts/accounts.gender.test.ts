/**
 * The optional gender on a participant's profile: offered in six languages with "Not given", saved and audited, in the
 * person's data export, left as it is by the secretariat's correction form (which has no such field), erased with the
 * person, and counted by the statistics' "by gender" with "Not given" as its own group.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { auditLog } from '../../platform/platform.schema.js';
import { events } from '../events/index.js';
import { getFigures } from '../reports/index.js';
import { registrations } from '../registration/index.js';
import { people } from './accounts.schema.js';

describe('accounts: gender on the profile, optional', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(async () => t?.close());

  const profile = { givenName: 'Amina', familyName: 'Diallo', preferredLocale: 'en', honorific: '', nationality: 'SN' };
  const genderOf = async (id: string) =>
    (await t.database.db.select({ g: people.gender }).from(people).where(eq(people.id, id)))[0].g;

  it('is offered in six languages with “Not given”, saved, audited, exported; a wrong value comes back with the form', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    for (const [lc, label, none] of [
      ['en', 'Gender', 'Not given'],
      ['fr', 'Genre', 'Non indiqué'],
      ['es', 'Género', 'No indicado'],
      ['ru', 'Пол', 'Не указано'],
      ['zh', '性别', '未提供'],
      ['ar', 'نوع الجنس', 'غير مذكور'],
    ]) {
      const page = await c.inject({ method: 'GET', url: `/${lc}/account` });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`<label for="f-gender">${label}</label>`), lc);
      assert.match(page.body, new RegExp(`<option value(="")?( selected)?>${none}</option>`), lc);
    }
    const saved = await c.inject({ method: 'POST', url: '/en/account', form: { ...profile, gender: 'female' } });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(await genderOf(p.id), 'female');
    const [row] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, p.id), eq(auditLog.action, 'accounts.profile_updated')));
    assert.deepEqual(row.changes.gender, [null, 'female'], 'audited');
    const page = await c.inject({ method: 'GET', url: '/en/account' });
    assert.match(page.body, /<option value="female" selected/);
    const exported = await c.inject({ method: 'GET', url: '/en/account/export.json' });
    assert.equal(JSON.parse(exported.body).person.gender, 'female', 'in the data export');
    const bad = await c.inject({
      method: 'POST',
      url: '/en/account',
      form: { ...profile, givenName: 'Aminata', gender: 'robot' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="Aminata"/, 'what was typed comes back');
    assert.match(bad.body, /id="gender-error"/);
    assert.equal(await genderOf(p.id), 'female', 'nothing changed');
    // "Not given" takes the answer back.
    await c.inject({ method: 'POST', url: '/en/account', form: { ...profile, gender: '' } });
    assert.equal(await genderOf(p.id), null);
  });

  it('the secretariat’s correction leaves it; erasure empties it; the statistics count it, “Not given” apart', async () => {
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    const people3 = await Promise.all([createPerson(t), createPerson(t), createPerson(t)]);
    const [ev] = await t.database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    const genders = ['male', 'another', ''];
    for (const [i, p] of people3.entries()) {
      const c = await client(t, p);
      await c.inject({ method: 'POST', url: '/en/account', form: { ...profile, gender: genders[i] } });
      const now = t.clock.now();
      await t.database.db.insert(registrations).values({
        personId: p.id,
        eventId: ev.id,
        mode: 'in_person',
        state: 'approved',
        registeredBy: p.id,
        submittedAt: now,
        updatedAt: now,
      });
    }
    const corrected = await admin.inject({
      method: 'POST',
      url: `/en/admin/people/${people3[0].id}/edit`,
      form: { ...profile, familyName: 'Diallo-Ba', reason: 'Spelling of the family name' },
    });
    assert.equal(corrected.statusCode, 303, corrected.body);
    assert.equal(await genderOf(people3[0].id), 'male', 'the correction form has no gender: it stays');
    // The counters are made from the rows (the registrations above were written around the services).
    const { rebuildTallies } = await import('../reports/index.js');
    await rebuildTallies(t.database.db);
    const reader = { ...t.ctx(), actor: { kind: 'system' as const, name: 'test' } };
    const count = async () => {
      const f = await getFigures(reader, { event: 'wsis-forum-2026' });
      return Object.fromEntries(f.byGender.map((g) => [g.key, g.count]));
    };
    // Independently: the approved people of the event by their gender, from the rows.
    const independent = async () => {
      const rows = await t.database.db
        .select({ id: people.id, g: people.gender })
        .from(registrations)
        .innerJoin(people, eq(people.id, registrations.personId))
        .where(and(eq(registrations.eventId, ev.id), eq(registrations.state, 'approved')));
      const out: Record<string, number> = { female: 0, male: 0, another: 0, not_given: 0 };
      for (const id of new Set(rows.map((r) => r.id))) out[rows.find((r) => r.id === id)!.g ?? 'not_given']++;
      return out;
    };
    assert.deepEqual(await count(), await independent());
    assert.ok((await count()).not_given >= 1 && (await count()).male >= 1);
    // Erasure empties the gender, and the person moves to "Not given" in the same transaction.
    const before = await count();
    const erased = await admin.inject({ method: 'POST', url: `/en/admin/people/${people3[1].id}/erase`, form: {} });
    assert.ok([200, 303].includes(erased.statusCode), erased.body);
    assert.equal(await genderOf(people3[1].id), null);
    const after = await count();
    assert.equal(after.another, before.another - 1);
    assert.equal(after.not_given, before.not_given + 1);
    assert.deepEqual(after, await independent());
  });
});
