export * from './speaking.schema.js';
export { speakingApi } from './speaking.api.js';
export { speakingPages } from './speaking.pages.js';
export {
  speakingHandlers,
  scheduleAllReminders,
  scheduleReminders,
  sendReminders,
  REMINDER_JOB,
} from './speaking.jobs.js';
export { acceptedSpeakers } from './speaking.service.js';
export { submitSpeakingRequest, decideSpeakingRequest } from './speaking.service.js';
export type { Rank, SpeakingState } from './speaking.rules.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { personSpeaking, speakingFigures } from './speaking.admin.js';
import { speakingApi as api } from './speaking.api.js';
import { eraseSpeakingData } from './speaking.erasure.js';
import { scheduleAllReminders as catchUp, speakingHandlers as jobs } from './speaking.jobs.js';
import { speakingMerge } from './speaking.merge.js';
import { speakingPages as pages } from './speaking.pages.js';
import { speakingExport } from './speaking.personal-data.js';
import { seedSpeaking } from './speaking.seed.js';

export const speakingModule: ModuleDescriptor = {
  name: 'speaking',
  apiTags: ['speaking'],
  seed: (tx, run) => seedSpeaking(tx, run.eventIds, run.now),
  async routes(app) {
    await app.register(api);
    await app.register(pages);
  },
  jobs: (env) => jobs(env.db, env.clock, env.config.publicUrl),
  // the seeded deadline has its reminders too (idempotent)
  onWorkerStart: async (env) => void (await catchUp(env.db, env.clock.now())),
  personalData: { export: speakingExport, erase: eraseSpeakingData },
  events: [
    { type: 'speaking_request.submitted', summary: 'A speaking request was submitted for an entity' },
    {
      type: 'speaking_request.decided',
      summary: 'The secretariat accepted, refused or waitlisted a speaking request (`state`)',
    },
    {
      type: 'speaking_request.assigned',
      summary: 'An accepted speaking request was placed in a session (or taken out)',
    },
  ],
  contributes: { adminFigures: speakingFigures, adminPerson: personSpeaking, personMerge: speakingMerge },
  nav: [
    { key: 'speaking', path: '/speaking', label: 'speaking.nav', permission: 'speaking.request' },
    {
      key: 'speaking-review',
      path: '/secretariat/speaking',
      label: 'speaking.review_nav',
      permission: 'speaking.review',
    },
  ],
};
