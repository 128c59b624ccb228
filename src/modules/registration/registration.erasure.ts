/** When a person is erased, their badge photo and the passport details of their visa requests go with them. */
import { eq, inArray } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { personPhotos, registrations, visaRequests } from './registration.schema.js';

export const eraseRegistrationData: NonNullable<PersonalData['erase']> = async (tx, personId) => {
  await tx.delete(personPhotos).where(eq(personPhotos.personId, personId));
  const regs = tx.select({ id: registrations.id }).from(registrations).where(eq(registrations.personId, personId));
  await tx
    .update(visaRequests)
    .set({ passportName: '', passportNumber: '', passportExpiry: null, dateOfBirth: '', visaPlace: '', pdf: null })
    .where(inArray(visaRequests.registrationId, regs));
};
