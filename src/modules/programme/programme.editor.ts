/**
 * The secretariat's editor: sessions are edited as drafts (one per session), checked for conflicts against the
 * programme as it would be once every draft is published, and saved only without conflicts or with a reason
 * (audited). Publication is in programme.publish.ts.
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { audit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { DomainError } from '../../platform/errors.js';
import { genevaDate, genevaInstant, genevaParts } from '../../platform/i18n/format.js';
import { pick, type Localized } from '../../platform/i18n/localized.js';
import { LOCALES } from '../../platform/i18n/locales.js';
import { fullName, latinName } from '../../platform/i18n/names.js';
import { authorize } from '../../platform/permissions.js';
import { people, personAtEmail } from '../accounts/accounts.schema.js';
import { events, roomHours, rooms } from '../events/events.schema.js';
import { speakingRequests } from '../speaking/speaking.schema.js';
import {
  allConflicts,
  conflictsOf,
  type Conflict,
  type EventDays,
  type RoomInfo,
  type Slot,
} from './programme.conflicts.js';
import { field, SPEAKER_ROWS, type SessionForm } from './programme.editor.input.js';
import * as q from './programme.queries.js';
import {
  roomFacilities,
  sessionDrafts,
  sessions,
  tracks,
  type DraftData,
  type DraftSpeaker,
} from './programme.schema.js';
import { foldForSearch } from './programme.search.js';
import { keepRoles } from './programme.speakers.js';

type WCtx = Ctx & { db: Db };

/** A person's identity for clashes: their account, else their name folded (accents and case aside). */
export const personKey = (p: { personId?: string | null; name: string; nameLatin?: string | null }) =>
  p.personId
    ? `id:${p.personId}`
    : `name:${foldForSearch(p.nameLatin || p.name)
        .replace(/\s+/g, ' ')
        .trim()}`;

export const speakerNames = (s: DraftSpeaker) => {
  const n = {
    givenName: s.givenName,
    familyName: s.familyName,
    givenNameLatin: s.givenNameLatin,
    familyNameLatin: s.familyNameLatin,
    nationality: s.country ?? null,
  };
  return { name: fullName(n), nameLatin: latinName(n) || null };
};

export async function roomInfo(db: DbOrTx): Promise<Map<number, RoomInfo>> {
  const rows = await db
    .select({ id: rooms.id, capacity: rooms.capacity, retiredAt: rooms.retiredAt, f: roomFacilities })
    .from(rooms)
    .leftJoin(roomFacilities, eq(roomFacilities.roomId, rooms.id));
  const hours = await db.select().from(roomHours);
  const days = new Map<number, Record<string, { opens: string; closes: string }>>();
  for (const h of hours) days.set(h.roomId, { ...days.get(h.roomId), [h.day]: { opens: h.opens, closes: h.closes } });
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        capacity: r.capacity,
        booths: r.f?.booths ?? [],
        opens: r.f?.opens ?? '08:00',
        closes: r.f?.closes ?? '20:00',
        days: days.get(r.id),
        retired: r.retiredAt !== null,
      },
    ]),
  );
}

async function eventDays(db: DbOrTx): Promise<Map<number, EventDays>> {
  const rows = await db.select({ id: events.id, startDate: events.startDate, endDate: events.endDate }).from(events);
  return new Map(rows.map((r) => [r.id, r]));
}

/** A published session as the editor holds it. */
export function draftOfSession(s: q.SessionRow, roomId: number | null, trackId: number | null): DraftData {
  return {
    eventId: s.eventId,
    trackId,
    roomId,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    title: s.title,
    description: s.description,
    format: s.format,
    actionLines: s.actionLines,
    sdgs: s.sdgs,
    capacity: s.capacity,
    restrictions: s.restrictions,
    speakers: s.speakers
      .filter((p) => p.position < 1000) // accepted speaking requests are placed by the speaking module
      .map((p) => ({
        kind: p.kind,
        personId: p.personId,
        // Rows without parts (written before they were kept) keep the whole name as one single name.
        givenName: p.givenName ?? p.name,
        familyName: p.familyName ?? '',
        givenNameLatin: p.givenNameLatin ?? (p.nameLatin && p.nameLatin !== p.name ? p.nameLatin : ''),
        familyNameLatin: p.familyNameLatin ?? '',
        honorific: p.honorific,
        title: pick(p.role, 'en').text,
        role: p.role,
        organization: p.organization,
        country: p.country ?? null,
      })),
    joinUrl: s.joinUrl,
    webcastUrl: s.webcastUrl,
    cancelled: s.cancelledAt !== null,
  };
}

