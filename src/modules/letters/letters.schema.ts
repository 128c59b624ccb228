import { date, jsonb, pgTable, serial, text } from 'drizzle-orm/pg-core';
import type { Localized } from '../../platform/i18n/localized.js';

/** Circular letters of the Secretary-General (CL-YY/N) inviting Member States. */
export const letters = pgTable('letters', {
  id: serial('id').primaryKey(),
  reference: text('reference').notNull().unique(),
  sentOn: date('sent_on').notNull(),
  sender: jsonb('sender').$type<Localized>().notNull(),
  addressees: jsonb('addressees').$type<Localized>().notNull(),
  subject: jsonb('subject').$type<Localized>().notNull(),
  signatoryName: text('signatory_name').notNull(),
  signatoryTitle: jsonb('signatory_title').$type<Localized>().notNull(),
  contactName: text('contact_name').notNull(),
  contactEmail: text('contact_email').notNull(),
  speakingRequestDeadline: date('speaking_request_deadline'),
  registrationUrl: text('registration_url'),
});
