/**
 * The programme's conflicts, as pure functions over "slots" (a session as it would be once the drafts are published):
 * a room booked twice, a person in two places at once (across all events of the week), a session outside its event's
 * days or the venue's hours, more places than the room has, and an interpretation language without a booth.
 */
import { genevaDate, genevaParts } from '../../platform/i18n/format.js';

export type Slot = {
  code: string;
  eventId: number;
  roomId: number | null;
  startsAt: Date;
  endsAt: Date;
  capacity: number | null;
  interpretation: string[];
  /** Speakers and moderators: `key` identifies the person (their account, else their folded Latin name). */
  people: { key: string; name: string }[];
};

export type RoomInfo = {
  id: number;
  capacity: number | null;
  booths: string[];
  opens: string;
  closes: string;
  /** Other hours on some days (YYYY-MM-DD, Geneva), where they differ from `opens`–`closes`. */
  days?: Readonly<Record<string, { opens: string; closes: string }>>;
  /** Retired by the secretariat: no session should stay in it. */
  retired?: boolean;
};
export type EventDays = { id: number; startDate: string; endDate: string };

export const CONFLICT_KINDS = [
  'room_double_booked',
  'person_double_booked',
  'outside_event_days',
  'outside_venue_hours',
  'capacity_above_room',
  'interpretation_without_booth',
  'accepted_speaker_unscheduled',
  'room_retired',
] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/** `other`: the session it clashes with; `detail`: a person's name, a language, a number. */
export type Conflict = { kind: ConflictKind; code: string; other?: string; detail?: string };

const overlaps = (a: Slot, b: Slot) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;
const hhmmOf = (d: Date) => {
  const p = genevaParts(d);
  return `${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
};

/** The conflicts of one slot with the rest of the programme (`others` excludes it). */
export function conflictsOf(
  s: Slot,
  others: readonly Slot[],
  rooms: ReadonlyMap<number, RoomInfo>,
  events: ReadonlyMap<number, EventDays>,
): Conflict[] {
  const out: Conflict[] = [];
  for (const o of others) {
    if (o.code === s.code || !overlaps(s, o)) continue;
    if (s.roomId !== null && o.roomId === s.roomId)
      out.push({ kind: 'room_double_booked', code: s.code, other: o.code });
    for (const p of s.people) {
      if (o.people.some((q) => q.key === p.key))
        out.push({ kind: 'person_double_booked', code: s.code, other: o.code, detail: p.name });
    }
  }
  const ev = events.get(s.eventId);
  if (ev) {
    const from = genevaDate(s.startsAt);
    const to = genevaDate(new Date(s.endsAt.getTime() - 1));
    if (from < ev.startDate || to > ev.endDate) out.push({ kind: 'outside_event_days', code: s.code });
  }
  const room = s.roomId === null ? undefined : rooms.get(s.roomId);
  const day = room?.days?.[genevaDate(s.startsAt)];
  const opens = day?.opens ?? room?.opens ?? DEFAULT_HOURS.opens;
  const closes = day?.closes ?? room?.closes ?? DEFAULT_HOURS.closes;
  const sameDay = genevaDate(s.startsAt) === genevaDate(new Date(s.endsAt.getTime() - 1));
  const end = hhmmOf(s.endsAt) === '00:00' ? '24:00' : hhmmOf(s.endsAt);
  if (!sameDay || hhmmOf(s.startsAt) < opens || end > closes)
    out.push({ kind: 'outside_venue_hours', code: s.code, detail: `${opens}–${closes}` });
  if (room?.capacity != null && s.capacity != null && s.capacity > room.capacity)
    out.push({ kind: 'capacity_above_room', code: s.code, detail: String(room.capacity) });
  if (room?.retired) out.push({ kind: 'room_retired', code: s.code });
  for (const lang of s.interpretation) {
    if (!room?.booths.includes(lang)) out.push({ kind: 'interpretation_without_booth', code: s.code, detail: lang });
  }
  return out;
}

/** Every conflict of the programme, each pair once (in the first session's order). */
export function allConflicts(
  slots: readonly Slot[],
  rooms: ReadonlyMap<number, RoomInfo>,
  events: ReadonlyMap<number, EventDays>,
): Conflict[] {
  const sorted = [...slots].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.code.localeCompare(b.code));
  const out: Conflict[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    // Only later-starting sessions that begin before this one ends: each pair is seen once, and no quadratic scan.
    const later: Slot[] = [];
    for (let j = i + 1; j < sorted.length && sorted[j]!.startsAt < s.endsAt; j++) later.push(sorted[j]!);
    out.push(...conflictsOf(s, later, rooms, events));
  }
  return out;
}

/** The venue's hours when a room has none of its own (Geneva time). */
export const DEFAULT_HOURS = { opens: '08:00', closes: '20:00' } as const;
