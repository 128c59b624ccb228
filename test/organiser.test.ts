/**
 * The organiser's identity (issue 15 §7): the ITU by default; set by an administrator (names in six languages, short
 * name, letterhead address, logo) and then shown on every page (the cached public pages follow at once), in e-mails
 * sent over SMTP, on badges and on letters. Bad uploads are refused with errors in the user's language.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { client, createPerson, type Client } from './helpers/actors.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { needPoppler, pdfText, pdfToPngs, RESULTS } from './helpers/pdf.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp.js';
import { people } from '../src/modules/accounts/index.js';
import { badges, issueMissingBadges } from '../src/modules/badges/index.js';
import { entities } from '../src/modules/entities/index.js';
import { renderAcknowledgement } from '../src/modules/funding/funding.letter.js';
import { decideRegistration, submitRegistration } from '../src/modules/registration/index.js';
import type { Ctx, PersonActor } from '../src/platform/context.js';
import type { Db } from '../src/db/client.js';
import { runDueJobs } from '../src/platform/jobs.js';
import { enqueueMail, mailHandlers } from '../src/platform/mail/mail.js';
import { getOrganiser } from '../src/platform/organiser.js';

/** A multipart body as a browser sends it: text fields and one file. */
function multipart(fields: Record<string, string>, file?: { type: string; data: Buffer }) {
  const boundary = `----convene${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="logo"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const NAMES = {
  name_en: 'Global Digital Cooperation Office',
  name_fr: 'Bureau de la coopération numérique mondiale',
  name_es: 'Oficina de Cooperación Digital Mundial',
  name_ru: 'Бюро глобального цифрового сотрудничества',
  name_zh: '全球数字合作办公室',
  name_ar: 'مكتب التعاون الرقمي العالمي',
  short_en: 'GDCO',
  short_fr: 'BCNM',
  short_ar: 'المكتب',
  address_en: '1 Rue de Test, 1202 Geneva, Switzerland',
  address_fr: '1 rue de Test, 1202 Genève, Suisse',
  address_ar: '1 شارع الاختبار، 1202 جنيف، سويسرا',
};

describe('the organiser’s identity', () => {
  let t: TestApp;
  let admin: Client;
  let adminAr: Client;
  let smtp: SmtpSink;
  let logo: Buffer;
  before(async () => {
    t = await buildTestApp({ now: new Date('2026-07-08T09:00:00+02:00') });
    admin = await client(t, await createPerson(t, { role: 'admin' }));
    adminAr = await client(t, await createPerson(t, { role: 'admin', locale: 'ar' }));
    smtp = await startSmtpSink();
    fs.mkdirSync(RESULTS, { recursive: true });
    // A logo carrying metadata (EXIF with a camera owner): it must not survive.
    logo = await sharp({ create: { width: 400, height: 160, channels: 4, background: '#0a6ebd' } })
      .composite([
        {
          input: Buffer.from(
            '<svg width="400" height="160"><rect x="20" y="20" width="120" height="120" fill="#ffffff"/><text x="160" y="105" font-size="64" fill="#ffffff" font-family="sans-serif">GDCO</text></svg>',
          ),
        },
      ])
      .withExif({ IFD0: { Artist: 'Secret Owner', Copyright: 'Private' } })
      .jpeg()
      .toBuffer();
  });
  after(async () => {
    await smtp.close();
    await t.close();
  });

  it('works before anyone sets anything: the ITU, in each language, on every page', async () => {
    const en = await t.app.inject({ url: '/en/' });
    assert.match(en.body, /class="brand-org-name">International Telecommunication Union</);
    assert.match(en.body, /Place des Nations, 1211 Geneva 20, Switzerland/);
    const ar = await t.app.inject({ url: '/ar/' });
    assert.match(ar.body, /الاتحاد الدولي للاتصالات/);
    const fr = await t.app.inject({ url: '/fr/programme' });
    assert.match(fr.body, /Union internationale des télécommunications/);
  });

  it('only administrators see the settings page; its errors come in their language and keep what was typed', async () => {
    const staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['badges.print'] }));
    assert.equal((await staff.inject({ url: '/en/admin/organiser' })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/en/admin/organiser' })).statusCode, 401);
    const page = await adminAr.inject({ url: '/ar/admin/organiser' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="International Telecommunication Union"/);
    assert.match(page.body, /value="الاتحاد الدولي للاتصالات"/);
    // No name in any language.
    const empty = Object.fromEntries(Object.keys(NAMES).map((k) => [k, '']));
    const none = await adminAr.inject({
      method: 'POST',
      url: '/ar/admin/organiser',
      form: { ...empty, short_en: 'X' },
    });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /أدخل اسم الجهة المنظِّمة بلغة واحدة على الأقل/);
    assert.match(none.body, /value="X"/);
    const long = await admin.inject({
      method: 'POST',
      url: '/en/admin/organiser',
      form: { ...NAMES, short_en: 'S'.repeat(41) },
    });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /This text is too long: at most 40 characters/);
    assert.match(long.body, /aria-invalid="true"/);
    assert.equal((await getOrganiser(t.database.db)).name.en, 'International Telecommunication Union', 'nothing saved');
  });

  it('bad logos are refused in the user’s language: an SVG that scripts, a type that lies, an unreadable file, too large', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>',
    );
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const cases: [Client, string, { type: string; data: Buffer }, number, RegExp][] = [
      [adminAr, 'ar', { type: 'image/svg+xml', data: svg }, 415, /يحتوي شعار SVG على برنامج نصي/],
      [
        admin,
        'en',
        {
          type: 'image/svg+xml',
          data: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><image xlink:href="https://tracker.example/p.png" width="64" height="64"/></svg>',
          ),
        },
        415,
        /holds a script, an entity, foreign content or a link outside itself/,
      ],
      [
        admin,
        'en',
        {
          type: 'image/svg+xml',
          data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="alert(1)"/>'),
        },
        415,
        /holds a script/,
      ],
      [admin, 'en', { type: 'image/jpeg', data: png }, 415, /The file is not the kind of image it says it is/],
      [
        admin,
        'en',
        { type: 'image/png', data: Buffer.from('not an image at all') },
        415,
        /must be a PNG, JPEG or WebP/,
      ],
      [admin, 'en', { type: 'image/png', data: Buffer.alloc(2 * 1024 * 1024 + 1, 1) }, 413, /too large: at most 2 MB/],
    ];
    for (const [c, lc, file, status, message] of cases) {
      const res = await c.inject({
        method: 'POST',
        url: `/${lc}/admin/organiser/logo`,
        ...multipart({ _csrf: c.csrf }, file),
      });
      assert.equal(res.statusCode, status, `${file.type} ${file.data.length}`);
      assert.match(res.body, message);
    }
    assert.equal((await getOrganiser(t.database.db)).logo, undefined);
  });

  it('an SVG logo, as designers deliver it, is drawn once into the stored PNG (no SVG is ever served)', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" width="200" height="80"><rect width="200" height="80" fill="#009cd6"/><circle cx="40" cy="40" r="28" fill="#ffffff"/></svg>',
    );
    const res = await admin.inject({
      method: 'POST',
      url: '/en/admin/organiser/logo',
      ...multipart({ _csrf: admin.csrf }, { type: 'image/svg+xml', data: svg }),
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const logo = (await getOrganiser(t.database.db)).logo;
    assert.ok(logo, 'saved');
    const meta = await sharp(logo.png).metadata();
    assert.equal(meta.format, 'png');
    // Drawn at the logo's size (600 × 240 for a 200 × 80 drawing), not blown up from a 72 dpi bitmap.
    assert.deepEqual([meta.width, meta.height], [600, 240]);
    const { data } = await sharp(logo.png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([data[0], data[1], data[2]], [0x00, 0x9c, 0xd6], 'the drawing’s own colour');
    const removed = await admin.inject({
      method: 'POST',
      url: '/en/admin/organiser/logo',
      ...multipart({ _csrf: admin.csrf, remove: '1' }),
    });
    assert.equal(removed.statusCode, 303);
    assert.equal((await getOrganiser(t.database.db)).logo, undefined);
  });

  it('saved names and logo show at once on the cached public pages; the logo is stored re-encoded without metadata', async () => {
    const cachedBefore = await t.app.inject({ url: '/en/' });
    assert.match(cachedBefore.body, /International Telecommunication Union/);
    const saved = await admin.inject({ method: 'POST', url: '/en/admin/organiser', form: NAMES });
    assert.equal(saved.statusCode, 303);
    const up = await admin.inject({
      method: 'POST',
      url: '/en/admin/organiser/logo',
      ...multipart({ _csrf: admin.csrf }, { type: 'image/jpeg', data: logo }),
    });
    assert.equal(up.statusCode, 303);
    const en = await t.app.inject({ url: '/en/' });
    assert.match(en.body, /class="brand-org-name">Global Digital Cooperation Office</);
    assert.match(en.body, /1 Rue de Test, 1202 Geneva, Switzerland/);
    assert.doesNotMatch(en.body, /International Telecommunication Union/);
    const src = /<img class="brand-logo" src="([^"]+)"/.exec(en.body)?.[1];
    assert.ok(src, 'the logo is in the header');
    const ar = await t.app.inject({ url: '/ar/' });
    assert.match(ar.body, /مكتب التعاون الرقمي العالمي/);
    // A language without its own name falls back (content order) and is marked with the name's language.
    const es = await t.app.inject({ url: '/es/' });
    assert.match(es.body, /Oficina de Cooperación Digital Mundial/);
    const img = await t.app.inject({ url: src! });
    assert.equal(img.statusCode, 200);
    assert.equal(img.headers['content-type'], 'image/png');
    const meta = await sharp(img.rawPayload).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.exif, undefined, 'no EXIF kept');
    assert.ok(!img.rawPayload.includes(Buffer.from('Secret Owner')), 'no metadata text kept');
    // The settings page shows the logo; screenshots are taken by the browser test.
    const page = await admin.inject({ url: '/en/admin/organiser?done=logo' });
    assert.match(page.body, /The logo is saved/);
    assert.match(page.body, /class="organiser-logo-preview"/);
  });

  it('e-mails are signed with the organiser’s name and address in the recipient’s language, with its logo', async () => {
    await t.database.db.transaction((tx) =>
      enqueueMail(tx, t.clock.now(), {
        to: 'minister@example.org',
        locale: 'ar',
        template: 'verify_email',
        params: { name: 'ليلى', link: 'https://convene.test/ar/verify/abc' },
      }),
    );
    const handlers = mailHandlers(
      { smtpUrl: smtp.url, mailFrom: 'WSIS <no-reply@wsis.test>' },
      'memory://',
      t.database.db,
    );
    assert.equal(await runDueJobs(t.database.db, t.clock, handlers), 1);
    const m = smtp.received.at(-1)!;
    assert.match(m.text!, /مكتب التعاون الرقمي العالمي\n1 شارع الاختبار، 1202 جنيف، سويسرا/);
    assert.match(String(m.html), /مكتب التعاون الرقمي العالمي<br>/);
    // mailparser turns the inline image's cid into a data address: the logo is the first thing in the message.
    assert.match(String(m.html), /<body[^>]*>\s*<p><img src="data:image\/png;base64,/);
    const inline = m.attachments.find((a) => a.cid === 'organiser-logo@convene');
    assert.ok(inline, 'the logo travels with the message');
    assert.equal(inline.contentType, 'image/png');
  });

  it('badges and letters carry the organiser: badge PDF, circular letter and acknowledgement, in English and Arabic', async (tc) => {
    if (!needPoppler(tc)) return;
    const [{ id: egypt }] = await t.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.code, 'EG'));
    const p = await createPerson(t, { entityId: egypt });
    await t.database.db
      .update(people)
      .set({
        givenName: 'ليلى',
        familyName: 'حسن',
        givenNameLatin: 'Layla',
        familyNameLatin: 'Hassan',
        nationality: 'EG',
      })
      .where(eq(people.id, p.id));
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
    const [r] = (
      await submitRegistration(as({ id: p.id, entityId: egypt }), {
        events: ['wsis-forum-2026'],
        mode: 'in_person',
        stakeholderType: 'government',
        function: 'technical_expert',
      })
    ).registrations;
    await decideRegistration(as({ id: 'rev', role: 'staff', capabilities: ['registration.review'] }), r.id, {
      decision: 'approve',
    });
    await issueMissingBadges(t.database.db, t.clock.now());
    const [{ id: badgeId }] = await t.database.db
      .select({ id: badges.id })
      .from(badges)
      .where(eq(badges.personId, p.id));
    const desk = await client(t, await createPerson(t, { role: 'staff', capabilities: ['badges.print'] }));
    for (const size of ['A6', 'CR80'] as const) {
      const pdf = await desk.inject({ url: `/api/v1/badges/${badgeId}/pdf?size=${size}` });
      assert.equal(pdf.statusCode, 200);
      const file = path.join(RESULTS, `organiser-badge-${size}.pdf`);
      fs.writeFileSync(file, pdf.rawPayload);
      const text = pdfText(file);
      assert.match(text, /Global Digital Cooperation Office/, size);
      assert.match(text, /ليلى/, size);
      pdfToPngs(file, path.join(RESULTS, `organiser-badge-${size}`), 150);
    }

    for (const lc of ['en', 'ar'] as const) {
      const res = await t.app.inject({ url: `/${lc}/letters/CL-26-17.pdf` });
      assert.equal(res.statusCode, 200, lc);
      const file = path.join(RESULTS, `organiser-letter-${lc}.pdf`);
      fs.writeFileSync(file, res.rawPayload);
      const text = pdfText(file, { page: 1 });
      // The letter is in its own language where it exists (CL-26/17 has both).
      assert.match(text, lc === 'ar' ? /مكتب التعاون الرقمي العالمي/ : /Global Digital Cooperation Office/, lc);
      // pdftotext loses Arabic letters' dots in the address line; its digits and the name come out whole.
      assert.match(text, lc === 'ar' ? /1202/ : /1 Rue de Test, 1202 Geneva/, lc);
      assert.doesNotMatch(text, /International Telecommunication Union|الاتحاد الدولي للاتصالات/, lc);
      pdfToPngs(file, path.join(RESULTS, `organiser-letter-${lc}`), 80, { first: 1, last: 1 });

      const ack = await renderAcknowledgement({
        locale: lc,
        organiser: await getOrganiser(t.database.db),
        ack: {
          event: 'confirmed',
          reference: 'TF26-0042-C',
          amountMinor: 25_000_000,
          currency: 'EUR',
          createdAt: new Date('2026-05-04T09:00:00Z'),
        },
        pledge: {
          contactName: 'Ms Anne Contact',
          purpose: 'wsis_prizes',
          purposeDetail: '',
          reference: 'TF26-0042',
          kind: 'cash',
          inKindDescription: '',
        },
        entity: { name: { en: 'France', ar: 'فرنسا' } },
      });
      const ackFile = path.join(RESULTS, `organiser-acknowledgement-${lc}.pdf`);
      fs.writeFileSync(ackFile, ack);
      assert.match(pdfText(ackFile), lc === 'ar' ? /مكتب التعاون الرقمي العالمي/ : /Global Digital Cooperation Office/);
      pdfToPngs(ackFile, path.join(RESULTS, `organiser-acknowledgement-${lc}`), 80);
    }
  });

  it('removing the logo leaves the name alone, and the pages follow', async () => {
    const res = await admin.inject({
      method: 'POST',
      url: '/en/admin/organiser/logo',
      ...multipart({ _csrf: admin.csrf, remove: '1' }),
    });
    assert.equal(res.statusCode, 303);
    const en = await t.app.inject({ url: '/en/' });
    assert.doesNotMatch(en.body, /brand-logo/);
    assert.match(en.body, /Global Digital Cooperation Office/);
  });
});
