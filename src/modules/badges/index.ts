export * from './badges.schema.js';
export * from './badges.service.js';
export { badgesApi } from './badges.api.js';
export { badgeDeskPages } from './badges.pages.js';
export { badgeJobHandlers, badgeFilesDir, createBatch, runBatch, PRINT_JOB } from './badges.print.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { badgeFigures, personBadges } from './badges.admin.js';
import { badgesAuditWording } from './badges.audit-words.js';
import { badgeDelegationColumn } from './badges.delegation.js';
import { badgesApi as api } from './badges.api.js';
import { badgeDeskPages as pages } from './badges.pages.js';
import { badgesMerge } from './badges.merge.js';
import { badgesFollowProfile, eraseBadges } from './badges.people.js';
import { badgesExport } from './badges.personal-data.js';
import { badgeJobHandlers as jobs } from './badges.print.js';

export const badgesModule: ModuleDescriptor = {
  name: 'badges',
  events: [
    {
      type: 'badge.printed',
      summary: 'Badges were printed (a batch or one at the desk): their ids, and which were reprints',
    },
  ],
  apiTags: ['badges'],
  async routes(app, env) {
    await app.register(api, { dataDir: env.config.dataDir });
    await app.register(pages);
  },
  jobs: (env) => jobs(env.db, env.clock, env.config.dataDir),
  personalData: { export: badgesExport, erase: eraseBadges, profileChanged: badgesFollowProfile },
  contributes: {
    auditWording: badgesAuditWording,
    delegationColumns: badgeDelegationColumn,
    adminFigures: badgeFigures,
    adminPerson: personBadges,
    personMerge: badgesMerge,
  },
  nav: [{ key: 'badge-desk', path: '/badge-desk', label: 'nav.badge_desk', permission: 'badges.print' }],
};
