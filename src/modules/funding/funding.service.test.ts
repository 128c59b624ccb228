/**
 * Pledges and payments on a real database (PGlite, or PostgreSQL with DATABASE_URL): the life of a pledge, totals in
 * its currency and in CHF, reversing entries, refusals with their codes, who sees what, and concurrent payments.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase, TEST_NOW, type TestDatabase } from '../../../test/helpers/db.js';
import type { Ctx, PersonActor } from '../../platform/context.js';
import type { DomainError } from '../../platform/errors.js';
import { auditLog, jobs } from '../../platform/platform.schema.js';
import { entities } from '../entities/index.js';
import { fundingAcknowledgements, fundingInstalments, fundingPayments, fundingPledges } from './funding.schema.js';
import * as svc from './funding.service.js';

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: DomainError) => e.code ?? String(e),
  );

describe('funding service', () => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};
  const person = (o: Partial<PersonActor> = {}): PersonActor => ({
    kind: 'person',
    id: `p-${Math.random().toString(36).slice(2, 8)}`,
    role: 'participant',
    capabilities: [],
    focalPointOf: [],
    entityId: null,
    via: 'session',
    ...o,
  });
  const ctx = (actor: PersonActor, o: Partial<Ctx> = {}) => ({
    db: database.db,
    actor,
    locale: 'en' as const,
    now: TEST_NOW,
    ...o,
  });
  const staff = () => ctx(person({ role: 'staff', capabilities: ['pledges.manage'] }));
  const dfp = (code: string) => ctx(person({ focalPointOf: [ids[code]], entityId: ids[code] }));
  const pledge = (code: string, over: Record<string, unknown> = {}) => ({
    entityId: ids[code],
    currency: 'USD',
    amount: '100000.00',
    purpose: 'ldc_fellowships' as const,
    contactName: 'Ms Contact',
    contactEmail: 'contact@example.org',
    recognition: 'name' as const,
    ...over,
  });
  const pay = (amount: string, currency = 'USD', rateToChf = '0.8', over: Record<string, unknown> = {}) => ({
    receivedOn: '2026-05-02',
    amount,
    currency,
    rateToChf,
    bankReference: 'UBS-1',
    ...over,
  });

  before(async () => {
    database = await createTestDatabase();
    for (const c of ['SN', 'JP', 'KW', 'EG', 'CH', 'FR']) {
      [{ id: ids[c] }] = await database.db.select({ id: entities.id }).from(entities).where(eq(entities.code, c));
    }
  });
  after(() => database.close());

  it('announced by a focal point, confirmed, paid in two instalments in another currency: totals add up', async () => {
    const p = await svc.announcePledge(
      dfp('SN'),
      pledge('SN', {
        instalments: [
          { dueOn: '2026-06-30', amount: '60000' },
          { dueOn: '2026-05-31', amount: '40000' },
        ],
      }),
    );
    assert.equal(p.state, 'announced');
    assert.match(p.reference, /^TF26-\d{4}$/);
    assert.equal(p.amountMinor, 10_000_000);
    const inst = await database.db.select().from(fundingInstalments).where(eq(fundingInstalments.pledgeId, p.id));
    assert.deepEqual(
      inst.map((i) => [i.seq, i.dueOn, i.amountMinor]),
      [
        [1, '2026-05-31', 4_000_000],
        [2, '2026-06-30', 6_000_000],
      ],
    );

    assert.equal(await codeOf(svc.confirmPledge(staff(), p.id, {})), 'rate_required');
    assert.equal(await codeOf(svc.confirmPledge(dfp('SN'), p.id, { rateToChf: '0.8' })), 'forbidden');
    assert.equal(await codeOf(svc.recordPayment(staff(), p.id, pay('10'))), 'pledge_not_confirmed');
    const c = await svc.confirmPledge(staff(), p.id, { rateToChf: '0.8', commitmentReference: 'AGR-2026-17' });
    assert.equal(c.state, 'confirmed');
    assert.equal(await codeOf(svc.confirmPledge(staff(), p.id, { rateToChf: '0.8' })), 'pledge_transition_invalid');

    // Two payments in euros: EUR 50,000 at 0.94 and EUR 40,000 at 0.95 (CHF per EUR).
    const a = await svc.recordPayment(staff(), p.id, pay('50000', 'EUR', '0.94'));
    assert.equal(a.pledge.state, 'partially_paid');
    assert.equal(a.payment.chfMinor, 4_700_000); // CHF 47,000.00
    assert.equal(a.payment.pledgeMinor, 5_875_000); // 47,000 / 0.8 = USD 58,750.00
    const b = await svc.recordPayment(staff(), p.id, pay('40000', 'EUR', '0.95'));
    assert.equal(b.pledge.state, 'paid');
    const d = await svc.getPledge(staff(), p.id);
    assert.deepEqual(
      { ...d.totals },
      {
        currency: 'USD',
        pledged: 10_000_000,
        received: 5_875_000 + 4_750_000,
        outstanding: 0,
        overpaid: 625_000,
        pledgedChf: 8_000_000,
        receivedChf: 4_700_000 + 3_800_000,
        outstandingChf: 0,
        overpayment: true,
        currencyMismatch: true,
      },
    );
    // The focal point sees their pledge; another entity's focal point does not.
    assert.equal((await svc.getPledge(dfp('SN'), p.id)).pledge.id, p.id);
    assert.equal(await codeOf(svc.getPledge(dfp('JP'), p.id)), 'pledge_not_found');
    assert.deepEqual(
      (await svc.listPledges(dfp('JP'))).map((r) => r.pledge.id),
      [],
    );
    // One acknowledgement per event, each with its job.
    const acks = await database.db
      .select()
      .from(fundingAcknowledgements)
      .where(eq(fundingAcknowledgements.pledgeId, p.id));
    assert.deepEqual(acks.map((x) => x.event).sort(), ['confirmed', 'paid']);
    assert.equal(
      (await database.db.select().from(jobs).where(eq(jobs.kind, svc.ACK_JOB))).filter((j) =>
        acks.some((x) => x.id === (j.payload as { acknowledgementId: number }).acknowledgementId),
      ).length,
      2,
    );
    const trail = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, String(p.id)));
    assert.ok(trail.some((r) => r.action === 'funding.pledge_confirmed'));
    assert.equal(trail.filter((r) => r.action === 'funding.payment_recorded').length, 2);
  });

  it('corrects a payment by a reversing entry, once; paid falls back, and paying again sends no second letter', async () => {
    const p = await svc.announcePledge(staff(), pledge('EG', { currency: 'CHF', amount: '20000' }));
    await svc.confirmPledge(staff(), p.id, {});
    const { payment } = await svc.recordPayment(staff(), p.id, pay('20000', 'CHF', '1'));
    const r = await svc.reversePayment(staff(), payment.id, { reason: 'Wrong pledge' });
    assert.equal(r.pledge.state, 'confirmed');
    assert.equal(r.payment.amountMinor, -2_000_000);
    assert.equal(r.payment.chfMinor, -payment.chfMinor);
    assert.equal(
      await codeOf(svc.reversePayment(staff(), payment.id, { reason: 'again' })),
      'payment_already_reversed',
    );
    assert.equal(await codeOf(svc.reversePayment(staff(), r.payment.id, { reason: 'x' })), 'payment_is_reversal');
    await svc.recordPayment(staff(), p.id, pay('20000', 'CHF', '1'));
    const rows = await database.db.select().from(fundingPayments).where(eq(fundingPayments.pledgeId, p.id));
    assert.equal(rows.length, 3); // nothing edited: the original, its reversal, the new one
    const d = await svc.getPledge(staff(), p.id);
    assert.equal(d.pledge.state, 'paid');
    assert.equal(d.totals.received, 2_000_000);
    assert.equal(d.payments.find((x) => x.id === payment.id)?.reversed, true);
    const paidAcks = await database.db
      .select()
      .from(fundingAcknowledgements)
      .where(eq(fundingAcknowledgements.pledgeId, p.id));
    assert.equal(paidAcks.filter((x) => x.event === 'paid').length, 1);
  });

  it('reduces with a reason (never below what was received) and cancels only without payments', async () => {
    const p = await svc.announcePledge(staff(), pledge('FR', { currency: 'EUR', amount: '30000' }));
    await svc.confirmPledge(staff(), p.id, { rateToChf: '0.94' });
    await svc.recordPayment(staff(), p.id, pay('10000', 'EUR', '0.94'));
    assert.equal(await codeOf(svc.cancelPledge(staff(), p.id, { reason: 'Budget cut' })), 'pledge_has_payments');
    assert.equal(await codeOf(svc.reducePledge(staff(), p.id, { amount: '5000', reason: 'x' })), 'reduction_invalid');
    assert.equal(await codeOf(svc.reducePledge(staff(), p.id, { amount: '40000', reason: 'x' })), 'reduction_invalid');
    assert.equal(await codeOf(svc.reducePledge(staff(), p.id, { amount: '20000', reason: '  ' })), 'invalid_input');
    const reduced = await svc.reducePledge(staff(), p.id, { amount: '10000', reason: 'Budget cut' });
    assert.equal(reduced.state, 'paid');
    assert.equal(reduced.originalAmountMinor, 3_000_000);
    assert.equal(reduced.reason, 'Budget cut');
    assert.equal(await codeOf(svc.cancelPledge(staff(), p.id, { reason: 'x' })), 'pledge_transition_invalid');

    const q = await svc.announcePledge(staff(), pledge('FR', { currency: 'EUR', amount: '1000' }));
    const c = await svc.cancelPledge(staff(), q.id, { reason: 'Withdrawn by the donor' });
    assert.equal(c.state, 'cancelled');
    assert.equal(await codeOf(svc.confirmPledge(staff(), q.id, { rateToChf: '1' })), 'pledge_transition_invalid');
    assert.equal(await codeOf(svc.recordPayment(staff(), q.id, pay('1', 'EUR', '0.9'))), 'pledge_transition_invalid');
  });

  it('handles 0- and 3-decimal currencies by their own digits and refuses impossible amounts', async () => {
    const jp = await svc.announcePledge(dfp('JP'), pledge('JP', { currency: 'JPY', amount: '5,000,000' }));
    assert.equal(jp.amountMinor, 5_000_000);
    const kw = await svc.announcePledge(dfp('KW'), pledge('KW', { currency: 'KWD', amount: '12500.250' }));
    assert.equal(kw.amountMinor, 12_500_250);
    assert.equal(
      await codeOf(svc.announcePledge(dfp('JP'), pledge('JP', { currency: 'JPY', amount: '10.5' }))),
      'amount_too_precise',
    );
    assert.equal(await codeOf(svc.announcePledge(dfp('JP'), pledge('JP', { currency: 'XXZ' }))), 'currency_unknown');
    assert.equal(await codeOf(svc.announcePledge(dfp('JP'), pledge('JP', { amount: '-3' }))), 'amount_invalid');
    assert.equal(
      await codeOf(
        svc.announcePledge(dfp('JP'), pledge('JP', { instalments: [{ dueOn: '2026-06-01', amount: '99999.99' }] })),
      ),
      'instalments_mismatch',
    );
    assert.equal(await codeOf(svc.announcePledge(dfp('JP'), pledge('SN'))), 'forbidden');
    assert.equal(
      await codeOf(svc.announcePledge(dfp('JP'), pledge('JP', { kind: 'in_kind' }))),
      'in_kind_description_required',
    );
    await svc.confirmPledge(staff(), kw.id, { rateToChf: '2.6' });
    const { payment } = await svc.recordPayment(staff(), kw.id, pay('1000.001', 'KWD', '2.6'));
    assert.equal(payment.chfMinor, 260_000); // KWD 1,000.001 × 2.6 = CHF 2,600.0026 → 2,600.00
    assert.equal(
      await codeOf(svc.recordPayment(staff(), kw.id, pay('5', 'USD', '1', { rateToChf: undefined }))),
      'rate_required',
    );
  });

  it('two staff recording payments on one pledge at the same moment: none is lost (row lock)', async () => {
    const p = await svc.announcePledge(staff(), pledge('CH', { currency: 'CHF', amount: '8000' }));
    await svc.confirmPledge(staff(), p.id, {});
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        svc.recordPayment(staff(), p.id, pay('1000', 'CHF', '1', { bankReference: `B${i}` })),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      Array(8).fill('fulfilled'),
    );
    const [row] = await database.db.select().from(fundingPledges).where(eq(fundingPledges.id, p.id));
    const pays = await database.db.select().from(fundingPayments).where(eq(fundingPayments.pledgeId, p.id));
    assert.equal(pays.length, 8);
    assert.equal(row.receivedMinor, 800_000);
    assert.equal(row.receivedChfMinor, 800_000);
    assert.equal(row.state, 'paid');
    const acks = await database.db
      .select()
      .from(fundingAcknowledgements)
      .where(eq(fundingAcknowledgements.pledgeId, p.id));
    assert.equal(acks.filter((a) => a.event === 'paid').length, 1);
  });
});
