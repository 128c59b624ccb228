import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import type { Localized } from '../../platform/i18n/localized.js';
import { entities } from '../entities/entities.schema.js';
import { events } from '../events/events.schema.js';
import type { CommitmentForm, PledgeKind, PledgeState, Purpose, Recognition } from './funding.state.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});
/** Money: integer minor units; JavaScript numbers are exact to 2^53, which the services check. */
const money = (name: string) => bigint(name, { mode: 'number' });
/** A rate to CHF exactly as typed: a positive decimal string, never a float. */
const RATE_CHECK = `'^[0-9]{1,9}(\\.[0-9]{1,12})?$'`;

/** WSIS Trust Fund pledges: cash (amount and currency) or in kind (description and estimated value). */
export const fundingPledges = pgTable(
  'funding_pledges',
  {
    id: serial('id').primaryKey(),
    /** "TF26-0007": quoted in acknowledgement letters and bank transfers. */
    reference: text('reference').notNull(),
    entityId: integer('entity_id')
      .notNull()
      .references(() => entities.id),
    kind: text('kind').$type<PledgeKind>().notNull().default('cash'),
    state: text('state').$type<PledgeState>().notNull().default('announced'),
    /** ISO 4217; minor units by the currency's own digits. */
    currency: text('currency').notNull().default('CHF'),
    /** Pledged (cash) or estimated value (in kind), in minor units. */
    amountMinor: money('amount_minor').notNull(),
    /** The amount first pledged, before any reduction. */
    originalAmountMinor: money('original_amount_minor').notNull(),
    /** CHF for one unit of the pledge's currency, entered by staff (set on confirmation for non-CHF pledges). */
    rateToChf: text('rate_to_chf'),
    inKindDescription: text('in_kind_description').notNull().default(''),
    purpose: text('purpose').$type<Purpose>().notNull().default('general'),
    /** The named session, track or partner package an earmark points at. */
    purposeDetail: text('purpose_detail').notNull().default(''),
    /** The event the contribution supports (its page acknowledges the partner); none: the WSIS Forum 2026 as a whole. */
    eventId: integer('event_id').references(() => events.id),
    commitmentDate: date('commitment_date', { mode: 'string' }).notNull(),
    commitmentForm: text('commitment_form').$type<CommitmentForm>().notNull().default('announcement'),
    commitmentReference: text('commitment_reference').notNull().default(''),
    contactName: text('contact_name').notNull(),
    contactEmail: text('contact_email').notNull(),
    /** The contributor's language: acknowledgement letters and e-mails are in it. */
    contactLocale: text('contact_locale').notNull().default('en'),
    recognition: text('recognition').$type<Recognition>().notNull().default('none'),
    /** How to be named publicly, per language, when not the entity's own name (e.g. "The people of …"). */
    publicName: jsonb('public_name').$type<Localized>().notNull().default({}),
    /** Received so far, kept under the pledge's row lock: in the pledge's currency and in CHF. */
    receivedMinor: money('received_minor').notNull().default(0),
    receivedChfMinor: money('received_chf_minor').notNull().default(0),
    reason: text('reason'),
    announcedBy: text('announced_by').notNull(),
    announcedAt: timestamp('announced_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('funding_pledges_reference_uniq').on(t.reference),
    index('funding_pledges_entity_idx').on(t.entityId),
    check(
      'funding_pledges_state_check',
      sql`${t.state} in ('announced', 'confirmed', 'partially_paid', 'paid', 'cancelled')`,
    ),
    check('funding_pledges_kind_check', sql`${t.kind} in ('cash', 'in_kind')`),
    check(
      'funding_pledges_purpose_check',
      sql`${t.purpose} in ('general', 'wsis_prizes', 'ldc_fellowships', 'session', 'partner_package')`,
    ),
    check('funding_pledges_form_check', sql`${t.commitmentForm} in ('announcement', 'letter', 'agreement')`),
    check('funding_pledges_recognition_check', sql`${t.recognition} in ('none', 'name', 'name_and_amount')`),
    check('funding_pledges_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('funding_pledges_amount_check', sql`${t.amountMinor} > 0 and ${t.amountMinor} <= ${t.originalAmountMinor}`),
    check('funding_pledges_rate_check', sql.raw(`rate_to_chf is null or rate_to_chf ~ ${RATE_CHECK}`)),
    check('funding_pledges_locale_check', sql`${t.contactLocale} in ('ar', 'zh', 'en', 'fr', 'ru', 'es')`),
    check('funding_pledges_in_kind_check', sql`${t.kind} = 'cash' or ${t.inKindDescription} <> ''`),
  ],
);

/** The instalment schedule of a pledge: their amounts add up to the pledge's amount (checked by the service). */
export const fundingInstalments = pgTable(
  'funding_instalments',
  {
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => fundingPledges.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    amountMinor: money('amount_minor').notNull(),
  },
  (t) => [
    uniqueIndex('funding_instalments_pk').on(t.pledgeId, t.seq),
    check('funding_instalments_amount_check', sql`${t.amountMinor} > 0`),
  ],
);

/**
 * Money received. Never edited: a wrong entry is cancelled by a reversing entry (negative amounts, `reverses` set,
 * at most one per payment), and the right one recorded anew.
 */
export const fundingPayments = pgTable(
  'funding_payments',
  {
    id: serial('id').primaryKey(),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => fundingPledges.id),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    /** As received: amount in minor units of `currency`. */
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** CHF for one unit of `currency` on that date, as staff entered it. */
    rateToChf: text('rate_to_chf').notNull(),
    /** The CHF value, rounded once (half even) when recorded. */
    chfMinor: money('chf_minor').notNull(),
    /** What it counts for in the pledge's currency, rounded once (half even) when recorded. */
    pledgeMinor: money('pledge_minor').notNull(),
    bankReference: text('bank_reference').notNull().default(''),
    note: text('note').notNull().default(''),
    reverses: integer('reverses').references((): AnyPgColumn => fundingPayments.id),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('funding_payments_pledge_idx').on(t.pledgeId),
    uniqueIndex('funding_payments_reverses_uniq').on(t.reverses).where(sql`${t.reverses} is not null`),
    check('funding_payments_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('funding_payments_rate_check', sql.raw(`rate_to_chf ~ ${RATE_CHECK}`)),
    check(
      'funding_payments_sign_check',
      sql`(${t.reverses} is null and ${t.amountMinor} > 0) or (${t.reverses} is not null and ${t.amountMinor} < 0)`,
    ),
  ],
);

/**
 * Acknowledgement letters: one per pledge and event (`confirmed`, `paid`), whatever retries or repeats happen. The
 * row is created with the state change; the job renders the PDF and enqueues the e-mail once (`mailedAt`).
 */
export const fundingAcknowledgements = pgTable(
  'funding_acknowledgements',
  {
    id: serial('id').primaryKey(),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => fundingPledges.id),
    event: text('event').$type<'confirmed' | 'paid'>().notNull(),
    reference: text('reference').notNull(),
    locale: text('locale').notNull(),
    /** The amount the letter states (minor units of the pledge's currency) at the moment of the event. */
    amountMinor: money('amount_minor').notNull(),
    currency: text('currency').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    pdf: bytea('pdf'),
    mailedAt: timestamp('mailed_at', { withTimezone: true }),
    mailJobId: integer('mail_job_id'),
  },
  (t) => [
    uniqueIndex('funding_acknowledgements_event_uniq').on(t.pledgeId, t.event),
    uniqueIndex('funding_acknowledgements_reference_uniq').on(t.reference),
    check('funding_acknowledgements_event_check', sql`${t.event} in ('confirmed', 'paid')`),
  ],
);

/**
 * Recognition tiers, defined by the secretariat as CHF thresholds (minor units) or by partner package (pledges for
 * that package, whatever their amount): the highest tier a contributor reaches either way applies.
 */
export const fundingTiers = pgTable(
  'funding_tiers',
  {
    id: serial('id').primaryKey(),
    name: jsonb('name').$type<Localized>().notNull(),
    minChfMinor: money('min_chf_minor').notNull(),
    /** A partner package's name (as pledges name it in `purpose_detail`); empty: a CHF threshold only. */
    package: text('package').notNull().default(''),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('funding_tiers_min_uniq').on(t.minChfMinor),
    check('funding_tiers_min_check', sql`${t.minChfMinor} >= 0`),
  ],
);

/**
 * What was delivered of an in-kind contribution: date, what, and its estimated value in the pledge's currency. Counted
 * like payments (the pledge is partly delivered, then delivered in full); never edited.
 */
export const fundingDeliveries = pgTable(
  'funding_deliveries',
  {
    id: serial('id').primaryKey(),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => fundingPledges.id),
    deliveredOn: date('delivered_on', { mode: 'string' }).notNull(),
    description: text('description').notNull(),
    /** Estimated value of what was delivered, in minor units of the pledge's currency. */
    valueMinor: money('value_minor').notNull(),
    chfMinor: money('chf_minor').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('funding_deliveries_pledge_idx').on(t.pledgeId),
    check('funding_deliveries_value_check', sql`${t.valueMinor} > 0`),
  ],
);

/**
 * A contributor's logo, uploaded by the secretariat: decoded and re-encoded as a PNG (no metadata, at most 600 × 300),
 * with its text alternative per language. Served publicly on the partners and event pages.
 */
export const fundingLogos = pgTable('funding_logos', {
  entityId: integer('entity_id')
    .primaryKey()
    .references(() => entities.id),
  png: bytea('png').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  sha256: text('sha256').notNull(),
  alt: jsonb('alt').$type<Localized>().notNull().default({}),
  uploadedBy: text('uploaded_by').notNull(),
  uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
});

export type Delivery = typeof fundingDeliveries.$inferSelect;
export type Logo = typeof fundingLogos.$inferSelect;
export type Pledge = typeof fundingPledges.$inferSelect;
export type Payment = typeof fundingPayments.$inferSelect;
export type Instalment = typeof fundingInstalments.$inferSelect;
export type Acknowledgement = typeof fundingAcknowledgements.$inferSelect;
export type Tier = typeof fundingTiers.$inferSelect;
