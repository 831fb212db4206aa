/** Interaction tokens live 15 minutes; a repeat after that could not be answered anyway. */
const DEFAULT_TTL_MS = 15 * 60_000;
const DEFAULT_MAX = 50_000;

/**
 * Remembers interaction IDs so a redelivered interaction (gateway resume, a replayed HTTP request) is
 * handled once. Per process: across replicas, report submissions rely on the submission key instead.
 */
export const createSeenInteractions = (
  now: () => number = Date.now,
  ttlMs = DEFAULT_TTL_MS,
  max = DEFAULT_MAX,
) => {
  const seen = new Map<string, number>();
  const evict = (at: number) => {
    for (const [id, when] of seen) {
      if (at - when < ttlMs && seen.size <= max) break;
      seen.delete(id);
    }
  };
  return {
    /** True the first time an ID is offered (within the TTL). */
    firstTime(id: string): boolean {
      const at = now();
      evict(at);
      if (seen.has(id)) return false;
      seen.set(id, at);
      return true;
    },
  };
};
