/**
 * Recognition of contributors over HTTP on a real database: the pledge column of the letters tracker in words, in-kind
 * deliveries, tiers by partner package, logos (uploaded, checked, re-encoded, served, with their text alternative) on
 * the partners page and on the pages of the events the contributions support.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { entities } from '../entities/index.js';
import { events } from '../events/index.js';
import { fundingAcknowledgements } from './funding.schema.js';
import { multipart } from '../../../test/helpers/multipart.js';

const pngLogo = (w = 800, h = 400) =>
  sharp({ create: { width: w, height: h, channels: 4, background: { r: 0, g: 90, b: 170, alpha: 0.5 } } })
    .png()
    .toBuffer();

describe('Trust Fund recognition', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  const pledge: Record<string, number> = {};
  let staff: Client;
  let dfp: Client;
  let aiEvent: number;
  const post = (c: Client, url: string, payload: unknown) =>
    c.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { 'x-csrf-token': c.csrf } });
  const rowOf = (html: string, code: string) => {
    const m = new RegExp(`<tr data-code="${code}">([\\s\\S]*?)</tr>`).exec(html);
    assert.ok(m, `row ${code}`);
    return m[1];
  };

  before(async () => {
    t = await buildTestApp();
    for (const c of ['EG', 'JP', 'FR'])
      [{ id: ids[c] }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, c));
    [{ id: aiEvent }] = await t.database.db
      .select({ id: events.id })
      .from(events)
      .where(eq(events.slug, 'ai-for-good-2026'));
    staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['pledges.manage', 'letters.send'] }));
    dfp = await client(t, await createPerson(t, { focalPointOf: [ids.EG], entityId: ids.EG }));
    const eg = await post(dfp, '/api/v1/pledges', {
      entityId: ids.EG,
      amount: '1000',
      contactName: 'Contact',
      contactEmail: 'eg@example.eg',
      recognition: 'name',
    });
    assert.equal(eg.statusCode, 200, eg.body);
    pledge.EG = eg.json().id;
  });
  after(() => t.close());

  it('the tracker’s Trust Fund column says the pledge’s state in words, in the reader’s language', async () => {
    const fr = await staff.inject({ method: 'GET', url: '/fr/letters/CL-26-17/responses' });
    assert.equal(fr.statusCode, 200);
    assert.match(rowOf(fr.body, 'EG'), /<td>Annoncée<\/td>/);
    assert.equal((await post(staff, `/api/v1/pledges/${pledge.EG}/confirm`, {})).statusCode, 200);
    const ar = await staff.inject({ method: 'GET', url: '/ar/letters/CL-26-17/responses' });
    assert.match(rowOf(ar.body, 'EG'), /<td>مؤكَّد<\/td>/);
    const en = await staff.inject({ method: 'GET', url: '/en/letters/CL-26-17/responses' });
    assert.match(rowOf(en.body, 'EG'), /<td>Confirmed<\/td>/);
    assert.doesNotMatch(rowOf(en.body, 'EG'), />confirmed</);
    assert.match(rowOf(en.body, 'FR'), /<td>—<\/td>$/); // no pledge
    // The UN lists filter in the page: the Small Island Developing States only, each marked.
    const sids = await staff.inject({ method: 'GET', url: '/en/letters/CL-26-17/responses?special=sids' });
    assert.equal(sids.statusCode, 200);
    assert.equal((sids.body.match(/<tr data-code=/g) ?? []).length, 37);
    assert.match(rowOf(sids.body, 'BB'), /\(SIDS\)/);
    assert.doesNotMatch(sids.body, /data-code="EG"/);
    assert.match(sids.body, /<option value="sids" selected[^>]*>Small Island Developing States/);
    // The export keeps the stable code.
    const csv = await staff.inject({ method: 'GET', url: '/en/letters/CL-26-17/responses.csv' });
    assert.match(csv.body, /"EG",[^\n]*"confirmed"/);
    const ldcCsv = await staff.inject({ method: 'GET', url: '/en/letters/CL-26-17/responses.csv?special=ldc' });
    assert.equal(ldcCsv.body.trim().split('\n').length, 1 + 45);
    assert.match(ldcCsv.body, /"SN",[^\n]*"LDC"/);
  });

  it('an in-kind contribution is delivered in parts, then in full (with its letter); money and deliveries do not mix', async () => {
    const res = await post(staff, '/api/v1/pledges', {
      entityId: ids.JP,
      kind: 'in_kind',
      amount: '50000',
      inKindDescription: 'Interpretation booths for the High-Level Track',
      purpose: 'partner_package',
      purposeDetail: 'Gold package',
      eventId: aiEvent,
      contactName: 'Contact',
      contactEmail: 'jp@example.jp',
      recognition: 'name',
    });
    assert.equal(res.statusCode, 200, res.body);
    pledge.JP = res.json().id;
    assert.equal(res.json().eventId, aiEvent);
    const deliver = (id: number, value: string, deliveredOn = '2026-06-20') =>
      post(staff, `/api/v1/pledges/${id}/deliveries`, { deliveredOn, description: 'Two booths', value });
    assert.equal((await deliver(pledge.JP, '20000')).json().code, 'pledge_not_confirmed');
    await post(staff, `/api/v1/pledges/${pledge.JP}/confirm`, {});
    const part = (await deliver(pledge.JP, '20000')).json();
    assert.equal(part.state, 'partially_paid');
    assert.equal(part.totals.received.amount, '20000.00');
    assert.equal(part.deliveries.length, 1);
    // Through the secretariat's form, in French digits: the rest, delivered in full.
    const form = await staff.inject({
      method: 'POST',
      url: `/fr/secretariat/funding/${pledge.JP}/deliveries`,
      form: { deliveredOn: '2026-07-01', description: 'Trois cabines', value: '30 000,00' },
    });
    assert.equal(form.statusCode, 303, form.body);
    const page = await staff.inject({ method: 'GET', url: `/en/secretariat/funding/${pledge.JP}` });
    assert.match(page.body, /data-state="paid">Delivered/);
    assert.match(page.body, /id="deliveries"[\s\S]*Two booths[\s\S]*Trois cabines/);
    const acks = await t.database.db
      .select()
      .from(fundingAcknowledgements)
      .where(eq(fundingAcknowledgements.pledgeId, pledge.JP));
    assert.deepEqual(acks.map((a) => a.event).sort(), ['confirmed', 'paid']);
    assert.equal((await deliver(pledge.JP, '1')).json().code, 'pledge_transition_invalid');
    assert.equal((await deliver(pledge.EG, '10')).json().code, 'pledge_not_in_kind');
    const pay = await post(staff, `/api/v1/pledges/${pledge.JP}/payments`, {
      receivedOn: '2026-06-01',
      amount: '10',
      currency: 'CHF',
    });
    assert.equal(pay.json().code, 'pledge_in_kind');
    assert.equal((await deliver(pledge.EG, '10')).statusCode, 409);
    assert.equal((await post(dfp, `/api/v1/pledges/${pledge.EG}/deliveries`, {})).statusCode, 403);
  });

  it('tiers by partner package: a package pledge is in its tier whatever its amount', async () => {
    const saved = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/funding/tiers',
      form: {
        min0: '500,000',
        package0: 'gold package',
        name0_en: 'Gold partners',
        name0_ar: 'الشركاء الذهبيون',
        min1: '100',
        package1: '',
        name1_en: 'Friends of WSIS',
      },
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const en = await t.app.inject({ method: 'GET', url: '/en/partners' });
    // Japan: CHF 50,000 in kind, below the Gold threshold, but for the Gold package; Egypt: CHF 1,000.
    assert.match(en.body, /data-tier="Gold partners"[\s\S]*Japan[\s\S]*data-tier="Friends of WSIS"[\s\S]*Egypt/);
    const report = await staff.inject({ method: 'GET', url: '/en/secretariat/funding/report' });
    assert.match(report.body, /name="package0"[^>]*value="gold package"/);
    const api = (await t.app.inject({ method: 'GET', url: '/api/v1/partners?lang=en' })).json();
    assert.equal(api.groups[0].tier.package, 'gold package');
  });

  it('logos: the secretariat uploads one with its text alternative; it is checked, re-encoded and shown', async () => {
    const url = `/en/secretariat/funding/${pledge.EG}/logo`;
    const up = (c: Client, fields: Record<string, string>, file?: { type: string; data: Buffer }) => {
      const m = multipart({ _csrf: c.csrf, ...fields }, file && { name: 'logo', ...file });
      return c.inject({ method: 'POST', url, payload: m.payload, headers: m.headers });
    };
    const png = await pngLogo();
    // A PNG that says it is a JPEG, an SVG, a tiny image, no file: refused with words.
    const lie = await up(staff, {}, { type: 'image/jpeg', data: png });
    assert.equal(lie.statusCode, 415);
    assert.match(lie.body, /not the kind of image it says it is/);
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><script>x</script></svg>',
    );
    const svgRes = await up(staff, {}, { type: 'image/svg+xml', data: svg });
    assert.equal(svgRes.statusCode, 415);
    assert.match(svgRes.body, /must be a PNG, JPEG or WebP/);
    assert.equal((await up(staff, {}, { type: 'image/png', data: await pngLogo(20, 10) })).statusCode, 400);
    assert.equal((await up(staff, {})).statusCode, 400);
    // Not the focal point's to upload.
    assert.equal((await up(dfp, {}, { type: 'image/png', data: png })).statusCode, 403);

    const ok = await up(
      staff,
      { alt_en: 'Emblem of the Arab Republic of Egypt', alt_ar: 'شعار جمهورية مصر العربية' },
      { type: 'image/png', data: png },
    );
    assert.equal(ok.statusCode, 303, ok.body);
    const en = await t.app.inject({ method: 'GET', url: '/en/partners' });
    const img = /<img class="partner-logo" src="([^"]+)" alt="([^"]*)" width="(\d+)" height="(\d+)"/.exec(en.body);
    assert.ok(img, 'logo on the partners page');
    assert.equal(img[2], 'Emblem of the Arab Republic of Egypt');
    assert.deepEqual([img[3], img[4]], ['600', '300']); // shrunk to fit 600 × 300
    const ar = await t.app.inject({ method: 'GET', url: '/ar/partners' });
    assert.match(ar.body, /alt="شعار جمهورية مصر العربية"/);
    const fr = await t.app.inject({ method: 'GET', url: '/fr/partners' });
    assert.match(fr.body, /class="partner-logo"[^>]*alt="Égypte"/); // no French text: the partner's name
    const file = await t.app.inject({ method: 'GET', url: img[1] });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.match(String(file.headers['cache-control']), /immutable/);
    const meta = await sharp(file.rawPayload).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.hasAlpha, true);
    assert.equal(meta.exif, undefined);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/partners/logos/999999-000000000000.png' })).statusCode,
      404,
    );
    const api = (await t.app.inject({ method: 'GET', url: '/api/v1/partners?lang=en' })).json();
    const egypt = api.groups.flatMap((g: { purposes: { partners: { logo: unknown }[] }[] }) =>
      g.purposes.flatMap((p) => p.partners),
    );
    assert.ok(egypt.some((p: { logo: { url: string } | null }) => p.logo?.url === img[1]));
  });

  it('event pages acknowledge the partners of the contributions they receive', async () => {
    const ai = await t.app.inject({ method: 'GET', url: '/en/events/ai-for-good-2026' });
    assert.equal(ai.statusCode, 200);
    assert.match(ai.body, /id="event-partners"[\s\S]*Japan/);
    assert.doesNotMatch(ai.body.slice(ai.body.indexOf('event-partners')), /Egypt/);
    for (const slug of ['wsis-forum-2026', 'wsis-high-level-track-2026']) {
      const page = await t.app.inject({ method: 'GET', url: `/en/events/${slug}` });
      const block = page.body.slice(page.body.indexOf('id="event-partners"'));
      assert.match(block, /Egypt/, slug);
      assert.match(block, /<img class="partner-logo"[^>]*alt="Emblem of the Arab Republic of Egypt"/);
      assert.doesNotMatch(block.slice(0, block.indexOf('</section>')), /Japan/);
    }
    const dialogue = await t.app.inject({ method: 'GET', url: '/en/events/global-dialogue-ai-governance-2026' });
    assert.doesNotMatch(dialogue.body, /event-partners/);
  });
});
