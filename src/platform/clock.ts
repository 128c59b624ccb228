/** The one source of time. Domain code reads `ctx.now`, never `new Date()`. */
export type Clock = {
  now(): Date;
  /** Set when the app runs as of another date (rehearsals): shown in a banner. */
  readonly rehearsal: boolean;
};

export const systemClock: Clock = { now: () => new Date(), rehearsal: false };

/** Starts at `at` and moves forward with real time: a rehearsal as of another date. */
export function rehearsalClock(at: Date, real: Clock = systemClock): Clock {
  const offset = at.getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offset), rehearsal: true };
}

/** A clock that only moves when told to: for tests. */
export function manualClock(at: Date): Clock & { set(d: Date): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    rehearsal: false,
    now: () => new Date(current),
    set(d) {
      current = new Date(d);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}
