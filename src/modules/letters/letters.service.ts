/** Circular letters. Distribution and per-Member-State response tracking come with their own issue. */
import { desc } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.js';
import { letters } from './letters.schema.js';

export type Letter = typeof letters.$inferSelect;

/** The most recent circular letter (CL-26/17 for the 2026 summit), if any. */
export async function getCurrentLetter(ctx: Ctx): Promise<Letter | undefined> {
  const [row] = await ctx.db.select().from(letters).orderBy(desc(letters.sentOn)).limit(1);
  return row;
}
