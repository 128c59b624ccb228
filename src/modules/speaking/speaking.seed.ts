/**
 * The deadline CL-26/17 sets for speaking requests at the High-Level Track: 1 May 2026, 23:59:59 Geneva time.
 * Inserted once; the secretariat changes it afterwards. Its reminders are scheduled when the worker starts
 * (`scheduleAllReminders`), so the seeded deadline has them without anyone saving it.
 */
import type { DbOrTx } from '../../db/client.js';
import { speakingSettings } from './speaking.schema.js';
import { DEFAULT_DEADLINE, DEFAULT_TIME_LIMIT } from './speaking.rules.js';

export const SPEAKING_EVENTS = ['wsis-high-level-track-2026'];

export async function seedSpeaking(tx: DbOrTx, eventIds: Map<string, number>, now: Date): Promise<number> {
  let n = 0;
  for (const slug of SPEAKING_EVENTS) {
    const eventId = eventIds.get(slug);
    if (eventId == null) continue;
    const rows = await tx
      .insert(speakingSettings)
      .values({ eventId, deadline: DEFAULT_DEADLINE, defaultTimeLimit: DEFAULT_TIME_LIMIT, updatedAt: now })
      .onConflictDoNothing()
      .returning();
    n += rows.length;
  }
  return n;
}
