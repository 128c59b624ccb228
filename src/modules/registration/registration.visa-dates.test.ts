/**
 * A visa-support request's dates must be plausible for the trip: no date of birth in the future or more than 120 years
 * back, no expired passport, and a passport valid three months after the trip's last day (the Schengen rule). The form
 * says so under each field, the API lists the fields, and the messages come from the one error map in six languages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { client, createPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Db } from '../../db/client.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import type { DomainError } from '../../platform/errors.js';
import { formatDateRange } from '../../platform/i18n/format.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { humanIssues } from '../../platform/i18n/validation.js';
import { entities } from '../entities/index.js';
import { addMonths, plausibleVisa } from './registration.input.js';
import { visaRequests } from './registration.schema.js';
import { submitRegistration } from './registration.service.js';
import { requestVisaLetter } from './registration.visa.js';

const valid = {
  passportName: 'OKAFOR Chidi',
  passportNumber: 'A12345678',
  passportExpiry: '2030-05-31',
  nationality: 'NG',
  dateOfBirth: '1979-02-14',
  visaPlace: 'Embassy of Switzerland, Abuja',
  letterLocale: 'en' as const,
};
const trip = { today: '2026-04-20', firstDay: '2026-07-06', lastDay: '2026-07-10' };

describe('visa dates: the rules', () => {
  it('adds months as calendars do', () => {
    assert.equal(addMonths('2026-07-10', 3), '2026-10-10');
    assert.equal(addMonths('2026-11-30', 3), '2027-02-28');
    assert.equal(addMonths('2028-02-29', -12), '2027-02-28');
    assert.equal(addMonths('2026-07-06', -1440), '1906-07-06');
  });

  it('refuses a birth in the future or 120 years back, an expired passport and one that ends too soon after the trip', () => {
    const fields = (v: Partial<typeof valid>) =>
      humanIssues(
        plausibleVisa(trip, (d) => d),
        { ...valid, ...v },
        'en',
      ).map((e) => e.field);
    assert.deepEqual(fields({}), []);
    assert.deepEqual(fields({ dateOfBirth: '2026-04-21' }), ['dateOfBirth']);
    assert.deepEqual(fields({ dateOfBirth: '2026-04-20' }), [], 'born today is not in the future');
    assert.deepEqual(fields({ dateOfBirth: '1906-07-05' }), ['dateOfBirth']);
    assert.deepEqual(fields({ dateOfBirth: '1906-07-06' }), []);
    assert.deepEqual(fields({ passportExpiry: '2025-12-31' }), ['passportExpiry']);
    assert.deepEqual(fields({ passportExpiry: '2026-10-09' }), ['passportExpiry'], 'one day short of three months');
    assert.deepEqual(fields({ passportExpiry: '2026-10-10' }), []);
    assert.deepEqual(fields({ passportExpiry: undefined }), [], 'no expiry given: nothing to check');
  });

  it('says what is wrong in six languages, with the dates it turns on', () => {
    for (const lc of LOCALES) {
      const msgs = humanIssues(
        plausibleVisa(trip, (d) => formatDateRange(lc, d, d)),
        { ...valid, dateOfBirth: '2031-01-01', passportExpiry: '2026-08-01' },
        lc,
      );
      assert.equal(msgs.length, 2, lc);
      const expiry = msgs.find((m) => m.field === 'passportExpiry')!.message;
      assert.ok(expiry.includes(formatDateRange(lc, '2026-10-10', '2026-10-10')), `${lc}: ${expiry}`);
      assert.ok(expiry.includes(formatDateRange(lc, '2026-07-10', '2026-07-10')), `${lc}: ${expiry}`);
      assert.doesNotMatch(expiry, /validation\.|passport_expires|\{/, lc);
      const birth = msgs.find((m) => m.field === 'dateOfBirth')!.message;
      assert.doesNotMatch(birth, /validation\.|date_of_birth|Invalid/, lc);
    }
    const en = humanIssues(
      plausibleVisa(trip, (d) => d),
      { ...valid, passportExpiry: '2020-01-01' },
      'en',
    );
    assert.match(en[0].message, /already expired/);
  });
});

describe('visa dates: the form and the API', () => {
  let t: TestApp;
  let regId: string;
  let person: Awaited<ReturnType<typeof createPerson>>;
  before(async () => {
    t = await buildTestApp();
    const [{ id: nigeria }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'NG'));
    person = await createPerson(t, { entityId: nigeria });
    const ctx: Ctx & { db: Db } = {
      db: t.database.db,
      locale: 'en',
      now: t.clock.now(),
      actor: {
        kind: 'person',
        role: 'participant',
        capabilities: [],
        focalPointOf: [],
        entityId: nigeria,
        via: 'session',
        id: person.id,
      } as PersonActor,
    };
    [{ id: regId }] = (
      await submitRegistration(ctx, {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
  });
  after(() => t.close());

  it('the form shows each refusal under its field, marked invalid, and keeps the values; nothing is stored', async () => {
    const c = await client(t, person);
    const res = await c.inject({
      method: 'POST',
      url: `/en/registrations/${regId}/visa`,
      form: { ...valid, dateOfBirth: '2029-02-14', passportExpiry: '2026-09-30' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /class="error-summary" role="alert"/);
    assert.match(res.body, /The date of birth cannot be in the future/);
    assert.match(res.body, /valid until 10 October 2026 or later/);
    assert.match(res.body, /id="f-dateOfBirth"[^>]*aria-invalid="true"[^>]*aria-describedby="dateOfBirth-error"/);
    assert.match(res.body, /id="f-passportExpiry"[^>]*aria-invalid="true"/);
    assert.match(res.body, /value="2029-02-14"/, 'the value is kept to be corrected');
    assert.equal((await t.database.db.select().from(visaRequests)).length, 0);

    const ar = await c.inject({
      method: 'POST',
      url: `/ar/registrations/${regId}/visa`,
      form: { ...valid, passportExpiry: '2024-01-31' },
    });
    assert.equal(ar.statusCode, 400);
    assert.match(ar.body, /انتهت صلاحية جواز السفر هذا/);

    const ok = await c.inject({ method: 'POST', url: `/en/registrations/${regId}/visa`, form: valid });
    assert.equal(ok.statusCode, 303);
  });

  it('the API answers 400 with the fields and their messages in the caller’s language', async () => {
    const c = await client(t, person);
    const res = await c.inject({
      method: 'POST',
      url: `/api/v1/registrations/${regId}/visa`,
      headers: { 'x-csrf-token': c.csrf, 'accept-language': 'fr' },
      payload: { ...valid, passportExpiry: '2026-08-15' },
    });
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json() as { code: string; errors: { field: string; message: string }[] };
    assert.equal(body.code, 'invalid_input');
    assert.deepEqual(
      body.errors.map((e) => e.field),
      ['passportExpiry'],
    );
    assert.match(body.errors[0].message, /visa Schengen.*10 octobre 2026/);
  });

  it('the service refuses the same way, whoever calls it', async () => {
    const ctx = {
      db: t.database.db,
      locale: 'en' as const,
      now: t.clock.now(),
      actor: {
        kind: 'person' as const,
        role: 'participant' as const,
        capabilities: [],
        focalPointOf: [],
        entityId: null,
        via: 'session' as const,
        id: person.id,
      },
    };
    await assert.rejects(
      requestVisaLetter(ctx, regId, { ...valid, dateOfBirth: '1850-01-01' }),
      (e: DomainError) => e.code === 'invalid_input' && (e.details as { field: string }[])[0].field === 'dateOfBirth',
    );
  });
});
