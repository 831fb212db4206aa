export interface Pacing {
  /** Posts allowed at once after a quiet period. */
  readonly burst: number;
  /** One more post allowed every this many milliseconds. */
  readonly intervalMs: number;
}

export interface Pacer {
  /**
   * Reserves the next free slot for a post to this destination and returns the milliseconds until it
   * (0: post now). Every call takes a slot, so a post that must wait is given its own time once and
   * is not held back again when that time comes.
   */
  reserve(key: string): number;
}

/**
 * A generic cell rate algorithm per destination: the same rate as a token bucket of `burst` tokens
 * refilled one per interval, but a post that cannot go now books the first slot nobody has booked yet.
 * `theoretical` is when the destination would be idle again if every booked post went on time.
 */
export const createPacer = (pacing: Pacing, now: () => number = Date.now): Pacer => {
  const theoretical = new Map<string, number>();
  const tolerance = (pacing.burst - 1) * pacing.intervalMs;
  return {
    reserve(key) {
      const t = now();
      const idleAt = Math.max(theoretical.get(key) ?? t, t);
      const slot = Math.max(t, idleAt - tolerance);
      theoretical.set(key, idleAt + pacing.intervalMs);
      if (theoretical.size > 10_000) forgetIdle(theoretical, t);
      return slot - t;
    },
  };
};

/** Destinations idle again by now behave exactly like unknown ones, so they need no memory. */
const forgetIdle = (theoretical: Map<string, number>, t: number) => {
  for (const [key, idleAt] of theoretical) if (idleAt <= t) theoretical.delete(key);
};
