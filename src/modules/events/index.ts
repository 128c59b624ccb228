export * from './events.schema.js';
export { seedEvents, type EventIds } from './events.seed.js';
export { listEvents, listRooms, type EventRow } from './events.queries.js';
export { getEvents, getEvent, withDescendants, summitDays, type EventTree } from './events.service.js';
export { eventsPages } from './events.pages.js';
export { eventsApi, presentEvent } from './events.api.js';
export type { EventPageBlock, HomePageBlock } from './events.pages.js';
export { eventLogoPath, eventLogosOf, getEventLogo, saveEventIdentity, type EventLogo } from './events.identity.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { readEventLogosWith } from '../../platform/organiser.js';
import { getEventLogo } from './events.identity.js';
import { eventsApi as api } from './events.api.js';
import { eventIdentityPages } from './events.identity-pages.js';
import { eventsPages as pages } from './events.pages.js';
import { seedEvents as seed } from './events.seed.js';

// The e-mails about one event show its own logo (platform/mail reads it through this).
readEventLogosWith(getEventLogo);

export const eventsModule: ModuleDescriptor = {
  name: 'events',
  apiTags: ['events'],
  async seed(tx, run) {
    const { ids, inserted } = await seed(tx, run.seed);
    for (const [k, v] of ids.events) run.eventIds.set(k, v);
    for (const [k, v] of ids.rooms) run.roomIds.set(k, v);
    run.venueId = ids.venueId;
    return inserted;
  },
  async routes(app, env) {
    await app.register(pages, { blocks: env.contributions('eventPage'), home: env.contributions('homePage') });
    await app.register(api);
    await app.register(eventIdentityPages);
  },
};
