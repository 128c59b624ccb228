/**
 * The audit log in words. Each module says how its own actions read (`contributes.auditWording` in its descriptor):
 * the catalogue key of the sentence for each action, and how the ids of the subjects it owns read in the reader's
 * language (names through the name composer, entities by their UN name). The audit page composes the sentence
 * from these; an action no module words reads as a generic sentence.
 */
import type { DbOrTx } from '../db/client.js';
import type { Locale } from './i18n/locales.js';

/** ICU arguments of a sentence, already in the reader's language (`subject` at least). */
export type AuditParams = Record<string, string>;

export type AuditWording = {
  /** The catalogue key of the sentence of each action; it takes `{actor}` and its subject's arguments. */
  sentences: Record<string, string>;
  /** How the subjects of each type this module owns read: id → the sentence's arguments. */
  subjects?: Record<string, (db: DbOrTx, ids: string[], locale: Locale) => Promise<Map<string, AuditParams>>>;
  /** The ids of the subjects of each type that concern one person (the log's "about a person" filter). */
  ofPerson?: Record<string, (db: DbOrTx, personId: string) => Promise<string[]>>;
};

declare module './module.js' {
  interface ContributionSlots {
    /** How the module's audit actions read in words. */
    auditWording: AuditWording;
  }
}
