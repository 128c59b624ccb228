/**
 * Publishing the drafts: each becomes the public session in one transaction that records a version with what changed
 * per session (the public change log), bumps the content version (every cached page and ETag follows), and writes one
 * e-mail per person — those with an affected session in their agenda, and its speakers with accounts — in their
 * language, listing every change that concerns them.
 */
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import { bumpContentVersion } from '../../platform/content-version.js';
import type { Ctx } from '../../platform/context.js';
import { publishEvent } from '../../platform/domain-events.js';
import { DomainError } from '../../platform/errors.js';
import { formatDay, formatTimeRange, genevaDate } from '../../platform/i18n/format.js';
import { text, type Localized } from '../../platform/i18n/localized.js';
import { isLocale, type Locale } from '../../platform/i18n/locales.js';
import { translate } from '../../platform/i18n/messages.js';
import { greeting } from '../../platform/i18n/names.js';
import { enqueueMail } from '../../platform/mail/mail.js';
import { authorize } from '../../platform/permissions.js';
import { people } from '../accounts/accounts.schema.js';
import { draftOfSession, speakerNames } from './programme.editor.js';
import * as q from './programme.queries.js';
import {
  agendaItems,
  programmeChanges,
  programmeVersions,
  sessionActionLines,
  sessionDrafts,
  sessions,
  sessionSpeakers,
  type DraftData,
} from './programme.schema.js';
import { searchTextOf } from './programme.search.js';
import { syncSpeakerProfiles } from './programme.speakers.js';

export type ChangeKind = 'added' | 'changed' | 'cancelled';
export type Change = {
  code: string;
  sessionId: number;
  eventId: number;
  kind: ChangeKind;
  fields: string[];
  title: Localized;
};

/** The fields of a session that differ between its published form and its draft. */
export function changedFields(before: DraftData, after: DraftData): string[] {
  const out: string[] = [];
  const eq = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (before.startsAt !== after.startsAt || before.endsAt !== after.endsAt) out.push('time');
  if (before.roomId !== after.roomId) out.push('room');
  if (!eq(before.title, after.title)) out.push('title');
  if (!eq(before.description, after.description)) out.push('description');
  if (before.format !== after.format || before.trackId !== after.trackId || before.eventId !== after.eventId)
    out.push('format');
  if (!eq([...before.actionLines].sort(), [...after.actionLines].sort())) out.push('action_lines');
  if (!eq(before.sdgs ?? [], after.sdgs ?? [])) out.push('sdgs');
  if (!eq(before.speakers, after.speakers)) out.push('speakers');
  if (before.capacity !== after.capacity || !eq(before.restrictions, after.restrictions)) out.push('restrictions');
  if (before.joinUrl !== after.joinUrl || before.webcastUrl !== after.webcastUrl) out.push('remote');
  return out;
}

async function writeSession(tx: DbOrTx, ctx: Ctx, code: string, sessionId: number | null, d: DraftData) {
  const names = d.speakers.map((p) => ({ ...speakerNames(p), organization: p.organization }));
  const values = {
    code,
    eventId: d.eventId,
    trackId: d.trackId,
    roomId: d.roomId,
    startsAt: new Date(d.startsAt),
    endsAt: new Date(d.endsAt),
    title: d.title,
    description: d.description,
    format: d.format,
    sdgs: d.sdgs ?? [],
    searchText: searchTextOf(d.title, d.description, names),
    capacity: d.capacity,
    restrictions: d.restrictions,
    cancelledAt: d.cancelled ? ctx.now : null,
    joinUrl: d.joinUrl,
    webcastUrl: d.webcastUrl,
    updatedAt: ctx.now,
  };
  let id = sessionId;
  if (id === null) id = (await tx.insert(sessions).values(values).returning({ id: sessions.id }))[0]!.id;
  else await tx.update(sessions).set(values).where(eq(sessions.id, id));
  await tx.delete(sessionActionLines).where(eq(sessionActionLines.sessionId, id));
  if (d.actionLines.length)
    await tx.insert(sessionActionLines).values(d.actionLines.map((actionLine) => ({ sessionId: id, actionLine })));
  await tx.delete(sessionSpeakers).where(eq(sessionSpeakers.sessionId, id));
  if (d.speakers.length)
    await tx.insert(sessionSpeakers).values(
      d.speakers.map((p, i) => ({
        sessionId: id,
        position: i,
        ...speakerNames(p),
        givenName: p.givenName,
        familyName: p.familyName,
        givenNameLatin: p.givenNameLatin,
        familyNameLatin: p.familyNameLatin,
        role: p.role ?? (p.title ? { en: p.title } : {}),
        organization: p.organization,
        country: p.country ?? null,
        personId: p.personId,
        kind: p.kind,
        honorific: p.honorific,
      })),
    );
  return id;
}

/**
 * Publishes the drafts (`codes`: only those). Returns the version, its changes and how many people were written to.
 * Throws `nothing_to_publish`.
 */
