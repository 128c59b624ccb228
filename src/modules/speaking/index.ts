import './speaking.erasure.js';
import './speaking.personal-data.js';
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
