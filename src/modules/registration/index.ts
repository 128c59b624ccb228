import './registration.erasure.js';
export * from './registration.schema.js';
export { registrationApi } from './registration.api.js';
export * from './registration.service.js';
export { registrationPages } from './registration.pages.js';
export { registrationParticipantPages } from './registration.participant-pages.js';
export { registrationOfficePages } from './registration.office-pages.js';
export { PHOTO_MAX_BYTES, getPhoto, hasPhoto, processPhoto, savePhoto } from './registration.photo.js';
export * from './registration.visa.js';
