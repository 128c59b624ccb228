/** The secretariat's views across modules: the audit trail and the local outbox. */
import { listAuditEntries } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { genevaInstant } from '../../platform/i18n/format.js';
import { listOutbox } from '../../platform/mail/mail.js';
import { authorize } from '../../platform/permissions.js';
import type { AuditQuery } from './admin.input.js';

const nextDay = (d: string) => {
  const x = new Date(`${d}T12:00:00Z`);
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString().slice(0, 10);
};

export async function browseAudit(ctx: Ctx, q: AuditQuery) {
  authorize(ctx, 'audit.view');
  return listAuditEntries(ctx.db, {
    actor: q.person,
    actingFor: q.entity,
    action: q.action,
    from: q.from ? genevaInstant(q.from, '00:00') : undefined,
    to: q.to ? genevaInstant(nextDay(q.to), '00:00') : undefined,
  });
}

export async function browseOutbox(ctx: Ctx, dataDir: string) {
  authorize(ctx, 'outbox.view');
  return listOutbox(dataDir, 200);
}
