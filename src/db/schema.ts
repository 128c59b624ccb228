/** Every module's tables, for Drizzle and drizzle-kit. */
export * from '../platform/platform.schema.js';
export * from '../modules/events/events.schema.js';
export * from '../modules/programme/programme.schema.js';
export * from '../modules/letters/letters.schema.js';
export * from '../modules/entities/entities.schema.js';
export * from '../modules/accounts/accounts.schema.js';
export * from '../modules/registration/registration.schema.js';
export * from '../modules/badges/badges.schema.js';
export * from '../modules/checkin/checkin.schema.js';
export * from '../modules/speaking/speaking.schema.js';
export * from '../modules/funding/funding.schema.js';
