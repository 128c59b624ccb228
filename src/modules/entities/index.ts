export * from './entities.schema.js';
export { seedMemberStates, readMemberStates } from './entities.seed.js';
export { entitiesApi, presentEntity, EntityOut } from './entities.api.js';
export { entitiesPages } from './entities.pages.js';
export {
  listEntities,
  getEntity,
  createEntity,
  updateEntity,
  mergeEntities,
  importEntitiesCsv,
  appointFocalPoint,
  removeFocalPoint,
  listFocalPoints,
  mayListFocalPoints,
  entityName,
  type Entity,
  type FocalPoint,
  type ImportReport,
  type MergeResult,
} from './entities.service.js';
export { EntityInput, EntityPatch, EntityFlat, CSV_COLUMNS } from './entities.input.js';
export { countryNames, isRegionCode } from './entities.names.js';
export { saveEntityContact, listEntityContacts, ContactInput, type EntityContact } from './entities.contacts.js';

import type { ModuleDescriptor } from '../../platform/module.js';
import { entitiesAuditWording } from './entities.audit-words.js';
import { entitiesApi as api } from './entities.api.js';
import { entitiesMerge } from './entities.merge.js';
import { entitiesPages as pages } from './entities.pages.js';
import { seedMemberStates as seed } from './entities.seed.js';

export const entitiesModule: ModuleDescriptor = {
  name: 'entities',
  contributes: { auditWording: entitiesAuditWording, personMerge: entitiesMerge },
  apiTags: ['entities'],
  seed: (tx, run) => seed(tx, run.now),
  async routes(app) {
    await app.register(pages);
    await app.register(api);
  },
};
