export * from './funding.schema.js';
export { fundingApi } from './funding.api.js';
export { fundingPages } from './funding.pages.js';
export { fundingHandlers, sendAcknowledgement } from './funding.jobs.js';
export { listPartners, fundingReport } from './funding.queries.js';
export {
  announcePledge,
  confirmPledge,
  recordPayment,
  recordDelivery,
  reversePayment,
  reducePledge,
  cancelPledge,
  getPledge,
  listPledges,
  setTiers,
} from './funding.service.js';
export { saveLogo, processLogo } from './funding.logos.js';
export { formatMoney, parseAmount, currencyDigits } from './funding.money.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { fundingApi as api } from './funding.api.js';
import { fundingHandlers as jobs } from './funding.jobs.js';
import { fundingPages as pages } from './funding.pages.js';
import { eventPartnersBlock, partnersPages } from './funding.partners.js';
import { pledgeTrackerColumn } from './funding.tracker.js';

export const fundingModule: ModuleDescriptor = {
  name: 'funding',
  events: [
    { type: 'pledge.confirmed', summary: 'A Trust Fund pledge was confirmed (commitment signed)' },
    { type: 'pledge.paid', summary: 'A Trust Fund pledge was paid in full' },
  ],
  apiTags: ['funding'],
  async routes(app) {
    await app.register(api);
    await app.register(pages);
    await app.register(partnersPages);
  },
  jobs: (env) => jobs(env.db, env.clock),
  contributes: { letterTracker: pledgeTrackerColumn, eventPage: eventPartnersBlock },
  nav: [
    {
      key: 'funding',
      path: '/funding',
      label: 'funding.nav',
      permission: 'pledges.announce',
      unless: 'pledges.manage',
    },
    {
      key: 'funding-office',
      path: '/secretariat/funding',
      label: 'funding.secretariat_nav',
      permission: 'pledges.manage',
    },
  ],
};
