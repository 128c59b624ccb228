export * from './registration.schema.js';
export { registrationApi } from './registration.api.js';
export * from './registration.service.js';
export { registrationPages } from './registration.pages.js';
export { registrationParticipantPages } from './registration.participant-pages.js';
export { registrationOfficePages } from './registration.office-pages.js';
export {
  PHOTO_MAX_BYTES,
  backfillThumbnails,
  getPhoto,
  getThumbnail,
  hasPhoto,
  processPhoto,
  savePhoto,
} from './registration.photo.js';
export * from './registration.visa.js';
export type { RegistrationState } from './registration.state.js';
export { FUNCTIONS, STAKEHOLDER_TYPES } from './registration.options.js';
export { OnBehalfInput, VIP_CATEGORIES } from './registration.input.js';
export type { DelegationCell, DelegationColumn } from './registration.delegation-columns.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { personRegistrations, registrationFigures } from './registration.admin.js';
import { registrationAuditWording } from './registration.audit-words.js';
import { registrationApi as api } from './registration.api.js';
import { eraseRegistrationData } from './registration.erasure.js';
import { participantsAudience } from './registration.message-audience.js';
import { backfillThumbnails } from './registration.photo.js';
import { registrationDeskPages as deskPages } from './registration.desk-pages.js';
import { registrationOfficePages as officePages } from './registration.office-pages.js';
import { registrationPages as pages } from './registration.pages.js';
import { registrationParticipantPages as participantPages } from './registration.participant-pages.js';
import { registrationMerge } from './registration.merge.js';
import { registrationExport } from './registration.personal-data.js';
import { seedRegistrationRules } from './registration.seed.js';

export const registrationModule: ModuleDescriptor = {
  name: 'registration',
  apiTags: ['registration'],
  seed: (tx, run) => seedRegistrationRules(tx, run.eventIds, run.now),
  // Photos stored before thumbnails existed get theirs (idempotent: only rows without one).
  onWorkerStart: async (env) => void (await backfillThumbnails(env.db)),
  async routes(app, env) {
    await app.register(api);
    await app.register(pages);
    await app.register(participantPages);
    await app.register(officePages);
    await app.register(deskPages, { delegationColumns: env.contributions('delegationColumns') });
  },
  personalData: { export: registrationExport, erase: eraseRegistrationData },
  events: [
    {
      type: 'registration.submitted',
      summary: 'A registration request was made (by the person, or a VIP by a focal point)',
    },
    {
      type: 'registration.decided',
      summary: 'A registration was approved, put on the waiting list, given a freed place, or rejected (`state`)',
    },
    { type: 'registration.withdrawn', summary: 'A registration request was withdrawn' },
  ],
  contributes: {
    auditWording: registrationAuditWording,
    adminFigures: registrationFigures,
    adminPerson: personRegistrations,
    personMerge: registrationMerge,
    messageAudience: participantsAudience,
  },
  nav: [
    { key: 'registrations', path: '/registrations', label: 'nav.registrations', permission: 'account.self' },
    { key: 'focal-point', path: '/focal-point', label: 'nav.focal_point', permission: 'registration.decide' },
  ],
};
