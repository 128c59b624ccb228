/**
 * Destructive actions ask first, without JavaScript: withdrawing, revoking and erasing open a confirmation page that
 * says what will happen; only its button does it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { client, createPerson } from './helpers/actors.js';
import { buildTestApp, type TestApp } from './helpers/app.js';

describe('confirmations', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t?.close());

  it('withdrawing a registration asks first, says what happens, then withdraws', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    const sent = await c.inject({
      method: 'POST',
      url: '/en/register',
      form: { events: 'wsis-forum-2026', mode: 'remote', stakeholderType: 'government', function: 'expert' },
    });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 200));
    const list = await c.inject({ url: '/en/registrations' });
    const m =
      /<form method="get" action="\/en\/confirm"[^>]*><input type="hidden" name="to" value="([^"]+)"\/><input type="hidden" name="what" value="withdraw_registration"\/>/.exec(
        list.body,
      );
    assert.ok(m, 'the Withdraw button opens the confirmation');
    const to = m[1];
    assert.match(to, /^\/en\/registrations\/[0-9a-f-]+\/withdraw$/);

    const ask = await c.inject({
      url: `/en/confirm?to=${encodeURIComponent(to)}&what=withdraw_registration`,
      headers: { referer: 'http://localhost/en/registrations' },
    });
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /<h1 id="confirm-title">Withdraw this registration request\?<\/h1>/);
    assert.match(ask.body, /your focal point is told/);
    assert.match(ask.body, new RegExp(`<form method="post" action="${to}"`));
    assert.match(ask.body, /<a href="\/en\/registrations">Cancel, go back<\/a>/);

    const still = await c.inject({ url: '/en/registrations' });
    assert.doesNotMatch(still.body, /Withdrawn/, 'asking changed nothing');
    const done = await c.inject({ method: 'POST', url: to, form: {} });
    assert.equal(done.statusCode, 303);
  });

  it('in Arabic, and only for known actions and paths of this site', async () => {
    const p = await createPerson(t, { locale: 'ar' });
    const c = await client(t, p);
    const ar = await c.inject({ url: '/ar/confirm?to=%2Far%2Faccount%2Ferase&what=erase_account' });
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /هل تطلبون محو حسابكم؟/);
    for (const q of [
      'to=https%3A%2F%2Fevil.example%2F&what=erase_account',
      'to=%2F%2Fevil.example&what=erase_account',
      'to=%2Fen%2Faccount%2Ferase&what=format_disk',
    ]) {
      const bad = await c.inject({ url: `/en/confirm?${q}` });
      assert.equal(bad.statusCode, 400, q);
    }
  });

  it('revoking a token and erasing an account or a person ask first', async () => {
    const p = await createPerson(t);
    const c = await client(t, p);
    await c.inject({ method: 'POST', url: '/en/account/tokens', form: { name: 'script', days: '30' } });
    const tokens = await c.inject({ url: '/en/account/tokens' });
    assert.match(tokens.body, /name="what" value="revoke_token"/);
    const account = await c.inject({ url: '/en/account' });
    assert.match(account.body, /name="what" value="erase_account"/);
    const admin = await createPerson(t, { role: 'admin' });
    const a = await client(t, admin);
    const person = await a.inject({ url: `/en/admin/people/${p.id}` });
    assert.match(person.body, /name="what" value="erase_person"/);
  });
});
