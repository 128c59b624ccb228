/**
 * Entities' part of merging a duplicate person (accounts' `personMerge` slot): the duplicate's seats as a focal point
 * go to the person kept (a seat both hold is one).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { PersonMerge } from '../accounts/index.js';
import { focalPoints } from './entities.schema.js';

export const entitiesMerge: PersonMerge = {
  columns: ['focal_points.person_id'],
  async holdings(db, personId) {
    return { focal_point_seats: await db.$count(focalPoints, eq(focalPoints.personId, personId)) };
  },
  async merge(tx, { from, into }) {
    await tx
      .delete(focalPoints)
      .where(
        and(
          eq(focalPoints.personId, from),
          sql`exists (select 1 from focal_points f where f.person_id = ${into} and f.entity_id = ${focalPoints.entityId})`,
        ),
      );
    await tx.update(focalPoints).set({ personId: into }).where(eq(focalPoints.personId, from));
  },
};
