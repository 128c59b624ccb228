/**
 * Webhooks on a real database, delivered over HTTP to a receiver on loopback and verified with the Standard Webhooks
 * reference library: the outbox is written in the deciding transaction, retries keep the message id, a receiver that
 * fails then recovers gets the message, one that keeps failing disables its subscription and the administrators are
 * told, a finished delivery can be replayed, and the catalogue holds every module's events.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { publishEvent } from '../../platform/domain-events.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers, memoryOutbox } from '../../platform/mail/mail.js';
import { DISABLE_AFTER, webhookHandlers } from './webhooks.delivery.js';
import { webhookDeliveries, webhookMessages, webhookSubscriptions } from './webhooks.schema.js';

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A receiver on loopback answering with the statuses given, in turn (the last one repeats). */
async function startReceiver() {
  const received: Received[] = [];
  let statuses = [204];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0];
      res.writeHead(status).end(status >= 300 ? 'not now' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    answer(...s: number[]) {
      statuses = s;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('webhooks', () => {
  let t: TestApp;
  let admin: Client;
  let participant: Client;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const api = (c: Client, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    c.inject({ method, url, payload: payload as Record<string, unknown>, headers: { 'x-csrf-token': c.csrf } });
  const work = () =>
    runDueJobs(t.database.db, t.clock, {
      ...webhookHandlers(t.database.db, t.clock, 'http://localhost'),
      ...mailHandlers({ mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    });
  /** Runs the queue, then moves the clock past the longest backoff, `rounds` times. */
  const workThroughRetries = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await work();
      t.clock.advance(3_600_000 + 1000);
    }
  };
  const subscribe = async (eventTypes: string[]) => {
    const res = await api(admin, 'POST', '/api/v1/webhooks', { url: receiver.url, eventTypes });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: number; secret: string; active: boolean };
  };
  const register = async (c: Client) => {
    const res = await api(c, 'POST', '/api/v1/registrations', {
      events: ['wsis-forum-2026'],
      mode: 'remote',
      stakeholderType: 'civil_society',
      function: 'expert',
    });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json() as { registrations: { id: string }[] }).registrations[0].id;
  };

  before(async () => {
    t = await buildTestApp();
    receiver = await startReceiver();
    admin = await client(t, await createPerson(t, { role: 'admin' }));
    participant = await client(t, await createPerson(t));
  });
  after(async () => {
    await receiver?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await t.database.db.delete(webhookSubscriptions);
    receiver.received.length = 0;
    receiver.answer(204);
  });

  it('delivers a subscribed event once, signed as Standard Webhooks say, and nothing for other events', async () => {
    const sub = await subscribe(['registration.submitted']);
    assert.match(sub.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const regId = await register(participant);
    await work();
    assert.equal(receiver.received.length, 1);
    const [msg] = receiver.received;
    // The reference library checks the signature and the timestamp's freshness; a wrong secret fails.
    const payload = new Webhook(sub.secret).verify(msg.body, msg.headers as Record<string, string>) as {
      type: string;
      data: { registrationId: string; state: string; eventId: number };
    };
    assert.equal(payload.type, 'registration.submitted');
    assert.equal(payload.data.registrationId, regId);
    assert.equal(payload.data.state, 'pending_secretariat');
    assert.throws(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(
        msg.body,
        msg.headers as Record<string, string>,
      ),
    );
    // Withdrawing publishes registration.withdrawn: not subscribed, so not stored and not sent.
    const res = await api(participant, 'POST', `/api/v1/registrations/${regId}/withdraw`);
    assert.equal(res.statusCode, 200, res.body);
    await work();
    assert.equal(receiver.received.length, 1);
    const types = (await t.database.db.select({ type: webhookMessages.type }).from(webhookMessages)).map((m) => m.type);
    assert.ok(!types.includes('registration.withdrawn'));
  });

  it('a rolled-back change publishes nothing; a committed one is in the outbox at commit', async () => {
    await subscribe(['registration.submitted']);
    const count = async () => (await t.database.db.select().from(webhookDeliveries)).length;
    const before = await count();
    await assert.rejects(
      t.database.db.transaction(async (tx) => {
        await publishEvent(tx, t.clock.now(), 'registration.submitted', { registrationId: 'x' });
        throw new Error('the decision fails after publishing');
      }),
      /the decision fails/,
    );
    assert.equal(await count(), before);
    await t.database.db.transaction((tx) =>
      publishEvent(tx, t.clock.now(), 'registration.submitted', { registrationId: 'y' }),
    );
    assert.equal(await count(), before + 1);
    await assert.rejects(
      t.database.db.transaction((tx) => publishEvent(tx, t.clock.now(), 'registration.teleported', {})),
      /not in the catalogue/,
    );
  });

  it('a receiver that fails, then recovers, gets the message with the same id; every attempt is logged', async () => {
    const sub = await subscribe(['registration.submitted']);
    receiver.answer(500, 503, 200);
    await register(await client(t, await createPerson(t)));
    await workThroughRetries(4);
    assert.equal(receiver.received.length, 3);
    assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 1, 'one id on every retry');
    for (const r of receiver.received) new Webhook(sub.secret).verify(r.body, r.headers as Record<string, string>);
    const res = await api(admin, 'GET', `/api/v1/webhooks/${sub.id}/deliveries`);
    const [d] = (res.json() as { deliveries: { state: string; attempts: { status: number; durationMs: number }[] }[] })
      .deliveries;
    assert.equal(d.state, 'succeeded');
    assert.deepEqual(
      d.attempts.map((a) => a.status),
      [500, 503, 200],
    );
    assert.ok(d.attempts.every((a) => a.durationMs >= 0));
    const one = await api(admin, 'GET', `/api/v1/webhooks/${sub.id}`);
    assert.equal((one.json() as { consecutiveFailures: number }).consecutiveFailures, 0);
  });

  it(`after ${DISABLE_AFTER} failed attempts in a row the subscription is disabled and administrators are told; replay after repair`, async () => {
    const sub = await subscribe(['registration.submitted', 'registration.withdrawn']);
    receiver.answer(503);
    const outboxBefore = memoryOutbox.length;
    // Two registrations: two deliveries failing in turn, 10 failed attempts in all before the eighth of either.
    await register(await client(t, await createPerson(t)));
    await register(await client(t, await createPerson(t)));
    await workThroughRetries(6);
    const [row] = await t.database.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id));
    assert.equal(row.active, false);
    assert.equal(row.disabledReason, 'failures');
    assert.equal(receiver.received.length, DISABLE_AFTER, 'no attempt after the subscription was disabled');
    const notices = memoryOutbox
      .slice(outboxBefore)
      .map((m) => m.raw.toString('utf8'))
      .filter((m) => /Webhook disabled after repeated failures/.test(m));
    assert.ok(notices.length >= 1, 'an administrator was told by e-mail');
    assert.match(notices[0], new RegExp(receiver.url.replace(/[/.]/g, '\\$&')));

    // Nothing is delivered while it is disabled.
    await register(await client(t, await createPerson(t)));
    await workThroughRetries(1);
    assert.equal(receiver.received.length, DISABLE_AFTER);

    // Repaired: enable again, replay a failed delivery; it arrives with the original id.
    receiver.answer(200);
    const enable = await api(admin, 'PATCH', `/api/v1/webhooks/${sub.id}`, { active: true });
    assert.equal(enable.statusCode, 200, enable.body);
    const list = await api(admin, 'GET', `/api/v1/webhooks/${sub.id}/deliveries`);
    const failed = (list.json() as { deliveries: { id: number; state: string; messageId: string }[] }).deliveries.find(
      (d) => d.state === 'failed',
    )!;
    const replay = await api(admin, 'POST', `/api/v1/webhooks/${sub.id}/deliveries/${failed.id}/replay`);
    assert.equal(replay.statusCode, 202, replay.body);
    await work();
    const last = receiver.received.at(-1)!;
    assert.equal(last.headers['webhook-id'], failed.messageId);
    new Webhook(
      (await t.database.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, sub.id)))[0].secret,
    ).verify(last.body, last.headers as Record<string, string>);
  });

  it('administrators only; a bad address or an unknown event is refused in the reader’s language', async () => {
    const denied = await api(participant, 'GET', '/api/v1/webhooks');
    assert.equal(denied.statusCode, 403);
    const insecure = await api(admin, 'POST', '/api/v1/webhooks', {
      url: 'http://example.org/hook',
      eventTypes: ['registration.submitted'],
    });
    assert.equal(insecure.statusCode, 400);
    assert.match(insecure.body, /https/);
    const unknown = await api(admin, 'POST', '/api/v1/webhooks?lang=fr', {
      url: 'https://example.org/hook',
      eventTypes: ['registration.teleported'],
    });
    assert.equal(unknown.statusCode, 400);
    const page = await admin.inject({
      method: 'POST',
      url: '/fr/admin/webhooks',
      form: { url: 'ftp://example.org', eventTypes: 'registration.submitted' },
    });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /Indiquez une adresse https/);
  });

  it('the page adds a subscription and shows its secret once; the test message arrives', async () => {
    const res = await admin.inject({
      method: 'POST',
      url: '/en/admin/webhooks',
      form: { url: receiver.url, description: 'Protocol desk', eventTypes: ['registration.decided', 'badge.printed'] },
    });
    assert.equal(res.statusCode, 201, res.body.slice(0, 300));
    const secret = /(whsec_[A-Za-z0-9+/=]+)/.exec(res.body)?.[1];
    assert.ok(secret, 'the secret is on the answer');
    const [row] = await t.database.db.select().from(webhookSubscriptions);
    assert.deepEqual(row.eventTypes.sort(), ['badge.printed', 'registration.decided']);
    const again = await admin.inject({ url: `/en/admin/webhooks/${row.id}` });
    assert.equal(again.statusCode, 200);
    assert.ok(!again.body.includes(secret), 'never shown again');
    const test = await admin.inject({ method: 'POST', url: `/en/admin/webhooks/${row.id}/test`, form: {} });
    assert.equal(test.statusCode, 303);
    await work();
    const msg = receiver.received.at(-1)!;
    assert.equal(
      (new Webhook(secret).verify(msg.body, msg.headers as Record<string, string>) as { type: string }).type,
      'webhook.test',
    );
    const log = await admin.inject({ url: `/en/admin/webhooks/${row.id}` });
    assert.match(log.body, /webhook\.test/);
    assert.match(log.body, /Delivered/);
  });

  it('the catalogue holds every module’s events, and the README documents each', async () => {
    const res = await api(admin, 'GET', '/api/v1/webhooks/event-types');
    const types = (res.json() as { eventTypes: { type: string }[] }).eventTypes.map((e) => e.type);
    for (const t of [
      'registration.submitted',
      'registration.decided',
      'registration.withdrawn',
      'speaking_request.submitted',
      'speaking_request.decided',
      'speaking_request.assigned',
      'badge.printed',
      'checkin.admitted',
      'letter.sent',
      'pledge.confirmed',
      'pledge.paid',
      'reports.figures_published',
      'programme.published',
    ])
      assert.ok(types.includes(t), t);
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const type of types) assert.ok(readme.includes(`\`${type}\``), `README documents ${type}`);
  });
});
