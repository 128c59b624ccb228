export * from './checkin.schema.js';
export * from './checkin.service.js';
export { checkinApi } from './checkin.api.js';
export { checkinPages } from './checkin.pages.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { checkinFigures, personScans } from './checkin.admin.js';
import { checkinApi as api } from './checkin.api.js';
import { arrivalDelegationColumn } from './checkin.delegation.js';
import { checkinMerge } from './checkin.merge.js';
import { checkinPages as pages } from './checkin.pages.js';
import { checkinExport } from './checkin.personal-data.js';
import { catchUpCheckpointTallies } from './checkin.service.js';

export const checkinModule: ModuleDescriptor = {
  name: 'checkin',
  events: [
    {
      type: 'checkin.admitted',
      summary: 'A badge was admitted at a checkpoint (online, or synced from a scanner that was offline)',
    },
  ],
  apiTags: ['checkin'],
  async routes(app) {
    await app.register(api);
    await app.register(pages);
  },
  personalData: { export: checkinExport },
  onWorkerStart: async (env) => void (await catchUpCheckpointTallies(env.db)),
  contributes: {
    delegationColumns: arrivalDelegationColumn,
    adminFigures: checkinFigures,
    adminPerson: personScans,
    personMerge: checkinMerge,
  },
  nav: [
    { key: 'scan', path: '/scan', label: 'nav.scan', permission: 'checkin.scan' },
    { key: 'arrivals', path: '/arrivals', label: 'nav.arrivals', permission: 'reports.view' },
  ],
};
