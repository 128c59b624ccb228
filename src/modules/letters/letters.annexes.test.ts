/**
 * Annexes added to and removed from a letter after it was written — on its page (multipart, the PDF checked by its
 * bytes, 10 MB on that route) and over the API — while it is a draft or approved (which goes back to draft), never
 * once it is sent; audited; `letters.send` only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { client, createPerson, type Client } from '../../../test/helpers/actors.js';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.js';
import { draft } from '../../../test/helpers/letters.js';
import { multipart } from '../../../test/helpers/multipart.js';
import { auditLog } from '../../platform/platform.schema.js';
import { entities } from '../entities/index.js';
import { letterAnnexes, letters } from './letters.schema.js';

const pdf = (size = 0) =>
  Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj<<>>endobj\n'), Buffer.alloc(size, 0x20), Buffer.from('\n%%EOF\n')]);

describe('annexes of a letter after it is written', () => {
  let t: TestApp;
  let sec: Client;
  let other: Client;
  let id: number;
  const json = (c: Client, method: 'POST' | 'DELETE', url: string, payload?: unknown) =>
    c.inject({
      method,
      url,
      ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      headers: { 'x-csrf-token': c.csrf },
    });
  const upload = (c: Client, lc: string, title: string, file?: { data: Buffer; filename: string }) =>
    c.inject({
      method: 'POST',
      url: `/${lc}/secretariat/letters/${id}/annexes`,
      ...multipart({ _csrf: c.csrf, annex_title: title }, file && { name: 'annex', type: 'application/pdf', ...file }),
    });
  const annexes = () =>
    t.database.db.select().from(letterAnnexes).where(eq(letterAnnexes.letterId, id)).orderBy(letterAnnexes.id);
  const state = async () => (await t.database.db.select().from(letters).where(eq(letters.id, id)))[0].state;

  before(async () => {
    t = await buildTestApp();
    sec = await client(t, await createPerson(t, { role: 'staff', capabilities: ['letters.send'] }));
    other = await client(t, await createPerson(t, { role: 'staff', capabilities: ['reports.view'] }));
    const res = await json(sec, 'POST', '/api/v1/letters', draft());
    assert.equal(res.statusCode, 201, res.body);
    id = res.json().id;
  });
  after(() => t.close());

  it('adds a PDF annex to a draft on its page; it is listed and reads back byte for byte', async () => {
    const page = await sec.inject({ url: `/en/secretariat/letters/${id}` });
    assert.match(page.body, /No annex\./);
    assert.match(
      page.body,
      new RegExp(`action="/en/secretariat/letters/${id}/annexes"[^>]*enctype="multipart/form-data"`),
    );
    const file = pdf(6 * 1024 * 1024); // above the app's 5 MB, within the annexes' 10 MB
    const res = await upload(sec, 'en', 'Programme of the High-Level Track', { data: file, filename: 'programme.pdf' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 400));
    assert.equal(res.headers.location, `/en/secretariat/letters/${id}?done=annex_added`);
    const [a] = await annexes();
    assert.deepEqual(
      [a.title, a.filename, a.size],
      ['Programme of the High-Level Track', 'programme.pdf', file.length],
    );
    const after = await sec.inject({ url: res.headers.location as string });
    assert.match(after.body, /The annex is added\./);
    assert.match(after.body, new RegExp(`data-annex="${a.id}"[\\s\\S]*Programme of the High-Level Track`));
    const back = await sec.inject({ url: `/en/secretariat/letters/${id}/annexes/${a.id}` });
    assert.equal(back.headers['content-type'], 'application/pdf');
    assert.deepEqual(back.rawPayload, file);
    assert.equal((await other.inject({ url: `/en/secretariat/letters/${id}/annexes/${a.id}` })).statusCode, 403);
  });

  it('refuses what is not a PDF, too large or missing, in the reader’s language, keeping the title typed', async () => {
    const before = (await annexes()).length;
    const html = await upload(sec, 'ar', 'البرنامج', {
      data: Buffer.from('<html>not a pdf</html>'),
      filename: 'x.pdf',
    });
    assert.equal(html.statusCode, 400);
    assert.match(html.body, /يجب أن يكون الملحق ملف PDF\./);
    assert.match(html.body, /value="البرنامج"/);
    const big = await upload(sec, 'fr', 'Gros fichier', { data: pdf(10 * 1024 * 1024), filename: 'big.pdf' });
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /Une annexe ne peut dépasser 10 MB\./);
    assert.match(big.body, /value="Gros fichier"/);
    const none = await upload(sec, 'en', 'Nothing chosen');
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose a PDF file to attach\./);
    assert.equal((await annexes()).length, before);
    const refused = await upload(other, 'en', 'x', { data: pdf(), filename: 'x.pdf' });
    assert.equal(refused.statusCode, 403);
    assert.equal((await annexes()).length, before);
  });

  it('sends an approved letter back to draft when its annexes change; removes one on the page and over the API', async () => {
    assert.equal((await json(sec, 'POST', `/api/v1/letters/${id}/approve`)).json().state, 'approved');
    const approved = await sec.inject({ url: `/en/secretariat/letters/${id}` });
    assert.match(approved.body, /adding or removing an annex sends it back to draft/);
    const added = await json(sec, 'POST', `/api/v1/letters/${id}/annexes`, {
      title: 'List of hotels',
      filename: 'hotels.pdf',
      contentBase64: pdf().toString('base64'),
    });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(await state(), 'draft', 'approved again before it is sent');

    const [first, second] = await annexes();
    assert.equal(second.title, 'List of hotels');
    const removed = await sec.inject({
      method: 'POST',
      url: `/en/secretariat/letters/${id}/annexes/${first.id}/remove`,
      form: {},
    });
    assert.equal(removed.statusCode, 303, removed.body);
    assert.deepEqual(
      (await annexes()).map((a) => a.title),
      ['List of hotels'],
    );
    assert.equal((await json(other, 'DELETE', `/api/v1/letters/${id}/annexes/${second.id}`)).statusCode, 403);
    const api = await json(sec, 'DELETE', `/api/v1/letters/${id}/annexes/${second.id}`);
    assert.equal(api.statusCode, 200, api.body);
    assert.deepEqual(api.json().annexes, []);
    assert.equal(
      (await json(sec, 'DELETE', `/api/v1/letters/${id}/annexes/${second.id}`)).json().code,
      'annex_not_found',
    );
    const trail = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, 'letter'), eq(auditLog.subjectId, String(id))));
    const actions = trail.map((r) => r.action);
    assert.equal(actions.filter((a) => a === 'letters.annex_added').length, 2);
    assert.equal(actions.filter((a) => a === 'letters.annex_removed').length, 2);
  });

  it('never changes the annexes of a sent letter', async () => {
    await json(sec, 'POST', `/api/v1/letters/${id}/annexes`, {
      title: 'Kept',
      filename: 'kept.pdf',
      contentBase64: pdf().toString('base64'),
    });
    assert.equal((await json(sec, 'POST', `/api/v1/letters/${id}/approve`)).statusCode, 200);
    const [ch] = await t.database.db.select().from(entities).where(eq(entities.code, 'CH'));
    await createPerson(t, { focalPointOf: [ch.id] });
    const sent = await json(sec, 'POST', `/api/v1/letters/${id}/send`, { entityIds: [ch.id] });
    assert.equal(sent.statusCode, 200, sent.body);
    const [kept] = await annexes();

    const page = await sec.inject({ url: `/en/secretariat/letters/${id}` });
    assert.doesNotMatch(page.body, /\/annexes\/\d+\/remove/);
    assert.doesNotMatch(page.body, new RegExp(`action="/en/secretariat/letters/${id}/annexes"`));
    const late = await upload(sec, 'en', 'Too late', { data: pdf(), filename: 'late.pdf' });
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /This letter has been sent and can no longer be changed/);
    const remove = await sec.inject({
      method: 'POST',
      url: `/en/secretariat/letters/${id}/annexes/${kept.id}/remove`,
      form: {},
    });
    assert.equal(remove.statusCode, 409);
    assert.equal(
      (await json(sec, 'DELETE', `/api/v1/letters/${id}/annexes/${kept.id}`)).json().code,
      'letter_already_sent',
    );
    const apiAdd = await json(sec, 'POST', `/api/v1/letters/${id}/annexes`, {
      title: 'x',
      filename: 'x.pdf',
      contentBase64: pdf().toString('base64'),
    });
    assert.equal(apiAdd.json().code, 'letter_already_sent');
    assert.deepEqual(
      (await annexes()).map((a) => a.title),
      ['Kept'],
    );
    assert.equal(await state(), 'sent');
  });
});
