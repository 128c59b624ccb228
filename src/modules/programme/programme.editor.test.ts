import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, gt, isNull, max } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createPerson } from '../../../test/helpers/actors.js';
import type { Ctx } from '../../platform/context.js';
import { auditLog } from '../../platform/platform.schema.js';
import { rooms } from '../events/events.schema.js';
import { entities } from '../entities/entities.schema.js';
import { speakingRequests } from '../speaking/speaking.schema.js';
import { SessionForm } from './programme.editor.input.js';
import { listConflicts, saveSessionDraft, cancelSession, formValuesOf, getEditable } from './programme.editor.js';
import { publishProgramme, listChanges } from './programme.publish.js';
import { findSessions, getSession } from './programme.service.js';
import { roomFacilities } from './programme.schema.js';
import type { Db } from '../../db/client.js';
import { agendaItems, sessions } from './programme.schema.js';
import { jobs } from '../../platform/platform.schema.js';
import { client } from '../../../test/helpers/actors.js';
import { webhookMessages } from '../webhooks/index.js';
import { sessionSpeakers } from './programme.schema.js';

/** A free slot of the seeded programme: the last evening, in the smallest room. */
const base = {
  event: 'wsis-forum-2026',
  room: 'room-kappa',
  day: '2026-07-10',
  start: '18:00',
  end: '19:00',
  format: 'workshop',
  title_en: 'Community networks in practice',
};
const form = (o: Record<string, unknown> = {}) => SessionForm.parse({ ...base, ...o });
/** The e-mails enqueued after job `after`. */
async function mailsAfter(t: TestApp, after: number) {
  const rows = await t.database.db
    .select()
    .from(jobs)
    .where(and(gt(jobs.id, after), eq(jobs.kind, 'mail.send')));
  return rows.map((r) => r.payload as { to: string; locale: string; params: Record<string, string> });
}
const lastJob = async (t: TestApp) => Number((await t.database.db.select({ m: max(jobs.id) }).from(jobs))[0]?.m ?? 0);

