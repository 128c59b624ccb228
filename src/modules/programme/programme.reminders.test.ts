import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, gt, max } from 'drizzle-orm';
import { createPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { jobs } from '../../platform/platform.schema.js';
import { registrations } from '../registration/registration.schema.js';
import { sendRemoteReminders } from './programme.reminders.js';
import { agendaItems, sessions } from './programme.schema.js';

describe('the reminder before a session, for approved remote participants', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('one e-mail per person per session, in their language, Geneva time and the links; nobody else', async () => {
    const db = t.database.db;
    const [s] = await db.select().from(sessions).where(eq(sessions.code, 'HLT-09'));
    await db.update(sessions).set({ joinUrl: 'https://meet.example.org/j/hlt-09' }).where(eq(sessions.id, s!.id));
    const remote = await createPerson(t, { locale: 'es' });
    const inPerson = await createPerson(t);
    const now = t.clock.now();
    for (const [p, mode] of [
      [remote, 'remote'],
      [inPerson, 'in_person'],
    ] as const) {
      await db.insert(registrations).values({
        personId: p.id,
        eventId: s!.eventId,
        mode,
        state: 'approved',
        registeredBy: p.id,
        submittedAt: now,
        updatedAt: now,
      });
      await db.insert(agendaItems).values({ personId: p.id, sessionId: s!.id, addedAt: now });
    }
    const mark = Number((await db.select({ m: max(jobs.id) }).from(jobs))[0]?.m ?? 0);
    // Two hours before: not yet. Forty and thirty minutes before: once.
    assert.equal(await sendRemoteReminders(db, new Date(s!.startsAt.getTime() - 120 * 60_000)), 0);
    assert.equal(await sendRemoteReminders(db, new Date(s!.startsAt.getTime() - 40 * 60_000)), 1);
    assert.equal(await sendRemoteReminders(db, new Date(s!.startsAt.getTime() - 30 * 60_000)), 0);
    const mails = (
      await db
        .select()
        .from(jobs)
        .where(and(gt(jobs.id, mark), eq(jobs.kind, 'mail.send')))
    ).map((j) => j.payload as { to: string; locale: string; template: string; params: Record<string, string> });
    assert.deepEqual(
      mails.map((m) => [m.to, m.locale, m.template]),
      [[remote.email, 'es', 'programme_reminder']],
    );
    assert.match(mails[0]!.params.links!, /https:\/\/meet\.example\.org\/j\/hlt-09/);
    assert.match(mails[0]!.params.when!, /8 de julio de 2026.*CEST, UTC\+2/);
    // After the start, nothing more.
    assert.equal(await sendRemoteReminders(db, new Date(s!.startsAt.getTime() + 60_000)), 0);
  });
});
