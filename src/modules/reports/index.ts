export { getFigures, type Figures, MINISTERIAL } from './reports.figures.js';
export { reportsApi } from './reports.api.js';
export { reportsPages } from './reports.pages.js';
export { getListOfParticipants } from './reports.lop.js';
export { foldTallies, rebuildTallies } from './reports.tallies.js';
export { listOfParticipantsPdf, listOfParticipantsTable } from './reports.lop-export.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { reportsApi as api } from './reports.api.js';
import { reportsPages as pages } from './reports.pages.js';
import { lopPages } from './reports.lop-pages.js';
import { eventFigures, homeFigures } from './reports.public.js';
import { catchUpTallies, foldTallies, onReportsEvent, refreshSubject } from './reports.tallies.js';

export const reportsModule: ModuleDescriptor = {
  name: 'reports',
  apiTags: ['reports'],
  async routes(app) {
    await app.register(api);
    await app.register(pages);
    await app.register(lopPages);
  },
  events: [
    {
      type: 'reports.figures_published',
      summary: 'The secretariat published the public headline figures, or withdrew them (`published`)',
    },
  ],
  // The counters move with every change that moves a figure, in that change's transaction (reports.tallies.ts).
  onEvent: onReportsEvent,
  onWorkerStart: async (env) => void (await catchUpTallies(env.db)),
  // Writes append their counter changes; the worker folds them into the counters once a second (reports.tallies.ts).
  onWorkerTick: async (env) => void (await foldTallies(env.db)),
  personalData: {
    profileChanged: (tx, person) => refreshSubject(tx, `p:${person.id}`),
    erase: (tx, personId) => refreshSubject(tx, `p:${personId}`),
  },
  contributes: { homePage: homeFigures, eventPage: eventFigures },
  nav: [{ key: 'reports', path: '/reports', label: 'reports.nav', permission: 'reports.delegation' }],
};
