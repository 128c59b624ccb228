/**
 * Registration's part of merging a duplicate person (accounts' `personMerge` slot): registrations (with their visa
 * requests, which follow the registration) and the badge photo move to the person kept.
 *
 * One live registration per person per event: where both have one for the same event, the one further along is kept
 * (approved, then waiting list, then awaiting the secretariat, then the focal point; the kept person's on a tie) and
 * the other is withdrawn with the merge's note. One photo per person: the kept person's stays, the duplicate's goes.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { text } from '../../platform/i18n/localized.js';
import { translate } from '../../platform/i18n/messages.js';
import type { MergePair, PersonMerge } from '../accounts/index.js';
import { events } from '../events/events.schema.js';
import { personPhotos, registrations, visaRequests } from './registration.schema.js';

const LIVE = ['pending_dfp', 'pending_secretariat', 'approved', 'waitlisted'] as const;
const RANK: Record<string, number> = { approved: 4, waitlisted: 3, pending_secretariat: 2, pending_dfp: 1 };

type Live = { id: string; personId: string; eventId: number; state: string };

/** For each event both have a live registration for: the one kept and the one withdrawn. */
async function clashes(db: DbOrTx, { from, into }: MergePair) {
  const rows: Live[] = await db
    .select({
      id: registrations.id,
      personId: registrations.personId,
      eventId: registrations.eventId,
      state: registrations.state,
    })
    .from(registrations)
    .where(and(inArray(registrations.personId, [from, into]), inArray(registrations.state, [...LIVE])));
  const out: { keep: Live; drop: Live }[] = [];
  for (const a of rows.filter((r) => r.personId === into)) {
    const b = rows.find((r) => r.personId === from && r.eventId === a.eventId);
    if (!b) continue;
    out.push(RANK[b.state] > RANK[a.state] ? { keep: b, drop: a } : { keep: a, drop: b });
  }
  return out;
}

async function photoClash(db: DbOrTx, { from, into }: MergePair) {
  const rows = await db
    .select({ personId: personPhotos.personId })
    .from(personPhotos)
    .where(inArray(personPhotos.personId, [from, into]));
  return rows.length === 2;
}

export const registrationMerge: PersonMerge = {
  columns: ['registrations.person_id', 'person_photos.person_id'],
  async holdings(db, personId) {
    const regs = await db
      .select({ id: registrations.id })
      .from(registrations)
      .where(eq(registrations.personId, personId));
    const visas = regs.length
      ? await db.$count(
          visaRequests,
          inArray(
            visaRequests.registrationId,
            regs.map((r) => r.id),
          ),
        )
      : 0;
    return {
      registrations: regs.length,
      visa_requests: visas,
      photo: await db.$count(personPhotos, eq(personPhotos.personId, personId)),
    };
  },
  async conflicts(db, pair, locale) {
    const out = [];
    const found = await clashes(db, pair);
    if (found.length) {
      const names = new Map(
        (
          await db
            .select({ id: events.id, name: events.name })
            .from(events)
            .where(
              inArray(
                events.id,
                found.map((c) => c.keep.eventId),
              ),
            )
        ).map((e) => [e.id, text(e.name, locale)]),
      );
      for (const c of found)
        out.push({
          key: 'registration_withdrawn',
          text: translate(locale, 'merge.conflict.registration', {
            event: names.get(c.keep.eventId) ?? '',
            kept: translate(locale, `registration.state.${c.keep.state}`),
            withdrawn: translate(locale, `registration.state.${c.drop.state}`),
            whose: c.keep.personId === pair.into ? 'into' : 'from',
          }),
        });
    }
    if (await photoClash(db, pair)) out.push({ key: 'photo_dropped', text: translate(locale, 'merge.conflict.photo') });
    return out;
  },
  async merge(tx, pair) {
    for (const c of await clashes(tx, pair))
      await tx
        .update(registrations)
        .set({ state: 'withdrawn', reason: pair.note, updatedAt: pair.now })
        .where(eq(registrations.id, c.drop.id));
    await tx
      .update(registrations)
      .set({ personId: pair.into, updatedAt: pair.now })
      .where(eq(registrations.personId, pair.from));
    // Who registered: what the duplicate registered (themselves, or a VIP as a focal point) the person kept did.
    await tx.update(registrations).set({ registeredBy: pair.into }).where(eq(registrations.registeredBy, pair.from));
    if (await photoClash(tx, pair)) await tx.delete(personPhotos).where(eq(personPhotos.personId, pair.from));
    else await tx.update(personPhotos).set({ personId: pair.into }).where(eq(personPhotos.personId, pair.from));
  },
};
