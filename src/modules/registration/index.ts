export * from './registration.schema.js';
export { registrationApi } from './registration.api.js';
export * from './registration.service.js';
export { registrationPages } from './registration.pages.js';
