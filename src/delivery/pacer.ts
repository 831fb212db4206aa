export interface Pacing {
  /** Posts allowed at once after a quiet period. */
  readonly burst: number;
  /** One more post allowed every this many milliseconds. */
  readonly intervalMs: number;
}

/** A token bucket per destination: when a post may go, or how long to wait for it. */
export const createPacer = (pacing: Pacing, now: () => number = Date.now) => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes a slot and returns 0, or returns the milliseconds until a slot frees (taking nothing). */
    take(key: string): number {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: pacing.burst, at: t };
      const tokens = Math.min(pacing.burst, bucket.tokens + (t - bucket.at) / pacing.intervalMs);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: t });
        return 0;
      }
      buckets.set(key, { tokens, at: t });
      return Math.ceil((1 - tokens) * pacing.intervalMs);
    },
  };
};
