/** How the entities module's audit actions read; an entity reads by its name in the reader's language (the UN's). */
import { inArray } from 'drizzle-orm';
import type { AuditParams, AuditWording } from '../../platform/audit-words.js';
import { isolate } from '../../platform/i18n/names.js';
import { entities } from './entities.schema.js';
import { entityName } from './entities.service.js';

const ACTIONS = [
  'created',
  'updated',
  'merged',
  'imported',
  'focal_point_appointed',
  'focal_point_removed',
  'contact_saved',
];

export const entitiesAuditWording: AuditWording = {
  sentences: Object.fromEntries(ACTIONS.map((a) => [`entities.${a}`, `entities.audit.${a}`])),
  subjects: {
    entity: async (db, ids, locale) => {
      const out = new Map<string, AuditParams>();
      const nums = ids.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
      if (!nums.length) return out;
      for (const e of await db.select().from(entities).where(inArray(entities.id, nums))) {
        const name = isolate(entityName(e, locale), locale);
        out.set(String(e.id), { subject: name, entity: name });
      }
      return out;
    },
  },
};
