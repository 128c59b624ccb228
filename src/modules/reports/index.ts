export { getFigures, type Figures, MINISTERIAL } from './reports.figures.js';
export { reportsApi } from './reports.api.js';
export { reportsPages } from './reports.pages.js';
export { getListOfParticipants } from './reports.lop.js';
export { foldTallies, rebuildTallies } from './reports.tallies.js';
export { listOfParticipantsPdf, listOfParticipantsTable } from './reports.lop-export.js';
export { requestLopEdition, runLopEdition, lopJobHandlers, LOP_JOB } from './reports.lop-editions.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { lopJobHandlers } from './reports.lop-editions.js';
import { reportsApi as api } from './reports.api.js';
import { reportsPages as pages } from './reports.pages.js';
import { lopPages } from './reports.lop-pages.js';
import { reportsExportsApi } from './reports.exports-api.js';
import { reportsExportsPages } from './reports.exports-pages.js';
import { eventFigures, homeFigures } from './reports.public.js';
import { catchUpTallies, foldTallies, onReportsEvent, refreshSubject } from './reports.tallies.js';

export const reportsModule: ModuleDescriptor = {
  name: 'reports',
  apiTags: ['reports'],
  async routes(app) {
    await app.register(api);
    await app.register(pages);
    await app.register(lopPages);
    await app.register(reportsExportsApi);
    await app.register(reportsExportsPages);
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
  // The List of Participants is made by the worker, with its progress (reports.lop-editions.ts).
  jobs: (env) => lopJobHandlers(env.db, env.clock),
  // Writes append their counter changes; the worker folds them into the counters once a second (reports.tallies.ts).
  onWorkerTick: async (env) => void (await foldTallies(env.db)),
  personalData: {
    profileChanged: (tx, person) => refreshSubject(tx, `p:${person.id}`),
    erase: (tx, personId) => refreshSubject(tx, `p:${personId}`),
  },
  contributes: { homePage: homeFigures, eventPage: eventFigures },
  nav: [{ key: 'reports', path: '/reports', label: 'reports.nav', permission: 'reports.delegation' }],
};