function slotOf(code: string, d: DraftData): Slot {
  return {
    code,
    eventId: d.eventId,
    roomId: d.roomId,
    startsAt: new Date(d.startsAt),
    endsAt: new Date(d.endsAt),
    capacity: d.capacity,
    interpretation: d.restrictions.interpretation ?? [],
    people: d.speakers.map((p) => {
      const n = speakerNames(p);
      return { key: personKey({ personId: p.personId, ...n }), name: n.nameLatin || n.name };
    }),
  };
}

/** The programme as it would be once every draft is published (cancelled sessions left out). */
export async function effectiveSlots(db: DbOrTx): Promise<Map<string, Slot>> {
  const [published, drafts] = await Promise.all([q.listSessions(db, {}), db.select().from(sessionDrafts)]);
  const out = new Map<string, Slot>();
  for (const s of published) {
    out.set(s.code, {
      code: s.code,
      eventId: s.eventId,
      roomId: s.roomId,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      capacity: s.capacity,
      interpretation: s.restrictions.interpretation ?? [],
      people: s.speakers.map((p) => ({ key: personKey(p), name: p.nameLatin || p.name })),
    });
  }
  for (const d of drafts) {
    if (d.data.cancelled) out.delete(d.code);
    else out.set(d.code, slotOf(d.code, d.data));
  }
  return out;
}

/** Everything the conflicts page lists, accepted speaking requests without a session included. */
export async function listConflicts(ctx: Ctx): Promise<Conflict[]> {
  authorize(ctx, 'programme.edit');
  const [slots, roomsById, eventsById, unscheduled] = await Promise.all([
    effectiveSlots(ctx.db),
    roomInfo(ctx.db),
    eventDays(ctx.db),
    ctx.db
      .select({ id: speakingRequests.id, given: speakingRequests.givenName, family: speakingRequests.familyName })
      .from(speakingRequests)
      .where(and(eq(speakingRequests.state, 'accepted'), isNull(speakingRequests.sessionId)))
      .orderBy(asc(speakingRequests.submittedAt)),
  ]);
  return [
    ...allConflicts([...slots.values()], roomsById, eventsById),
    ...unscheduled.map((u) => ({
      kind: 'accepted_speaker_unscheduled' as const,
      code: '',
      detail: fullName({ givenName: u.given, familyName: u.family }),
    })),
  ];
}

/** The speakers of a session as last saved: its draft's, else the published session's. */
async function priorSpeakers(db: DbOrTx, code: string): Promise<DraftSpeaker[]> {
  const [draft] = await db.select({ data: sessionDrafts.data }).from(sessionDrafts).where(eq(sessionDrafts.code, code));
  if (draft) return draft.data.speakers;
  const [published] = await q.listSessions(db, { code, includeCancelled: true });
  return published ? draftOfSession(published, null, null).speakers : [];
}

/** The session as the editor shows it: its draft if it has one, else the published session. */
export async function getEditable(ctx: Ctx, code: string) {
  authorize(ctx, 'programme.edit');
  const [draft] = await ctx.db.select().from(sessionDrafts).where(eq(sessionDrafts.code, code));
  const [published] = await q.listSessions(ctx.db, { code, includeCancelled: true });
  if (draft)
    return { code, data: draft.data, draft: true, published: published ?? null, overrideReason: draft.overrideReason };
  if (!published) throw new DomainError('session_not_found', 404, { code });
  const [ids] = await ctx.db
    .select({ roomId: sessions.roomId, trackId: sessions.trackId })
    .from(sessions)
    .where(eq(sessions.code, code));
  return {
    code,
    data: draftOfSession(published, ids!.roomId, ids!.trackId),
    draft: false,
    published,
    overrideReason: null,
  };
}