export async function publishProgramme(ctx: Ctx & { db: Db }, input: { codes?: string[] } = {}) {
  authorize(ctx, 'programme.edit');
  return ctx.db.transaction(async (tx) => {
    const tctx = { ...ctx, db: tx };
    const drafts = await tx
      .select()
      .from(sessionDrafts)
      .where(input.codes ? inArray(sessionDrafts.code, input.codes.length ? input.codes : ['']) : undefined)
      .orderBy(asc(sessionDrafts.code))
      .for('update');
    if (!drafts.length) throw new DomainError('nothing_to_publish', 409);
    const changes: Change[] = [];
    const speakerIds = new Map<number, Set<string>>();
    for (const d of drafts) {
      const [pub] = d.sessionId ? await q.listSessions(tx, { ids: [d.sessionId], includeCancelled: true }) : [];
      let before: DraftData | null = null;
      if (pub) {
        const [ids] = await tx
          .select({ roomId: sessions.roomId, trackId: sessions.trackId })
          .from(sessions)
          .where(eq(sessions.id, pub.id));
        before = draftOfSession(pub, ids!.roomId, ids!.trackId);
      }
      const id = await writeSession(tx, ctx, d.code, d.sessionId, d.data);
      const kind: ChangeKind = !before ? 'added' : d.data.cancelled && !before.cancelled ? 'cancelled' : 'changed';
      const fields = before ? changedFields(before, d.data) : [];
      if (kind === 'changed' && !fields.length && before?.cancelled === d.data.cancelled) continue;
      changes.push({ code: d.code, sessionId: id, eventId: d.data.eventId, kind, fields, title: d.data.title });
      const ids = new Set<string>();
      for (const p of [...(before?.speakers ?? []), ...d.data.speakers]) if (p.personId) ids.add(p.personId);
      speakerIds.set(id, ids);
    }
    await tx.delete(sessionDrafts).where(
      inArray(
        sessionDrafts.id,
        drafts.map((d) => d.id),
      ),
    );
    if (!changes.length) return { versionId: null, changes, notified: 0 };
    const [version] = await tx
      .insert(programmeVersions)
      .values({ publishedAt: ctx.now, publishedBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system' })
      .returning();
    await tx.insert(programmeChanges).values(
      changes.map((c) => ({
        versionId: version!.id,
        sessionCode: c.code,
        eventId: c.eventId,
        kind: c.kind,
        fields: c.fields,
        title: c.title,
      })),
    );
    await bumpContentVersion(tx);
    await syncSpeakerProfiles(
      tx,
      ctx.now,
      changes.map((c) => c.sessionId),
    );
    await audit(tx, tctx, {
      action: 'programme.published',
      subjectType: 'programme_version',
      subjectId: version!.id,
      data: { changes: changes.map((c) => ({ code: c.code, kind: c.kind, fields: c.fields })) },
    });
    await publishEvent(tx, ctx.now, 'programme.published', {
      versionId: version!.id,
      changes: changes.map((c) => ({ code: c.code, eventId: c.eventId, kind: c.kind, fields: c.fields })),
    });
    const notified = await notify(tx, ctx, changes, speakerIds);
    return { versionId: version!.id, changes, notified };
  });
}

/** One e-mail per person, whatever the number of sessions of theirs that changed. */
async function notify(tx: DbOrTx, ctx: Ctx, changes: Change[], speakerIds: Map<number, Set<string>>) {
  const sessionIds = changes.map((c) => c.sessionId);
  const holders = await tx
    .select({ personId: agendaItems.personId, sessionId: agendaItems.sessionId })
    .from(agendaItems)
    .where(inArray(agendaItems.sessionId, sessionIds));
  const byPerson = new Map<string, Set<number>>();
  const add = (p: string, s: number) => byPerson.set(p, (byPerson.get(p) ?? new Set()).add(s));
  for (const h of holders) add(h.personId, h.sessionId);
  for (const [sid, ids] of speakerIds) for (const p of ids) add(p, sid);
  if (!byPerson.size) return 0;
  const recipients = await tx
    .select()
    .from(people)
    .where(and(inArray(people.id, [...byPerson.keys()]), isNull(people.erasedAt)))
    .orderBy(asc(people.id));
  const current = new Map(
    (await q.listSessions(tx, { ids: sessionIds, includeCancelled: true })).map((s) => [s.id, s]),
  );
  let sent = 0;
  for (const p of recipients) {
    if (!p.email) continue;
    const locale: Locale = isLocale(p.preferredLocale) ? p.preferredLocale : 'en';
    const lines = changes
      .filter((c) => byPerson.get(p.id)!.has(c.sessionId))
      .map((c) => describeChange(locale, c, current.get(c.sessionId)));
    await enqueueMail(tx, ctx.now, {
      to: p.email,
      locale,
      template: 'programme_changed',
      params: {
        greeting: greeting(p, locale),
        changes: lines.join('\n'),
        link: `${ctx.baseUrl ?? ''}/${locale}/agenda`,
      },
    });
    sent++;
  }
  return sent;
}

/** "• Title — 8 July, 09:00–10:00: time, room" in the reader's language. */
export function describeChange(locale: Locale, c: Change, s: q.SessionRow | undefined): string {
  const when = s
    ? `${formatDay(locale, genevaDate(s.startsAt))}, ${formatTimeRange(locale, s.startsAt, s.endsAt)}`
    : '';
  const what =
    c.kind === 'changed'
      ? c.fields.map((f) => translate(locale, `programme_editor.field.${f}`)).join(translate(locale, 'list.separator'))
      : translate(locale, `programme_editor.change.${c.kind}`);
  return `• ${text(c.title, locale)}${when ? ` — ${when}` : ''}: ${what}`;
}

/** The public change log of one or more events, newest first. */
export async function listChanges(db: DbOrTx, eventIds: number[], limit = 200) {
  if (!eventIds.length) return [];
  return db
    .select({
      versionId: programmeChanges.versionId,
      publishedAt: programmeVersions.publishedAt,
      code: programmeChanges.sessionCode,
      kind: programmeChanges.kind,
      fields: programmeChanges.fields,
      title: programmeChanges.title,
    })
    .from(programmeChanges)
    .innerJoin(programmeVersions, eq(programmeChanges.versionId, programmeVersions.id))
    .where(inArray(programmeChanges.eventId, eventIds))
    .orderBy(desc(programmeVersions.publishedAt), desc(programmeChanges.versionId), asc(programmeChanges.sessionCode))
    .limit(limit);
}
