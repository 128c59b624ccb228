import './checkin.personal-data.js';
export * from './checkin.schema.js';
export * from './checkin.service.js';
export { checkinApi } from './checkin.api.js';
export { checkinPages } from './checkin.pages.js';
