export * from './accounts.schema.js';
export { accountsHttp, setSessionCookie, SESSION_COOKIE } from './accounts.http.js';
export { accountsPages } from './accounts.pages.js';
export { accountsApi } from './accounts.api.js';
export * as accounts from './accounts.service.js';
export { hashPassword } from './accounts.crypto.js';
export { onPersonErased, onPersonExport, onProfileChanged } from './accounts.service.js';
export { email, line, name, latinName, BIDI_CONTROLS, HONORIFICS, RoleInput } from './accounts.input.js';
export { erasePerson } from './accounts.service.js';
export {
  affiliationOf,
  verifyAffiliationInTx,
  listPendingAffiliations,
  decideAffiliation,
  decideAffiliations,
  type AffiliationState,
  type PendingAffiliation,
} from './accounts.affiliation.js';
