export * from './accounts.schema.js';
export { accountsHttp, setSessionCookie, SESSION_COOKIE } from './accounts.http.js';
export { accountsPages } from './accounts.pages.js';
export { ProfileFields } from './accounts.profile-fields.js';
export { accountsApi } from './accounts.api.js';
export * as accounts from './accounts.service.js';
export { hashPassword } from './accounts.crypto.js';
export { onPersonErased, onPersonExport, onProfileChanged, registerPersonalData } from './accounts.service.js';
export {
  email,
  line,
  name,
  namePart,
  latinName,
  BIDI_CONTROLS,
  HONORIFICS,
  ProfileInput,
  RoleInput,
} from './accounts.input.js';
export { erasePerson } from './accounts.service.js';
export { sha256 } from './accounts.crypto.js';
export {
  mergedIntoPerson,
  type MergeConflict,
  type MergePair,
  type MergePreview,
  type PersonMerge,
} from './accounts.merge.js';

import { ssoRoutes } from './accounts.sso.js';
import type { ModuleDescriptor } from '../../platform/module.js';
import { accountsAuditWording } from './accounts.audit-words.js';
import { accountsMerge } from './accounts.merge.js';
import { accountsApi as api } from './accounts.api.js';
import { accountsPages as pages } from './accounts.pages.js';

/** The session layer (`request.actor`) is registered by the app before every module: see `accountsHttp`. */
export const accountsModule: ModuleDescriptor = {
  name: 'accounts',
  contributes: { auditWording: accountsAuditWording, personMerge: accountsMerge },
  apiTags: ['accounts'],
  async routes(app, env) {
    await app.register(pages, { secure: env.secure, sso: env.config.oidc && { label: env.config.oidc.label } });
    await app.register(ssoRoutes, { config: env.config, secure: env.secure });
    await app.register(api);
  },
  nav: [
    {
      key: 'affiliations',
      path: '/affiliations',
      label: 'accounts.affiliations.title',
      permission: 'affiliation.confirm',
    },
  ],
};
export {
  affiliationOf,
  verifyAffiliationInTx,
  verifyAffiliationsInTx,
  listPendingAffiliations,
  decideAffiliation,
  decideAffiliations,
  type AffiliationState,
  type PendingAffiliation,
} from './accounts.affiliation.js';
