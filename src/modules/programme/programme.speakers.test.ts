import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { multipart } from '../../../test/helpers/multipart.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import type { Db } from '../../db/client.js';
import type { Ctx } from '../../platform/context.js';
import { translate } from '../../platform/i18n/messages.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { auditLog } from '../../platform/platform.schema.js';
import { SessionForm } from './programme.editor.input.js';
import { formValuesOf, getEditable, saveSessionDraft } from './programme.editor.js';
import { publishProgramme } from './programme.publish.js';
import { sessionSpeakers, sessions } from './programme.schema.js';
import { keepRoles, pickBio } from './programme.speakers.js';
import { speakerProfiles } from './programme.speakers.schema.js';

const SAMI = 'sami-al-qasimi';

describe('speakers: public pages, invitation and confirmation through a signed link, titles in every language', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let staffClient: Client;
  let reader: Client;
  let staff: Ctx & { db: Db };
  let link = '';

  before(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp();
    const p = await createPerson(t, { role: 'staff', capabilities: ['programme.edit'] });
    staffClient = await client(t, p);
    reader = await client(t, await createPerson(t));
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
  after(async () => {
    await t.close();
    await sink.close();
  });

  const get = (url: string, c?: Client) =>
    c ? c.inject({ method: 'GET', url }) : t.app.inject({ method: 'GET', url });
  const sendMail = () =>
    runDueJobs(
      t.database.db,
      t.clock,
      mailHandlers({ smtpUrl: sink.url, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    );
  const sami = async () =>
    (await t.database.db.select().from(speakerProfiles).where(eq(speakerProfiles.slug, SAMI)))[0]!;
  const pathOf = (url: string) => new URL(url, 'http://x').pathname;
  /** The speaker's form posted as a browser does (multipart, the page's CSRF token). */
  async function postLink(
    c: Client,
    url: string,
    fields: Record<string, string>,
    file?: { data: Buffer; type: string },
  ) {
    const page = await c.inject({ method: 'GET', url });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? c.csrf;
    const body = multipart(
      { _csrf: csrf, ...fields },
      file ? { name: 'photo', type: file.type, data: file.data, filename: 'me.jpg' } : undefined,
    );
    return c.inject({ method: 'POST', url, payload: body.payload, headers: body.headers });
  }

  it('every speaker of the published programme has a public page, listed in the reader’s collation', async () => {
    const en = await get('/en/speakers');
    assert.equal(en.statusCode, 200);
    const slugs = [...en.body.matchAll(/href="\/en\/speakers\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    assert.ok(slugs.includes(SAMI));
    // Family names in Latin letters: Al-Qasimi before Bogdan-Martin before Grünwald.
    const at = (s: string) => slugs.indexOf(s);
    assert.ok(at(SAMI) < at('doreen-bogdan-martin') && at('doreen-bogdan-martin') < at('matthias-grunwald'));
    const ar = await get('/ar/speakers');
    assert.match(ar.body, /<html lang="ar" dir="rtl"/);
    assert.match((await get('/en/programme')).body, /href="\/en\/speakers"/);
  });

  it('a speaker page: names in both scripts, title in the reader’s language, organisation, their sessions; linked from sessions and the API', async () => {
    const page = await get(`/en/speakers/${SAMI}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /سامي القاسمي/);
    assert.match(page.body, /Sami Al-Qasimi/);
    assert.match(page.body, /Commissioner, Communications Regulatory Authority/);
    assert.match(page.body, /Communications Regulatory Authority/);
    assert.match(page.body, /href="\/en\/sessions\/HLT-09"/);
    const fr = await get(`/fr/speakers/${SAMI}`);
    assert.match(fr.body, /Commissaire, autorité de régulation des communications/);
    assert.match((await get('/en/sessions/HLT-09')).body, new RegExp(`href="/en/speakers/${SAMI}"`));
    const api = JSON.parse((await get('/api/v1/sessions/HLT-09?lang=fr')).body) as {
      speakers: { nameLatin: string; profile: string | null }[];
    };
    assert.equal(api.speakers.find((s) => s.nameLatin === 'Sami Al-Qasimi')!.profile, `/fr/speakers/${SAMI}`);
    const list = JSON.parse((await get('/api/v1/events/wsis-high-level-track-2026/sessions?all=true')).body) as {
      sessions: { code: string; speakers: { nameLatin: string | null; profile: string | null }[] }[];
    };
    const hlt09 = list.sessions.find((s) => s.code === 'HLT-09')!;
    assert.equal(hlt09.speakers.find((s) => s.nameLatin === 'Sami Al-Qasimi')!.profile, `/en/speakers/${SAMI}`);
    assert.equal((await get('/en/speakers/nobody-at-all')).statusCode, 404);
  });

  it('the page lists published sessions only: a draft shows once published; a draft-only speaker has no page', async () => {
    const r = await saveSessionDraft(
      staff,
      null,
      SessionForm.parse({
        event: 'wsis-forum-2026',
        room: 'room-kappa',
        day: '2026-07-10',
        start: '18:00',
        end: '19:00',
        format: 'workshop',
        title_en: 'Regulators and community networks',
        sp0_given: 'سامي',
        sp0_family: 'القاسمي',
        sp0_given_latin: 'Sami',
        sp0_family_latin: 'Al-Qasimi',
        sp0_country: 'OM',
        sp0_title: 'Commissioner',
        sp1_given: 'Zora',
        sp1_family: 'Draftonly',
        override_reason: 'test slot',
      }),
    );
    assert.ok(r.ok, JSON.stringify(r.conflicts));
    assert.doesNotMatch((await get(`/en/speakers/${SAMI}`)).body, /Regulators and community networks/);
    assert.equal((await get('/en/speakers/zora-draftonly')).statusCode, 404);
    await publishProgramme(staff, { codes: [r.code] });
    assert.match((await get(`/en/speakers/${SAMI}`)).body, /Regulators and community networks/);
    assert.equal((await get('/en/speakers/zora-draftonly')).statusCode, 200);
  });

  it('staff send the invitation: one e-mail in the speaker’s language, through the worker, with a signed link', async () => {
    const p = await sami();
    assert.equal(p.state, 'not_invited');
    assert.equal((await get(`/en/secretariat/programme/speakers/${p.id}`, reader)).statusCode, 403);
    const bad = await staffClient.inject({
      method: 'POST',
      url: `/en/secretariat/programme/speakers/${p.id}/invite`,
      form: { email: 'not an address', locale: 'ar' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="not an address"/, 'the form comes back with what was typed');
    const res = await staffClient.inject({
      method: 'POST',
      url: `/en/secretariat/programme/speakers/${p.id}/invite`,
      form: { email: 'sami@example.org', locale: 'ar' },
    });
    assert.equal(res.statusCode, 303, res.body);
    const before = sink.received.length;
    await sendMail();
    const mails = sink.received.slice(before).filter((m) => JSON.stringify(m.to).includes('sami@example.org'));
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.subject ?? '', /متحدث/);
    link = pathOf(/https?:\/\/\S+\/ar\/speaker-link\/\S+|\/ar\/speaker-link\/\S+/.exec(mails[0]!.text ?? '')![0]);
    assert.match(link, /^\/ar\/speaker-link\/spk\.\d+-[\w-]+\.[\w-]+$/);
    const list = await get('/en/secretariat/programme/speakers', staffClient);
    assert.match(list.body, new RegExp(`data-speaker="${SAMI}"[\\s\\S]*?Invited`));
    assert.equal((await sami()).state, 'invited');
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.speaker_invited'), eq(auditLog.subjectId, String(p.id))));
    assert.equal(audits.length, 1);
  });

  it('through the link, without an account, the speaker confirms and writes a biography; readers get their language or the original, marked', async () => {
    const anon = await client(t);
    const form = await anon.inject({ method: 'GET', url: link });
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<html lang="ar" dir="rtl"/);
    assert.match(form.body, /name="bio_ar"/);
    const res = await postLink(anon, link, {
      decision: 'confirmed',
      bio_ar: 'سامي القاسمي مفوض في هيئة تنظيم الاتصالات.',
      bio_en: 'Sami Al-Qasimi is a commissioner of the Communications Regulatory Authority.',
    });
    assert.equal(res.statusCode, 303, res.body);
    const p = await sami();
    assert.equal(p.state, 'confirmed');
    assert.ok(p.stateAt);
    assert.equal(p.bioLang, 'ar', 'the original is the language the speaker was written to in');
    const edited = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'programme.speaker_profile_edited'), eq(auditLog.subjectId, String(p.id))));
    assert.equal(edited.length, 1);
    assert.equal(edited[0]!.actor, `system:speaker-link:${p.id}`);
    const en = await get(`/en/speakers/${SAMI}`);
    assert.ok(!en.body.includes('sami@example.org'), 'no e-mail address on the public page');
    assert.match(en.body, /is a commissioner of the Communications Regulatory Authority/);
    assert.doesNotMatch(en.body, /id="bio-fallback"/);
    const fr = await get(`/fr/speakers/${SAMI}`);
    assert.match(fr.body, /id="bio-fallback"/);
    assert.match(fr.body, /<p class="bio" lang="ar" dir="auto">سامي القاسمي مفوض/);
    assert.deepEqual(pickBio({ bio: { en: 'x' }, bioLang: 'en' }, 'zh'), { text: 'x', lang: 'en', fallback: true });
    const staffPage = await get(`/en/secretariat/programme/speakers/${p.id}`, staffClient);
    assert.match(staffPage.body, /Confirmed/);
  });

  it('a photo that is not an image is refused with the form kept; a real one is re-encoded and shown', async () => {
    const anon = await client(t);
    const refused = await postLink(
      anon,
      link,
      { decision: 'confirmed', bio_en: 'Typed before the bad file' },
      { data: Buffer.from('this is not an image at all'), type: 'image/jpeg' },
    );
    assert.equal(refused.statusCode, 400);
    assert.ok(refused.body.includes(translate('ar', 'errors.photo_type_unsupported')));
    assert.match(refused.body, /Typed before the bad file/);
    assert.equal((await sami()).photoSha256, null);
    const png = await sharp({ create: { width: 300, height: 400, channels: 3, background: '#3366aa' } })
      .png()
      .toBuffer();
    const ok = await postLink(
      anon,
      link,
      { decision: 'confirmed', bio_en: 'With a photo' },
      { data: png, type: 'image/png' },
    );
    assert.equal(ok.statusCode, 303, ok.body);
    const p = await sami();
    assert.ok(p.photoSha256);
    const page = await get(`/en/speakers/${SAMI}`);
    const src = /<img class="speaker-photo" src="([^"]+)"/.exec(page.body)![1]!;
    const img = await t.app.inject({ method: 'GET', url: src.replaceAll('&amp;', '&') });
    assert.equal(img.statusCode, 200);
    assert.equal(img.headers['content-type'], 'image/jpeg');
    assert.equal(img.rawPayload[0], 0xff);
    assert.equal(img.rawPayload[1], 0xd8);
  });

  it('a tampered, replaced or expired link gets a clear page in the reader’s language', async () => {
    const anon = await client(t);
    const tampered = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')).replace('/ar/', '/fr/');
    const res = await anon.inject({ method: 'GET', url: tampered });
    assert.equal(res.statusCode, 403);
    assert.ok(res.body.includes(translate('fr', 'errors.speaker_link_invalid').slice(0, 12)));
    assert.match(res.body, /id="speaker-link-refused"/);
    const post = await postLink(anon, tampered, { decision: 'declined' });
    assert.equal(post.statusCode, 403);
    assert.equal((await sami()).state, 'confirmed', 'a refused link changes nothing');
    // A new invitation replaces the link.
    const p = await sami();
    const again = await staffClient.inject({
      method: 'POST',
      url: `/en/secretariat/programme/speakers/${p.id}/invite`,
      form: { email: 'sami@example.org', locale: 'en' },
    });
    assert.equal(again.statusCode, 303);
    const old = await anon.inject({ method: 'GET', url: link.replace('/ar/', '/en/') });
    assert.equal(old.statusCode, 410);
    assert.ok(old.body.includes(translate('en', 'errors.speaker_link_replaced')));
    const before = sink.received.length;
    await sendMail();
    const mail = sink.received.slice(before).find((m) => JSON.stringify(m.to).includes('sami@example.org'))!;
    const fresh = pathOf(/\S*\/en\/speaker-link\/\S+/.exec(mail.text ?? '')![0]);
    assert.equal((await anon.inject({ method: 'GET', url: fresh })).statusCode, 200);
    assert.equal((await sami()).state, 'confirmed', 'a new link keeps the answer given');
    // After the speaker's last event, the link has expired.
    const now = t.clock.now();
    t.clock.set(new Date('2026-08-01T10:00:00Z'));
    try {
      const expired = await anon.inject({ method: 'GET', url: fresh.replace('/en/', '/ru/') });
      assert.equal(expired.statusCode, 410);
      assert.ok(expired.body.includes(translate('ru', 'errors.speaker_link_expired')));
    } finally {
      t.clock.set(now);
    }
  });

  it('republishing a session keeps each speaker’s title in every language; an edited title changes its own language', async () => {
    const s = (await t.database.db.select().from(sessions).where(eq(sessions.code, 'GDAI-01')))[0]!;
    const rolesOf = async () =>
      (await t.database.db.select().from(sessionSpeakers).where(eq(sessionSpeakers.sessionId, s.id))).sort(
        (a, b) => a.position - b.position,
      );
    const before = await rolesOf();
    assert.ok(
      before.every((p) => p.role.en && p.role.fr),
      'seeded titles in English and French',
    );
    const values = await formValuesOf(t.database.db, (await getEditable(staff, 'GDAI-01')).data);
    const saved = await saveSessionDraft(
      staff,
      'GDAI-01',
      SessionForm.parse({ ...values, override_reason: 'as seeded' }),
    );
    assert.ok(saved.ok);
    await publishProgramme(staff, { codes: ['GDAI-01'] });
    const after = await rolesOf();
    assert.deepEqual(
      after.map((p) => p.role),
      before.map((p) => p.role),
      'every language of every title kept',
    );
    // The form edits the English title of the first speaker: French stays.
    const v2 = await formValuesOf(t.database.db, (await getEditable(staff, 'GDAI-01')).data);
    assert.equal(v2.sp0_title, before[0]!.role.en);
    await saveSessionDraft(
      staff,
      'GDAI-01',
      SessionForm.parse({ ...v2, sp0_title: 'Chair of the opening plenary', override_reason: 'as seeded' }),
    );
    await publishProgramme(staff, { codes: ['GDAI-01'] });
    const edited = await rolesOf();
    assert.deepEqual(edited[0]!.role, { en: 'Chair of the opening plenary', fr: before[0]!.role.fr });
    assert.deepEqual(edited[1]!.role, before[1]!.role);
    // The speaker's public page follows the publication.
    const page = await get(
      `/fr/speakers/${edited[0]!.name
        .toLowerCase()
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(/[^a-z0-9]+/g, '-')}`,
    );
    assert.match(page.body, new RegExp(before[0]!.role.fr!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // A new speaker's title is in the editor's language.
    assert.deepEqual(keepRoles([], [{ ...typedSpeaker(), title: 'Moderatrice' }], 'fr')[0]!.role, {
      fr: 'Moderatrice',
    });
  });
});

function typedSpeaker() {
  return {
    kind: 'speaker' as const,
    personId: null,
    givenName: 'Ada',
    familyName: 'Lovelace',
    givenNameLatin: '',
    familyNameLatin: '',
    honorific: '',
    title: '',
    organization: '',
  };
}
