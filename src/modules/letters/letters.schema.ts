import { sql } from 'drizzle-orm';
import {
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

export const LETTER_STATES = ['draft', 'approved', 'sent'] as const;
export type LetterState = (typeof LETTER_STATES)[number];
/** Who a letter is addressed to; each maps to the entities whose contacts receive it. */
export const AUDIENCES = [
  'ministers',
  'member_states',
  'sector_members',
  'associates',
  'academia',
  'un_system',
] as const;
export type Audience = (typeof AUDIENCES)[number];
export const DELIVERY_STATES = ['queued', 'sent', 'failed', 'bounced'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** Circular letters of the Secretary-General (CL-YY/NN): written per language, approved, sent, never edited after. */
export const letters = pgTable(
  'letters',
  {
    id: serial('id').primaryKey(),
    /** `CL-26/17`: unique; numbered per year (`year`, `number`); editable until the letter is sent. */
    reference: text('reference').notNull().unique(),
    year: integer('year').notNull(),
    number: integer('number').notNull(),
    state: text('state').$type<LetterState>().notNull().default('draft'),
    /** The date the letter bears. */
    sentOn: date('sent_on').notNull(),
    sender: jsonb('sender').$type<Localized>().notNull(),
    /** The addressees as written on the letter ("Ministers; ITU Member States"). */
    addressees: jsonb('addressees').$type<Localized>().notNull(),
    /** The audiences the letter is sent to (recipients are resolved from these). */
    audiences: jsonb('audiences').$type<Audience[]>().notNull().default([]),
    subject: jsonb('subject').$type<Localized>().notNull(),
    /** Body per language: paragraphs separated by blank lines, `## ` headings, `- ` list items. */
    body: jsonb('body').$type<Localized>().notNull().default({}),
    /** The language the letter was written in; readers without their language get this one, marked as the original. */
    originalLanguage: text('original_language').notNull().default('en'),
    signatoryName: text('signatory_name').notNull(),
    signatoryTitle: jsonb('signatory_title').$type<Localized>().notNull(),
    contactName: text('contact_name').notNull(),
    contactEmail: text('contact_email').notNull(),
    speakingRequestDeadline: date('speaking_request_deadline'),
    registrationUrl: text('registration_url'),
    /** Related events (ids), listed on their pages. */
    eventIds: jsonb('event_ids').$type<number[]>().notNull().default([]),
    /** A corrigendum names the letter it corrects. */
    correctsId: integer('corrects_id').references((): AnyPgColumn => letters.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: text('approved_by'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentBy: text('sent_by'),
  },
  (t) => [
    uniqueIndex('letters_year_number_uniq').on(t.year, t.number),
    check('letters_state_check', sql`${t.state} in ('draft', 'approved', 'sent')`),
    check('letters_original_check', sql`${t.originalLanguage} in ('ar', 'zh', 'en', 'fr', 'ru', 'es')`),
    check('letters_number_check', sql`${t.number} > 0 and ${t.year} between 0 and 99`),
  ],
);

/** Annexes of a letter: PDF files (checked by their magic bytes, size-limited). */
export const letterAnnexes = pgTable(
  'letter_annexes',
  {
    id: serial('id').primaryKey(),
    letterId: integer('letter_id')
      .notNull()
      .references(() => letters.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    filename: text('filename').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    pdf: bytea('pdf').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('letter_annexes_letter_idx').on(t.letterId)],
);

/**
 * A message to an audience (not a letter): subject and body per language, sent to the contacts of the entities a
 * filter chooses (e.g. the Member States of a region that have not answered a letter), through the same per-recipient
 * deliveries as letters — or to an audience another module offers (an event's approved participants, a session's
 * speakers). `test` messages went to their author only; a draft (`sent_at` null) has no deliveries yet.
 */
export const letterMessages = pgTable(
  'letter_messages',
  {
    id: serial('id').primaryKey(),
    subject: jsonb('subject').$type<Localized>().notNull(),
    body: jsonb('body').$type<Localized>().notNull(),
    originalLanguage: text('original_language').notNull(),
    /** The audience: entity audiences and the filter (regions, UN lists, "not answered letter n"). */
    audience: jsonb('audience').$type<Record<string, unknown>>().notNull(),
    /** The letter it concerns, if any (its "not answered" filter). */
    letterId: integer('letter_id').references(() => letters.id),
    test: integer('test').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** When it was sent (its deliveries queued); null while it is a draft (written over the API, not sent yet). */
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [check('letter_messages_original_check', sql`${t.originalLanguage} in ('ar', 'zh', 'en', 'fr', 'ru', 'es')`)],
);

/** One message to one recipient: a letter, a reminder about it, or a message to an audience. */
export const letterDeliveries = pgTable(
  'letter_deliveries',
  {
    id: serial('id').primaryKey(),
    letterId: integer('letter_id').references(() => letters.id),
    messageId: integer('message_id').references((): AnyPgColumn => letterMessages.id),
    kind: text('kind').$type<'letter' | 'reminder' | 'message'>().notNull().default('letter'),
    entityId: integer('entity_id').references(() => entities.id),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    locale: text('locale').notNull(),
    state: text('state').$type<DeliveryState>().notNull().default('queued'),
    /** The SMTP server's answer when sending failed, or the bounce reported back. */
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    check('letter_deliveries_state_check', sql`${t.state} in ('queued', 'sent', 'failed', 'bounced')`),
    check('letter_deliveries_kind_check', sql`${t.kind} in ('letter', 'reminder', 'message')`),
    check(
      'letter_deliveries_subject_check',
      sql`(${t.kind} = 'message' and ${t.messageId} is not null) or (${t.kind} <> 'message' and ${t.letterId} is not null)`,
    ),
    index('letter_deliveries_message_idx').on(t.messageId),
    index('letter_deliveries_letter_idx').on(t.letterId, t.entityId),
    index('letter_deliveries_email_idx').on(t.email, t.queuedAt),
  ],
);
