/** Photos, visa-support letters, VIPs registered by a focal point, editing, bulk decisions, restricted events, QR codes. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createPerson } from '../../../test/helpers/actors.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import type { DomainError } from '../../platform/errors.js';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { signingKey, verifySigned } from '../../platform/signing.js';
import { people } from '../accounts/index.js';
import { entities } from '../entities/index.js';
import { getPhoto, processPhoto, savePhoto } from './registration.photo.js';
import { personPhotos, visaRequests } from './registration.schema.js';
import {
  confirmationCode,
  decideBulk,
  decideRegistration,
  editRegistration,
  QR_PREFIX,
  registerVip,
  setRegistrationSettings,
  submitRegistration,
} from './registration.service.js';
import { erasePerson } from '../accounts/index.js';
import './registration.erasure.js';
import { issueVisaLetter, requestVisaLetter, resendVisaLetter, visaLetterPdf } from './registration.visa.js';

const code = (c: string) => (e: DomainError) => e.code === c;
const face = (w: number, h: number, format: 'jpeg' | 'png' | 'webp' = 'jpeg') =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 150, b: 120 } } })
    [format]()
    .toBuffer();

describe('badge photos', () => {
  it('re-encodes a JPEG: EXIF and GPS gone, at most 600 × 800, orientation applied', async () => {
    const withGps = await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#a08070' } })
      .withExif({ IFD0: { Make: 'Camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '46/1 12/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const input = await sharp(withGps).metadata();
    assert.ok(input.exif && input.orientation === 6, 'the input carries EXIF and an orientation');
    const out = await processPhoto(withGps, 'image/jpeg');
    const meta = await sharp(out.jpeg).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.equal(meta.exif, undefined);
    assert.equal(meta.icc, undefined);
    // Orientation 6 turns the landscape picture upright: 1000 × 2000, fitted into 600 × 800.
    assert.deepEqual([out.width, out.height], [400, 800]);
  });

  it('takes PNG and WebP, refuses what is not an image, a type that lies, a bomb and a thumbnail', async () => {
    assert.equal((await processPhoto(await face(300, 400, 'png'), 'image/png')).width, 300);
    assert.equal((await processPhoto(await face(300, 400, 'webp'), 'image/webp')).height, 400);
    await assert.rejects(
      processPhoto(Buffer.from('%PDF-1.7 not an image'), 'image/jpeg'),
      code('photo_type_unsupported'),
    );
    await assert.rejects(processPhoto(Buffer.from('GIF89a'), 'image/gif'), code('photo_type_unsupported'));
    await assert.rejects(processPhoto(await face(300, 400, 'png'), 'image/jpeg'), code('photo_type_mismatch'));
    // 10,000 × 10,000 of one colour: a few kilobytes that would decode to 300 MB.
    const bomb = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    assert.ok(bomb.length < 1_000_000);
    await assert.rejects(processPhoto(bomb, 'image/png'), code('photo_too_many_pixels'));
    await assert.rejects(processPhoto(await face(80, 100), 'image/jpeg'), code('photo_too_small'));
    await assert.rejects(processPhoto(Buffer.alloc(6 * 1024 * 1024, 1), 'image/jpeg'), code('photo_too_large'));
  });
});

describe('registration: VIPs, editing, bulk, restrictions, visas, QR', () => {
  let t: TestApp;
  let ghana: number;
  let kenya: number;
  before(async () => {
    t = await buildTestApp();
    [{ id: ghana }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    [{ id: kenya }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'KE'));
  });
  after(() => t.close());

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

  it('a DFP registers a minister of their entity: the person is created, approved at once and told; not for another entity', async () => {
    const dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const ctx = as({ id: dfp.id, entityId: ghana, focalPointOf: [ghana] });
    const input = {
      entityId: ghana,
      email: 'minister@moc.gov.gh',
      honorific: 'H.E.' as const,
      givenName: 'Ursula',
      familyName: 'Owusu-Ekuful',
      givenNameLatin: '',
      familyNameLatin: '',
      jobTitle: 'Minister of Communications',
      preferredLocale: 'fr' as const,
      events: ['wsis-forum-2026', 'wsis-high-level-track-2026'],
      mode: 'in_person' as const,
      stakeholderType: 'government',
      function: 'minister',
      vipCategory: 'MIN' as const,
    };
    const res = await registerVip(ctx, input);
    assert.equal(res.created, true);
    assert.deepEqual(
      res.registrations.map((r) => r.state),
      ['approved', 'approved'],
    );
    assert.ok(res.registrations.every((r) => r.registeredBy === dfp.id && r.personId === res.personId));
    const [vip] = await t.database.db.select().from(people).where(eq(people.id, res.personId));
    assert.equal(vip.entityId, ghana);
    const mails = (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send'))).map(
      (j) => j.payload as { to: string; locale: string; template: string },
    );
    assert.ok(
      mails.some((m) => m.to === 'minister@moc.gov.gh' && m.locale === 'fr' && m.template === 'registration_decision'),
    );
    // Again: the same person, the same registrations.
    const again = await registerVip(ctx, input);
    assert.equal(again.created, false);
    assert.deepEqual(
      again.registrations.map((r) => r.id),
      res.registrations.map((r) => r.id),
    );
    // A Kenyan VIP is not Ghana's to register, and an address of Kenya's is refused.
    await assert.rejects(registerVip(ctx, { ...input, entityId: kenya, email: 'x@ke.example' }), code('forbidden'));
    const kenyan = await createPerson(t, { entityId: kenya });
    await assert.rejects(registerVip(ctx, { ...input, email: kenyan.email }), code('person_other_entity'));
  });

  it('a request awaiting a decision can be changed; a category the secretariat keeps hands it over; a decided one cannot', async () => {
    await setRegistrationSettings(reviewer(), 'ai-for-good-2026', { secretariatCategories: ['VVIP'] });
    await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const d = await createPerson(t, { entityId: ghana });
    const me = as({ id: d.id, entityId: ghana });
    const [r] = (
      await submitRegistration(me, {
        events: ['ai-for-good-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    const edited = await editRegistration(me, r.id, { mode: 'remote', function: 'head_of_state', vipCategory: 'VVIP' });
    assert.deepEqual(
      [edited.mode, edited.function, edited.vipCategory, edited.state],
      ['remote', 'head_of_state', 'VVIP', 'pending_secretariat'],
    );
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'registration.edited'), eq(auditLog.subjectId, r.id)));
    assert.deepEqual(entry.changes, {
      mode: ['in_person', 'remote'],
      function: ['technical_expert', 'head_of_state'],
      vipCategory: [null, 'VVIP'],
    });
    await assert.rejects(
      editRegistration(as({ id: 'other' }), r.id, { mode: 'in_person' }),
      code('registration_not_found'),
    );
    await decideRegistration(reviewer(), r.id, { decision: 'approve' });
    await assert.rejects(editRegistration(me, r.id, { mode: 'in_person' }), code('registration_not_editable'));
  });

  it('bulk decisions: each request on its own; one already decided or not the DFP’s does not stop the others', async () => {
    const dfp = await createPerson(t, { entityId: kenya, focalPointOf: [kenya] });
    const mine = as({ id: dfp.id, entityId: kenya, focalPointOf: [kenya] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await createPerson(t, { entityId: kenya });
      ids.push(
        (
          await submitRegistration(as({ id: p.id, entityId: kenya }), {
            events: ['wsis-forum-2026'],
            mode: 'remote',
            stakeholderType: '',
            function: '',
          })
        ).registrations[0].id,
      );
    }
    const ghanaian = await createPerson(t, { entityId: ghana });
    const foreign = (
      await submitRegistration(as({ id: ghanaian.id, entityId: ghana }), {
        events: ['ai-for-good-2026'],
        mode: 'remote',
        stakeholderType: '',
        function: '',
      })
    ).registrations[0].id;
    await decideRegistration(mine, ids[2], { decision: 'reject', reason: 'duplicate' });
    const results = await decideBulk(mine, { ids: [...ids, foreign], decision: 'approve' });
    assert.deepEqual(
      results.map((r) => [r.ok, r.state ?? r.code]),
      [
        [true, 'approved'],
        [true, 'approved'],
        [false, 'registration_transition_invalid'],
        [false, 'forbidden'],
      ],
    );
  });

  it("restricted events: the Regulators' Roundtable admits heads of regulatory authorities; an event by invitation goes to the secretariat", async () => {
    const p = await createPerson(t, { entityId: ghana });
    const me = as({ id: p.id, entityId: ghana });
    await assert.rejects(
      submitRegistration(me, {
        events: ['regulators-roundtable-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'minister',
      }),
      code('registration_restricted'),
    );
    const [ok] = (
      await submitRegistration(me, {
        events: ['regulators-roundtable-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'head_of_regulator',
      })
    ).registrations;
    assert.equal(ok.state, 'pending_dfp');
    await setRegistrationSettings(reviewer(), 'global-dialogue-ai-governance-2026', { invitationOnly: true });
    const dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const [own] = (
      await submitRegistration(as({ id: dfp.id, entityId: ghana, focalPointOf: [ghana] }), {
        events: ['global-dialogue-ai-governance-2026'],
        mode: 'in_person',
        stakeholderType: '',
        function: '',
      })
    ).registrations;
    assert.equal(own.state, 'pending_secretariat', 'not even a DFP approves themself into an event by invitation');
  });

  it('the confirmation carries a QR code of the signed registration id; a changed code does not verify', async () => {
    const dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const [r] = (
      await submitRegistration(as({ id: dfp.id, entityId: ghana, focalPointOf: [ghana] }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: '',
        function: '',
      })
    ).registrations;
    assert.equal(r.state, 'approved');
    const qr = await confirmationCode(t.database.db, r.id);
    const key = await signingKey(t.database.db);
    assert.equal(verifySigned(key, QR_PREFIX, qr), r.id);
    assert.equal(
      verifySigned(
        key,
        QR_PREFIX,
        qr.replace(
          r.id,
          r.id.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
        ),
      ),
      undefined,
    );
    assert.ok(!qr.includes('@') && !qr.toLowerCase().includes('given'), 'no personal data in the code');
    const [mail] = (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send')))
      .map((j) => j.payload as { to: string; attachments?: { contentType: string; cid?: string }[] })
      .filter((m) => m.to === dfp.email);
    assert.equal(mail.attachments?.[0].contentType, 'image/png');
    assert.ok(mail.attachments?.[0].cid);
  });

  it('photos are private: the person, their DFP and the secretariat see them; another entity’s DFP does not', async () => {
    const p = await createPerson(t, { entityId: ghana });
    await savePhoto(as({ id: p.id }), p.id, await face(500, 600), 'image/jpeg');
    assert.ok((await getPhoto(as({ id: p.id }), p.id))?.jpeg.length);
    assert.ok(await getPhoto(as({ id: 'dfp', focalPointOf: [ghana] }), p.id));
    assert.ok(await getPhoto(reviewer(), p.id));
    await assert.rejects(getPhoto(as({ id: 'dfp-ke', focalPointOf: [kenya] }), p.id), code('photo_not_found'));
    await assert.rejects(
      savePhoto(as({ id: 'someone' }), p.id, await face(500, 600), 'image/jpeg'),
      code('photo_not_found'),
    );
    const rows = await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, p.id));
    assert.equal(rows.length, 1);
  });

  it('visa letters: requested with passport details, late under 21 days, issued once approved, numbered, sent and resent', async () => {
    const d = await createPerson(t, { entityId: kenya, locale: 'fr' });
    const me = as({ id: d.id, entityId: kenya });
    const [r] = (
      await submitRegistration(me, {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    const details = {
      passportName: 'WANJIKŨ Njoroge Ñuñez',
      passportNumber: 'AK1234567',
      nationality: 'KE',
      dateOfBirth: '1985-03-01',
      visaPlace: 'Embassy of Switzerland, Nairobi',
      letterLocale: 'fr' as const,
    };
    const res = await requestVisaLetter(me, r.id, details);
    assert.equal(res.late, false);
    assert.equal(res.daysBefore, 77); // 20 April → 6 July
    const remote = (
      await submitRegistration(me, { events: ['ai-for-good-2026'], mode: 'remote', stakeholderType: '', function: '' })
    ).registrations[0];
    await assert.rejects(requestVisaLetter(me, remote.id, details), code('visa_needs_in_person'));
    await assert.rejects(issueVisaLetter(reviewer(), res.request.id), code('registration_not_approved'));
    await assert.rejects(issueVisaLetter(me, res.request.id), code('forbidden'));
    await decideRegistration(reviewer(), r.id, { decision: 'approve' });
    const issued = await issueVisaLetter(reviewer(), res.request.id);
    assert.equal(issued.reference, `WSIS26/VISA/${String(res.request.id).padStart(6, '0')}`);
    await assert.rejects(issueVisaLetter(reviewer(), res.request.id), code('visa_already_issued'));
    await assert.rejects(requestVisaLetter(me, r.id, details), code('visa_already_issued'));
    const { pdf } = await visaLetterPdf(me, res.request.id);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    await assert.rejects(visaLetterPdf(as({ id: 'other' }), res.request.id), code('visa_request_not_found'));
    if (process.env.CI === 'true' || fs.existsSync('/usr/bin/pdftotext')) {
      fs.mkdirSync('test-results', { recursive: true });
      fs.writeFileSync('test-results/visa-letter-issued.pdf', pdf);
      const txt = execFileSync('pdftotext', ['-layout', 'test-results/visa-letter-issued.pdf', '-'], {
        encoding: 'utf8',
      });
      assert.match(txt, /WANJIKŨ Njoroge Ñuñez/);
      assert.match(txt, /AK1234567/);
      assert.match(txt, /Genève/);
      assert.match(txt, /Kenya/);
    }
    const resent = await resendVisaLetter(reviewer(), res.request.id);
    assert.equal(resent.sentCount, 2);
    const letters = (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send')))
      .map((j) => j.payload as { to: string; template: string; attachments?: { contentType: string }[] })
      .filter((m) => m.to === d.email && m.template === 'visa_letter');
    assert.equal(letters.length, 2);
    assert.equal(letters[0].attachments?.[0].contentType, 'application/pdf');
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.subjectId, r.id));
    assert.ok(['visa.requested', 'visa.issued', 'visa.resent'].every((a) => audits.some((x) => x.action === a)));
    assert.ok(!JSON.stringify(audits).includes('AK1234567'), 'the audit log keeps no passport number');
    // Fewer than 21 days before the event: said plainly.
    t.clock.set(new Date('2026-06-20T10:00:00+02:00'));
    const late = await createPerson(t, { entityId: kenya });
    const lme = as({ id: late.id, entityId: kenya });
    const [lr] = (
      await submitRegistration(
        { ...lme, now: t.clock.now() },
        { events: ['ai-for-good-2026'], mode: 'in_person', stakeholderType: '', function: '' },
      )
    ).registrations;
    const lres = await requestVisaLetter({ ...lme, now: t.clock.now() }, lr.id, details);
    assert.deepEqual([lres.daysBefore, lres.late], [17, true]);
    const [row] = await t.database.db.select().from(visaRequests).where(eq(visaRequests.id, lres.request.id));
    assert.equal(row.state, 'requested');
  });

  it('erasing a person erases their photo and passport details', async () => {
    const p = await createPerson(t, { entityId: kenya });
    const me = as({ id: p.id, entityId: kenya });
    await savePhoto(me, p.id, await face(400, 500), 'image/jpeg');
    const [r] = (
      await submitRegistration(me, {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: '',
        function: '',
      })
    ).registrations;
    const { request } = await requestVisaLetter(me, r.id, {
      passportName: 'ERASE Me',
      passportNumber: 'X9999999',
      nationality: 'KE',
      dateOfBirth: '1990-01-01',
      visaPlace: 'Nairobi',
      letterLocale: 'en',
    });
    await erasePerson(as({ id: 'admin', role: 'admin' }), p.id);
    assert.equal((await t.database.db.select().from(personPhotos).where(eq(personPhotos.personId, p.id))).length, 0);
    const [v] = await t.database.db.select().from(visaRequests).where(eq(visaRequests.id, request.id));
    assert.deepEqual([v.passportName, v.passportNumber, v.dateOfBirth], ['', '', '']);
  });
});
