import { z } from 'zod';
import { line } from '../accounts/accounts.input.js';
import { slug } from '../programme/programme.input.js';

export const VIP_CATEGORIES = ['VVIP', 'UN', 'MIN', 'DMIN', 'REG', 'AMB'] as const;

export const SubmitInput = z.object({
  events: z.array(slug).min(1).max(6),
  mode: z.enum(['in_person', 'remote']),
  stakeholderType: line(60).default(''),
  function: line(100).default(''),
  vipCategory: z.enum(VIP_CATEGORIES).optional(),
});
export type SubmitInput = z.infer<typeof SubmitInput>;

export const DecisionInput = z.object({
  decision: z.enum(['approve', 'reject']),
  reason: line(500).optional(),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

export const SettingsInput = z.object({
  opensAt: z.iso.datetime({ offset: true }).nullable().optional(),
  closesAt: z.iso.datetime({ offset: true }).nullable().optional(),
  capacity: z.number().int().min(0).nullable().optional(),
  secretariatCategories: z.array(z.enum(VIP_CATEGORIES)).optional(),
});
export type SettingsInput = z.infer<typeof SettingsInput>;
