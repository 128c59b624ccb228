/**
 * THE list of modules. Adding a module is its folder and one line here: the app registers its routes in this order,
 * the seed loader runs its seed in this order, the worker takes its job handlers, the personal-data export and erasure
 * take its sections and hooks, the header shows its links, the webhooks catalogue takes the events it publishes, and the modules that host contributions (the event page's blocks) read them from here.
 */
import type { ModuleDescriptor } from '../platform/module.js';
import { registerDomainEvents } from '../platform/domain-events.js';
import { registerNavLinks } from '../platform/ui/nav.js';
import { accountsModule, registerPersonalData } from './accounts/index.js';
import { adminModule } from './admin/index.js';
import { badgesModule } from './badges/index.js';
import { checkinModule } from './checkin/index.js';
import { entitiesModule } from './entities/index.js';
import { fundingModule } from './funding/index.js';
import { eventsModule } from './events/index.js';
import { lettersModule } from './letters/index.js';
import { programmeModule } from './programme/index.js';
import { registrationModule } from './registration/index.js';
import { reportsModule } from './reports/index.js';
import { speakingModule } from './speaking/index.js';
import { webhooksModule } from './webhooks/index.js';

export const modules: readonly ModuleDescriptor[] = [
  eventsModule,
  programmeModule,
  entitiesModule,
  accountsModule,
  registrationModule,
  speakingModule,
  fundingModule,
  lettersModule,
  badgesModule,
  checkinModule,
  reportsModule,
  adminModule,
  webhooksModule,
];

registerPersonalData(modules);
registerNavLinks(modules.flatMap((m) => m.nav ?? []));
registerDomainEvents(
  modules.flatMap((m) => m.events ?? []),
  modules.flatMap((m) => (m.onEvent ? [m.onEvent] : [])),
);
