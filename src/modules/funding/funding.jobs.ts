/**
 * Sending acknowledgement letters. The acknowledgement row (unique per pledge and event) was created with the state
 * change that called for it; this job renders its PDF and enqueues the e-mail with the PDF attached in ONE
 * transaction that also marks the row as mailed, under the row's lock. A retried or duplicated job finds it mailed
 * and does nothing: one e-mail per pledge and event.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import { isLocale } from '../../platform/i18n/locales.js';
import type { JobHandlers } from '../../platform/jobs.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { entities } from '../entities/index.js';
import { getOrganiser } from '../../platform/organiser.js';
import { letterParams, renderAcknowledgement } from './funding.letter.js';
import { fundingAcknowledgements, fundingPledges } from './funding.schema.js';
import { ACK_JOB } from './funding.service.js';

export async function sendAcknowledgement(db: Db, clock: Clock, acknowledgementId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [ack] = await tx
      .select()
      .from(fundingAcknowledgements)
      .where(eq(fundingAcknowledgements.id, acknowledgementId))
      .for('update');
    if (!ack || ack.mailedAt) return false;
    const [pledge] = await tx.select().from(fundingPledges).where(eq(fundingPledges.id, ack.pledgeId));
    const [entity] = await tx.select().from(entities).where(eq(entities.id, pledge.entityId));
    const locale = isLocale(ack.locale) ? ack.locale : 'en';
    const input = { ack, pledge, entity, locale, organiser: await getOrganiser(tx) };
    const pdf = await renderAcknowledgement(input);
    const p = letterParams(input);
    const now = clock.now();
    const mailJobId = await enqueueMail(tx, now, {
      to: pledge.contactEmail,
      locale,
      template: 'funding_acknowledgement',
      params: { contact: p.contact, entity: p.entity, amount: p.amount, reference: p.reference, event: ack.event },
      attachments: [
        { filename: `${ack.reference}.pdf`, contentType: 'application/pdf', contentBase64: pdf.toString('base64') },
      ],
    });
    await tx
      .update(fundingAcknowledgements)
      .set({ pdf, mailedAt: now, mailJobId })
      .where(eq(fundingAcknowledgements.id, ack.id));
    return true;
  });
}

export function fundingHandlers(db: Db, clock: Clock): JobHandlers {
  return {
    [ACK_JOB]: async (payload) => {
      await sendAcknowledgement(db, clock, Number(payload.acknowledgementId));
    },
  };
}
