/**
 * The secretariat's desk (issue 15 §5): the home's figures equal counts read from the rows and link to their
 * worklists; the people list's country, organisation, both scripts, filters, search in either script, keyset pages
 * and CSV/XLSX export with the page's filters; a person's full page; correcting a participant's data (validated as
 * the profile form, errors in the reader's language, a required reason, audited, the participant told in their
 * language); registering someone on their behalf (marked as made by staff, audited); and 403 for everyone else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, count, countDistinct, eq, gt, gte, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { client, createPerson, type TestPerson } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { genevaDate, genevaInstant } from '../../platform/i18n/format.js';
import { renderMail } from '../../platform/mail/render.js';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { people } from '../accounts/accounts.schema.js';
import { badges } from '../badges/badges.schema.js';
import { scans } from '../checkin/checkin.schema.js';
import { entities } from '../entities/entities.schema.js';
import { events } from '../events/events.schema.js';
import { letterDeliveries, letters } from '../letters/letters.schema.js';
import { registrations, visaRequests } from '../registration/registration.schema.js';
import { speakingRequests } from '../speaking/speaking.schema.js';

/** The figures of the home page: key → count (as rendered, `data-count`). */
function figuresOf(html: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of html.matchAll(/data-figure="([^"]+)"[\s\S]*?data-count="(\d+)"/g)) out.set(m[1], Number(m[2]));
  return out;
}
/** The people linked from a list page, in order. */
const personIds = (html: string) =>
  [...html.matchAll(/href="\/[a-z]{2}\/admin\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
const nextLink = (html: string) => /<a rel="next" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');

describe('the secretariat’s desk', () => {
  let t: TestApp;
  let admin: TestPerson;
  let ghana: number;
  let egypt: number;
  let forum: number;
  let summit: number;
  const now = () => t.clock.now();

  async function person(values: Partial<typeof people.$inferInsert>) {
    const [p] = await t.database.db
      .insert(people)
      .values({
        email: `${Math.random().toString(36).slice(2)}@example.org`,
        createdAt: now(),
        updatedAt: now(),
        ...values,
      })
      .returning();
    return p;
  }
  async function register(personId: string, eventId: number, state: (typeof registrations.$inferInsert)['state']) {
    const [r] = await t.database.db
      .insert(registrations)
      .values({
        personId,
        eventId,
        mode: 'in_person',
        state,
        registeredBy: personId,
        submittedAt: now(),
        updatedAt: now(),
      })
      .returning();
    return r;
  }

  before(async () => {
    t = await buildTestApp();
    const db = t.database.db;
    [{ id: ghana }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'GH'));
    [{ id: egypt }] = await db.select({ id: entities.id }).from(entities).where(eq(entities.code, 'EG'));
    [{ id: forum }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'wsis-forum-2026'));
    [{ id: summit }] = await db.select({ id: events.id }).from(events).where(eq(events.slug, 'ai-for-good-2026'));
    admin = await createPerson(t, { role: 'admin' });
  });
  after(() => t.close());

  it('a participant, a focal point and staff without the right get 403; staff see only the figures they may open', async () => {
    const participant = await createPerson(t, { entityId: ghana });
    const dfp = await createPerson(t, { entityId: ghana, focalPointOf: [ghana] });
    const badgeStaff = await createPerson(t, { role: 'staff', capabilities: ['badges.print'] });
    for (const who of [participant, dfp, badgeStaff]) {
      const c = await client(t, who);
      for (const url of [
        '/en/admin/people',
        `/en/admin/people/${participant.id}`,
        `/en/admin/people/${participant.id}/edit`,
        `/en/admin/people/${participant.id}/register`,
        '/en/admin/people/register',
        '/en/admin/people/export?format=csv',
      ])
        assert.equal((await c.inject({ url })).statusCode, 403, url);
      const post = await c.inject({
        method: 'POST',
        url: `/en/admin/people/${participant.id}/edit`,
        form: { givenName: 'X', preferredLocale: 'en', reason: 'r' },
      });
      assert.equal(post.statusCode, 403);
      const reg = await c.inject({
        method: 'POST',
        url: `/en/admin/people/${participant.id}/register`,
        form: { events: 'wsis-forum-2026', mode: 'remote' },
      });
      assert.equal(reg.statusCode, 403);
    }
    for (const who of [participant, dfp])
      assert.equal((await (await client(t, who)).inject({ url: '/en/admin' })).statusCode, 403);
    const home = await (await client(t, badgeStaff)).inject({ url: '/en/admin' });
    assert.equal(home.statusCode, 200);
    const figures = figuresOf(home.body);
    assert.ok(figures.has('badges_printed'));
    assert.ok(!figures.has('registrations_pending_dfp'), 'not a figure whose worklist they cannot open');
    assert.ok(!figures.has('mail_failing'));
  });

  it('the home’s figures equal the counts read from the rows, and link to their worklists', async () => {
    const db = t.database.db;
    const a = await person({ givenName: 'Figure', familyName: 'One', entityId: ghana });
    const b = await person({ givenName: 'Figure', familyName: 'Two', entityId: egypt });
    const c = await person({ givenName: 'Figure', familyName: 'Three' });
    await register(a.id, forum, 'pending_dfp');
    await register(a.id, summit, 'pending_secretariat');
    const approved = await register(b.id, forum, 'approved');
    await register(c.id, forum, 'waitlisted');
    await register(c.id, summit, 'rejected');
    await db.insert(visaRequests).values({
      registrationId: approved.id,
      passportName: 'FIGURE TWO',
      passportNumber: 'X1234567',
      nationality: 'EG',
      dateOfBirth: '1980-01-01',
      visaPlace: 'Cairo',
      requestedAt: now(),
      updatedAt: now(),
    });
    const [badge] = await db
      .insert(badges)
      .values([
        {
          personId: b.id,
          token: `CVB1.t${Math.random()}`,
          category: 'P',
          issuedAt: now(),
          printCount: 2,
          lastPrintedAt: now(),
        },
        { personId: a.id, token: `CVB1.t${Math.random()}`, category: 'P', issuedAt: now() },
      ])
      .returning();
    const scan = (id: string, at: Date, result: 'admitted' | 'refused', checkpoint = 'event:wsis-forum-2026') => ({
      id,
      badgeId: badge.id,
      checkpoint,
      deviceId: 'd1',
      result,
      scannedAt: at,
      receivedAt: at,
      scannedBy: admin.id,
    });
    await db
      .insert(scans)
      .values([
        scan(`s-${Math.random()}`, now(), 'admitted'),
        scan(`s-${Math.random()}`, now(), 'admitted', 'session:HLT1'),
        scan(`s-${Math.random()}`, new Date(now().getTime() - 3 * 86_400_000), 'admitted', 'event:ai-for-good-2026'),
        scan(`s-${Math.random()}`, now(), 'refused', 'event:ai-for-good-2026'),
      ]);
    await db.insert(speakingRequests).values({
      eventId: forum,
      entityId: ghana,
      kind: 'policy_statement',
      givenName: 'Kwame',
      familyName: 'Mensah',
      rank: 'minister',
      language: 'en',
      submittedBy: admin.id,
      submittedAt: now(),
      updatedAt: now(),
    });
    const [letter] = await db.select({ id: letters.id }).from(letters).limit(1);
    if (letter)
      await db.insert(letterDeliveries).values({
        letterId: letter.id,
        email: 'dead@example.org',
        locale: 'en',
        state: 'bounced',
        queuedAt: now(),
      });
    await db.insert(jobs).values({ kind: 'mail.send', payload: {}, state: 'failed', runAt: now(), createdAt: now() });

    const home = await (await client(t, admin)).inject({ url: '/en/admin' });
    assert.equal(home.statusCode, 200);
    const shown = figuresOf(home.body);
    const n = async (q: Promise<{ n: number }[]>) => (await q)[0].n;
    const state = (s: string) =>
      n(
        db
          .select({ n: count() })
          .from(registrations)
          .where(eq(registrations.state, s as 'approved')),
      );
    const day = genevaDate(now());
    const expected: Record<string, number> = {
      registrations_pending_dfp: await state('pending_dfp'),
      registrations_pending_secretariat: await state('pending_secretariat'),
      registrations_approved: await state('approved'),
      registrations_waitlisted: await state('waitlisted'),
      visas_waiting: await n(db.select({ n: count() }).from(visaRequests).where(eq(visaRequests.state, 'requested'))),
      badges_printed: await n(
        db
          .select({ n: count() })
          .from(badges)
          .where(and(isNull(badges.revokedAt), gt(badges.printCount, 0))),
      ),
      badges_collected: await n(db.select({ n: count() }).from(badges).where(isNotNull(badges.collectedAt))),
      checked_in_today: await n(
        db
          .select({ n: countDistinct(scans.badgeId) })
          .from(scans)
          .where(
            and(
              eq(scans.result, 'admitted'),
              gte(scans.scannedAt, genevaInstant(day, '00:00')),
              lt(scans.scannedAt, new Date(genevaInstant(day, '00:00').getTime() + 86_400_000)),
            ),
          ),
      ),
      speaking_waiting: await n(
        db.select({ n: count() }).from(speakingRequests).where(eq(speakingRequests.state, 'submitted')),
      ),
      letters_failing: await n(
        db
          .select({ n: count() })
          .from(letterDeliveries)
          .where(inArray(letterDeliveries.state, ['failed', 'bounced'])),
      ),
      mail_failing: await n(
        db
          .select({ n: count() })
          .from(jobs)
          .where(and(eq(jobs.kind, 'mail.send'), eq(jobs.state, 'failed'))),
      ),
    };
    for (const [key, value] of Object.entries(expected)) assert.equal(shown.get(key), value, key);
    // What this test added is counted (not only zeros on both sides).
    assert.ok(expected.registrations_pending_dfp >= 1 && expected.registrations_waitlisted >= 1);
    assert.equal(
      expected.checked_in_today,
      1,
      'one badge admitted twice today; the refusal and the earlier day do not count',
    );
    assert.ok(expected.badges_printed >= 1 && expected.speaking_waiting >= 1 && expected.mail_failing >= 1);
    // Waiting per event: the forum's pending requests.
    const forumWaiting = await n(
      db
        .select({ n: count() })
        .from(registrations)
        .where(
          and(eq(registrations.eventId, forum), inArray(registrations.state, ['pending_dfp', 'pending_secretariat'])),
        ),
    );
    assert.equal(shown.get('waiting_wsis-forum-2026'), forumWaiting);
    // Each figure opens its worklist.
    assert.match(home.body, /href="\/en\/focal-point\?state=pending_dfp"/);
    assert.match(home.body, /href="\/en\/secretariat\/speaking\?state=submitted"/);
    assert.match(home.body, /href="\/en\/arrivals"/);
    assert.match(home.body, /href="\/en\/admin\/outbox"/);
    // In Arabic, the same figures under Arabic headings.
    const ar = await (await client(t, admin)).inject({ url: '/ar/admin' });
    assert.equal(figuresOf(ar.body).get('registrations_approved'), expected.registrations_approved);
    assert.ok(ar.body.includes('بانتظار جهة الاتصال'));
  });

  it('the people list: country, organisation, both scripts, filters, search in either script, keyset pages', async () => {
    const c = await client(t, admin);
    const amr = await person({
      givenName: 'عمرو',
      familyName: 'الشريف',
      givenNameLatin: 'Amr',
      familyNameLatin: 'El-Sherif',
      nationality: 'EG',
      entityId: egypt,
      entityVerifiedAt: now(),
    });
    const kofi = await person({ givenName: 'Kofi', familyName: 'Boateng', nationality: 'GH', entityId: ghana });
    await register(amr.id, forum, 'approved');
    const en = await c.inject({ url: '/en/admin/people?q=Amr' });
    assert.equal(en.statusCode, 200);
    assert.deepEqual(personIds(en.body), [amr.id]);
    assert.ok(en.body.includes('عمرو'), 'the own-script name');
    assert.ok(en.body.includes('Amr El-Sherif'), 'the Latin spelling beside it');
    assert.ok(en.body.includes('Egypt'), 'the country');
    assert.ok(en.body.includes('data-label="Country"'), 'stacked cards on a phone');
    const ar = await c.inject({ url: `/ar/admin/people?q=${encodeURIComponent('الشريف')}` });
    assert.deepEqual(personIds(ar.body), [amr.id], 'search in the own script');
    assert.ok(ar.body.includes('مصر'), 'the country in the reader’s language');
    const ids = async (qs: string) => personIds((await c.inject({ url: `/en/admin/people?${qs}` })).body);
    assert.deepEqual(await ids(`entity=${egypt}&nationality=EG&q=Sherif`), [amr.id]);
    assert.deepEqual(await ids(`entity=${ghana}&q=Sherif`), []);
    assert.ok((await ids('verified=yes&q=Boateng')).length === 0);
    assert.deepEqual(await ids('verified=no&q=Boateng'), [kofi.id]);
    assert.deepEqual(await ids('registered=yes&q=Sherif'), [amr.id]);
    assert.deepEqual(await ids('registered=no&q=Sherif'), []);
    assert.deepEqual(await ids('registered=no&q=Boateng'), [kofi.id]);
    assert.ok((await ids('role=admin')).includes(admin.id));
    assert.ok(!(await ids('role=participant')).includes(admin.id));
    assert.equal((await c.inject({ url: '/en/admin/people?role=king' })).statusCode, 400);
    assert.equal((await c.inject({ url: '/en/admin/people?after=garbage' })).statusCode, 400);

    // 63 people named alike: a page of 50, then 13; no one twice, no one missed, in order.
    const made = [];
    for (let i = 0; i < 63; i++)
      made.push(await person({ givenName: `Pager${String(i).padStart(2, '0')}`, familyName: 'Zzpage' }));
    const first = await c.inject({ url: '/en/admin/people?q=Zzpage' });
    const page1 = personIds(first.body);
    assert.equal(page1.length, 50);
    const next = nextLink(first.body);
    assert.ok(next, 'a link to the next page');
    const second = await c.inject({ url: next! });
    const page2 = personIds(second.body);
    assert.equal(page2.length, 13);
    assert.equal(nextLink(second.body), undefined);
    assert.deepEqual(
      [...page1, ...page2],
      made.map((p) => p.id),
      'all, in name order',
    );
  });

  it('exports what the filters select, as CSV and XLSX, through the export writer', async () => {
    const c = await client(t, admin);
    const li = await person({
      givenName: '伟',
      familyName: '李',
      givenNameLatin: 'Wei',
      familyNameLatin: 'Li',
      nationality: 'CN',
      entityId: ghana,
    });
    await person({ givenName: '=cmd|calc', familyName: 'Zzexport', nationality: 'FR' });
    const csv = await c.inject({ url: `/en/admin/people/export?format=csv&entity=${ghana}&nationality=CN` });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    assert.match(lines[0], /"Name","Name \(Latin letters\)"/);
    assert.equal(lines.length, 2, 'only the filtered person');
    assert.ok(lines[1].includes(li.id) && lines[1].includes('"李伟"') && lines[1].includes('"Li Wei"'));
    assert.ok(lines[1].includes('"China"') && lines[1].includes('"Ghana"'));
    const injected = await c.inject({ url: '/en/admin/people/export?format=csv&q=Zzexport' });
    assert.ok(injected.body.includes("'=cmd|calc"), 'a formula is neutralised');
    const xlsx = await c.inject({ url: `/fr/admin/people/export?format=xlsx&nationality=CN&entity=${ghana}` });
    assert.equal(xlsx.statusCode, 200);
    const files = unzipSync(new Uint8Array(xlsx.rawPayload));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']);
    assert.ok(sheet.includes('李伟') && sheet.includes('Chine') && sheet.includes('Prénom'));
    assert.equal((sheet.match(/<row /g) ?? []).length, 2);
  });

  it('a person’s page: profile in both scripts, registrations, badge, roles, audit trail, actions', async () => {
    const c = await client(t, admin);
    const p = await person({
      givenName: 'Мария',
      familyName: 'Иванова',
      givenNameLatin: 'Maria',
      familyNameLatin: 'Ivanova',
      honorific: 'Dr',
      nationality: 'RU',
      jobTitle: 'Director',
      entityId: egypt,
    });
    await register(p.id, forum, 'pending_secretariat');
    await t.database.db
      .insert(badges)
      .values({ personId: p.id, token: `CVB1.p${Math.random()}`, category: 'P', issuedAt: now() });
    const page = await c.inject({ url: `/en/admin/people/${p.id}` });
    assert.equal(page.statusCode, 200);
    for (const s of ['Мария', 'Maria Ivanova', 'Russian Federation', 'Egypt', 'Director', 'Awaiting the secretariat'])
      assert.ok(page.body.includes(s), s);
    assert.ok(page.body.includes('id="person-registrations"') && page.body.includes('id="person-badges"'));
    assert.ok(page.body.includes('not printed yet'));
    assert.ok(
      page.body.includes(`/en/admin/people/${p.id}/edit`) && page.body.includes(`/en/admin/people/${p.id}/register`),
    );
    assert.ok(page.body.includes('name="role"'), 'roles and capabilities');
    assert.ok(page.body.includes('id="trail"'));
    assert.equal((await c.inject({ url: `/en/admin/people/${crypto.randomUUID()}` })).statusCode, 404);
  });

  it('the secretariat corrects a participant’s data: validated as the profile, a reason, audited, the participant told in their language', async () => {
    const c = await client(t, admin);
    const p = await person({
      givenName: 'Amélie',
      familyName: 'Dupont',
      preferredLocale: 'fr',
      email: 'amelie@example.org',
    });
    const form = {
      honorific: 'Ms',
      givenName: 'Amélie',
      familyName: 'Dupont',
      nameOrder: '',
      givenNameLatin: 'Amelie',
      familyNameLatin: 'Dupont',
      jobTitle: 'Conseillère',
      function: '',
      nationality: 'FR',
      entityId: '',
      preferredLocale: 'fr',
    };
    // The profile's own checks, in the reader's language: Latin spelling in Arabic letters, no reason.
    const bad = await c.inject({
      method: 'POST',
      url: `/ar/admin/people/${p.id}/edit`,
      form: { ...form, givenNameLatin: 'أميلي', reason: '' },
    });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.body.includes('error-summary'));
    assert.match(bad.body, /بالحروف اللاتينية/);
    assert.ok(!/Latin letters only/.test(bad.body), 'not in English');
    const noReason = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${p.id}/edit`,
      form: { ...form, reason: '  ' },
    });
    assert.equal(noReason.statusCode, 400);
    const retired = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${p.id}/edit`,
      form: { ...form, nationality: 'ZR', reason: 'passport' },
    });
    assert.equal(retired.statusCode, 400, 'a retired country code is refused as on the profile');
    const untouched = (await t.database.db.select().from(people).where(eq(people.id, p.id)))[0];
    assert.equal(untouched.nationality, null);

    const ok = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${p.id}/edit`,
      form: { ...form, reason: 'Spelling as in the passport' },
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, `/en/admin/people/${p.id}?done=corrected`);
    const [after] = await t.database.db.select().from(people).where(eq(people.id, p.id));
    assert.equal(after.givenNameLatin, 'Amelie');
    assert.equal(after.nationality, 'FR');
    const [row] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'accounts.profile_corrected'), eq(auditLog.subjectId, p.id)));
    assert.equal(row.actor, admin.id);
    assert.equal(row.data.reason, 'Spelling as in the passport');
    assert.deepEqual(row.changes.nationality, [null, 'FR']);
    const mails = (await t.database.db.select().from(jobs).where(eq(jobs.kind, 'mail.send')))
      .map((j) => j.payload as { to: string; locale: 'fr'; template: string; params: Record<string, string> })
      .filter((m) => m.to === 'amelie@example.org');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].locale, 'fr');
    const rendered = renderMail(mails[0]);
    assert.match(rendered.subject, /corrigées par le secrétariat/);
    assert.match(rendered.text, /Nationalité/);
    assert.match(rendered.text, /Spelling as in the passport/);
    // The person's page shows the correction in the audit trail, with its reason.
    const page = await c.inject({ url: `/en/admin/people/${p.id}?done=corrected` });
    assert.ok(page.body.includes('accounts.profile_corrected') && page.body.includes('Spelling as in the passport'));
  });

  it('registers someone on their behalf, an existing person or a new one: marked as made by staff, audited', async () => {
    const c = await client(t, admin);
    const p = await person({ givenName: 'Nadia', familyName: 'Haddad', entityId: ghana, preferredLocale: 'ar' });
    const missing = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${p.id}/register`,
      form: { mode: 'remote' },
    });
    assert.equal(missing.statusCode, 400, 'no event chosen');
    const res = await c.inject({
      method: 'POST',
      url: `/en/admin/people/${p.id}/register`,
      form: { events: ['wsis-forum-2026', 'ai-for-good-2026'], mode: 'in_person', function: '' },
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/en/admin/people/${p.id}?done=registered`);
    const regs = await t.database.db.select().from(registrations).where(eq(registrations.personId, p.id));
    assert.equal(regs.length, 2);
    for (const r of regs) {
      assert.equal(r.registeredBy, admin.id, 'made by staff');
      assert.equal(r.state, 'approved');
    }
    const rows = await t.database.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'registration.registered_by_staff'),
          inArray(
            auditLog.subjectId,
            regs.map((r) => r.id),
          ),
        ),
      );
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.actor === admin.id));
    const page = await c.inject({ url: `/en/admin/people/${p.id}` });
    assert.ok(page.body.includes('the secretariat'), 'shown as made by the secretariat');
    assert.ok(page.body.includes('registration.registered_by_staff'), 'in the person’s audit trail');

    // Someone new.
    const created = await c.inject({
      method: 'POST',
      url: '/en/admin/people/register',
      form: {
        email: 'New.Person@Example.org',
        givenName: 'Lina',
        familyName: 'Saleh',
        preferredLocale: 'ar',
        entityId: String(egypt),
        events: 'wsis-forum-2026',
        mode: 'remote',
      },
    });
    assert.equal(created.statusCode, 303);
    const [np] = await t.database.db.select().from(people).where(eq(people.email, 'new.person@example.org'));
    assert.equal(np.givenName, 'Lina');
    assert.equal(np.entityVerifiedAt, null, 'the organisation is a claim until verified');
    const [nr] = await t.database.db.select().from(registrations).where(eq(registrations.personId, np.id));
    assert.equal(nr.registeredBy, admin.id);
    const [made] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.created_by_staff'), eq(auditLog.subjectId, np.id)));
    assert.equal(made.actor, admin.id);
    // The same address again: refused on the field, in the reader's language.
    const again = await c.inject({
      method: 'POST',
      url: '/ar/admin/people/register',
      form: { email: 'new.person@example.org', givenName: 'Lina', events: 'wsis-forum-2026', mode: 'remote' },
    });
    assert.equal(again.statusCode, 409);
    assert.ok(again.body.includes('error-summary'));
    const noName = await c.inject({
      method: 'POST',
      url: '/en/admin/people/register',
      form: { email: 'other@example.org', events: 'wsis-forum-2026', mode: 'remote' },
    });
    assert.equal(noName.statusCode, 400);
    assert.match(noName.body, /Given name|given name/);
  });
});
