export { adminPages, adminApi } from './admin.pages.js';
export type { AdminFigure, AdminFigureGroup, AdminFigures, AdminPersonSection } from './admin.slots.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { adminHomePages as homePages } from './admin.home-pages.js';
import { adminApi as api, adminPages as pages } from './admin.pages.js';
import { adminPeoplePages as peoplePages } from './admin.people-pages.js';

export const adminModule: ModuleDescriptor = {
  name: 'admin',
  async routes(app, env) {
    await app.register(homePages, { figures: env.contributions('adminFigures') });
    await app.register(peoplePages, { sections: env.contributions('adminPerson') });
    await app.register(pages, { dataDir: env.config.dataDir });
    await app.register(api);
  },
  nav: [{ key: 'admin', path: '/admin', label: 'nav.admin', permission: 'accounts.manage' }],
};
