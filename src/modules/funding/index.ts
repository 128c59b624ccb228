export * from './funding.schema.js';
export { fundingApi } from './funding.api.js';
export { fundingPages } from './funding.pages.js';
export { fundingHandlers, sendAcknowledgement } from './funding.jobs.js';
export { listPartners, fundingReport } from './funding.queries.js';
export {
  announcePledge,
  confirmPledge,
  recordPayment,
  reversePayment,
  reducePledge,
  cancelPledge,
  getPledge,
  listPledges,
  setTiers,
} from './funding.service.js';
export { formatMoney, parseAmount, currencyDigits } from './funding.money.js';
