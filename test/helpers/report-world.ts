/**
 * A small, varied world of participants for the reports' tests: people of several nationalities (LDC, LLDC, SIDS, a
 * non-member, none), registrations in every state and mode across events and days, badges and door scans, speaking
 * requests. Deterministic (a seeded generator), written with plain inserts, then
 * the counters made from the rows (`rebuildTallies`).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../src/db/client.js';
import { people } from '../../src/modules/accounts/accounts.schema.js';
import { badges } from '../../src/modules/badges/badges.schema.js';
import { scans } from '../../src/modules/checkin/checkin.schema.js';
import { rebuildCheckpointTallies } from '../../src/modules/checkin/checkin.service.js';
import { rebuildTallies } from '../../src/modules/reports/reports.tallies.js';
import { entities } from '../../src/modules/entities/entities.schema.js';
import { events } from '../../src/modules/events/events.schema.js';
import { registrations } from '../../src/modules/registration/registration.schema.js';
import { speakingRequests } from '../../src/modules/speaking/speaking.schema.js';

const GENDERS = ['female', 'male', 'another', null] as const;
export const NATIONALITIES = ['CH', 'FR', 'AF', 'NP', 'FJ', 'BD', 'BR', 'JP', 'EG', 'PS', null] as const;
const STATES = [
  'pending_dfp',
  'pending_secretariat',
  'approved',
  'approved',
  'approved',
  'waitlisted',
  'rejected',
  'withdrawn',
] as const;
const FUNCTIONS = ['minister', 'deputy_minister', 'ceo', 'head_of_regulator', 'academia', 'other', ''] as const;
const STAKEHOLDERS = ['government', 'private_sector', 'civil_society', 'academia', ''] as const;
const VIP = [null, null, null, 'MIN', 'VVIP', 'AMB'] as const;
const DAYS = ['2026-04-01', '2026-04-02', '2026-04-05', '2026-04-10'];

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

export type World = { eventIds: Record<string, number>; entityIds: Record<string, number>; personIds: string[] };

export async function buildReportWorld(db: DbOrTx, opts: { people?: number; seed?: number } = {}): Promise<World> {
  const n = opts.people ?? 60;
  const r = rng(opts.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const evs = await db
    .select({ id: events.id, slug: events.slug })
    .from(events)
    .where(inArray(events.slug, ['wsis-forum-2026', 'ai-for-good-2026', 'wsis-high-level-track-2026']));
  const eventIds = Object.fromEntries(evs.map((e) => [e.slug, e.id]));
  const ms = await db
    .select({ id: entities.id, code: entities.code })
    .from(entities)
    .where(and(eq(entities.kind, 'member_state'), isNull(entities.mergedInto)));
  const entityIds = Object.fromEntries(ms.map((e) => [e.code!, e.id]));
  const now = new Date('2026-04-20T08:00:00Z');
  const personIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const nat = pick(NATIONALITIES);
    const [p] = await db
      .insert(people)
      .values({
        email: `world${i}.${randomUUID().slice(0, 6)}@example.org`,
        givenName: `Given${i}`,
        familyName: `Family${i}`,
        nationality: nat,
        // Gender by position (not from the generator, so every other draw stays as it was): all three, and none given.
        gender: GENDERS[i % 4] ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: people.id });
    personIds.push(p.id);
    // Member-State delegates represent their own administration; others an entity of another country or none.
    const entityId = nat && entityIds[nat] && r() < 0.7 ? entityIds[nat] : r() < 0.5 ? entityIds.CH : null;
    const regEvents = Object.values(eventIds).filter(() => r() < 0.6);
    if (!regEvents.length) regEvents.push(eventIds['wsis-forum-2026']);
    for (const eventId of regEvents) {
      const state = pick(STATES);
      const submittedAt = new Date(`${pick(DAYS)}T${String(6 + Math.floor(r() * 14)).padStart(2, '0')}:15:00Z`);
      await db.insert(registrations).values({
        personId: p.id,
        eventId,
        entityId,
        mode: r() < 0.75 ? 'in_person' : 'remote',
        state,
        stakeholderType: pick(STAKEHOLDERS),
        function: pick(FUNCTIONS),
        vipCategory: pick(VIP),
        registeredBy: p.id,
        submittedAt,
        updatedAt: submittedAt,
      });
    }
    if (r() < 0.5) {
      const [b] = await db
        .insert(badges)
        .values({ personId: p.id, token: `CVB1.${randomUUID()}`, category: 'Participant', issuedAt: now })
        .returning({ id: badges.id });
      for (const slug of Object.keys(eventIds)) {
        if (r() < 0.5) continue;
        const at = new Date(`2026-07-0${6 + Math.floor(r() * 3)}T0${7 + Math.floor(r() * 3)}:${10 + (i % 40)}:00Z`);
        await db.insert(scans).values({
          id: randomUUID(),
          badgeId: b.id,
          checkpoint: `event:${slug}`,
          deviceId: 'd1',
          result: 'admitted',
          scannedAt: at,
          receivedAt: at,
          scannedBy: 'test',
        });
      }
    }
  }
  // Speaking requests: one per Member State in the world and kind, various states.
  const kinds = ['policy_statement', 'high_level_session'] as const;
  for (const code of ['CH', 'FR', 'AF', 'NP', 'FJ', 'BD']) {
    for (const kind of kinds) {
      const submittedAt = new Date(`${pick(DAYS)}T10:00:00Z`);
      await db.insert(speakingRequests).values({
        eventId: eventIds['wsis-high-level-track-2026'],
        entityId: entityIds[code],
        kind,
        state: pick(['submitted', 'accepted', 'declined', 'waitlisted', 'withdrawn'] as const),
        givenName: 'Speaker',
        familyName: code,
        rank: 'minister',
        language: 'en',
        submittedBy: 'test',
        submittedAt,
        updatedAt: submittedAt,
      });
    }
  }
  // Written around the services: the counters are made from the rows, as after an import.
  await rebuildTallies(db);
  await rebuildCheckpointTallies(db);
  return { eventIds, entityIds, personIds };
}
