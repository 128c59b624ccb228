import { z } from 'zod';
import { FIGURE_KEYS } from './reports.figures.js';
import { CHARTS } from './reports.present.js';

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const day = z.preprocess(
  blankToUndefined,
  z
    .string()
    .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)), { params: { key: 'date' } })
    .optional(),
);

/** The dashboard's filters: an event (with its parts) and the days registrations were submitted (Geneva). */
export const FilterQuery = z.object({
  event: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/)
      .optional(),
  ),
  from: day,
  to: day,
});
export type FilterQuery = z.infer<typeof FilterQuery>;

export const FigureParam = z.object({ figure: z.enum(FIGURE_KEYS) });
export const ChartParam = z.object({ chart: z.enum(CHARTS) });
export const DataFormat = z.object({ format: z.enum(['csv', 'xlsx']).default('csv') });
export const ChartFormat = z.object({ format: z.enum(['svg', 'png']).default('svg') });
