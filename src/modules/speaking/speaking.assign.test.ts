/**
 * Assigning accepted requests to sessions: only a session of the request's High-Level Track event (or of an event
 * nested in it) that takes the request's kind — in the service, through the API and on the secretariat's page —
 * and the public session page and sessions API list the assigned speakers in the speakers' list's order.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { TEST_NOW } from '../../../test/helpers/db.js';
import { DomainError } from '../../platform/errors.js';
import { LOCALES, type Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { auditLog } from '../../platform/platform.schema.js';
import type { PersonActor } from '../../platform/context.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { speakingRequests } from './speaking.schema.js';
import type { Rank, SpeakingKind } from './speaking.rules.js';
import { assignSpeakingRequest, listTrackSessions } from './speaking.service.js';

const EVENT = 'wsis-high-level-track-2026';

describe('assigning speakers to sessions that fit', () => {
  let t: TestApp;
  let staff: PersonActor;
  let hlt: number;
  const entityIds: number[] = [];
  let next = 0;

  /** An accepted request of this kind, from an entity that has none yet (one live request per entity per kind). */
  const accepted = async (kind: SpeakingKind, rank: Rank = 'minister', name = `Speaker${next}`, at = TEST_NOW) => {
    const [row] = await t.database.db
      .insert(speakingRequests)
      .values({
        eventId: hlt,
        entityId: entityIds[next++],
        kind,
        state: 'accepted',
        givenName: name,
        familyName: 'TEST',
        givenNameLatin: name,
        familyNameLatin: 'TEST',
        rank,
        language: 'en',
        submittedBy: staff.id,
        submittedAt: at,
        decidedBy: staff.id,
        decidedAt: TEST_NOW,
        updatedAt: TEST_NOW,
      })
      .returning();
    return row.id;
  };
  const ctx = (locale: Locale = 'en') => ({ ...t.ctx({ actor: staff, locale }), db: t.database.db });
  const refusal = async (id: string, session: string, locale: Locale = 'en') => {
    try {
      await assignSpeakingRequest(ctx(locale), id, session);
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
    assert.fail(`${session} was accepted`);
  };
  const sessionOf = async (id: string) =>
    (await t.database.db.select().from(speakingRequests).where(eq(speakingRequests.id, id)))[0].sessionId;

  before(async () => {
    t = await buildTestApp();
    const person = await createPerson(t, { role: 'staff', capabilities: ['speaking.review'] });
    staff = {
      kind: 'person',
      id: person.id,
      role: 'staff',
      capabilities: ['speaking.review'],
      focalPointOf: [],
      entityId: null,
      via: 'session',
    };
    [{ id: hlt }] = await t.database.db.select({ id: events.id }).from(events).where(eq(events.slug, EVENT));
    const states = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.kind, 'member_state'))
      .orderBy(entities.code)
      .limit(40);
    entityIds.push(...states.map((e) => e.id));
  });
  after(() => t.close());
  beforeEach(() => t.clock.set(TEST_NOW));

  it('each kind goes to the sessions that take it and is refused elsewhere with speaking_session_mismatch; a session outside the track is session_not_in_event', async () => {
    const cases: [SpeakingKind, Rank, string, string[]][] = [
      ['policy_statement', 'minister', 'HLT-04', ['HLT-01', 'HLT-13', 'RR-01', 'HLT-08']],
      ['high_level_session', 'minister', 'HLT-01', ['HLT-04', 'HLT-13', 'RR-01', 'HLT-08']],
      ['ministerial_roundtable', 'minister', 'HLT-13', ['HLT-04', 'HLT-01', 'RR-01']],
      ['regulators_roundtable', 'head_of_regulator', 'RR-01', ['HLT-13', 'HLT-04', 'HLT-01']],
    ];
    for (const [kind, rank, fits, others] of cases) {
      const id = await accepted(kind, rank);
      for (const code of others) {
        const e = await refusal(id, code);
        assert.equal(e.code, 'speaking_session_mismatch', `${kind} → ${code}`);
        assert.equal(e.status, 409);
        assert.equal(e.params.code, code);
        assert.equal(e.params.kind, kind);
        assert.equal(await sessionOf(id), null, 'a refusal leaves the request where it was');
      }
      const done = await assignSpeakingRequest(ctx(), id, fits);
      assert.ok(done.sessionId != null, `${kind} → ${fits}`);
      const [s] = await listTrackSessions(t.ctx(), EVENT).then((l) => l.filter((x) => x.code === fits));
      assert.equal(done.sessionId, s.id);
      // Once placed, a refused move elsewhere keeps the speaker in their session.
      assert.equal((await refusal(id, others[0])).code, 'speaking_session_mismatch');
      assert.equal(await sessionOf(id), s.id);
    }
    // Sessions of another event, and of the Forum the track belongs to (a parent, not a nested event).
    const id = await accepted('policy_statement');
    assert.equal((await refusal(id, 'GDAI-01')).code, 'session_not_in_event');
    assert.equal(
      (await refusal(id, 'WSIS-101')).code,
      'session_not_in_event',
      'a statement session of the Forum itself',
    );
    const trail = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'speaking.assigned'), eq(auditLog.subjectId, id)));
    assert.equal(trail.length, 0, 'nothing audited for a refusal');
  });

  it('the refusal is in the user’s language, in all six, naming the session and the kind', async () => {
    const id = await accepted('regulators_roundtable', 'head_of_regulator');
    for (const locale of LOCALES) {
      const e = await refusal(id, 'HLT-13', locale);
      const message = translate(locale, `errors.${e.code}`, e.params);
      assert.notEqual(message, `errors.${e.code}`, `${locale} has the message`);
      assert.ok(message.includes('HLT-13'), message);
      assert.ok(message.includes(translate(locale, 'speaking.kind.regulators_roundtable')), `${locale}: ${message}`);
    }
  });

  it('lists the track’s sessions with the kinds each takes: the prizes ceremony takes none', async () => {
    const kinds = new Map((await listTrackSessions(t.ctx(), EVENT)).map((s) => [s.code, s.kinds]));
    assert.deepEqual(kinds.get('HLT-04'), ['policy_statement']);
    assert.deepEqual(kinds.get('HLT-01'), ['high_level_session']);
    assert.deepEqual(kinds.get('HLT-13'), ['ministerial_roundtable']);
    assert.deepEqual(kinds.get('RR-01'), ['regulators_roundtable']);
    assert.deepEqual(kinds.get('HLT-08'), []);
    assert.equal(kinds.has('GDAI-01'), false);
  });

  describe('over HTTP', () => {
    let sec: Client;
    const post = (c: Client, url: string, payload: unknown, headers: Record<string, string> = {}) =>
      c.inject({
        method: 'POST',
        url,
        payload: payload as Record<string, unknown>,
        headers: { 'x-csrf-token': c.csrf, ...headers },
      });
    before(async () => {
      sec = await client(t, await createPerson(t, { role: 'staff', capabilities: ['speaking.review'] }));
    });

    it('the API refuses a session that does not fit (in the caller’s language) and assigns one that does', async () => {
      const id = await accepted('ministerial_roundtable');
      const refused = await post(
        sec,
        `/api/v1/speaking-requests/${id}/session`,
        { session: 'RR-01' },
        { 'accept-language': 'fr' },
      );
      assert.equal(refused.statusCode, 409, refused.body);
      assert.equal(refused.json().code, 'speaking_session_mismatch');
      assert.equal(
        refused.json().title,
        'La séance RR-01 n’accueille pas les demandes de ce type (Table ronde ministérielle) : choisissez l’une des séances proposées pour ce type.',
      );
      assert.equal(await sessionOf(id), null);
      const ok = await post(sec, `/api/v1/speaking-requests/${id}/session`, { session: 'HLT-13' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().session, 'HLT-13');
      const queue = (
        await sec.inject({ url: `/api/v1/events/${EVENT}/speaking-queue?kind=ministerial_roundtable&state=accepted` })
      ).json().requests;
      assert.equal(queue.find((r: { id: string }) => r.id === id).session, 'HLT-13');
    });

    it('the review page offers each accepted request only the sessions that fit it', async () => {
      const statement = await accepted('policy_statement');
      const regulator = await accepted('regulators_roundtable', 'head_of_regulator');
      const page = await sec.inject({ url: '/en/secretariat/speaking?state=accepted' });
      assert.equal(page.statusCode, 200);
      const offered = (id: string) => {
        const row = new RegExp(`<tr data-id="${id}">([\\s\\S]*?)</tr>`).exec(page.body)?.[1] ?? '';
        const select = /<select[^>]*name="session"[^>]*>([\s\S]*?)<\/select>/.exec(row)?.[1] ?? '';
        return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean);
      };
      assert.deepEqual(offered(statement), ['HLT-04', 'HLT-09', 'HLT-14', 'HLT-17']);
      assert.deepEqual(offered(regulator), ['RR-01']);
      // The form posts to the same service: a forged choice is refused there too.
      const forged = await sec.inject({
        method: 'POST',
        url: `/en/secretariat/speaking/${statement}/assign`,
        form: { session: 'HLT-01' },
      });
      assert.equal(forged.statusCode, 409);
      assert.match(forged.body, /Session HLT-01 does not take requests of this kind \(Policy statement\)/);
      assert.equal(await sessionOf(statement), null);
    });

    it('the public session page and the sessions API list the assigned speakers in the speakers’ list order, hand moves included', async () => {
      const day = (d: number) => new Date(`2026-04-${d}T09:00:00+02:00`);
      const ambassador = await accepted('policy_statement', 'ambassador', 'Ambassador', day(10));
      const minister = await accepted('policy_statement', 'minister', 'Minister', day(12));
      const head = await accepted('policy_statement', 'head_of_state', 'Head', day(14));
      const deputy = await accepted('policy_statement', 'deputy_minister', 'Deputy', day(11));
      for (const id of [ambassador, minister, head, deputy])
        assert.equal(
          (await post(sec, `/api/v1/speaking-requests/${id}/session`, { session: 'HLT-09' })).statusCode,
          200,
        );

      const listed = async () =>
        (await sec.inject({ url: '/api/v1/sessions/HLT-09/speakers-list' }))
          .json()
          .speakers.map((s: { speaker: { nameLatin: string } }) => s.speaker.nameLatin);
      const api = async (url: string) => {
        const res = await t.app.inject({ url });
        const s = url.includes('/events/')
          ? res.json().sessions.find((x: { code: string }) => x.code === 'HLT-09')
          : res.json();
        return s.speakers
          .map((p: { nameLatin: string | null }) => p.nameLatin)
          .filter((n: string | null) => n?.endsWith(' TEST'));
      };
      const page = async () => {
        const body = (await t.app.inject({ url: '/en/sessions/HLT-09' })).body;
        return ['Head TEST', 'Minister TEST', 'Deputy TEST', 'Ambassador TEST']
          .filter((n) => body.includes(n))
          .sort((a, b) => body.indexOf(a) - body.indexOf(b));
      };

      assert.deepEqual(await listed(), ['Head TEST', 'Minister TEST', 'Deputy TEST', 'Ambassador TEST']);
      for (const got of [
        await api('/api/v1/sessions/HLT-09'),
        await api(`/api/v1/events/${EVENT}/sessions`),
        await page(),
      ])
        assert.deepEqual(got, await listed());

      // A move by hand, after the pages were served (and cached): they follow the list.
      assert.equal(
        (
          await post(sec, `/api/v1/speaking-requests/${ambassador}/position`, {
            position: 1,
            reason: 'Opens for the host country',
          })
        ).statusCode,
        200,
      );
      assert.deepEqual(await listed(), ['Ambassador TEST', 'Head TEST', 'Minister TEST', 'Deputy TEST']);
      for (const got of [
        await api('/api/v1/sessions/HLT-09'),
        await api(`/api/v1/events/${EVENT}/sessions`),
        await page(),
      ])
        assert.deepEqual(got, await listed());
    });
  });
});
