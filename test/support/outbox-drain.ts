import { PLATFORMS } from '../../src/domain/report.ts';
import type { OutboxMessage, Store } from '../../src/ports/store.ts';

/** Later than any clock the tests use, so every pending message is due. */
export const FAR_FUTURE = new Date('2100-01-01T00:00:00Z');

const DRAIN_WORKER = 'test-drain';

/**
 * Delivers every pending message the way a worker would (oldest first per destination and report)
 * and returns them in the order they were written. Afterwards nothing is pending.
 */
export const drainOutbox = async (store: Store): Promise<OutboxMessage[]> => {
  const delivered: OutboxMessage[] = [];
  for (;;) {
    const batch = await store.outbox.claimDue({
      workerId: DRAIN_WORKER,
      now: FAR_FUTURE,
      leaseMs: 60_000,
      limit: 100,
      platforms: PLATFORMS,
    });
    if (batch.length === 0) return delivered.sort((a, b) => a.id - b.id);
    for (const message of batch) {
      await store.outbox.markDelivered(message.id, DRAIN_WORKER, FAR_FUTURE);
      delivered.push(message);
    }
  }
};

/** The platform, destination and payload type of each message: what an assertion usually needs. */
export const summarize = (messages: readonly OutboxMessage[]) =>
  messages.map((m) => `${m.platform} ${m.destination} ${m.payload.type}`);
