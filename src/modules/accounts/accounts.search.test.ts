import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { people } from './accounts.schema.js';

describe("accounts: the secretariat's people search", () => {
  let t: TestApp;
  let admin: Client;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await buildTestApp();
    admin = await client(t, await createPerson(t, { role: 'admin' }));
    const named = {
      irina: {
        givenName: 'Ирина',
        familyName: 'Соколова',
        givenNameLatin: 'Irina',
        familyNameLatin: 'Sokolova',
        email: 'i.sokolova@minsvyaz.example',
      },
      amina: {
        givenName: 'أمينة',
        familyName: 'بن علي',
        givenNameLatin: 'Amina',
        familyNameLatin: 'Ben Ali',
        email: 'amina.benali@mtc.example',
      },
      percent: {
        givenName: 'Zoë',
        familyName: '100%',
        givenNameLatin: 'Zoe',
        familyNameLatin: 'Hundred',
        email: 'zoe@example.org',
      },
      erased: {
        givenName: 'Irina',
        familyName: 'Gone',
        givenNameLatin: 'Irina',
        familyNameLatin: 'Gone',
        email: 'irina.gone@example.org',
      },
    };
    for (const [k, n] of Object.entries(named)) {
      const p = await createPerson(t, { email: n.email });
      await t.database.db
        .update(people)
        .set({ ...n, ...(k === 'erased' ? { erasedAt: t.clock.now() } : {}) })
        .where(eq(people.id, p.id));
      ids[k] = p.id;
    }
  });
  after(() => t.close());

  const search = async (q: string) => {
    const res = await admin.inject({ method: 'GET', url: `/api/v1/people?q=${encodeURIComponent(q)}` });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().people as { id: string }[])
      .map((p) => p.id)
      .filter((id) => Object.values(ids).includes(id))
      .sort();
  };

  it('finds a person by words of their names in either script, in any case and order, or by part of the e-mail', async () => {
    assert.deepEqual(await search('irina sokolova'), [ids.irina]);
    assert.deepEqual(await search('SOKOLOVA Irina'), [ids.irina]);
    assert.deepEqual(await search('Соколова'), [ids.irina]);
    assert.deepEqual(await search('بن علي'), [ids.amina]);
    assert.deepEqual(await search('benali@mtc'), [ids.amina]);
    assert.deepEqual(await search('irina ben'), [], 'every word must match the same person');
  });

  it('takes % and _ as typed, and never lists an erased person', async () => {
    assert.deepEqual(await search('100%'), [ids.percent]);
    assert.deepEqual(await search('%'), [ids.percent]);
    assert.deepEqual(await search('_'), []);
    assert.ok(!(await search('irina')).includes(ids.erased));
    assert.deepEqual(await search('gone'), []);
  });

  it('lists the matches in name order, the same whether the words have trigrams or are all short', async () => {
    // Five people sharing a family name, made in an order that is not the name order.
    const given = ['Zainab', 'Ángel', 'Bo', 'Émile', 'Aaron'];
    const made: string[] = [];
    for (const [i, g] of given.entries()) {
      const p = await createPerson(t, { email: `order${i}@example.org` });
      await t.database.db
        .update(people)
        .set({ givenName: g, familyName: 'Qo', givenNameLatin: g, familyNameLatin: 'Qo' })
        .where(eq(people.id, p.id));
      made.push(p.id);
    }
    const ordered = async (q: string) => {
      const res = await admin.inject({ method: 'GET', url: `/api/v1/people?q=${encodeURIComponent(q)}` });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json().people as { id: string; givenNameLatin?: string; givenName: string }[])
        .filter((p) => made.includes(p.id))
        .map((p) => p.givenName);
    };
    // Root collation: accents are second-order, so Ángel sorts with the As, Émile with the Es.
    const expected = ['Aaron', 'Ángel', 'Bo', 'Émile', 'Zainab'];
    assert.deepEqual(await ordered('qo'), expected, 'a short word: walked in name order');
    assert.deepEqual(await ordered('qo example.org'), expected, 'a word with trigrams: matched first, then sorted');
    assert.deepEqual(await ordered('order'), expected);
  });

  it('the administrators’ people page searches the same way', async () => {
    const page = await admin.inject({
      method: 'GET',
      url: `/fr/admin/people?q=${encodeURIComponent('sokolova irina')}`,
    });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Соколова/);
    assert.doesNotMatch(page.body, /Ben Ali/);
  });
});
