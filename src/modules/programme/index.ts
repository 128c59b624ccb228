export * from './programme.schema.js';
export { seedProgramme } from './programme.seed.js';
export { publishProgramme, listChanges } from './programme.publish.js';
export { saveSessionDraft, listConflicts } from './programme.editor.js';
export { addToAgenda, myAgenda } from './programme.agenda.js';
export { findSessions, getSession, getProgrammeFacets, rescheduleSession } from './programme.service.js';
export { ProgrammeQuery, RescheduleInput } from './programme.input.js';
export { programmePages, eventSessionsBlock } from './programme.pages.js';
export { programmeApi, presentSession } from './programme.api.js';
export type { SessionRow } from './programme.queries.js';
export { isoDate, slug } from './programme.input.js';
export { searchTextOf } from './programme.search.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { programmeApi as api } from './programme.api.js';
import { eventSessionsBlock, programmePages as pages } from './programme.pages.js';
import { agendaPages } from './programme.agenda-pages.js';
import { programmeEditorPages } from './programme.editor-pages.js';
import { programmeEditorApi } from './programme.editor-api.js';
import { programmeGridPages } from './programme.grid-pages.js';
import { seedProgramme as seed } from './programme.seed.js';
import { reminderJobs, scheduleReminders } from './programme.reminders.js';
import { speakersAudience } from './programme.message-audience.js';

export const programmeModule: ModuleDescriptor = {
  name: 'programme',
  apiTags: ['programme'],
  events: [
    {
      type: 'programme.published',
      summary:
        'The secretariat published a version of the programme (`versionId`, and per session its `code`, `eventId`, `kind` and changed `fields`)',
    },
  ],
  seed: (tx, run) =>
    seed(tx, run.seed, { venueId: run.venueId ?? 0, events: run.eventIds, rooms: run.roomIds }, run.now),
  async routes(app, env) {
    await app.register(pages, { publicUrl: env.config.publicUrl });
    await app.register(api);
    await app.register(programmeGridPages);
    await app.register(programmeEditorPages);
    await app.register(agendaPages, { publicUrl: env.config.publicUrl });
    await app.register(programmeEditorApi);
  },
  jobs: (env) => reminderJobs(env.db, env.clock, env.config.publicUrl),
  onWorkerStart: (env) => scheduleReminders(env.db, env.clock.now()),
  nav: [
    { key: 'agenda', path: '/agenda', label: 'agenda.nav', permission: 'account.self' },
    {
      key: 'programme-editor',
      path: '/secretariat/programme',
      label: 'programme_editor.nav',
      permission: 'programme.edit',
    },
  ],
  contributes: {
    eventPage: (v, req, event) => eventSessionsBlock(v, req, event.slug),
    messageAudience: speakersAudience,
  },
};
