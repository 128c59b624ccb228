export type { AdminFigure, AdminFigureGroup, AdminFigures, AdminPersonSection } from './admin.slots.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { adminAuditApi as auditApi, adminAuditPages as auditPages } from './admin.audit-pages.js';
import { adminHomePages as homePages } from './admin.home-pages.js';
import { adminMergePages as mergePages } from './admin.merge-pages.js';
import { organiserPages } from './admin.organiser.js';
import { adminOutboxPages as outboxPages } from './admin.outbox-pages.js';
import { adminPeoplePages as peoplePages } from './admin.people-pages.js';

export const adminModule: ModuleDescriptor = {
  name: 'admin',
  async routes(app, env) {
    const wordings = env.contributions('auditWording');
    await app.register(homePages, { figures: env.contributions('adminFigures') });
    await app.register(peoplePages, { sections: env.contributions('adminPerson') });
    await app.register(mergePages, { merges: env.contributions('personMerge') });
    await app.register(organiserPages);
    await app.register(auditPages, { wordings });
    await app.register(auditApi, { wordings });
    await app.register(outboxPages);
  },
  contributes: {
    auditWording: {
      sentences: { 'outbox.resent': 'outbox.audit.resent', 'outbox.resent_failed': 'outbox.audit.resent_failed' },
    },
  },
  nav: [{ key: 'admin', path: '/admin', label: 'nav.admin', permission: 'accounts.manage' }],
};
