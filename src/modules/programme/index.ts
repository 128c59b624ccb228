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
export { speakerProfiles } from './programme.speakers.schema.js';
import { speakerProfiles } from './programme.speakers.schema.js';
export { syncSpeakerProfiles } from './programme.speakers.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { programmeApi as api } from './programme.api.js';
import { eventSessionsBlock, programmePages as pages } from './programme.pages.js';
import { agendaPages } from './programme.agenda-pages.js';
import { programmeEditorPages } from './programme.editor-pages.js';
import { programmeEditorApi } from './programme.editor-api.js';
import { programmeGridPages } from './programme.grid-pages.js';
import { programmeMerge } from './programme.merge.js';
import { seedProgramme as seed } from './programme.seed.js';
import { reminderJobs, scheduleReminders } from './programme.reminders.js';
import { programmeExport } from './programme.personal-data.js';
import { venueStaffPages } from './programme.rooms-pages.js';
import { venueApi } from './programme.venue-api.js';
import { venuePages } from './programme.venue-pages.js';
import { seedFloors } from './programme.venue.seed.js';
import { speakerPages } from './programme.speakers-pages.js';
import { eraseSpeakerProfile, speakerProfileExport, syncSpeakerProfiles } from './programme.speakers.js';
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
  seed: async (tx, run) => {
    const n = await seed(
      tx,
      run.seed,
      { venueId: run.venueId ?? 0, events: run.eventIds, rooms: run.roomIds },
      run.now,
    );
    const floors = await seedFloors(tx, run.seed, run.venueId ?? 0);
    // Speaker profiles follow the seeded sessions: made when the seed added rows (or none exist yet), not read again
    // at every start (a start on an existing database stays quick).
    const profiles = n > 0 || (await tx.$count(speakerProfiles)) === 0 ? await syncSpeakerProfiles(tx, run.now) : 0;
    return n + floors + profiles;
  },
  async routes(app, env) {
    await app.register(pages, { publicUrl: env.config.publicUrl });
    await app.register(api);
    await app.register(programmeGridPages);
    await app.register(programmeEditorPages);
    await app.register(agendaPages, { publicUrl: env.config.publicUrl });
    await app.register(programmeEditorApi);
    await app.register(venuePages);
    await app.register(venueStaffPages);
    await app.register(venueApi);
    await app.register(speakerPages);
  },
  personalData: { export: { ...programmeExport, speaker_profile: speakerProfileExport }, erase: eraseSpeakerProfile },
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
    { key: 'venue-rooms', path: '/secretariat/venue', label: 'venue.staff.nav', permission: 'programme.edit' },
    {
      key: 'speakers-editor',
      path: '/secretariat/programme/speakers',
      label: 'speakers.staff_nav',
      permission: 'programme.edit',
    },
  ],
  contributes: {
    eventPage: (v, req, event) => eventSessionsBlock(v, req, event.slug),
    personMerge: programmeMerge,
    messageAudience: speakersAudience,
  },
};
