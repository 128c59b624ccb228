/** What an administrator may set on a subscription: the same schema for the API and the page's form. */
import { z } from 'zod';
import { eventCatalogue } from '../../platform/domain-events.js';

/** https, or plain http to this machine (a receiver beside the app, as in development and tests). */
export function isAcceptableUrl(s: string): boolean {
  try {
    const u = new URL(s);
    if (u.username || u.password) return false;
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(u.hostname);
  } catch {
    return false;
  }
}

const Url = z
  .string()
  .trim()
  .max(2000)
  .refine(isAcceptableUrl, { params: { code: 'webhook_url_invalid' } });

const EventTypes = z
  .array(z.string().max(100))
  .min(1)
  .max(100)
  .refine((list) => list.every((t) => eventCatalogue().some((c) => c.type === t)), {
    params: { code: 'webhook_event_unknown' },
  });

export const SubscriptionInput = z.strictObject({
  url: Url,
  description: z.string().trim().max(200).optional(),
  eventTypes: EventTypes,
});
export type SubscriptionInput = z.infer<typeof SubscriptionInput>;

export const SubscriptionPatch = z.strictObject({
  url: Url.optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: EventTypes.optional(),
  active: z.boolean().optional(),
});
export type SubscriptionPatch = z.infer<typeof SubscriptionPatch>;

/** The page's form: one checkbox per event type (a single box arrives as a string). */
export const SubscriptionForm = z.object({
  url: Url,
  description: z.string().trim().max(200).optional(),
  eventTypes: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), EventTypes),
});
