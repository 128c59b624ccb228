export * from './webhooks.schema.js';
export { sign as signWebhook, DISABLE_AFTER } from './webhooks.delivery.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { webhooksApi } from './webhooks.api.js';
import { webhookHandlers } from './webhooks.delivery.js';
import { enqueueDeliveries } from './webhooks.outbox.js';
import { webhooksPages } from './webhooks.pages.js';

export const webhooksModule: ModuleDescriptor = {
  name: 'webhooks',
  apiTags: ['webhooks'],
  async routes(app) {
    await app.register(webhooksPages);
    await app.register(webhooksApi);
  },
  jobs: (env) => webhookHandlers(env.db, env.clock, env.config.publicUrl),
  onEvent: enqueueDeliveries,
  nav: [{ key: 'webhooks', path: '/admin/webhooks', label: 'webhooks.title', permission: 'webhooks.manage' }],
};
