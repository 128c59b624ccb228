/** What letters gives the secretariat's desk (the admin module's `adminFigures` slot): deliveries that failed. */
import { count, inArray } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.js';
import type { AdminFigureGroup } from '../admin/index.js';
import { letterDeliveries } from './letters.schema.js';

/** Letters, reminders and messages whose delivery failed or bounced. */
export async function letterFigures(ctx: Ctx): Promise<AdminFigureGroup[]> {
  const [failing] = await ctx.db
    .select({ n: count() })
    .from(letterDeliveries)
    .where(inArray(letterDeliveries.state, ['failed', 'bounced']));
  return [
    {
      group: 'mail',
      figures: [{ key: 'letters_failing', count: failing.n, href: '/secretariat/letters', permission: 'letters.send' }],
    },
  ];
}
