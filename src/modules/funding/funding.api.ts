/** The Trust Fund over JSON: contributors (pledges.announce, their own entity), the secretariat (pledges.manage). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { sendExport } from '../../platform/export/index.js';
import { isoInGeneva, LangQuery, LocalizedText, Problem } from '../../platform/http/api-schemas.js';
import { minorToDecimal } from './funding.money.js';
import {
  AnnounceInput,
  ConfirmInput,
  DeliveryInput,
  PaymentInput,
  ReasonInput,
  ReduceInput,
  TiersInput,
} from './funding.input.js';
import { logoPath } from './funding.logos.js';
import { pledgesTable } from './funding.export.js';
import { fundingReport, listPartners } from './funding.queries.js';
import type { Pledge } from './funding.schema.js';
import * as svc from './funding.service.js';

const Money = z
  .object({
    minor: z.number().int(),
    amount: z.string().describe('Exact decimal in major units'),
    currency: z.string(),
  })
  .describe('An amount: integer minor units of an ISO 4217 currency, and the same as an exact decimal string');
const money = (minor: number, currency: string) => ({ minor, amount: minorToDecimal(minor, currency), currency });
const chf = (minor: number | null) => (minor == null ? null : money(minor, 'CHF'));

const TotalsOut = z.object({
  pledged: Money,
  received: Money,
  outstanding: Money,
  overpaid: Money,
  pledgedChf: Money.nullable(),
  receivedChf: Money,
  outstandingChf: Money.nullable(),
  overpayment: z.boolean(),
  currencyMismatch: z.boolean(),
});
const PledgeOut = z.object({
  id: z.number(),
  reference: z.string(),
  entityId: z.number(),
  kind: z.string(),
  state: z.string(),
  amount: Money,
  originalAmount: Money,
  rateToChf: z.string().nullable(),
  inKindDescription: z.string(),
  purpose: z.string(),
  purposeDetail: z.string(),
  eventId: z.number().nullable().describe('The event the contribution supports; null: the WSIS Forum 2026 as a whole'),
  commitment: z.object({ date: z.string(), form: z.string(), reference: z.string() }),
  contact: z.object({ name: z.string(), email: z.string(), locale: z.string() }),
  recognition: z.string(),
  reason: z.string().nullable(),
  announcedAt: z.string(),
  confirmedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  totals: TotalsOut,
});
const PaymentOut = z.object({
  id: z.number(),
  receivedOn: z.string(),
  amount: Money,
  rateToChf: z.string(),
  chf: Money,
  counted: Money.describe('What it counts for in the pledge’s currency'),
  bankReference: z.string(),
  note: z.string(),
  reverses: z.number().nullable(),
  reversed: z.boolean(),
  recordedAt: z.string(),
});
const DetailOut = PledgeOut.extend({
  instalments: z.array(z.object({ seq: z.number(), dueOn: z.string(), amount: Money })),
  payments: z.array(PaymentOut),
  deliveries: z.array(
    z.object({ id: z.number(), deliveredOn: z.string(), description: z.string(), value: Money, chf: Money }),
  ),
  acknowledgements: z.array(
    z.object({
      event: z.string(),
      reference: z.string(),
      locale: z.string(),
      mailedAt: z.string().nullable(),
      url: z.string(),
    }),
  ),
});

function presentTotals(t: svc.Totals): z.infer<typeof TotalsOut> {
  return {
    pledged: money(t.pledged, t.currency),
    received: money(t.received, t.currency),
    outstanding: money(t.outstanding, t.currency),
    overpaid: money(t.overpaid, t.currency),
    pledgedChf: chf(t.pledgedChf),
    receivedChf: money(t.receivedChf, 'CHF'),
    outstandingChf: chf(t.outstandingChf),
    overpayment: t.overpayment,
    currencyMismatch: t.currencyMismatch,
  };
}
export function presentPledge(p: Pledge, totals: svc.Totals): z.infer<typeof PledgeOut> {
  return {
    id: p.id,
    reference: p.reference,
    entityId: p.entityId,
    kind: p.kind,
    state: p.state,
    amount: money(p.amountMinor, p.currency),
    originalAmount: money(p.originalAmountMinor, p.currency),
    rateToChf: p.rateToChf,
    inKindDescription: p.inKindDescription,
    purpose: p.purpose,
    purposeDetail: p.purposeDetail,
    eventId: p.eventId,
    commitment: { date: p.commitmentDate, form: p.commitmentForm, reference: p.commitmentReference },
    contact: { name: p.contactName, email: p.contactEmail, locale: p.contactLocale },
    recognition: p.recognition,
    reason: p.reason,
    announcedAt: isoInGeneva(p.announcedAt),
    confirmedAt: p.confirmedAt ? isoInGeneva(p.confirmedAt) : null,
    paidAt: p.paidAt ? isoInGeneva(p.paidAt) : null,
    totals: presentTotals(totals),
  };
}
function presentDetail(d: svc.PledgeDetail): z.infer<typeof DetailOut> {
  return {
    ...presentPledge(d.pledge, d.totals),
    instalments: d.instalments.map((i) => ({
      seq: i.seq,
      dueOn: i.dueOn,
      amount: money(i.amountMinor, d.pledge.currency),
    })),
    payments: d.payments.map((x) => ({
      id: x.id,
      receivedOn: x.receivedOn,
      amount: money(x.amountMinor, x.currency),
      rateToChf: x.rateToChf,
      chf: money(x.chfMinor, 'CHF'),
      counted: money(x.pledgeMinor, d.pledge.currency),
      bankReference: x.bankReference,
      note: x.note,
      reverses: x.reverses,
      reversed: x.reversed,
      recordedAt: isoInGeneva(x.recordedAt),
    })),
    deliveries: d.deliveries.map((x) => ({
      id: x.id,
      deliveredOn: x.deliveredOn,
      description: x.description,
      value: money(x.valueMinor, d.pledge.currency),
      chf: money(x.chfMinor, 'CHF'),
    })),
    acknowledgements: d.acknowledgements.map((a) => ({
      event: a.event,
      reference: a.reference,
      locale: a.locale,
      mailedAt: a.mailedAt ? isoInGeneva(a.mailedAt) : null,
      url: `/api/v1/pledges/${d.pledge.id}/acknowledgements/${a.event}.pdf`,
    })),
  };
}

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const w = (req: FastifyRequest) => req.ctx as typeof req.ctx & { db: Db };
const Id = z.object({ id: z.coerce.number().int().positive() });
const detail = async (req: FastifyRequest, id: number) => presentDetail(await svc.getPledge(req.ctx, id));

export async function fundingApi(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const own = { permission: 'pledges.announce' as const };
  const manage = { permission: 'pledges.manage' as const };
  const tags = ['funding'];

  r.get(
    '/api/v1/pledges',
    {
      config: own,
      schema: {
        tags,
        summary: 'Pledges with their totals: every one for the secretariat, one’s own entities’ otherwise',
        querystring: z.object({ entityId: z.coerce.number().int().positive().optional() }),
        response: { 200: z.object({ pledges: z.array(PledgeOut) }), ...errors },
      },
    },
    async (req) => ({
      pledges: (await svc.listPledges(req.ctx, { entityId: req.query.entityId })).map((x) =>
        presentPledge(x.pledge, x.totals),
      ),
    }),
  );
  r.post(
    '/api/v1/pledges',
    {
      config: own,
      schema: {
        tags,
        summary:
          'Announce a pledge for one’s own entity (the secretariat: for any entity). Amounts are decimal strings',
        body: AnnounceInput,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, (await svc.announcePledge(w(req), req.body)).id),
  );
  r.get(
    '/api/v1/pledges/:id',
    {
      config: own,
      schema: {
        tags,
        summary: 'A pledge: schedule, payments, acknowledgements, totals',
        params: Id,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, req.params.id),
  );
  r.post(
    '/api/v1/pledges/:id/confirm',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Confirm (agreement signed); a non-CHF pledge needs its rate to CHF. Sends the acknowledgement letter',
        params: Id,
        body: ConfirmInput,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, (await svc.confirmPledge(w(req), req.params.id, req.body)).id),
  );
  r.post(
    '/api/v1/pledges/:id/payments',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Record money received (amount and currency as received, staff-entered rate to CHF on that date)',
        params: Id,
        body: PaymentInput,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, (await svc.recordPayment(w(req), req.params.id, req.body)).pledge.id),
  );
  r.post(
    '/api/v1/pledges/:id/deliveries',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Record what was delivered of an in-kind contribution (date, what, estimated value)',
        params: Id,
        body: DeliveryInput,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, (await svc.recordDelivery(w(req), req.params.id, req.body)).pledge.id),
  );
  r.post(
    '/api/v1/payments/:id/reverse',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Cancel a payment by a reversing entry (payments are never edited)',
        params: Id,
        body: ReasonInput,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, (await svc.reversePayment(w(req), req.params.id, req.body)).pledge.id),
  );
  r.post(
    '/api/v1/pledges/:id/reduce',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Reduce what is pledged, with a reason',
        params: Id,
        body: ReduceInput,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, (await svc.reducePledge(w(req), req.params.id, req.body)).id),
  );
  r.post(
    '/api/v1/pledges/:id/cancel',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Cancel a pledge nothing was received on, with a reason',
        params: Id,
        body: ReasonInput,
        response: { 200: DetailOut, ...errors },
      },
    },
    async (req) => detail(req, (await svc.cancelPledge(w(req), req.params.id, req.body)).id),
  );
  r.get(
    '/api/v1/pledges/:id/acknowledgements/:event.pdf',
    {
      config: own,
      schema: {
        tags,
        summary: 'The acknowledgement letter sent for an event (confirmed, paid), in the contributor’s language',
        params: Id.extend({ event: z.enum(['confirmed', 'paid']) }),
      },
    },
    async (req, reply) => {
      const ack = await svc.getAcknowledgementPdf(req.ctx, req.params.id, req.params.event);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="${ack.reference}.pdf"`)
        .send(ack.pdf);
    },
  );
  r.put(
    '/api/v1/funding/tiers',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Set the recognition tiers (CHF thresholds as decimal strings, names per language)',
        body: TiersInput,
        response: {
          200: z.object({ tiers: z.array(z.object({ name: LocalizedText, minChf: Money, package: z.string() })) }),
          ...errors,
        },
      },
    },
    async (req) => ({
      tiers: (await svc.setTiers(w(req), req.body)).map((t) => ({
        name: t.name,
        minChf: money(t.minChfMinor, 'CHF'),
        package: t.package,
      })),
    }),
  );
  r.get(
    '/api/v1/funding/report',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Totals by contributor type, ITU region, purpose, currency and month, in CHF minor units',
      },
    },
    async () => fundingReport(app.database.db),
  );
  for (const format of ['csv', 'xlsx'] as const)
    r.get(
      `/api/v1/pledges.${format}`,
      {
        config: manage,
        schema: {
          tags,
          summary: `Every pledge with its totals as ${format === 'csv' ? 'CSV (UTF-8 with BOM)' : 'XLSX'}; formulas neutralised`,
          querystring: LangQuery,
        },
      },
      async (req, reply) =>
        sendExport(
          reply,
          format,
          'wsis-trust-fund-pledges',
          await pledgesTable({ ...req.ctx, locale: req.query.lang ?? req.locale }),
        ),
    );
  r.get(
    '/api/v1/partners',
    {
      config: { permission: 'public' },
      schema: {
        tags,
        summary: 'Contributors who agreed to be named, by tier and purpose; amounts only where they agreed',
        querystring: LangQuery,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      const groups = await listPartners(req.ctx.db, req.query.lang ?? req.locale);
      return {
        groups: groups.map((g) => ({
          tier: g.tier
            ? { name: g.tier.name, minChf: money(g.tier.minChfMinor, 'CHF'), package: g.tier.package }
            : null,
          purposes: g.purposes.map((p) => ({
            purpose: p.purpose,
            partners: p.partners.map((x) => ({
              name: x.name,
              amount: x.amount ? money(x.amount.minor, x.amount.currency) : null,
              logo: x.logo ? { url: logoPath(x.entityId, x.logo.sha256), alt: x.logo.alt } : null,
            })),
          })),
        })),
      };
    },
  );
}
