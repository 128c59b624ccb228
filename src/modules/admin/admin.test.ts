import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers, memoryOutbox } from '../../platform/mail/mail.js';

describe('secretariat back office: audit trail and outbox', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('administrators browse the audit trail by person, action and date', async () => {
    const admin = await createPerson(t, { role: 'admin' });
    const p = await createPerson(t);
    const c = await client(t, admin);
    const self = await client(t, p);
    await self.inject({
      method: 'POST',
      url: '/en/account',
      form: { givenName: 'Amélie', familyName: 'Dupont', preferredLocale: 'fr', honorific: 'Ms' },
    });
    const all = await c.inject({ method: 'GET', url: '/en/admin/audit?action=accounts.profile' });
    assert.equal(all.statusCode, 200);
    assert.ok(all.body.includes('accounts.profile_updated'));
    assert.ok(all.body.includes(p.id));
    assert.ok(all.body.includes('Amélie'), 'the changed fields are shown');
    const byOther = await c.inject({
      method: 'GET',
      url: `/en/admin/audit?person=${admin.id}&action=accounts.profile`,
    });
    assert.ok(!byOther.body.includes('accounts.profile_updated'));
    const future = await c.inject({ method: 'GET', url: '/en/admin/audit?from=2027-01-01' });
    assert.ok(!future.body.includes('accounts.profile_updated'));
    const bad = await c.inject({ method: 'GET', url: '/en/admin/audit?from=yesterday' });
    assert.equal(bad.statusCode, 400);
    const api = await c.inject({ method: 'GET', url: '/api/v1/audit?action=accounts.profile_updated' });
    assert.equal(api.json().entries[0].subjectId, p.id);
    assert.equal((await self.inject({ method: 'GET', url: '/en/admin/audit' })).statusCode, 403);
  });

  it('lists messages kept in the local outbox', async () => {
    const admin = await createPerson(t, { role: 'admin' });
    const c = await client(t, admin);
    const anon = await client(t);
    await anon.inject({ method: 'POST', url: '/en/sign-in/link', form: { email: admin.email } });
    memoryOutbox.length = 0;
    await runDueJobs(t.database.db, t.clock, mailHandlers({ mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'));
    const page = await c.inject({ method: 'GET', url: '/en/admin/outbox' });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(admin.email));
    assert.ok(page.body.includes('Your sign-in link'));
  });
});
