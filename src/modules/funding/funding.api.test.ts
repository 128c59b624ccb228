/**
 * The Trust Fund through HTTP on a real database: the API (focal point and secretariat), acknowledgement letters
 * rendered and sent over real SMTP exactly once per event (retries included), the pages, partners and totals.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { needPoppler, pdfText, RESULTS } from '../../../test/helpers/pdf.js';
import { startSmtpSink, type SmtpSink } from '../../../test/helpers/smtp.js';
import { runDueJobs } from '../../platform/jobs.js';
import { mailHandlers } from '../../platform/mail/mail.js';
import { entities } from '../entities/index.js';
import { fundingHandlers, sendAcknowledgement } from './funding.jobs.js';
import { fundingAcknowledgements } from './funding.schema.js';

describe('funding over HTTP', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const ids: Record<string, number> = {};
  let dfp: Client;
  let staff: Client;
  const post = (c: Client, url: string, payload: unknown) =>
    c.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { 'x-csrf-token': c.csrf } });
  const work = () =>
    runDueJobs(t.database.db, t.clock, {
      ...fundingHandlers(t.database.db, t.clock),
      ...mailHandlers({ smtpUrl: smtp.url, mailFrom: 'WSIS <no-reply@wsis.test>' }, 'memory://'),
    });

  before(async () => {
    t = await buildTestApp();
    smtp = await startSmtpSink();
    for (const c of ['EG', 'JP'])
      [{ id: ids[c] }] = await t.database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, c));
    dfp = await client(t, await createPerson(t, { focalPointOf: [ids.EG], entityId: ids.EG, locale: 'ar' }));
    staff = await client(t, await createPerson(t, { role: 'staff', capabilities: ['pledges.manage'] }));
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  it('a focal point pledges in Arabic; confirmed and paid in euros; one letter per event, in Arabic, even on retry', async (ctx) => {
    const res = await post(dfp, '/api/v1/pledges', {
      entityId: ids.EG,
      currency: 'USD',
      amount: '١٠٠٠٠٠',
      purpose: 'ldc_fellowships',
      contactName: 'د. عمرو طلعت',
      contactEmail: 'minister@mcit.example.eg',
      contactLocale: 'ar',
      recognition: 'name',
    });
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.state, 'announced');
    assert.deepEqual(p.amount, { minor: 10_000_000, amount: '100000.00', currency: 'USD' });
    // Not the focal point's to confirm; another entity cannot see it; the public cannot list pledges.
    assert.equal((await post(dfp, `/api/v1/pledges/${p.id}/confirm`, { rateToChf: '0.8' })).statusCode, 403);
    const other = await client(t, await createPerson(t, { focalPointOf: [ids.JP], entityId: ids.JP }));
    assert.equal(
      (await other.inject({ method: 'GET', url: `/api/v1/pledges/${p.id}` })).json().code,
      'pledge_not_found',
    );
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/pledges' })).statusCode, 401);

    assert.equal((await post(staff, `/api/v1/pledges/${p.id}/confirm`, {})).json().code, 'rate_required');
    assert.equal((await post(staff, `/api/v1/pledges/${p.id}/confirm`, { rateToChf: '0.8' })).statusCode, 200);
    const pay = (amount: string, rateToChf: string) =>
      post(staff, `/api/v1/pledges/${p.id}/payments`, {
        receivedOn: '2026-05-04',
        amount,
        currency: 'EUR',
        rateToChf,
        bankReference: 'UBS-77',
      });
    assert.equal((await pay('50000', '0.94')).json().state, 'partially_paid');
    const done = (await pay('40000', '0.95')).json();
    assert.equal(done.state, 'paid');
    assert.equal(done.totals.receivedChf.amount, '85000.00');
    assert.equal(done.totals.currencyMismatch, true);
    assert.equal(done.payments.length, 2);

    // Jobs: letters rendered and sent; running the acknowledgement again (a retry) sends nothing more.
    await work();
    await work();
    const acks = await t.database.db.select().from(fundingAcknowledgements);
    for (const a of acks) assert.equal(await sendAcknowledgement(t.database.db, t.clock, a.id), false);
    await work();
    const mine = smtp.received.filter((m) => (m.to as { text: string }).text.includes('minister@mcit.example.eg'));
    assert.equal(mine.length, 2, 'one e-mail per event');
    const paidMail = mine.find((m) => m.subject?.includes('كاملةً'));
    assert.ok(paidMail, mine.map((m) => m.subject).join(' | '));
    assert.equal(paidMail.attachments.length, 1);
    assert.equal(paidMail.attachments[0].contentType, 'application/pdf');

    // The letter can be downloaded by the focal point, and reads in Arabic with the amount in dollars.
    const pdf = await dfp.inject({ method: 'GET', url: `/api/v1/pledges/${p.id}/acknowledgements/paid.pdf` });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.deepEqual(pdf.rawPayload, paidMail.attachments[0].content);
    if (!needPoppler(ctx)) return;
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, 'funding-ack-ar.pdf');
    fs.writeFileSync(file, pdf.rawPayload);
    const txt = pdfText(file);
    assert.match(txt, /TF26-\d{4}-P/);
    assert.match(txt, /106,250\.00/); // USD 58,750.00 + USD 47,500.00 received, in the Arabic currency format
    assert.match(txt, /الاتحاد الدولي للاتصالات/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', file, path.join(RESULTS, 'funding-ack-ar')]);
  });

  it('partners: named contributors by tier in each language, amounts only with consent; totals; OpenAPI', async () => {
    const tiers = await staff.inject({
      method: 'PUT',
      url: '/api/v1/funding/tiers',
      payload: {
        tiers: [
          { minChf: '50000', name: { en: 'Gold partners', ar: 'الشركاء الذهبيون', fr: 'Partenaires or' } },
          { minChf: '0', name: { en: 'Supporters', ar: 'الداعمون' } },
        ],
      },
      headers: { 'x-csrf-token': staff.csrf },
    });
    assert.equal(tiers.statusCode, 200, tiers.body);
    const jp = await post(staff, '/api/v1/pledges', {
      entityId: ids.JP,
      currency: 'JPY',
      amount: '1000000',
      contactName: 'Contact',
      contactEmail: 'jp@example.jp',
      recognition: 'name_and_amount',
    });
    await post(staff, `/api/v1/pledges/${jp.json().id}/confirm`, { rateToChf: '0.0057' });
    const en = await t.app.inject({ method: 'GET', url: '/en/partners' });
    assert.equal(en.statusCode, 200);
    assert.match(en.body, /Gold partners[\s\S]*Egypt[\s\S]*Supporters[\s\S]*Japan/);
    assert.match(en.body, /JP¥1,000,000/); // consented
    assert.doesNotMatch(en.body, /US\$|100,000/); // Egypt said name only
    const ar = await t.app.inject({ method: 'GET', url: '/ar/partners' });
    assert.match(ar.body, /الشركاء الذهبيون[\s\S]*مصر/);
    assert.match(ar.body, /dir="rtl"/);

    const rep = (await staff.inject({ method: 'GET', url: '/api/v1/funding/report' })).json();
    assert.equal(rep.totals.pledgedChf, 8_000_000 + 570_000);
    assert.equal(rep.totals.receivedChf, 8_500_000);
    assert.equal(rep.byCurrency.find((c: { currency: string }) => c.currency === 'JPY').pledged, 1_000_000);
    assert.equal(
      rep.byType.reduce((s: number, l: { pledgedChf: number }) => s + l.pledgedChf, 0),
      rep.totals.pledgedChf,
    );
    const page = await staff.inject({ method: 'GET', url: '/en/secretariat/funding/report' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /CHF\s?85,700\.00/);

    const csv = await staff.inject({ method: 'GET', url: '/api/v1/pledges.csv?lang=ar' });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    assert.match(lines[0], /^"reference","entity_code","entity_name_en","entity_name"/);
    assert.equal(lines.length, 3);
    assert.match(
      csv.body,
      /"TF26-\d{4}","EG","Egypt","مصر",[\s\S]*"USD","100000.00","106250.00","0.00",10000000,10625000,"0.8","80000.00","85000.00"/,
    );
    const xlsx = await staff.inject({ method: 'GET', url: '/api/v1/pledges.xlsx' });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    assert.equal((await dfp.inject({ method: 'GET', url: '/api/v1/pledges.csv' })).statusCode, 403);

    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.ok(doc.paths['/api/v1/pledges/{id}/payments']);
    assert.ok(doc.paths['/api/v1/partners']);
  });

  it('pages: the desk and the secretariat’s pledge page render in Arabic and English; a refused form says why', async () => {
    for (const lc of ['ar', 'en']) {
      const desk = await dfp.inject({ method: 'GET', url: `/${lc}/funding` });
      assert.equal(desk.statusCode, 200);
      assert.match(desk.body, /TF26-/);
      const list = await staff.inject({ method: 'GET', url: `/${lc}/secretariat/funding` });
      assert.equal(list.statusCode, 200);
      const id = /\/secretariat\/funding\/(\d+)"/.exec(list.body)?.[1];
      assert.equal((await staff.inject({ method: 'GET', url: `/${lc}/secretariat/funding/${id}` })).statusCode, 200);
    }
    assert.equal((await dfp.inject({ method: 'GET', url: '/en/secretariat/funding' })).statusCode, 403);
    // Tiers through the form: a threshold typed in French, names per language; a repeated threshold is refused.
    const saved = await staff.inject({
      method: 'POST',
      url: '/fr/secretariat/funding/tiers',
      form: {
        min0: '100 000,00',
        name0_fr: 'Partenaires platine',
        name0_en: 'Platinum partners',
        min1: '',
        name1_en: '',
      },
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const en = await t.app.inject({ method: 'GET', url: '/en/partners' });
    assert.doesNotMatch(en.body, /Platinum partners/); // Egypt pledged CHF 80,000, Japan CHF 5,700: none reaches it
    assert.match(en.body, /Contributors[\s\S]*Egypt/);
    const twice = await staff.inject({
      method: 'POST',
      url: '/en/secretariat/funding/tiers',
      form: { min0: '1000', name0_en: 'A', min1: '1,000.00', name1_en: 'B' },
    });
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /Each tier needs a name and its own CHF threshold/);
    const bad = await dfp.inject({
      method: 'POST',
      url: '/en/funding',
      form: {
        entityId: String(ids.EG),
        currency: 'JPY',
        amount: '10.5',
        contactName: 'X',
        contactEmail: 'x@example.org',
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /JPY has no decimals/);
  });
});
