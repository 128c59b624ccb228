import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers, memoryOutbox } from '../../platform/mail/mail.js';

describe('secretariat back office: outbox', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

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
