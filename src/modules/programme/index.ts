export * from './programme.schema.js';
export { seedProgramme } from './programme.seed.js';
export { findSessions, getSession, getProgrammeFacets, rescheduleSession } from './programme.service.js';
export { ProgrammeQuery, RescheduleInput } from './programme.input.js';
export { programmePages, eventSessionsBlock } from './programme.pages.js';
export { programmeApi, presentSession } from './programme.api.js';
export type { SessionRow } from './programme.queries.js';
export { isoDate, slug } from './programme.input.js';
