import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { count, eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { loadSeed } from '../../seed/load-seed.js';
import { auditLog } from '../../platform/platform.schema.js';
import { getContentVersion } from '../../platform/content-version.js';
import { genevaDate, genevaInstant } from '../../platform/i18n/format.js';
import type { DomainError } from '../../platform/errors.js';
import { actionLines, sessions } from './programme.schema.js';
import { findSessions, getSession, rescheduleSession } from './programme.service.js';

describe('programme service on the seeded summit', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());

  it('the seed holds the week: ≥60 sessions over the five days, the eleven Action Lines', async () => {
    const all = await findSessions(t.ctx(), {});
    assert.ok(all.length >= 60, `${all.length} sessions`);
    const days = new Set(all.map((s) => genevaDate(s.startsAt)));
    assert.deepEqual([...days].sort(), ['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10']);
    const [{ n }] = await t.database.db.select({ n: count() }).from(actionLines);
    assert.equal(n, 11);
  });

  it('loading the seed again adds nothing and keeps later edits', async () => {
    const [s] = await t.database.db.select().from(sessions).limit(1);
    await t.database.db
      .update(sessions)
      .set({ title: { en: 'Edited by the secretariat' } })
      .where(eq(sessions.id, s.id));
    assert.equal(await loadSeed(t.database.db, t.clock.now()), 0);
    const [again] = await t.database.db.select().from(sessions).where(eq(sessions.id, s.id));
    assert.deepEqual(again.title, { en: 'Edited by the secretariat' });
  });

  it('filters by day in Geneva time', async () => {
    const list = await findSessions(t.ctx(), { day: '2026-07-09' });
    assert.ok(list.length >= 8);
    for (const s of list) assert.equal(genevaDate(s.startsAt), '2026-07-09');
  });

  it('an event includes the events nested in it (the High-Level Track and its Regulators’ Roundtable)', async () => {
    const wsis = await findSessions(t.ctx(), { event: 'wsis-forum-2026' });
    const hlt = await findSessions(t.ctx(), { event: 'wsis-high-level-track-2026' });
    const rr = await findSessions(t.ctx(), { event: 'regulators-roundtable-2026' });
    assert.ok(rr.length >= 1);
    for (const s of rr) assert.equal(genevaDate(s.startsAt), '2026-07-09');
    const codes = new Set(wsis.map((s) => s.code));
    for (const s of [...hlt, ...rr]) assert.ok(codes.has(s.code), `${s.code} missing from the WSIS Forum`);
    assert.deepEqual(await findSessions(t.ctx(), { event: 'no-such-event' }), []);
  });

  it('filters by Action Line, room and track', async () => {
    const c5 = await findSessions(t.ctx(), { line: 'C5' });
    assert.ok(c5.length >= 1);
    for (const s of c5) assert.ok(s.actionLines.includes('C5'));
    const some = c5[0];
    if (some.room)
      for (const s of await findSessions(t.ctx(), { room: some.room.slug })) assert.equal(s.room?.slug, some.room.slug);
    if (some.track)
      for (const s of await findSessions(t.ctx(), { track: some.track.slug }))
        assert.equal(s.track?.slug, some.track.slug);
  });

  it('searches titles and speakers in every script, ignoring case and accents', async () => {
    const all = await findSessions(t.ctx(), {});
    const withSpeaker = all.find((s) => s.speakers.some((p) => /[^\x00-\x7F]/.test(p.name)))!;
    const speaker = withSpeaker.speakers.find((p) => /[^\x00-\x7F]/.test(p.name))!;
    const hits = await findSessions(t.ctx(), { q: speaker.name });
    assert.ok(
      hits.some((s) => s.code === withSpeaker.code),
      `searching ${speaker.name}`,
    );
    const title = all.find((s) => (s.title.en ?? '').length > 12)!;
    const word = title.title.en!.split(/\s+/).find((w) => w.length > 6)!;
    assert.ok((await findSessions(t.ctx(), { q: word.toUpperCase() })).some((s) => s.code === title.code));
    const arabic = all.find((s) => s.title.ar)!;
    const arWord = arabic.title.ar!.split(/\s+/).find((w) => w.length > 3)!;
    assert.ok((await findSessions(t.ctx(), { q: arWord })).some((s) => s.code === arabic.code));
    assert.deepEqual(await findSessions(t.ctx(), { q: '100%_\\' }), []);
  });

  it('reschedules a session: audited, visible at once, and never onto a taken room', async () => {
    const [a, b] = (await findSessions(t.ctx(), { day: '2026-07-10' })).filter((s) => s.room);
    const v0 = await getContentVersion(t.database.db);
    const updated = await rescheduleSession(
      { ...t.ctx(), db: t.database.db },
      {
        code: a.code,
        startsAt: genevaInstant('2026-07-10', '07:00'),
        endsAt: genevaInstant('2026-07-10', '08:00'),
      },
    );
    assert.equal(updated.startsAt.toISOString(), '2026-07-10T05:00:00.000Z');
    assert.equal(await getContentVersion(t.database.db), v0 + 1);
    const [entry] = await t.database.db.select().from(auditLog).where(eq(auditLog.subjectId, a.code));
    assert.equal(entry.action, 'programme.session_rescheduled');
    assert.equal(entry.actor, 'system:test');
    assert.deepEqual(entry.changes.startsAt, [a.startsAt.toISOString(), '2026-07-10T05:00:00.000Z']);

    await assert.rejects(
      rescheduleSession(
        { ...t.ctx(), db: t.database.db },
        { code: a.code, startsAt: b.startsAt, endsAt: b.endsAt, room: b.room!.slug },
      ),
      (e: DomainError) => e.code === 'room_conflict',
    );
    await assert.rejects(
      rescheduleSession({ ...t.ctx(), db: t.database.db }, { code: 'NOPE', startsAt: b.startsAt, endsAt: b.endsAt }),
      (e: DomainError) => e.code === 'session_not_found',
    );
    assert.equal(
      (await getSession(t.ctx(), a.code)).startsAt.toISOString(),
      '2026-07-10T05:00:00.000Z',
      'failed attempts changed nothing',
    );
  });
});