describe('programme editor: conflicts, overrides, publication', () => {
  let t: TestApp;
  let staff: Ctx & { db: Db };
  before(async () => {
    t = await buildTestApp();
    const p = await createPerson(t, { role: 'staff', capabilities: ['programme.edit'] });
    staff = {
      ...t.ctx(),
      db: t.database.db,
      actor: {
        kind: 'person',
        id: p.id,
        role: 'staff',
        capabilities: ['programme.edit'],
        focalPointOf: [],
        entityId: null,
        via: 'session',
      },
    };
  });
  after(() => t.close());
  const kinds = (r: { conflicts: { kind: string }[] }) => r.conflicts.map((c) => c.kind).sort();

  it('only programme editors may save drafts', async () => {
    await assert.rejects(saveSessionDraft({ ...staff, actor: { kind: 'anonymous' } }, null, form()), /unauthenticated/);
    const p = await createPerson(t);
    await assert.rejects(
      saveSessionDraft(
        {
          ...staff,
          actor: {
            kind: 'person',
            id: p.id,
            role: 'participant',
            capabilities: [],
            focalPointOf: [],
            entityId: null,
            via: 'session',
          },
        },
        null,
        form(),
      ),
      /forbidden/,
    );
  });

  it('a session without conflicts saves as a draft that the public does not see', async () => {
    const r = await saveSessionDraft(staff, null, form());
    assert.ok(r.ok);
    assert.deepEqual(r.conflicts, []);
    await assert.rejects(getSession(t.ctx(), r.code), /session_not_found/);
  });

  it('a room booked twice (by a draft too) blocks saving', async () => {
    const r = await saveSessionDraft(staff, null, form({ start: '18:30', end: '19:30', title_en: 'Overlap' }));
    assert.equal(r.ok, false);
    assert.deepEqual(kinds(r), ['room_double_booked']);
  });

  it('a speaker in two places at once across events (typed-in name, accents and case aside) blocks saving', async () => {
    // Doreen Bogdan-Martin opens the Global Dialogue (GDAI-01, 6 July 09:30–11:00, another event).
    const r = await saveSessionDraft(
      staff,
      null,
      form({ day: '2026-07-06', start: '10:00', end: '10:30', sp0_given: 'DOREEN', sp0_family: 'Bogdan-Martin' }),
    );
    assert.equal(r.ok, false);
    assert.deepEqual(kinds(r), ['person_double_booked']);
    assert.equal(r.conflicts[0]!.other, 'GDAI-01');
  });

  it('a person with an account in two sessions at once blocks saving', async () => {
    const speaker = await createPerson(t);
    const a = await saveSessionDraft(
      staff,
      null,
      form({ room: 'room-k', day: '2026-07-09', sp0_email: speaker.email }),
    );
    assert.ok(a.ok);
    const b = await saveSessionDraft(
      staff,
      null,
      form({ room: 'room-e', day: '2026-07-09', start: '18:30', sp0_email: speaker.email, sp0_kind: 'moderator' }),
    );
    assert.equal(b.ok, false);
    assert.deepEqual(kinds(b), ['person_double_booked']);
    assert.equal(b.conflicts[0]!.other, a.ok ? a.code : '');
  });

  it('outside the event’s days, outside the venue’s hours, above the room’s capacity', async () => {
    assert.deepEqual(kinds(await saveSessionDraft(staff, null, form({ day: '2026-07-12' }))), ['outside_event_days']);
    assert.deepEqual(kinds(await saveSessionDraft(staff, null, form({ start: '07:00', end: '08:30' }))), [
      'outside_venue_hours',
    ]);
    assert.deepEqual(kinds(await saveSessionDraft(staff, null, form({ start: '19:30', end: '20:30' }))), [
      'outside_venue_hours',
    ]);
    assert.deepEqual(
      kinds(
        await saveSessionDraft(staff, null, form({ start: '08:00', end: '09:00', day: '2026-07-06', capacity: 151 })),
      ),
      ['capacity_above_room'],
    );
  });

  it('an interpretation language needs a booth in the room', async () => {
    const f = form({ day: '2026-07-06', start: '08:00', end: '08:45', interp: ['ar', 'zh'] });
    const r = await saveSessionDraft(staff, null, f);
    assert.deepEqual(
      r.conflicts.map((c) => `${c.kind}:${c.detail}`),
      ['interpretation_without_booth:ar', 'interpretation_without_booth:zh'],
    );
    const [room] = await t.database.db.select().from(rooms).where(eq(rooms.slug, 'room-kappa'));
    await t.database.db.insert(roomFacilities).values({ roomId: room!.id, booths: ['ar', 'zh', 'en'] });
    assert.ok((await saveSessionDraft(staff, null, f)).ok);
  });

  it('an accepted speaking request with no session is listed on the conflicts page', async () => {
    const [entity] = await t.database.db.select().from(entities).limit(1);
    const events = await t.database.db.select().from(sessions).limit(1);
    await t.database.db.insert(speakingRequests).values({
      eventId: events[0]!.eventId,
      entityId: entity!.id,
      kind: 'policy_statement',
      state: 'accepted',
      givenName: 'Ingrid',
      familyName: 'Unscheduled',
      rank: 'minister',
      language: 'en',
      submittedBy: 'test',
      submittedAt: t.clock.now(),
      updatedAt: t.clock.now(),
    });
    const all = await listConflicts(staff);
    assert.ok(all.some((c) => c.kind === 'accepted_speaker_unscheduled' && c.detail === 'Ingrid Unscheduled'));
    // The drafts saved above were saved without conflicts: the page lists nothing else.
    assert.deepEqual(
      all.map((c) => c.kind),
      ['accepted_speaker_unscheduled'],
    );
  });

  it('a conflict is saved only with a reason, and the override is audited with the conflicts it passed', async () => {
    const f = form({
      day: '2026-07-06',
      start: '10:00',
      end: '10:30',
      sp0_given: 'Doreen',
      sp0_family: 'Bogdan-Martin',
      override_reason: 'She opens both by video',
    });
    const r = await saveSessionDraft(staff, null, f);
    assert.ok(r.ok);
    assert.deepEqual(kinds(r), ['person_double_booked']);
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.conflict_overridden'), eq(auditLog.subjectId, r.code)));
    assert.equal((entry!.data as { reason: string }).reason, 'She opens both by video');
    assert.equal((entry!.data as { conflicts: { other: string }[] }).conflicts[0]!.other, 'GDAI-01');
  });

  it('publishing makes drafts public, records a version with what changed, and writes one e-mail per person', async () => {
    const code = 'GDAI-01';
    const reader = await createPerson(t, { locale: 'fr' });
    const speaker = await createPerson(t, { locale: 'ar' });
    const s = await getSession(t.ctx(), code);
    await t.database.db.insert(agendaItems).values({ personId: reader.id, sessionId: s.id, addedAt: t.clock.now() });
    // Two drafts touching the reader's session and a new one for the speaker: each person gets one message.
    const moved = await saveSessionDraft(staff, code, {
      ...form({
        event: 'global-dialogue-ai-governance-2026',
        room: 'room-c',
        track: s.track?.slug,
        day: '2026-07-06',
        start: '09:45',
        end: '11:00',
        format: 'dialogue',
        ...Object.fromEntries(Object.entries(s.title).map(([l, x]) => [`title_${l}`, x])),
        ...Object.fromEntries(Object.entries(s.description).map(([l, x]) => [`desc_${l}`, x])),
        sp0_given: 'Doreen',
        sp0_family: 'Bogdan-Martin',
        sp1_email: speaker.email,
        override_reason: 'She opens both by video',
      }),
    });
    assert.ok(moved.ok, JSON.stringify(moved.conflicts));
    const before = await lastJob(t);
    const res = await publishProgramme(staff);
    assert.ok(res.versionId);
    const change = res.changes.find((c) => c.code === code)!;
    assert.equal(change.kind, 'changed');
    assert.deepEqual(change.fields, ['time', 'speakers']);
    const mails = await mailsAfter(t, before);
    const to = mails.map((m) => m.to).sort();
    assert.equal(to.filter((x) => x === reader.email).length, 1, 'one e-mail to the agenda holder');
    assert.equal(to.filter((x) => x === speaker.email).length, 1, 'one e-mail to the speaker');
    assert.equal(res.notified, to.length);
    const fr = mails.find((m) => m.to === reader.email)!;
    assert.equal(fr.locale, 'fr');
    assert.match(fr.params.changes!, /horaire, intervenants/);
    // Public at once, with the new speaker; the change log of the event lists it.
    const after = await getSession(t.ctx(), code);
    assert.equal(after.startsAt.toISOString(), '2026-07-06T07:45:00.000Z');
    assert.ok(after.speakers.some((p) => p.personId === speaker.id));
    const log = await listChanges(t.database.db, [s.eventId]);
    assert.equal(log[0]!.code, code);
    assert.deepEqual(log[0]!.fields, ['time', 'speakers']);
    const added = res.changes.filter((c) => c.kind === 'added');
    assert.ok(added.length >= 3);
    assert.ok((await findSessions(t.ctx(), { q: 'community networks in practice' })).length >= 1);
  });

  it('a second publication writes again, once per person; cancelling takes the session out of the programme', async () => {
    const code = 'GDAI-01';
    await cancelSession(staff, code);
    const before = await lastJob(t);
    const res = await publishProgramme(staff);
    assert.equal(res.changes[0]!.kind, 'cancelled');
    const to = (await mailsAfter(t, before)).map((m) => m.to);
    assert.equal(new Set(to).size, to.length);
    assert.equal(to.length, 2);
    await assert.rejects(getSession(t.ctx(), code), /session_not_found/);
    const gone = await t.database.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.code, code), isNull(sessions.cancelledAt)));
    assert.equal(gone.length, 0);
    await assert.rejects(publishProgramme(staff), /nothing_to_publish/);
  });
  it('publishing publishes programme.published to webhook subscribers, with the version and what changed', async () => {
    const admin = await client(t, await createPerson(t, { role: 'admin' }));
    const sub = await admin.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://erp.example.org/hooks', eventTypes: ['programme.published'] },
      headers: { 'x-csrf-token': admin.csrf },
    });
    assert.equal(sub.statusCode, 201, sub.body);
    const r = await saveSessionDraft(
      staff,
      null,
      form({ day: '2026-07-09', start: '19:00', end: '19:45', title_en: 'Evening' }),
    );
    assert.ok(r.ok);
    const res = await publishProgramme(staff, { codes: [r.code] });
    const msgs = (await t.database.db.select().from(webhookMessages)).filter((m) => m.type === 'programme.published');
    assert.equal(msgs.length, 1);
    const data = msgs[0]!.data as { versionId: number; changes: { code: string; kind: string }[] };
    assert.equal(data.versionId, res.versionId);
    assert.deepEqual(data.changes, [{ code: r.code, eventId: res.changes[0]!.eventId, kind: 'added', fields: [] }]);
  });

  it('SDGs are saved with the draft, published, filtered on and listed as a change', async () => {
    const r = await saveSessionDraft(
      staff,
      null,
      form({ day: '2026-07-07', start: '19:00', end: '19:45', title_en: 'Goals evening', sdgs: ['13', '4', '4'] }),
    );
    assert.ok(r.ok);
    await publishProgramme(staff, { codes: [r.code] });
    assert.deepEqual((await getSession(t.ctx(), r.code)).sdgs, [4, 13]);
    assert.deepEqual(
      (await findSessions(t.ctx(), { sdg: 13 })).map((s) => s.code),
      [r.code],
    );
    assert.equal((await findSessions(t.ctx(), { sdg: 5 })).length, 0);
    assert.throws(() => form({ sdgs: ['18'] }));
    const again = await saveSessionDraft(
      staff,
      r.code,
      form({ day: '2026-07-07', start: '19:00', end: '19:45', title_en: 'Goals evening', sdgs: ['13'] }),
    );
    assert.ok(again.ok);
    const res = await publishProgramme(staff, { codes: [r.code] });
    assert.deepEqual(res.changes[0]!.fields, ['sdgs']);
  });

  it('republishing a seeded session through the form keeps its speakers’ names in their parts', async () => {
    // HLT-09: an Arabic name, a Vietnamese one (family name first in Latin letters), Portuguese, German.
    const s = await getSession(t.ctx(), 'HLT-09');
    const before = s.speakers.filter((p) => p.position < 1000);
    assert.ok(before.length && before.every((p) => p.familyName), 'seeded speakers carry their name parts');
    // The form as the editor fills it, saved unchanged (override: the seed may hold its own clashes), then published.
    const e = await getEditable(staff, s.code);
    const values = await formValuesOf(t.database.db, e.data);
    const saved = await saveSessionDraft(staff, s.code, SessionForm.parse({ ...values, override_reason: 'as seeded' }));
    assert.ok(saved.ok);
    await publishProgramme(staff, { codes: [s.code] });
    const rows = await t.database.db.select().from(sessionSpeakers).where(eq(sessionSpeakers.sessionId, s.id));
    for (const b of before) {
      const a = rows.find((x) => x.position === b.position)!;
      assert.equal(a.familyName, b.familyName, `${b.name}: family name kept`);
      assert.equal(a.givenName, b.givenName, `${b.name}: given name kept`);
      assert.equal(a.name, b.name, `${b.name}: composed as before`);
      assert.equal(a.country, b.country);
    }
    assert.ok(rows.some((x) => x.name === 'Nguyễn Thị Hương' && x.familyName === 'Nguyễn'));
  });
});
