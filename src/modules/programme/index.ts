export * from './programme.schema.js';
export { seedProgramme } from './programme.seed.js';
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
import { seedProgramme as seed } from './programme.seed.js';

export const programmeModule: ModuleDescriptor = {
  name: 'programme',
  apiTags: ['programme'],
  seed: (tx, run) =>
    seed(tx, run.seed, { venueId: run.venueId ?? 0, events: run.eventIds, rooms: run.roomIds }, run.now),
  async routes(app, env) {
    await app.register(pages, { publicUrl: env.config.publicUrl });
    await app.register(api);
  },
  contributes: { eventPage: (v, req, event) => eventSessionsBlock(v, req, event.slug) },
};
