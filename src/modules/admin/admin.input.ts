import { z } from 'zod';
import { isoDate } from '../programme/index.js';

const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const AuditQuery = z.object({
  person: opt(z.string().max(80)),
  entity: opt(z.string().regex(/^\d{1,9}$/)),
  action: opt(z.string().regex(/^[a-z_.]{1,80}$/)),
  from: opt(isoDate),
  to: opt(isoDate),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
