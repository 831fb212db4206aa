import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewOutboxMessage, Store } from '../../src/ports/store.ts';
import { STORE_KINDS, type TestStore } from '../support/databases.ts';
import { withFastReset } from '../support/fast-reset.ts';

const T0 = new Date('2026-11-26T09:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE_MS = 30_000;

const note = (text: string, reportId = 'VULN-0001', createdAt = T0): NewOutboxMessage => ({
  platform: 'slack',
  destination: 'triage',
  reportId,
  payload: { type: 'thread_note', text },
  createdAt,
});
const edit = (reportId: string, createdAt = T0): NewOutboxMessage => ({
  platform: 'slack',
  destination: 'triage',
  reportId,
  payload: { type: 'triage_card' },
  createdAt,
});

describe.each(STORE_KINDS)('claiming paced messages on %s', (_kind, openStore) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = withFastReset(await openStore());
    store = testStore.store;
  });
  beforeEach(async () => {
    await testStore.reset();
  });
  afterAll(async () => {
    await testStore?.close();
  });

  const claim = (workerId: string, now: Date) =>
    store.outbox.claimDue({ workerId, now, leaseMs: LEASE_MS, limit: 100, platforms: ['slack'] });

  it('a note waiting for its slot holds back the notes queued after it, and a later claim still finds new edits', async () => {
    await store.outbox.enqueue(note('first'));
    const [head] = await claim('w', at(0));
    if (!head) throw new Error('nothing claimed');
    expect(head.payload).toEqual({ type: 'thread_note', text: 'first' });
    await store.outbox.deferMany([{ id: head.id, until: at(60_000) }], 'w');
    // Queued behind the waiting note: due, but not the head of its order.
    await store.outbox.enqueueMany([note('second', 'VULN-0001', at(10)), note('third', 'VULN-0001', at(20))]);
    await store.outbox.enqueue(edit('VULN-0001', at(30)));

    const claimed = await claim('w', at(100));
    expect(claimed.map((m) => m.payload.type)).toEqual(['triage_card']);
    await store.outbox.markDeliveredMany(
      claimed.map((m) => m.id),
      'w',
      at(150),
    );
    // The followers now wait for their head's time, so later claims do not look at them again.
    expect(await claim('w', at(200))).toEqual([]);
    // At the head's slot the head comes first; its followers only once it is delivered.
    const atSlot = await claim('w', at(60_000));
    expect(atSlot.map((m) => (m.payload.type === 'thread_note' ? m.payload.text : m.payload.type))).toEqual([
      'first',
    ]);
    const followers = await store.outbox.followingNotes(atSlot[0] ?? head, 50);
    expect(followers.map((m) => (m.payload.type === 'thread_note' ? m.payload.text : ''))).toEqual([
      'second',
      'third',
    ]);
    await store.outbox.markDeliveredWith(
      atSlot[0]?.id ?? 0,
      'w',
      at(60_001),
      followers.map((m) => m.id),
    );
    expect((await store.outbox.stats()).pending).toBe(0);
    expect(await claim('other', at(60_002))).toEqual([]);
  });

  it('joined followers are marked delivered only while the head is still claimed by the same worker', async () => {
    await store.outbox.enqueueMany([note('a'), note('b', 'VULN-0001', at(1))]);
    const [head] = await claim('w', at(10));
    if (!head) throw new Error('nothing claimed');
    const followers = await store.outbox.followingNotes(head, 50);
    // The claim was lost (lease over, taken by another worker): nothing is marked.
    await store.outbox.markDeliveredWith(
      head.id,
      'someone-else',
      at(20),
      followers.map((m) => m.id),
    );
    expect((await store.outbox.stats()).pending).toBe(2);
  });

  it('bringing deferred messages forward makes them and their followers due now, but not claimed ones', async () => {
    await store.outbox.enqueueMany([note('x', 'VULN-0001'), note('y', 'VULN-0002')]);
    const claimed = await claim('w', at(0));
    expect(claimed).toHaveLength(2);
    await store.outbox.deferMany(
      claimed.map((m) => ({ id: m.id, until: at(120_000) })),
      'w',
    );
    await store.outbox.enqueue(note('x2', 'VULN-0001', at(5)));
    expect(await claim('w', at(10))).toEqual([]);

    await store.outbox.bringForward(
      claimed.map((m) => m.id),
      at(20),
    );
    const again = await claim('next', at(20));
    expect(again.map((m) => (m.payload.type === 'thread_note' ? m.payload.text : ''))).toEqual(['x', 'y']);
    const [first] = again;
    if (!first) throw new Error('nothing claimed');
    const behind = await store.outbox.followingNotes(first, 50);
    expect(behind.map((m) => m.nextAttemptAt.getTime() <= at(20).getTime())).toEqual([true]);
  });
});
