/**
 * Audiences of messages beyond the entities' focal points and contacts, offered by the modules that own the people:
 * the approved participants of an event (registration), the speakers of a session (programme). Each owning module
 * contributes a source to the `messageAudience` slot; the letters module never reads their tables itself. A source
 * says what the secretariat chooses (an event from a list, a session by its code, an optional narrowing such as
 * "in person") and resolves the choice into people, each with their address and language.
 */
import type { DbOrTx } from '../../db/client.js';
import type { Locale } from '../../platform/i18n/locales.js';

/** One person a message goes to: their address, name, preferred language and organization (when they have one). */
export type AudienceMember = { email: string; name: string; locale: string; entityId: number | null };

export type AudienceChoice = {
  /** What was chosen: an event's id, a session's code. */
  target: string;
  /** An optional narrowing offered by the source (e.g. `in_person`, `remote`). */
  variant?: string;
  /** The reader's language, for the title of what was chosen. */
  locale: Locale;
};

export type AudienceSource = {
  /** Stable key, kept with each message (`event_participants`, `session_speakers`). */
  key: string;
  /** "Approved participants of an event", in the reader's language. */
  label: (locale: Locale) => string;
  /** What the secretariat chooses: from a list (`options`), or typed (a code, with a hint). */
  target: {
    label: (locale: Locale) => string;
    hint?: (locale: Locale) => string;
    options?: (db: DbOrTx, locale: Locale) => Promise<[string, string][]>;
  };
  /** An optional narrowing (the empty choice means everyone). */
  variants?: { label: (locale: Locale) => string; options: (locale: Locale) => [string, string][] };
  /**
   * The people chosen, in a stable order (several rows for one address are fine: the first counts), with the title of
   * what was chosen and how many people have no address; `undefined` when the target does not exist.
   */
  resolve: (
    db: DbOrTx,
    choice: AudienceChoice,
  ) => Promise<{ members: AudienceMember[]; unreachable: number; title: string } | undefined>;
};

declare module '../../platform/module.js' {
  interface ContributionSlots {
    /** An audience of the secretariat's messages (the registration module's participants, the programme's speakers). */
    messageAudience: AudienceSource;
  }
}

const sources = new Map<string, AudienceSource>();

/** Registers a source (once per key; a later one with the same key replaces it). */
export function registerAudienceSource(s: AudienceSource): void {
  sources.set(s.key, s);
}

export const audienceSources = (): AudienceSource[] => [...sources.values()];
export const audienceSource = (key: string): AudienceSource | undefined => sources.get(key);
