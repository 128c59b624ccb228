/**
 * The audit log in words: each row as a sentence in the reader's language, composed from the wording the modules
 * contribute (`auditWording`), with a generic sentence for actions no module words. Filters by who acted, whom it
 * concerns, action and dates; pages by keyset (time, id).
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AuditParams, AuditWording } from '../../platform/audit-words.js';
import { listAuditEntries } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { genevaInstant } from '../../platform/i18n/format.js';
import type { Locale } from '../../platform/i18n/locales.js';
import { hasMessage, translate } from '../../platform/i18n/messages.js';
import { authorize } from '../../platform/permissions.js';
import { auditLog } from '../../platform/platform.schema.js';
import { accounts } from '../accounts/index.js';
import { isoDate } from '../programme/index.js';

const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const AuditLogQuery = z.object({
  /** Who acted: a person's id, `system`/`cli`/`anonymous`, or words of a name or e-mail. */
  actor: opt(z.string().max(100)),
  /** The same, kept for the API's earlier callers. */
  person: opt(z.string().max(100)),
  /** Whom it concerns: a person's id or words of a name or e-mail. */
  about: opt(z.string().max(100)),
  entity: opt(z.string().regex(/^\d{1,9}$/)),
  action: opt(z.string().regex(/^[a-z_.]{1,80}$/)),
  from: opt(isoDate),
  to: opt(isoDate),
  /** Keyset cursor: `<epoch ms>.<id>` of the last row of the previous page. */
  after: opt(z.string().regex(/^\d{1,15}\.\d{1,15}$/)),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuery>;

export const AUDIT_PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NON_PERSON_ACTORS = ['system', 'cli', 'anonymous'];

const nextDay = (d: string) => {
  const x = new Date(`${d}T12:00:00Z`);
  x.setUTCDate(x.getUTCDate() + 1);
  return x.toISOString().slice(0, 10);
};

async function peopleMatching(ctx: Ctx, words: string): Promise<string[]> {
  if (UUID.test(words)) return [words.toLowerCase()];
  return (await accounts.listPeople(ctx, words)).map((p) => p.id);
}

export type AuditLine = {
  id: number;
  at: Date;
  sentence: string;
  action: string;
  actor: string;
  actingFor: string | null;
  subjectType: string;
  subjectId: string;
  ip: string | null;
  changes: Record<string, [unknown, unknown]>;
  data: Record<string, unknown>;
};

/** One page of the log in words, newest first, and the cursor of the next page. */
export async function auditInWords(
  ctx: Ctx,
  wordings: readonly AuditWording[],
  q: AuditLogQuery,
  locale: Locale,
): Promise<{ rows: AuditLine[]; next: string | null }> {
  authorize(ctx, 'audit.view');
  const who = q.actor ?? q.person;
  let actors: string[] | undefined;
  if (who)
    actors = NON_PERSON_ACTORS.includes(who) || who.startsWith('system:') ? [who] : await peopleMatching(ctx, who);
  let subjects: { type: string; ids: string[] }[] | undefined;
  if (q.about) {
    subjects = [];
    for (const personId of (await peopleMatching(ctx, q.about)).slice(0, 20))
      for (const w of wordings)
        for (const [type, of] of Object.entries(w.ofPerson ?? {}))
          subjects.push({ type, ids: await of(ctx.db, personId) });
  }
  const [ms, id] = q.after ? q.after.split('.').map(Number) : [];
  const raw = await listAuditEntries(ctx.db, {
    actors,
    subjects,
    actingFor: q.entity,
    action: q.action,
    from: q.from ? genevaInstant(q.from, '00:00') : undefined,
    to: q.to ? genevaInstant(nextDay(q.to), '00:00') : undefined,
    before: q.after ? { at: new Date(ms), id } : undefined,
    limit: AUDIT_PAGE + 1,
  });
  const page = raw.slice(0, AUDIT_PAGE);
  const last = page.at(-1);
  const next = raw.length > AUDIT_PAGE && last ? `${last.at.getTime()}.${last.id}` : null;
  const sentences = await wordRows(ctx, wordings, page, locale);
  return { rows: page.map((r, i) => ({ ...r, sentence: sentences[i] })), next };
}

/** The sentence of each row: the acting module's wording, or the generic sentence. */
async function wordRows(
  ctx: Ctx,
  wordings: readonly AuditWording[],
  rows: { action: string; actor: string; subjectType: string; subjectId: string }[],
  locale: Locale,
): Promise<string[]> {
  const resolvers = new Map(wordings.flatMap((w) => Object.entries(w.subjects ?? {})));
  const sentenceKeys = new Map(wordings.flatMap((w) => Object.entries(w.sentences)));
  // Every subject id of each type, and every acting person, read in one query per type.
  const byType = new Map<string, Set<string>>();
  const want = (type: string, id: string) => {
    if (!byType.has(type)) byType.set(type, new Set());
    byType.get(type)!.add(id);
  };
  for (const r of rows) {
    want(r.subjectType, r.subjectId);
    if (UUID.test(r.actor)) want('person', r.actor);
  }
  const resolved = new Map<string, Map<string, AuditParams>>();
  for (const [type, ids] of byType) {
    const resolve = resolvers.get(type);
    if (resolve) resolved.set(type, await resolve(ctx.db, [...ids], locale));
  }
  return rows.map((r) => {
    const actor = UUID.test(r.actor)
      ? (resolved.get('person')?.get(r.actor)?.subject ?? translate(locale, 'audit.actor_unknown'))
      : hasMessage(locale, `audit.actors.${r.actor.split(':')[0]}`)
        ? translate(locale, `audit.actors.${r.actor.split(':')[0]}`)
        : r.actor;
    const subject = resolved.get(r.subjectType)?.get(r.subjectId);
    const params: AuditParams = {
      ...subject,
      subject:
        subject?.subject ??
        (hasMessage(locale, `audit.subject_types.${r.subjectType}`)
          ? translate(locale, `audit.subject_types.${r.subjectType}`, { id: r.subjectId })
          : `${r.subjectType} ${r.subjectId}`),
      actor,
    };
    const key = sentenceKeys.get(r.action);
    // A module's sentence may name what only its subject gives ({person}, {event}): used when the subject was read.
    if (key && hasMessage(locale, key) && (subject || !resolvers.has(r.subjectType)))
      return translate(locale, key, params);
    return translate(locale, 'audit.generic', { actor, action: r.action, subject: params.subject });
  });
}

/** The actions the log holds, for the filter's list. */
export async function auditActions(ctx: Ctx): Promise<string[]> {
  authorize(ctx, 'audit.view');
  const rows = await ctx.db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(sql`1`);
  return rows.map((r) => r.action);
}
