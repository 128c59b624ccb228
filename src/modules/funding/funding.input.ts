/** Input of the funding operations: one Zod schema for the JSON API and the HTML forms. Amounts are strings. */
import { z } from 'zod';
import { LOCALES } from '../../platform/i18n/locales.js';
import { COMMITMENT_FORMS, PLEDGE_KINDS, PURPOSES, RECOGNITION } from './funding.state.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** An amount as written ("1234.50", "1 234,50"): read digit by digit in the currency's minor units, never a float. */
const amount = z.string().trim().min(1).max(40).describe('Decimal amount as text, e.g. "250000.00"');
const optText = (max: number) => z.string().trim().max(max).default('');
const currency = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/));

export const Instalment = z.object({ dueOn: day, amount });

export const AnnounceInput = z.object({
  entityId: z.coerce.number().int().positive(),
  kind: z.enum(PLEDGE_KINDS).default('cash'),
  currency: currency.default('CHF'),
  amount,
  inKindDescription: optText(2000),
  purpose: z.enum(PURPOSES).default('general'),
  purposeDetail: optText(300),
  /** The event the contribution supports (its page names the partner); none: the WSIS Forum 2026 as a whole. */
  eventId: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  commitmentDate: day.optional(),
  commitmentForm: z.enum(COMMITMENT_FORMS).default('announcement'),
  commitmentReference: optText(200),
  contactName: z.string().trim().min(1).max(200),
  contactEmail: z.string().trim().email().max(254),
  contactLocale: z.enum(LOCALES).optional(),
  recognition: z.enum(RECOGNITION).default('none'),
  instalments: z.array(Instalment).max(48).default([]),
});
export type AnnounceInput = z.input<typeof AnnounceInput>;

export const ConfirmInput = z.object({
  rateToChf: z.string().trim().max(30).optional().describe('CHF for one unit of the pledge’s currency'),
  commitmentForm: z.enum(COMMITMENT_FORMS).default('agreement'),
  commitmentReference: optText(200),
  commitmentDate: day.optional(),
});
export type ConfirmInput = z.input<typeof ConfirmInput>;

export const PaymentInput = z.object({
  receivedOn: day,
  amount,
  currency,
  rateToChf: z.string().trim().max(30).default('1').describe('CHF for one unit of `currency` on that date'),
  bankReference: optText(200),
  note: optText(1000),
});
export type PaymentInput = z.input<typeof PaymentInput>;

export const ReasonInput = z.object({ reason: z.string().trim().min(1).max(1000) });
export const ReduceInput = ReasonInput.extend({ amount });
export type ReduceInput = z.input<typeof ReduceInput>;

export const TierInput = z.object({
  name: z.partialRecord(z.enum(LOCALES), z.string().trim().max(100)),
  minChf: amount,
  /** A partner package: pledges for it (purpose `partner_package`, detail naming it) are in this tier whatever their amount. */
  package: optText(300),
});
export const TiersInput = z.object({ tiers: z.array(TierInput).max(20) });
export type TiersInput = z.input<typeof TiersInput>;

export const DeliveryInput = z.object({
  deliveredOn: day,
  description: z.string().trim().min(1).max(2000),
  /** Estimated value of what was delivered, in the pledge's currency. */
  value: amount,
});
export type DeliveryInput = z.input<typeof DeliveryInput>;
