/** When a person is erased, the speaker details copied from them onto speaking requests go with them. */
import { eq } from 'drizzle-orm';
import type { PersonalData } from '../../platform/module.js';
import { speakingRequests } from './speaking.schema.js';

export const eraseSpeakingData: NonNullable<PersonalData['erase']> = async (tx, personId) => {
  await tx
    .update(speakingRequests)
    .set({
      givenName: '',
      familyName: '',
      givenNameLatin: '',
      familyNameLatin: '',
      honorific: '',
      title: '',
      speakerEmail: null,
      abstract: '',
    })
    .where(eq(speakingRequests.speakerPersonId, personId));
};
