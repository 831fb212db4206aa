import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, type TestStore } from '../support/databases.ts';

const T0 = new Date('2026-11-26T09:00:00Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);

describe.each(STORE_KINDS)('outbox retention on %s', (_kind, open) => {
  let db: TestStore;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
  });

  const note = (text: string) => ({
    platform: 'slack' as const,
    destination: 'triage',
    reportId: 'VULN-0001',
    payload: { type: 'thread_note' as const, text },
    createdAt: T0,
  });

  it('drops the text of messages delivered before the cutoff and keeps pending ones whole', async () => {
    await db.store.outbox.enqueue(note('old secret discussion'));
    await db.store.outbox.enqueue(note('still waiting'));
    const [first] = await db.store.outbox.claimDue({
      workerId: 'w',
      now: T0,
      leaseMs: 60_000,
      limit: 1,
      platforms: ['slack'],
    });
    await db.store.outbox.markDelivered(first?.id ?? 0, 'w', T0);

    expect(await db.store.outbox.purgeDelivered(days(7))).toBe(1);
    expect(await db.store.outbox.purgeDelivered(days(8))).toBe(0);

    const [pending] = await db.store.outbox.claimDue({
      workerId: 'w',
      now: days(8),
      leaseMs: 60_000,
      limit: 5,
      platforms: ['slack'],
    });
    expect(pending?.payload).toEqual({ type: 'thread_note', text: 'still waiting' });
  });

  it('keeps text delivered after the cutoff', async () => {
    await db.store.outbox.enqueue(note('recent'));
    const [first] = await db.store.outbox.claimDue({
      workerId: 'w',
      now: T0,
      leaseMs: 60_000,
      limit: 1,
      platforms: ['slack'],
    });
    await db.store.outbox.markDelivered(first?.id ?? 0, 'w', days(3));
    expect(await db.store.outbox.purgeDelivered(days(2))).toBe(0);
  });
});
