/**
 * The delegation view shows each delegate's badge (issued, printed, collected) and arrival (when first admitted to
 * the event, Geneva time), from columns the badges and check-in modules contribute; the export carries them too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type TestPerson } from '../../../test/helpers/actors.js';
import { people } from '../accounts/index.js';
import { badges } from '../badges/index.js';
import { scans } from '../checkin/index.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { registrations } from './registration.schema.js';

describe('the delegation view: badges and arrivals', () => {
  let t: TestApp;
  let dfp: TestPerson;
  const ids: string[] = [];

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    const [{ id: ghana }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    const [{ id: forum }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
    dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const now = t.clock.now();
    const names = ['Ama', 'Kofi', 'Yaw'];
    for (const [i, given] of names.entries()) {
      const p = await createPerson(t, { entityId: ghana });
      await db.update(people).set({ givenName: given, familyName: 'Owusu' }).where(eq(people.id, p.id));
      ids.push(p.id);
      await db.insert(registrations).values({
        personId: p.id,
        eventId: forum,
        entityId: ghana,
        mode: 'in_person',
        state: 'approved',
        stakeholderType: 'government',
        function: i === 0 ? 'minister' : 'technical_expert',
        registeredBy: p.id,
        submittedAt: now,
        updatedAt: now,
      });
    }
    // Ama: printed, collected, admitted on 6 July at 09:12 Geneva time (07:12 UTC). Kofi: printed. Yaw: none.
    const [ama] = await db
      .insert(badges)
      .values({
        personId: ids[0],
        token: 'CVB1.test-ama.mac',
        category: 'MIN',
        issuedAt: now,
        printCount: 1,
        lastPrintedAt: now,
        collectedAt: now,
      })
      .returning();
    await db.insert(badges).values({
      personId: ids[1],
      token: 'CVB1.test-kofi.mac',
      category: 'D',
      issuedAt: now,
      printCount: 2,
      lastPrintedAt: now,
    });
    const at = new Date('2026-07-06T07:12:00Z');
    await db.insert(scans).values([
      // A refused scan before, and an admission at another event, do not count.
      {
        id: 's1',
        badgeId: ama.id,
        checkpoint: 'event:wsis-forum-2026',
        deviceId: 'd1',
        result: 'refused',
        reason: 'x',
        scannedAt: new Date('2026-07-06T06:00:00Z'),
        receivedAt: at,
        scannedBy: 'test',
      },
      {
        id: 's2',
        badgeId: ama.id,
        checkpoint: 'event:wsis-forum-2026',
        deviceId: 'd1',
        result: 'admitted',
        scannedAt: at,
        receivedAt: at,
        scannedBy: 'test',
      },
      {
        id: 's3',
        badgeId: ama.id,
        checkpoint: 'event:ai-for-good-2026',
        deviceId: 'd1',
        result: 'admitted',
        scannedAt: new Date('2026-07-05T06:00:00Z'),
        receivedAt: at,
        scannedBy: 'test',
      },
    ]);
  });
  after(() => t.close());

  const rowOf = (body: string, given: string) => {
    const i = body.indexOf(`${given} Owusu</bdi>`);
    assert.ok(i > 0, `${given} is listed`);
    return body.slice(i, body.indexOf('</tr>', i));
  };

  it('shows each delegate’s badge state and arrival in Geneva time, in the reader’s language', async () => {
    const c = await client(t, dfp);
    const en = await c.inject({ method: 'GET', url: '/en/focal-point/delegation?event=wsis-forum-2026' });
    assert.equal(en.statusCode, 200);
    assert.match(en.body, /<th scope="col">Badge<\/th>/);
    assert.match(en.body, /<th scope="col">Arrival<\/th>/);
    assert.match(rowOf(en.body, 'Ama'), /Collected/);
    assert.match(rowOf(en.body, 'Ama'), /Checked in Monday, 6 July 2026 at 09:12/);
    assert.match(rowOf(en.body, 'Kofi'), /Printed, to collect/);
    assert.match(rowOf(en.body, 'Kofi'), /Not checked in/);
    assert.match(rowOf(en.body, 'Yaw'), /No badge yet/);
    const ar = await c.inject({ method: 'GET', url: '/ar/focal-point/delegation?event=wsis-forum-2026' });
    assert.match(rowOf(ar.body, 'Ama'), /استُلمت/);
    assert.match(rowOf(ar.body, 'Ama'), /دخل في [^<]*09:12/);
    const csv = await c.inject({ method: 'GET', url: '/en/focal-point/delegation.csv?event=wsis-forum-2026' });
    assert.equal(csv.statusCode, 200);
    const [head, ...lines] = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.match(head, /,"badge","arrival"$/);
    const ama = lines.find((l) => l.includes('Ama'));
    assert.match(ama ?? '', /,"collected","2026-07-06T07:12:00\.000Z"$/);
    assert.match(lines.find((l) => l.includes('Yaw')) ?? '', /,"none",""$/);
  });
});
