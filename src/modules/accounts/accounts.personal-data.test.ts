import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, eq, isNull } from 'drizzle-orm';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client, type TestPerson } from '../../../test/helpers/actors.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import { badges, issueMissingBadges } from '../badges/index.js';
import { entities } from '../entities/index.js';
import {
  decideRegistration,
  issueVisaLetter,
  personPhotos,
  requestVisaLetter,
  savePhoto,
  submitRegistration,
  visaRequests,
} from '../registration/index.js';
import { speakingRequests } from '../speaking/index.js';
import { submitSpeakingRequest } from '../speaking/index.js';
import { authSessions, people } from './accounts.schema.js';
import { onPersonExport } from './accounts.service.js';

/**
 * The export holds what every module keeps about a person (registered by each module with `onPersonExport`), no
 * credential and nobody else's data; after erasure it shows nothing personal.
 */
describe('accounts: personal data export across modules, and erasure', () => {
  let t: TestApp;
  let kenya: number;
  let subject: TestPerson;
  let other: TestPerson;
  let dfp: TestPerson;
  let admin: Client;
  let door: Client;
  let badgeToken: string;
  let photoBase64: string;
  let regId: string;
  const names = {
    givenName: 'Wanjikũ',
    familyName: 'Njoroge-Ñuñez',
    givenNameLatin: 'Wanjiku',
    familyNameLatin: 'Njoroge-Nunez',
  };
  const passport = {
    passportName: 'NJOROGE-NUNEZ Wanjiku',
    passportNumber: 'AK7654321',
    nationality: 'KE',
    dateOfBirth: '1983-11-17',
    visaPlace: 'Embassy of Switzerland, Nairobi',
    letterLocale: 'en' as const,
  };
  const otherNames = { givenName: 'Oluwaseun', familyName: 'Adébáyọ̀' };

  const as = (actor: Partial<PersonActor> & { id: string }): Ctx & { db: Db } => ({
    db: t.database.db,
    locale: 'en',
    now: t.clock.now(),
    actor: {
      kind: 'person',
      role: 'participant',
      capabilities: [],
      focalPointOf: [],
      entityId: null,
      via: 'session',
      ...actor,
    },
  });
  const reviewer = () => as({ id: 'reviewer', role: 'staff', capabilities: ['registration.review'] });

  async function registerWithPhoto(p: TestPerson, colour: number) {
    const me = as({ id: p.id, entityId: kenya });
    const [r] = (
      await submitRegistration(me, {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    await decideRegistration(reviewer(), r.id, { decision: 'approve' });
    const jpeg = await sharp({
      create: { width: 300, height: 400, channels: 3, background: { r: colour, g: 120, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    await savePhoto(me, p.id, jpeg, 'image/jpeg');
    return r.id;
  }

  before(async () => {
    t = await buildTestApp();
    [{ id: kenya }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'KE'));
    admin = await client(t, await createPerson(t, { role: 'admin' }));
    door = await client(t, await createPerson(t, { role: 'staff', capabilities: ['checkin.scan'] }));
    dfp = await createPerson(t, { entityId: kenya, focalPointOf: [kenya] });

    subject = await createPerson(t, { entityId: kenya });
    // The person sets their names through the account page, as they would (the audit trail then holds them too).
    const self = await client(t, subject);
    const saved = await self.inject({
      method: 'POST',
      url: '/en/account',
      form: {
        ...names,
        honorific: 'Dr',
        jobTitle: 'Director of ICT',
        preferredLocale: 'en',
        nationality: 'KE',
        function: 'technical_expert',
        entityId: String(kenya),
      },
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const signedIn = await (await client(t)).inject({
      method: 'POST',
      url: '/en/sign-in',
      form: { email: subject.email, password: subject.password },
      headers: { 'user-agent': 'Firefox/140 (Kenya test)' },
    });
    assert.equal(signedIn.statusCode, 303, 'a session with an address and a browser');
    regId = await registerWithPhoto(subject, 40);
    photoBase64 = (
      await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, subject.id))
    )[0].jpeg.toString('base64');
    const visa = await requestVisaLetter(as({ id: subject.id, entityId: kenya }), regId, passport);
    await issueVisaLetter(reviewer(), visa.request.id);
    await submitSpeakingRequest(
      as({ id: dfp.id, entityId: kenya, focalPointOf: [kenya] }),
      'wsis-high-level-track-2026',
      {
        speakerPersonId: subject.id,
        honorific: '',
        givenName: '',
        familyName: '',
        givenNameLatin: '',
        familyNameLatin: '',
        title: 'Director of ICT',
        rank: 'other',
        speakerLocale: 'en',
        entityId: kenya,
        kind: 'high_level_session',
        language: 'en',
        abstract: 'Rural connectivity in the Rift Valley',
      } as never,
    );
    await issueMissingBadges(t.database.db, t.clock.now(), [subject.id]);
    [{ token: badgeToken }] = await t.database.db
      .select({ token: badges.token })
      .from(badges)
      .where(and(eq(badges.personId, subject.id), isNull(badges.revokedAt)));
    // The doors open on the event's days: scan on the Forum's third day, then come back.
    const clockBefore = t.clock.now();
    await t.database.db.update(authSessions).set({ expiresAt: new Date('2027-01-01T00:00:00Z') });
    t.clock.set(new Date('2026-07-08T09:00:00+02:00'));
    const scanned = await door.inject({
      method: 'POST',
      url: '/api/v1/checkin/scan',
      payload: { scanId: randomUUID(), code: badgeToken, checkpoint: 'event:wsis-forum-2026', deviceId: 'gate-a' },
      headers: { 'x-csrf-token': door.csrf },
    });
    assert.equal(scanned.json().result, 'admitted', scanned.body);
    t.clock.advance(60_000);
    const again = await door.inject({
      method: 'POST',
      url: '/api/v1/checkin/scan',
      payload: { scanId: randomUUID(), code: badgeToken, checkpoint: 'event:wsis-forum-2026', deviceId: 'gate-b' },
      headers: { 'x-csrf-token': door.csrf },
    });
    assert.equal(again.json().result, 'refused');
    t.clock.set(clockBefore);

    // Someone else of the same entity, with data of every kind: none of it may appear in the subject's export.
    other = await createPerson(t, { entityId: kenya });
    await t.database.db.update(people).set(otherNames).where(eq(people.id, other.id));
    const otherReg = await registerWithPhoto(other, 200);
    await requestVisaLetter(as({ id: other.id, entityId: kenya }), otherReg, {
      ...passport,
      passportName: 'ADEBAYO Oluwaseun',
      passportNumber: 'ZX0000001',
    });
    await issueMissingBadges(t.database.db, t.clock.now(), [other.id]);
  });
  after(() => t.close());

  it('a person downloads everything held about them as one JSON document: registrations, photo, visa, speaking, badges, scans', async () => {
    const self = await client(t, subject);
    const res = await self.inject({ method: 'GET', url: '/en/account/export.json' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-disposition'] as string, /attachment/);
    assert.equal(res.headers['cache-control'], 'no-store');
    const data = res.json();

    assert.equal(data.person.givenName, names.givenName);
    assert.equal(data.person.familyNameLatin, names.familyNameLatin);

    assert.equal(data.registrations.length, 1);
    const [reg] = data.registrations;
    assert.equal(reg.id, regId);
    assert.equal(reg.event, 'wsis-forum-2026');
    assert.equal(reg.mode, 'in_person');
    assert.equal(reg.state, 'approved');
    assert.equal(reg.function, 'technical_expert');
    assert.equal(reg.stakeholderType, 'government');
    assert.equal(reg.registeredBySelf, true);
    assert.ok(reg.submittedAt && reg.decidedAt);
    assert.match(reg.reference, /^R-[0-9A-F]{8}$/);

    assert.equal(data.photo.contentType, 'image/jpeg');
    assert.equal(data.photo.dataUrl, `data:image/jpeg;base64,${photoBase64}`);
    const decoded = await sharp(Buffer.from(data.photo.dataUrl.split(',')[1], 'base64')).metadata();
    assert.equal(decoded.format, 'jpeg');
    assert.equal(decoded.width, data.photo.width);

    assert.equal(data.visaRequests.length, 1);
    const [visa] = data.visaRequests;
    assert.equal(visa.passportNumber, passport.passportNumber);
    assert.equal(visa.passportName, passport.passportName);
    assert.equal(visa.dateOfBirth, passport.dateOfBirth);
    assert.equal(visa.visaPlace, passport.visaPlace);
    assert.equal(visa.state, 'issued');
    assert.match(visa.letterReference, /^WSIS26\/VISA\/\d{6}$/);
    assert.ok(visa.letterIssuedAt);
    assert.equal(
      visa.pdf,
      undefined,
      'the letter itself is downloaded from the registration page, not carried in the export',
    );

    assert.equal(data.speakingRequests.length, 1);
    const [sr] = data.speakingRequests;
    assert.equal(sr.youAreSpeaker, true);
    assert.equal(sr.youSubmitted, false);
    assert.equal(sr.kind, 'high_level_session');
    assert.equal(sr.speaker.givenName, names.givenName, 'copied from the profile when the focal point named them');
    assert.equal(sr.abstract, 'Rural connectivity in the Rift Valley');

    assert.equal(data.badges.length, 1);
    assert.ok(data.badges[0].category);
    assert.ok(data.badges[0].issuedAt);
    assert.equal(data.badges[0].token, undefined);
    assert.equal(data.badges[0].searchKey, undefined);
    assert.ok(!res.body.includes(badgeToken), 'the badge token opens doors: never in a download');

    assert.deepEqual(
      data.scans.map((s: { checkpoint: string; result: string }) => [s.checkpoint, s.result]),
      [
        ['event:wsis-forum-2026', 'admitted'],
        ['event:wsis-forum-2026', 'refused'],
      ],
    );
    assert.ok(
      data.scans.every((s: { scannedAt: string; badgeId: number }) => s.scannedAt && s.badgeId === data.badges[0].id),
    );

    assert.ok(!res.body.includes('passwordHash') && !res.body.includes('scrypt'), 'no password hash');
    assert.ok(!res.body.includes(subject.sessionToken), 'no session token');
    for (const s of [otherNames.givenName, otherNames.familyName, 'ZX0000001', 'ADEBAYO', other.email, other.id])
      assert.ok(!res.body.includes(s), `nothing of another person: ${s}`);
    const otherPhoto = (
      await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, other.id))
    )[0].jpeg.toString('base64');
    assert.ok(!res.body.includes(otherPhoto), 'not the other person’s photo');

    const api = await self.inject({ method: 'GET', url: '/api/v1/me/export' });
    assert.equal(api.statusCode, 200);
    assert.deepEqual(Object.keys(api.json()).sort(), Object.keys(data).sort(), 'the API gives the same document');
  });

  it('the focal point who submitted the request sees it in their export, without the speaker’s personal details', async () => {
    const res = await (await client(t, dfp)).inject({ method: 'GET', url: '/api/v1/me/export' });
    const [sr] = res.json().speakingRequests;
    assert.equal(sr.youSubmitted, true);
    assert.equal(sr.youAreSpeaker, false);
    assert.equal(sr.speaker, undefined);
    for (const s of [names.givenName, names.familyNameLatin, 'Rift Valley', passport.passportNumber])
      assert.ok(!res.body.includes(s), s);
  });

  it('a section name is taken once', () => {
    assert.throws(() => onPersonExport('photo', async () => null), /taken/);
    assert.throws(() => onPersonExport('person', async () => null), /taken/);
  });

  it('after erasure the export shows no names, no address, no passport details, no photo; the other person keeps theirs', async () => {
    const erased = await admin.inject({
      method: 'POST',
      url: `/api/v1/people/${subject.id}/erase`,
      headers: { 'x-csrf-token': admin.csrf },
    });
    assert.equal(erased.statusCode, 204, erased.body);

    // What each module's erasure hook did, read from the tables.
    assert.equal(
      (await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, subject.id))).length,
      0,
    );
    const [v] = await t.database.db.select().from(visaRequests).where(eq(visaRequests.registrationId, regId));
    assert.deepEqual(
      [v.passportName, v.passportNumber, v.passportExpiry, v.dateOfBirth, v.visaPlace, v.pdf],
      ['', '', null, '', '', null],
    );
    const [s] = await t.database.db
      .select()
      .from(speakingRequests)
      .where(eq(speakingRequests.speakerPersonId, subject.id));
    assert.deepEqual(
      [s.givenName, s.familyName, s.givenNameLatin, s.familyNameLatin, s.title, s.speakerEmail, s.abstract],
      ['', '', '', '', '', null, ''],
    );
    const [b] = await t.database.db.select().from(badges).where(eq(badges.personId, subject.id));
    assert.ok(b.revokedAt);
    assert.equal(b.searchKey, '');

    const res = await admin.inject({ method: 'GET', url: `/api/v1/people/${subject.id}/export` });
    assert.equal(res.statusCode, 200);
    const data = res.json();
    assert.ok(data.person.erasedAt);
    assert.equal(data.photo, null);
    assert.equal(data.visaRequests[0].passportNumber, '');
    assert.equal(data.visaRequests[0].letterReference, v.reference, 'the letter’s reference stays: it names no one');
    assert.ok(data.badges[0].revokedAt);
    for (const x of [
      ...Object.values(names),
      subject.email,
      'Director of ICT',
      passport.passportNumber,
      passport.passportName,
      passport.dateOfBirth,
      'Rift Valley',
      photoBase64,
      'data:image',
    ]) {
      assert.ok(
        !res.body.includes(x),
        `nothing personal after erasure: ${x} in ${res.body.slice(Math.max(0, res.body.indexOf(x) - 300), res.body.indexOf(x) + 100)}`,
      );
    }
    assert.ok(!res.body.includes(badgeToken));
    assert.ok(data.sessions.length >= 2);
    assert.ok(
      data.sessions.every((x: { ip: string | null; userAgent: string }) => x.ip === null && x.userAgent === ''),
      'no address or browser of theirs',
    );
    const trail = data.auditTrail as {
      actor: string;
      action: string;
      ip: string | null;
      changes: Record<string, unknown>;
    }[];
    assert.ok(trail.filter((a) => a.actor === subject.id || a.actor.startsWith('system:')).every((a) => a.ip === null));
    const profile = trail.find((a) => a.action === 'accounts.profile_updated')!;
    assert.deepEqual(profile.changes.givenName, [null, null], 'the audit keeps that the name changed, not the names');
    assert.deepEqual(profile.changes.nationality, [null, 'KE'], 'what statistics keep stays');
    assert.ok(trail.some((a) => a.action === 'accounts.erased'));

    const kept = await admin.inject({ method: 'GET', url: `/api/v1/people/${other.id}/export` });
    assert.equal(kept.json().person.givenName, otherNames.givenName);
    assert.equal(kept.json().visaRequests[0].passportNumber, 'ZX0000001');
    assert.ok(kept.json().photo.dataUrl.startsWith('data:image/jpeg;base64,'));
  });
});
