/** Official addresses of an entity (ministry, mission, regulator): circular letters are sent to them. */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { authorize } from '../../platform/permissions.js';
import { CONTACT_ROLES, entities, entityContacts } from './entities.schema.js';

export const ContactInput = z.strictObject({
  role: z.enum(CONTACT_ROLES),
  name: z
    .string()
    .trim()
    .max(200)
    .regex(/^[^\u0000-\u001F\u007F]*$/)
    .default(''),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  locale: z.enum(LOCALES).default('en'),
});
export type ContactInput = z.input<typeof ContactInput>;
export type EntityContact = typeof entityContacts.$inferSelect;

/** Adds (or updates, for the same address) a contact address. Throws `invalid_input`, `entity_not_found`. */
export async function saveEntityContact(
  ctx: Ctx & { db: Db },
  entityId: number,
  input: ContactInput,
): Promise<EntityContact> {
  authorize(ctx, 'entities.manage');
  const r = ContactInput.safeParse(input);
  if (!r.success)
    throw new DomainError(
      'invalid_input',
      400,
      {},
      r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
  return ctx.db.transaction(async (tx) => {
    const [e] = await tx.select({ id: entities.id }).from(entities).where(eq(entities.id, entityId));
    if (!e) throw new DomainError('entity_not_found', 404);
    const [row] = await tx
      .insert(entityContacts)
      .values({ entityId, ...r.data, createdAt: ctx.now })
      .onConflictDoUpdate({
        target: [entityContacts.entityId, entityContacts.email],
        set: { role: r.data.role, name: r.data.name, locale: r.data.locale },
      })
      .returning();
    await audit(tx, ctx, {
      action: 'entities.contact_saved',
      subjectType: 'entity',
      subjectId: entityId,
      data: { contact: row.id, role: row.role, locale: row.locale },
    });
    return row;
  });
}

export async function listEntityContacts(ctx: Ctx, entityId: number): Promise<EntityContact[]> {
  authorize(ctx, 'entities.view');
  return ctx.db
    .select()
    .from(entityContacts)
    .where(and(eq(entityContacts.entityId, entityId)))
    .orderBy(entityContacts.id);
}