/** The form's values for a session (to fill the form, and to prefill a duplicate). */
export async function formValuesOf(db: DbOrTx, d: DraftData): Promise<Record<string, string | string[]>> {
  const [ev] = await db.select({ slug: events.slug }).from(events).where(eq(events.id, d.eventId));
  const room = d.roomId ? (await db.select({ slug: rooms.slug }).from(rooms).where(eq(rooms.id, d.roomId)))[0] : null;
  const track = d.trackId
    ? (await db.select({ slug: tracks.slug }).from(tracks).where(eq(tracks.id, d.trackId)))[0]
    : null;
  const start = new Date(d.startsAt);
  const end = new Date(d.endsAt);
  const hm = (x: Date) => {
    const p = genevaParts(x);
    return `${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
  };
  const v: Record<string, string | string[]> = {
    event: ev?.slug ?? '',
    room: room?.slug ?? '',
    track: track?.slug ?? '',
    day: genevaDate(start),
    start: hm(start),
    end: hm(end),
    format: d.format,
    lines: d.actionLines,
    sdgs: (d.sdgs ?? []).map(String),
    capacity: d.capacity == null ? '' : String(d.capacity),
    in_person_only: d.restrictions.inPersonOnly ? 'on' : '',
    invitation_only: d.restrictions.invitationOnly ? 'on' : '',
    language: d.restrictions.language ?? '',
    interp: d.restrictions.interpretation ?? [],
    join_url: d.joinUrl ?? '',
    webcast_url: d.webcastUrl ?? '',
  };
  for (const l of LOCALES) {
    v[`title_${l}`] = d.title[l] ?? '';
    v[`desc_${l}`] = d.description[l] ?? '';
  }
  const emails = d.speakers.some((s) => s.personId)
    ? new Map(
        (
          await db
            .select({ id: people.id, email: people.email })
            .from(people)
            .where(
              inArray(
                people.id,
                d.speakers.map((s) => s.personId).filter((x): x is string => !!x),
              ),
            )
        ).map((p) => [p.id, p.email ?? '']),
      )
    : new Map<string, string>();
  d.speakers.forEach((s, i) => {
    v[`sp${i}_kind`] = s.kind;
    v[`sp${i}_email`] = s.personId ? (emails.get(s.personId) ?? '') : '';
    v[`sp${i}_given`] = s.personId ? '' : s.givenName;
    v[`sp${i}_family`] = s.personId ? '' : s.familyName;
    v[`sp${i}_given_latin`] = s.personId ? '' : s.givenNameLatin;
    v[`sp${i}_family_latin`] = s.personId ? '' : s.familyNameLatin;
    v[`sp${i}_honorific`] = s.honorific;
    v[`sp${i}_title`] = s.title;
    v[`sp${i}_org`] = s.organization;
    v[`sp${i}_country`] = s.country ?? '';
  });
  return v;
}

/** Field errors found while resolving the form (unknown event, room, track, account). */
export class FormRefusal extends DomainError {
  constructor(readonly fields: Record<string, string>) {
    super('form_refused', 400);
  }
}

/** The form's values resolved into a draft. Throws FormRefusal naming the fields it could not resolve. */
export async function draftFromForm(db: DbOrTx, f: SessionForm): Promise<DraftData> {
  const bad: Record<string, string> = {};
  const [ev] = await db.select({ id: events.id }).from(events).where(eq(events.slug, f.event));
  if (!ev) bad.event = 'event_not_found';
  const room = f.room ? (await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.slug, f.room)))[0] : null;
  if (f.room && !room) bad.room = 'room_not_found';
  const track = f.track ? (await db.select({ id: tracks.id }).from(tracks).where(eq(tracks.slug, f.track)))[0] : null;
  if (f.track && !track) bad.track = 'track_not_found';
  const speakers: DraftSpeaker[] = [];
  for (let i = 0; i < SPEAKER_ROWS; i++) {
    const g = (k: string) => field(f, `sp${i}_${k}`) ?? '';
    const email = g('email');
    if (!email && !g('given') && !g('family')) continue;
    let person: typeof people.$inferSelect | undefined;
    if (email) {
      [person] = await db.select().from(people).where(personAtEmail(email));
      if (!person) {
        bad[`sp${i}_email`] = 'person_not_found';
        continue;
      }
    }
    speakers.push({
      kind: g('kind') === 'moderator' ? 'moderator' : 'speaker',
      personId: person?.id ?? null,
      givenName: person ? person.givenName : g('given'),
      familyName: person ? person.familyName : g('family'),
      givenNameLatin: person ? person.givenNameLatin : g('given_latin'),
      familyNameLatin: person ? person.familyNameLatin : g('family_latin'),
      honorific: g('honorific') || person?.honorific || '',
      title: g('title') || person?.jobTitle || '',
      organization: g('org'),
      country: person ? (person.nationality ?? null) : g('country') || null,
    });
  }
  if (Object.keys(bad).length) throw new FormRefusal(bad);
  const loc = (prefix: string): Localized =>
    Object.fromEntries(LOCALES.map((l) => [l, field(f, `${prefix}_${l}`)]).filter(([, x]) => x));
  return {
    eventId: ev!.id,
    trackId: track?.id ?? null,
    roomId: room?.id ?? null,
    startsAt: genevaInstant(f.day, f.start).toISOString(),
    endsAt: genevaInstant(f.day, f.end).toISOString(),
    title: loc('title'),
    description: loc('desc'),
    format: f.format,
    actionLines: [...new Set(f.lines)],
    sdgs: [...new Set(f.sdgs)].sort((a, b) => a - b),
    capacity: f.capacity ?? null,
    restrictions: {
      inPersonOnly: f.in_person_only || undefined,
      invitationOnly: f.invitation_only || undefined,
      language: f.language,
      interpretation: f.interp.length ? [...new Set(f.interp)] : undefined,
    },
    speakers,
    joinUrl: f.join_url ?? null,
    webcastUrl: f.webcast_url ?? null,
    cancelled: false,
  };
}

async function newCode(db: DbOrTx): Promise<string> {
  for (;;) {
    const code = `S26-${randomInt(10000, 99999)}`;
    const [a] = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.code, code));
    const [b] = await db.select({ id: sessionDrafts.id }).from(sessionDrafts).where(eq(sessionDrafts.code, code));
    if (!a && !b) return code;
  }
}

export type SaveResult = { ok: true; code: string; conflicts: Conflict[] } | { ok: false; conflicts: Conflict[] };

/**
 * Saves a session's draft (`code` null: a new session). Conflicts with the programme as it would be once published
 * refuse the save unless `override_reason` says why; an override is audited with the conflicts it passed.
 */
export async function saveSessionDraft(ctx: WCtx, code: string | null, f: SessionForm): Promise<SaveResult> {
  authorize(ctx, 'programme.edit');
  return ctx.db.transaction(async (tx) => {
    let sessionId: number | null = null;
    if (code) {
      const [s] = await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.code, code));
      const [d] = await tx.select({ id: sessionDrafts.id }).from(sessionDrafts).where(eq(sessionDrafts.code, code));
      if (!s && !d) throw new DomainError('session_not_found', 404, { code });
      sessionId = s?.id ?? null;
    }
    const data = await draftFromForm(tx, f);
    // The form edits one language of each title: the others are kept from the draft or the published session.
    if (code) data.speakers = keepRoles(await priorSpeakers(tx, code), data.speakers, ctx.locale);
    else data.speakers = keepRoles([], data.speakers, ctx.locale);
    const theCode = code ?? (await newCode(tx));
    const [slots, roomsById, eventsById] = await Promise.all([effectiveSlots(tx), roomInfo(tx), eventDays(tx)]);
    slots.delete(theCode);
    const conflicts = conflictsOf(slotOf(theCode, data), [...slots.values()], roomsById, eventsById);
    const reason = f.override_reason?.trim() || null;
    if (conflicts.length && !reason) return { ok: false, conflicts };
    const [before] = await tx.select().from(sessionDrafts).where(eq(sessionDrafts.code, theCode));
    const row = {
      code: theCode,
      sessionId,
      data,
      overrideReason: conflicts.length ? reason : null,
      updatedBy: ctx.actor.kind === 'person' ? ctx.actor.id : 'system',
      updatedAt: ctx.now,
    };
    if (before) await tx.update(sessionDrafts).set(row).where(eq(sessionDrafts.id, before.id));
    else await tx.insert(sessionDrafts).values(row);
    await audit(
      tx,
      { ...ctx, db: tx },
      {
        action: code ? 'programme.draft_saved' : 'programme.draft_created',
        subjectType: 'session',
        subjectId: theCode,
        before: before ? (before.data as unknown as Record<string, unknown>) : undefined,
        after: data as unknown as Record<string, unknown>,
      },
    );
    if (conflicts.length)
      await audit(
        tx,
        { ...ctx, db: tx },
        {
          action: 'programme.conflict_overridden',
          subjectType: 'session',
          subjectId: theCode,
          data: { reason, conflicts },
        },
      );
    return { ok: true, code: theCode, conflicts };
  });
}

/** Marks a session to be cancelled at the next publication (a new session's draft is simply discarded). */
export async function cancelSession(ctx: WCtx, code: string) {
  authorize(ctx, 'programme.edit');
  return ctx.db.transaction(async (tx) => {
    const cur = await getEditable({ ...ctx, db: tx }, code);
    if (!cur.published) {
      await tx.delete(sessionDrafts).where(eq(sessionDrafts.code, code));
    } else {
      const data = { ...cur.data, cancelled: true };
      const row = { code, sessionId: cur.published.id, data, updatedBy: actorId(ctx), updatedAt: ctx.now };
      await tx
        .insert(sessionDrafts)
        .values(row)
        .onConflictDoUpdate({
          target: sessionDrafts.code,
          set: { data, updatedBy: row.updatedBy, updatedAt: ctx.now },
        });
    }
    await audit(
      tx,
      { ...ctx, db: tx },
      { action: 'programme.session_cancelled', subjectType: 'session', subjectId: code },
    );
  });
}

/** Drops a session's unpublished changes. */
export async function discardDraft(ctx: WCtx, code: string) {
  authorize(ctx, 'programme.edit');
  await ctx.db.transaction(async (tx) => {
    const gone = await tx.delete(sessionDrafts).where(eq(sessionDrafts.code, code)).returning();
    if (!gone.length) throw new DomainError('draft_not_found', 404, { code });
    await audit(
      tx,
      { ...ctx, db: tx },
      { action: 'programme.draft_discarded', subjectType: 'session', subjectId: code },
    );
  });
}

const actorId = (ctx: Ctx) => (ctx.actor.kind === 'person' ? ctx.actor.id : 'system');

/** Drafts waiting for publication, the new and the changed, in start order. */
export async function listDrafts(ctx: Ctx) {
  authorize(ctx, 'programme.edit');
  const rows = await ctx.db.select().from(sessionDrafts);
  return rows
    .map((r) => ({
      code: r.code,
      isNew: r.sessionId === null,
      data: r.data,
      overrideReason: r.overrideReason,
      updatedAt: r.updatedAt,
    }))
    .sort((a, b) => a.data.startsAt.localeCompare(b.data.startsAt) || a.code.localeCompare(b.code));
}

/** Every session for the editor's list, cancelled ones included, with the number of agendas holding each. */
export async function listForEditor(ctx: Ctx) {
  authorize(ctx, 'programme.edit');
  return q.listSessions(ctx.db, { includeCancelled: true });
}

/** A session placed on the editor's grid: the programme as it would be once published, drafts included. */
export type GridItem = {
  code: string;
  title: Localized;
  roomId: number | null;
  startsAt: Date;
  endsAt: Date;
  draft: boolean;
};

/** One Geneva day of the programme as it would be once published (cancelled sessions left out). */
export async function editorGrid(ctx: Ctx, day: string): Promise<GridItem[]> {
  authorize(ctx, 'programme.edit');
  const from = genevaInstant(day, '00:00');
  const to = new Date(from.getTime() + 36 * 3600_000);
  const [published, drafts] = await Promise.all([
    q.listSessions(ctx.db, { from, to }),
    ctx.db.select().from(sessionDrafts),
  ]);
  const out = new Map<string, GridItem>();
  for (const s of published)
    out.set(s.code, {
      code: s.code,
      title: s.title,
      roomId: s.roomId,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      draft: false,
    });
  for (const d of drafts) {
    out.delete(d.code);
    if (d.data.cancelled) continue;
    out.set(d.code, {
      code: d.code,
      title: d.data.title,
      roomId: d.data.roomId,
      startsAt: new Date(d.data.startsAt),
      endsAt: new Date(d.data.endsAt),
      draft: true,
    });
  }
  return [...out.values()]
    .filter((s) => genevaDate(s.startsAt) === day)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.code.localeCompare(b.code));
}

/**
 * The form's values for a session moved to another room, day or start (its length kept): what the grid's drag and
 * drop submits, saved through the same checks as the form.
 */
export async function movedFormValues(
  ctx: Ctx,
  code: string,
  to: { room: string; day: string; start: string },
): Promise<Record<string, string | string[]>> {
  const cur = await getEditable(ctx, code);
  const values = await formValuesOf(ctx.db, cur.data);
  const minutes = (new Date(cur.data.endsAt).getTime() - new Date(cur.data.startsAt).getTime()) / 60_000;
  const [h, m] = to.start.split(':').map(Number) as [number, number];
  const endMin = Math.min(h * 60 + m + minutes, 23 * 60 + 59);
  const end = `${String(Math.floor(endMin / 60)).padStart(2, '0')}:${String(endMin % 60).padStart(2, '0')}`;
  return { ...values, room: to.room, day: to.day, start: to.start, end };
}
