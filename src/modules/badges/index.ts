import './badges.people.js';
import './badges.personal-data.js';
export * from './badges.schema.js';
export * from './badges.service.js';
export { badgesApi } from './badges.api.js';
export { badgeDeskPages } from './badges.pages.js';
export { badgeJobHandlers, badgeFilesDir, createBatch, runBatch, PRINT_JOB } from './badges.print.js';
