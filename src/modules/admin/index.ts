export { adminPages } from './admin.pages.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { adminAuditApi as auditApi, adminAuditPages as auditPages } from './admin.audit-pages.js';
import { organiserPages } from './admin.organiser.js';
import { adminOutboxPages as outboxPages } from './admin.outbox-pages.js';
import { adminPages as pages } from './admin.pages.js';

export const adminModule: ModuleDescriptor = {
  name: 'admin',
  async routes(app, env) {
    const wordings = env.contributions('auditWording');
    await app.register(pages, { dataDir: env.config.dataDir });
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
