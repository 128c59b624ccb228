import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, TEST_NOW, type TestDatabase } from '../../../test/helpers/db.js';
import type { Actor, Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { auditLog } from '../../platform/platform.schema.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { events } from '../events/index.js';
import { draft } from '../../../test/helpers/letters.js';
import { letters } from './letters.schema.js';
import * as svc from './letters.service.js';

async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  assert.fail('expected a DomainError');
}

const person = (over: Partial<Extract<Actor, { kind: 'person' }>> = {}): Actor => ({
  kind: 'person',
  id: 'p-secretariat',
  role: 'staff',
  capabilities: ['letters.send'],
  focalPointOf: [],
  entityId: null,
  via: 'session',
  ...over,
});

describe('letters', () => {
  let database: TestDatabase;
  let ctx: Ctx & { db: TestDatabase['db'] };
  before(async () => {
    database = await createTestDatabase();
    ctx = { db: database.db, actor: person(), locale: 'en', now: TEST_NOW };
  });
  after(() => database.close());

  it('seeds CL-26/17 as sent, with its Arabic original and the five other versions, on its events', async () => {
    const l = await svc.getPublishedLetter(ctx, 'CL-26-17');
    assert.equal(l.reference, 'CL-26/17');
    assert.equal(l.state, 'sent');
    assert.equal(l.originalLanguage, 'ar');
    assert.deepEqual([l.year, l.number], [26, 17]);
    for (const lc of LOCALES) assert.ok((l.body[lc] ?? '').length > 900, lc);
    assert.match(l.body.ar!, /^حضرات السادة والسيدات/);
    assert.match(l.body.en!, /1 May 2026/);
    assert.match(l.body.zh!, /2026年5月1日/);
    const [wsis] = await database.db.select().from(events).where(eq(events.slug, 'wsis-forum-2026'));
    assert.ok(l.eventIds.includes(wsis.id));
    assert.deepEqual(
      (await svc.listPublishedLetters(ctx, { eventId: wsis.id })).map((x) => x.reference),
      ['CL-26/17'],
    );
    assert.equal((await svc.getCurrentLetter(ctx))?.reference, 'CL-26/17');
  });

  it('numbers letters per year: the next free number, a new year from 1, explicit references unique', async () => {
    const a = await svc.createLetter(ctx, draft());
    assert.equal(a.reference, 'CL-26/18');
    assert.equal(a.state, 'draft');
    const b = await svc.createLetter(ctx, draft({ date: '2027-01-05' }));
    assert.equal(b.reference, 'CL-27/01');
    const c = await svc.createLetter(ctx, draft({ reference: 'CL-26/40' }));
    assert.deepEqual([c.year, c.number], [26, 40]);
    assert.equal((await svc.createLetter(ctx, draft())).reference, 'CL-26/41');
    assert.equal(await codeOf(() => svc.createLetter(ctx, draft({ reference: 'CL-26/17' }))), 'letter_reference_taken');
    assert.equal(
      await codeOf(() => svc.createLetter(ctx, draft({ reference: 'CL 26 17' }))),
      'letter_reference_invalid',
    );
    assert.equal(await codeOf(() => svc.updateLetter(ctx, a.id, { reference: 'CL-26/40' })), 'letter_reference_taken');
    assert.equal((await svc.updateLetter(ctx, a.id, { reference: 'CL-26/50' })).reference, 'CL-26/50');
  });

  it('gives concurrent writers distinct consecutive numbers', async () => {
    const [{ n }] = await database.db
      .select({ n: letters.number })
      .from(letters)
      .where(eq(letters.year, 26))
      .orderBy(letters.number)
      .then((r) => [{ n: Math.max(...r.map((x) => x.n)) }]);
    const made = await Promise.all(Array.from({ length: 8 }, () => svc.createLetter(ctx, draft())));
    assert.deepEqual(
      made.map((m) => m.number).sort((x, y) => x - y),
      Array.from({ length: 8 }, (_, i) => n + 1 + i),
    );
  });

  it('moves draft → approved → sent; an approved letter edited goes back to draft; a sent letter is never edited', async () => {
    const l = await svc.createLetter(ctx, draft());
    assert.equal(
      await codeOf(() => svc.approveLetter(ctx, l.id).then(() => svc.approveLetter(ctx, l.id))),
      'letter_not_draft',
    );
    const edited = await svc.updateLetter(ctx, l.id, { subject: { en: 'Practical information (revised)' } });
    assert.equal(edited.state, 'draft');
    assert.equal(edited.approvedAt, null);
    await svc.approveLetter(ctx, l.id);
    const sent = await database.db.transaction((tx) => svc.markSent(tx, ctx, l.id));
    assert.equal(sent.state, 'sent');
    assert.equal(await codeOf(() => svc.updateLetter(ctx, l.id, { subject: { en: 'x' } })), 'letter_already_sent');
    assert.equal(await codeOf(() => svc.approveLetter(ctx, l.id)), 'letter_already_sent');
    const seeded = await svc.getPublishedLetter(ctx, 'CL-26/17');
    assert.equal(
      await codeOf(() => svc.updateLetter(ctx, seeded.id, { body: { en: 'changed' } })),
      'letter_already_sent',
    );
    const draftOnly = await svc.createLetter(ctx, draft());
    assert.equal(
      await codeOf(() => database.db.transaction((tx) => svc.markSent(tx, ctx, draftOnly.id))),
      'letter_not_approved',
    );
    const audits = await database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, 'letter'), eq(auditLog.subjectId, String(l.id))));
    assert.deepEqual(
      audits.map((a) => a.action),
      ['letters.created', 'letters.approved', 'letters.updated', 'letters.approved'],
    );
  });

  it('refuses approval without a body in the original language', async () => {
    const l = await svc.createLetter(ctx, draft({ originalLanguage: 'ar', body: { en: 'only English' } }));
    assert.equal(await codeOf(() => svc.approveLetter(ctx, l.id)), 'letter_original_missing');
    assert.equal(
      await codeOf(() => svc.createLetter(ctx, draft({ originalLanguage: 'fr' }))),
      'letter_original_missing',
    );
  });

  it('corrects a sent letter with a new linked letter, never a draft', async () => {
    const seeded = await svc.getPublishedLetter(ctx, 'CL-26/17');
    const corr = await svc.createCorrigendum(ctx, seeded.id, { date: '2026-04-21' });
    assert.equal(corr.correctsId, seeded.id);
    assert.equal(corr.state, 'draft');
    assert.equal(corr.body.ar, seeded.body.ar);
    assert.notEqual(corr.reference, seeded.reference);
    assert.equal(await codeOf(() => svc.createCorrigendum(ctx, corr.id, { date: '2026-04-21' })), 'letter_not_sent');
  });

  it('takes PDF annexes only (magic bytes, size), and none once sent', async () => {
    const l = await svc.createLetter(ctx, draft());
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
    const a = await svc.addAnnex(ctx, l.id, { title: 'Programme', filename: 'programme', bytes: pdf });
    assert.equal(a.filename, 'programme.pdf');
    assert.equal(a.size, pdf.length);
    assert.equal((await svc.listAnnexes(database.db, l.id)).length, 1);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    assert.equal(
      await codeOf(() => svc.addAnnex(ctx, l.id, { title: 'x', filename: 'x.pdf', bytes: png })),
      'annex_not_pdf',
    );
    const big = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)]);
    assert.equal(
      await codeOf(() => svc.addAnnex(ctx, l.id, { title: 'x', filename: 'x.pdf', bytes: big })),
      'annex_too_large',
    );
    const seeded = await svc.getPublishedLetter(ctx, 'CL-26/17');
    assert.equal(
      await codeOf(() => svc.addAnnex(ctx, seeded.id, { title: 'x', filename: 'x.pdf', bytes: pdf })),
      'letter_already_sent',
    );
  });

  it('lets only letters.send write letters', async () => {
    for (const actor of [
      person({ capabilities: [] }),
      person({ role: 'participant', capabilities: [] }),
      person({ role: 'participant', capabilities: [], focalPointOf: [1] }),
    ])
      assert.equal(await codeOf(() => svc.createLetter({ ...ctx, actor }, draft())), 'forbidden');
    assert.equal(
      await codeOf(() => svc.createLetter({ ...ctx, actor: { kind: 'anonymous' } }, draft())),
      'unauthenticated',
    );
    assert.equal(await codeOf(() => svc.listLetters({ ...ctx, actor: person({ capabilities: [] }) })), 'forbidden');
    const admin = await svc.createLetter({ ...ctx, actor: person({ role: 'admin', capabilities: [] }) }, draft());
    assert.equal(admin.state, 'draft');
  });

  it('gives the reader their language, else the original, marked', async () => {
    const seeded = await svc.getPublishedLetter(ctx, 'CL-26/17');
    assert.deepEqual({ ...svc.letterText(seeded, 'body', 'fr'), text: '' }, { text: '', lang: 'fr', fallback: false });
    const l = await svc.createLetter(ctx, draft({ body: { en: 'English only' }, subject: { en: 'S' } }));
    assert.deepEqual(svc.letterText(l, 'body', 'ru'), { text: 'English only', lang: 'en', fallback: true });
  });
});
