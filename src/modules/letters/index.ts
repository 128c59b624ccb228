export * from './letters.schema.js';
export { seedLetters } from './letters.seed.js';
export { getCurrentLetter, listPublishedLetters, letterText, type Letter } from './letters.service.js';
export { referenceSlug } from './letters.rules.js';
export { lettersPages, eventLettersBlock } from './letters.pages.js';
export { lettersApi } from './letters.api.js';
export { lettersHandlers } from './letters.sending.js';
export { importBounces, type BounceReport } from './letters.bounces.js';
export {
  previewMessage,
  sendMessage,
  sendTestMessage,
  listMessages,
  messageDeliveries,
  createMessage,
  sendDraft,
} from './letters.messages.js';
export {
  registerAudienceSource,
  type AudienceSource,
  type AudienceMember,
  type AudienceChoice,
} from './letters.audiences.js';
export { registerTrackerColumn, getTracker, type TrackerColumn } from './letters.tracker.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { letterFigures } from './letters.admin.js';
import { lettersApi as api } from './letters.api.js';
import { messagesApi } from './letters.messages-api.js';
import { currentLetterBlock, eventLettersBlock as eventBlock, lettersPages as pages } from './letters.pages.js';
import { lettersHandlers as jobs } from './letters.sending.js';
import { seedLetters as seed } from './letters.seed.js';
import { registerTrackerColumn } from './letters.tracker.js';
import { registerAudienceSource } from './letters.audiences.js';

export const lettersModule: ModuleDescriptor = {
  name: 'letters',
  events: [
    { type: 'letter.sent', summary: 'A circular letter was sent to its audiences (one message per recipient queued)' },
  ],
  apiTags: ['letters'],
  seed: (tx, run) => seed(tx, run.seed),
  async routes(app, env) {
    for (const column of env.contributions('letterTracker')) registerTrackerColumn(column);
    for (const source of env.contributions('messageAudience')) registerAudienceSource(source);
    await app.register(pages);
    await app.register(api);
    await app.register(messagesApi);
  },
  jobs: (env) => jobs(env.db, env.clock, env.sendMail, env.config.publicUrl, env.config.bounceAddress),
  contributes: {
    adminFigures: letterFigures,
    eventPage: (v, req, event) => eventBlock(v, req.ctx, event.id),
    homePage: currentLetterBlock,
  },
  nav: [
    { key: 'letters-office', path: '/secretariat/letters', label: 'letters.office.title', permission: 'letters.send' },
    {
      key: 'letters-messages',
      path: '/secretariat/messages',
      label: 'letters.messages.title',
      permission: 'letters.send',
    },
  ],
};
