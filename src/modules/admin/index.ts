export { adminPages, adminApi } from './admin.pages.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { adminApi as api, adminPages as pages } from './admin.pages.js';
import { organiserPages } from './admin.organiser.js';

export const adminModule: ModuleDescriptor = {
  name: 'admin',
  async routes(app, env) {
    await app.register(pages, { dataDir: env.config.dataDir });
    await app.register(api);
    await app.register(organiserPages);
  },
  nav: [{ key: 'admin', path: '/admin', label: 'nav.admin', permission: 'accounts.manage' }],
};
