export * from './events.schema.js';
export { seedEvents, type EventIds } from './events.seed.js';
export { listEvents, listRooms, type EventRow } from './events.queries.js';
export { getEvents, getEvent, withDescendants, summitDays, type EventTree } from './events.service.js';
export { eventsPages } from './events.pages.js';
export { eventsApi, presentEvent } from './events.api.js';
