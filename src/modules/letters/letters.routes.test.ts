/** Letters on the public site and over the JSON API, through the real app. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { draft } from '../../../test/helpers/letters.js';
import { countryName } from '../../platform/i18n/countries.js';
import { multipart } from '../../../test/helpers/multipart.js';
import { entities } from '../entities/index.js';
import { letterAnnexes, letters } from './letters.schema.js';

describe('letters: pages and API', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp();
  });
  after(() => t.close());
  const send = (c: Client, method: 'POST' | 'PATCH', url: string, payload?: unknown) =>
    c.inject({
      method,
      url,
      payload: (payload ?? {}) as Record<string, unknown>,
      headers: { 'x-csrf-token': c.csrf },
    });

  it('lists and shows CL-26/17 on the public site in every language, with its PDF', async () => {
    const list = await t.app.inject({ url: '/fr/letters' });
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /CL-26\/17/);
    assert.match(list.body, /Invitation à la manifestation de haut niveau/);
    const ar = await t.app.inject({ url: '/ar/letters/CL-26-17' });
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /<div class="letter-body" lang="ar" dir="rtl">/);
    assert.match(ar.body, /حضرات السادة والسيدات/);
    assert.match(ar.body, /\(الأصل عليه توقيع\)/);
    const en = await t.app.inject({ url: '/en/letters/CL-26-17' });
    assert.match(en.body, /Original language<\/dt><dd>Arabic/);
    assert.match(en.body, /hreflang="zh"/);
    const pdf = await t.app.inject({ url: '/ru/letters/CL-26-17.pdf' });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.match(String(pdf.headers['content-disposition']), /CL-26-17-ru\.pdf/);
    assert.equal((await t.app.inject({ url: '/en/letters/CL-99-01' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/en/letters/nonsense' })).statusCode, 404);
    const event = await t.app.inject({ url: '/en/events/wsis-forum-2026' });
    assert.match(event.body, /href="\/en\/letters\/CL-26-17"/);
    const home = await t.app.inject({ url: '/es/' });
    assert.match(home.body, /href="\/es\/letters\/CL-26-17"/);
  });

  it('gives letters over JSON in the asked language, else the original; OpenAPI describes them', async () => {
    const fr = (await t.app.inject({ url: '/api/v1/letters?lang=fr' })).json();
    assert.equal(fr.letters[0].reference, 'CL-26/17');
    assert.equal(fr.letters[0].language, 'fr');
    assert.equal(fr.letters[0].originalLanguage, 'ar');
    assert.equal(fr.letters[0].pdf, '/fr/letters/CL-26-17.pdf');
    const one = (await t.app.inject({ url: '/api/v1/letters/CL-26-17?lang=ar' })).json();
    assert.match(one.body, /^حضرات/);
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const p of ['/api/v1/letters', '/api/v1/letters/{letter}/send', '/api/v1/letters/{letter}/deliveries'])
      assert.ok(spec.paths[p], p);
  });

  it('lets the secretariat write, approve and send over the API; drafts stay private; others are refused', async () => {
    const sec = await client(t, await createPerson(t, { role: 'staff', capabilities: ['letters.send'] }));
    const other = await client(t, await createPerson(t, { role: 'staff', capabilities: ['speaking.review'] }));
    assert.equal((await send(other, 'POST', '/api/v1/letters', draft())).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/letters', payload: draft() })).statusCode, 401);
    const created = await send(sec, 'POST', '/api/v1/letters', draft());
    assert.equal(created.statusCode, 201, created.body);
    const l = created.json();
    assert.equal(l.reference, 'CL-26/18');
    assert.equal((await t.app.inject({ url: '/api/v1/letters/CL-26-18' })).statusCode, 404, 'a draft is not public');
    assert.equal((await t.app.inject({ url: '/en/letters/CL-26-18' })).statusCode, 404);
    assert.equal((await sec.inject({ url: `/api/v1/letters/${l.id}` })).json().state, 'draft');
    const bad = await send(sec, 'POST', '/api/v1/letters', { ...draft(), reference: 'CL-26/17' });
    assert.equal(bad.json().code, 'letter_reference_taken');
    const pdfBytes = Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
    const annex = await send(sec, 'POST', `/api/v1/letters/${l.id}/annexes`, {
      title: 'Programme of the High-Level Track',
      filename: 'programme.pdf',
      contentBase64: pdfBytes.toString('base64'),
    });
    assert.equal(annex.statusCode, 201, annex.body);
    const notPdf = await send(sec, 'POST', `/api/v1/letters/${l.id}/annexes`, {
      title: 'x',
      filename: 'x.pdf',
      contentBase64: Buffer.from('<html>not a pdf</html>').toString('base64'),
    });
    assert.equal(notPdf.json().code, 'annex_not_pdf');
    assert.equal((await send(sec, 'POST', `/api/v1/letters/${l.id}/approve`)).json().state, 'approved');
    const [ch] = await t.database.db.select().from(entities).where(eq(entities.code, 'CH'));
    const none = await send(sec, 'POST', `/api/v1/letters/${l.id}/send`, { entityIds: [ch.id] });
    assert.equal(none.json().code, 'letter_no_recipients');
    await createPerson(t, { focalPointOf: [ch.id], locale: 'fr' });
    const sent = await send(sec, 'POST', `/api/v1/letters/${l.id}/send`, { entityIds: [ch.id] });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal(sent.json().queued, 1);
    const patch = await send(sec, 'PATCH', `/api/v1/letters/${l.id}`, { subject: { en: 'Changed' } });
    assert.equal(patch.json().code, 'letter_already_sent');
    const ds = (await sec.inject({ url: `/api/v1/letters/${l.id}/deliveries` })).json();
    assert.deepEqual(
      ds.deliveries.map((d: { state: string; locale: string }) => [d.state, d.locale]),
      [['queued', 'fr']],
    );
    assert.equal((await other.inject({ url: `/api/v1/letters/${l.id}/deliveries` })).statusCode, 403);
    const pub = await t.app.inject({ url: '/en/letters' });
    assert.match(pub.body, /CL-26\/18/, 'the sent letter is listed (the page cache follows the content version)');
    const page = await t.app.inject({ url: '/en/letters/CL-26-18' });
    const href = /href="(\/en\/letters\/CL-26-18\/annexes\/\d+)"/.exec(page.body)?.[1];
    assert.ok(href, 'the annex is listed');
    const file = await t.app.inject({ url: href });
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.deepEqual(file.rawPayload, pdfBytes);
    const pdfText = (await t.app.inject({ url: '/en/letters/CL-26-18.pdf' })).rawPayload;
    assert.equal(pdfText.subarray(0, 5).toString(), '%PDF-');
  });

  it('lets the secretariat write a letter with the forms, and shows the tracker: all rows to the secretariat, one to a focal point', async () => {
    const sec = await client(t, await createPerson(t, { role: 'staff', capabilities: ['letters.send'] }));
    const form = await sec.inject({ url: '/en/secretariat/letters' });
    assert.equal(form.statusCode, 200);
    const created = await sec.inject({
      method: 'POST',
      url: '/en/secretariat/letters',
      form: {
        date: '2026-04-20',
        originalLanguage: 'en',
        audiences: ['member_states'],
        subject_en: 'Side events',
        body_en: 'Dear Sir/Madam,\n\n- one\n- two',
        subject_ar: 'الأحداث الجانبية',
        body_ar: 'حضرات السادة،',
      },
    });
    assert.equal(created.statusCode, 303, created.body);
    const page = await sec.inject({ url: created.headers.location as string });
    assert.match(page.body, /Side events/);
    const other = await client(t, await createPerson(t, { role: 'participant' }));
    assert.equal((await other.inject({ url: '/en/secretariat/letters' })).statusCode, 403);

    const tracker = await sec.inject({ url: '/en/letters/CL-26-17/responses?ituRegion=B' });
    assert.equal(tracker.statusCode, 200);
    assert.match(tracker.body, /of \d+ Member States have registered a delegation/);
    assert.ok((tracker.body.match(/data-code="/g) ?? []).length > 30);
    const csv = await sec.inject({ url: '/en/letters/CL-26-17/responses.csv?ituRegion=B' });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body.split('\n')[0], /^\uFEFF"code","member_state","itu_region"/);
    assert.match(csv.body, /"CH","Switzerland","B"/);
    const [ch] = await t.database.db.select().from(entities).where(eq(entities.code, 'CH'));
    const fp = await client(t, await createPerson(t, { focalPointOf: [ch.id] }));
    const own = await fp.inject({ url: '/en/letters/CL-26-17/responses' });
    assert.equal(own.statusCode, 200);
    assert.deepEqual(own.body.match(/data-code="[A-Z]+"/g), ['data-code="CH"']);
    assert.equal((await fp.inject({ url: '/en/letters/CL-26-17/responses.csv' })).statusCode, 403);
    assert.equal((await other.inject({ url: '/en/letters/CL-26-17/responses' })).statusCode, 403);
    const api = (await sec.inject({ url: '/api/v1/letters/CL-26-17/tracker?unGroup=weog&lang=fr' })).json();
    assert.equal(api.reference, 'CL-26/17');
    assert.ok(api.rows.every((r: { unGroup: string }) => r.unGroup === 'weog'));
    assert.equal(api.rows.find((r: { code: string }) => r.code === 'CH').name, 'Suisse');
    const mine = (await fp.inject({ url: '/api/v1/letters/CL-26-17/tracker' })).json();
    assert.deepEqual(
      mine.rows.map((r: { code: string }) => r.code),
      ['CH'],
    );
    assert.equal((await other.inject({ url: '/api/v1/letters/CL-26-17/tracker' })).statusCode, 403);
  });

  it("draws the tracker as a map coloured by each Member State's answer, with a legend, names and the table", async () => {
    const sec = await client(t, await createPerson(t, { role: 'staff', capabilities: ['letters.send'] }));
    const [de] = await t.database.db.select().from(entities).where(eq(entities.code, 'DE'));
    await createPerson(t, { focalPointOf: [de.id] });
    const page = await sec.inject({ url: '/ar/letters/CL-26-17/responses?unGroup=weog' });
    assert.equal(page.statusCode, 200);
    const svg = /<svg[^>]*id="tracker-map"[\s\S]*?<\/svg>/.exec(page.body)?.[0];
    assert.ok(svg, 'the map is on the page');
    assert.match(svg, /role="img" aria-labelledby="tracker-map-title tracker-map-desc"/);
    assert.match(svg, /<title id="tracker-map-title">خريطة الردود<\/title>/);
    const de_ = new RegExp(
      `data-country="DE" data-state="focal_point" role="img" aria-label="${countryName('ar', 'DE')}: عُيّنت جهة الاتصال"`,
    );
    assert.match(svg, de_);
    assert.match(svg, /data-country="IT" data-state="none"/);
    assert.doesNotMatch(svg, /data-country="SN"/, 'outside the filter: not coloured');
    assert.match(svg, /<g class="legend" aria-hidden="true" font-size="13" direction="rtl">/);
    assert.match(svg, /لا رد \(\d+\)/);
    // The table says the same in words (the map's fallback).
    assert.match(
      page.body,
      /<tr data-code="DE">[\s\S]*?<td class="answer" data-state="focal_point">عُيّنت جهة الاتصال<\/td>/,
    );
  });

  it('takes an annex with the letter form (multipart, PDF checked by its bytes, up to 10 MB); a refusal keeps the form as typed', async () => {
    const sec = await client(t, await createPerson(t, { role: 'staff', capabilities: ['letters.send'] }));
    const fields = {
      _csrf: sec.csrf,
      date: '2026-05-02',
      originalLanguage: 'ar',
      audiences: ['member_states', 'academia'],
      subject_ar: 'دعوة إلى المساهمة',
      body_ar: 'حضرات السادة،\n\n'.concat('نص طويل. '.repeat(800)), // beyond the 4 KB of the global field limit
      subject_en: 'Call for contributions',
      annex_title: 'البرنامج',
    };
    const post = (lc: string, file?: { data: Buffer; filename: string }) =>
      sec.inject({
        method: 'POST',
        url: `/${lc}/secretariat/letters`,
        ...multipart(fields, file && { name: 'annex', type: 'application/pdf', ...file }),
      });
    const count = async () => (await t.database.db.select().from(letters)).length;
    const before = await count();

    // Not a PDF (its bytes say so, whatever its name): refused in Arabic, everything typed is still there.
    const html = await post('ar', { data: Buffer.from('<html>not a pdf</html>'), filename: 'programme.pdf' });
    assert.equal(html.statusCode, 400);
    assert.match(html.body, /يجب أن يكون الملحق ملف PDF\./);
    assert.match(html.body, /value="دعوة إلى المساهمة"/);
    assert.match(html.body, /value="Call for contributions"/);
    assert.match(html.body, /value="البرنامج"/);
    assert.match(html.body, /<textarea name="body_ar"[^>]*>حضرات السادة،\s+نص طويل\./);
    assert.match(html.body, /<option value="ar" selected/);
    assert.match(html.body, /name="audiences" value="academia" checked/);
    assert.doesNotMatch(html.body, /name="audiences" value="sector_members" checked/);
    assert.match(html.body, /value="2026-05-02"/);
    assert.equal(await count(), before, 'no letter without its annex');

    // Over 10 MB (above the app's 5 MB upload limit too): refused in French, the form kept.
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024, 0x20)]);
    const tooBig = await post('fr', { data: big, filename: 'big.pdf' });
    assert.equal(tooBig.statusCode, 413);
    assert.match(tooBig.body, /Une annexe ne peut dépasser 10 MB\./);
    assert.match(tooBig.body, /value="Call for contributions"/);
    assert.equal(await count(), before);

    // A PDF of 7 MB (above the global 5 MB, within the annexes' 10 MB) is taken with the letter.
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n'),
      Buffer.alloc(7 * 1024 * 1024, 0x20),
      Buffer.from('\n%%EOF\n'),
    ]);
    const ok = await post('en', { data: pdf, filename: 'programme.pdf' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const id = Number(/\/secretariat\/letters\/(\d+)$/.exec(ok.headers.location as string)?.[1]);
    const annexes = await t.database.db.select().from(letterAnnexes).where(eq(letterAnnexes.letterId, id));
    assert.deepEqual(
      annexes.map((a) => [a.title, a.filename, a.size]),
      [['البرنامج', 'programme.pdf', pdf.length]],
    );
    assert.deepEqual(annexes[0].pdf, pdf);
    const [l] = await t.database.db.select().from(letters).where(eq(letters.id, id));
    assert.equal(l.subject.ar, 'دعوة إلى المساهمة');
    assert.deepEqual(l.audiences, ['member_states', 'academia']);

    // The raised limit is this form's only: a participant's photo upload still stops at the app's 5 MB.
    const photo = await sec.inject({
      method: 'POST',
      url: '/en/photo',
      ...multipart({ _csrf: sec.csrf }, { name: 'photo', type: 'image/jpeg', data: Buffer.alloc(6 * 1024 * 1024, 1) }),
    });
    assert.equal(photo.statusCode, 413);
  });
});
