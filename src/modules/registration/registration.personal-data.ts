/**
 * What registration holds about a person, for their export: their registrations, their badge photo (as a data URL,
 * so the export stays one JSON document that a browser can show), and their visa-support requests with the passport
 * details they gave (the letter's reference and date, not its PDF: that is downloaded from the registration page).
 */
import { asc, eq } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { events } from '../events/index.js';
import { personPhotos, registrations, visaRequests } from './registration.schema.js';
import { registrationReference } from './registration.service.js';

export const registrationExport: NonNullable<PersonalData['export']> = {
  registrations: async (db, personId) => {
    const rows = await db
      .select({ r: registrations, event: events.slug, eventName: events.name })
      .from(registrations)
      .innerJoin(events, eq(registrations.eventId, events.id))
      .where(eq(registrations.personId, personId))
      .orderBy(asc(registrations.submittedAt));
    return rows.map(({ r, event, eventName }) => ({
      id: r.id,
      reference: registrationReference(r.id),
      event,
      eventName,
      entityId: r.entityId,
      mode: r.mode,
      state: r.state,
      stakeholderType: r.stakeholderType,
      function: r.function,
      category: r.vipCategory,
      reason: r.reason,
      registeredBySelf: r.registeredBy === personId,
      submittedAt: r.submittedAt,
      decidedAt: r.decidedAt,
      updatedAt: r.updatedAt,
    }));
  },

  photo: async (db, personId) => {
    const [p] = await db.select().from(personPhotos).where(eq(personPhotos.personId, personId));
    if (!p) return null;
    return {
      contentType: 'image/jpeg',
      width: p.width,
      height: p.height,
      uploadedAt: p.uploadedAt,
      dataUrl: `data:image/jpeg;base64,${p.jpeg.toString('base64')}`,
    };
  },

  visaRequests: async (db, personId) => {
    const rows = await db
      .select({ v: visaRequests })
      .from(visaRequests)
      .innerJoin(registrations, eq(visaRequests.registrationId, registrations.id))
      .where(eq(registrations.personId, personId))
      .orderBy(asc(visaRequests.requestedAt));
    return rows.map(({ v }) => ({
      id: v.id,
      registrationId: v.registrationId,
      passportName: v.passportName,
      passportNumber: v.passportNumber,
      passportExpiry: v.passportExpiry,
      nationality: v.nationality,
      dateOfBirth: v.dateOfBirth,
      visaPlace: v.visaPlace,
      letterLocale: v.letterLocale,
      state: v.state,
      letterReference: v.reference,
      letterIssuedAt: v.issuedAt,
      lettersSent: v.sentCount,
      requestedAt: v.requestedAt,
      updatedAt: v.updatedAt,
    }));
  },
};
