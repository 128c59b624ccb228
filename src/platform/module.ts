/**
 * What a module is to the rest of the system: one descriptor, exported from its `index.ts` and listed once in
 * `src/modules/index.ts`. The app, the seed loader, the job worker and the personal-data hooks read that list; no
 * other file names a module to wire it in.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Db, DbOrTx } from '../db/client.js';
import type { Clock } from './clock.js';
import type { DomainEventListener, DomainEventType } from './domain-events.js';
import type { JobHandler, JobHandlers } from './jobs.js';
import type { SeedFile } from './seed-file.js';
import type { NavLink } from './ui/nav.js';

export type { AuditParams, AuditWording } from './audit-words.js';

/** What a module is given when it is wired into the running app. */
export type ModuleEnv = {
  config: Config;
  db: Db;
  clock: Clock;
  /** Served over https (cookies marked Secure). */
  secure: boolean;
  /** The mail job's handler (SMTP or the .eml outbox), for modules whose jobs send a message themselves. */
  sendMail: JobHandler;
  /** Every module's contributions to one slot, in the order of the list. */
  contributions<K extends keyof ContributionSlots>(slot: K): ContributionSlots[K][];
};

/** The summit seed being loaded: each module reads its part and may leave ids for the modules after it. */
export type SeedRun = {
  seed: SeedFile;
  now: Date;
  /** Ids by slug that the events module leaves for the others. */
  eventIds: Map<string, number>;
  roomIds: Map<string, number>;
  venueId?: number;
};

export type PersonalData = {
  /** Sections of the person's data export (name → rows), each plain JSON, without credentials. */
  export?: Record<string, (db: DbOrTx, personId: string) => Promise<unknown>>;
  /** Erases what the module holds about a person, in the erasure's transaction. */
  erase?: (tx: DbOrTx, personId: string, now: Date) => Promise<void>;
  /** Keeps what the module derives from a profile in step, in the change's transaction. */
  profileChanged?: (tx: DbOrTx, person: { id: string }) => Promise<void>;
};

/**
 * Slots a module offers to others (the event page's blocks, the letters tracker's columns, report sections).
 * A host module declares its slot by augmenting this interface; a contributing module names it in `contributes`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in the host modules
export interface ContributionSlots {}

export type ModuleDescriptor = {
  /** The folder's name under src/modules. */
  name: string;
  /** Loads this module's part of the summit seed, idempotently; returns the rows it added. */
  seed?: (tx: DbOrTx, run: SeedRun) => Promise<number>;
  /** Registers the module's pages and API routes (each an encapsulated plugin). */
  routes?: (app: FastifyInstance, env: ModuleEnv) => Promise<void>;
  /** Handlers of the background jobs this module enqueues, by job name. */
  jobs?: (env: ModuleEnv) => JobHandlers;
  /** Runs once when the app is ready and the worker starts (idempotent catch-up work). */
  onWorkerStart?: (env: ModuleEnv) => Promise<void>;
  /** Runs on each pass of the worker, about once a second (cheap upkeep: folding the report counters' changes). */
  onWorkerTick?: (env: ModuleEnv) => Promise<void>;
  /** OpenAPI tags of the module's operations. */
  apiTags?: string[];
  /** Links in the header, each shown to the people whose permissions allow it. */
  nav?: NavLink[];
  personalData?: PersonalData;
  /** The domain events this module publishes (`publishEvent`): its part of the webhooks catalogue. */
  events?: DomainEventType[];
  /** Receives every published event inside the publishing transaction (the webhooks outbox). */
  onEvent?: DomainEventListener;
  contributes?: { [K in keyof ContributionSlots]?: ContributionSlots[K] };
};

/** Every module's contributions to one slot, in list order. */
export function collectContributions<K extends keyof ContributionSlots>(
  modules: readonly ModuleDescriptor[],
  slot: K,
): ContributionSlots[K][] {
  return modules.flatMap((m) => {
    const c = m.contributes?.[slot];
    return c === undefined ? [] : [c as ContributionSlots[K]];
  });
}
