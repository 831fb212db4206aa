import { describe, expect, it } from 'vitest';
import { createSlotBook } from '../../../src/delivery/slot-book.ts';
import type { ChatDelivery } from '../../../src/ports/chat-delivery.ts';
import type { OutboxMessage } from '../../../src/ports/store.ts';

const paced: ChatDelivery = {
  platform: 'slack',
  pacing: { burst: 1, intervalMs: 1000 },
  deliver: async () => ({ status: 'delivered' }),
};
const unpaced: ChatDelivery = { platform: 'console', deliver: async () => ({ status: 'delivered' }) };

const note = (id: number, platform: OutboxMessage['platform'] = 'slack'): OutboxMessage => ({
  id,
  platform,
  destination: 'triage',
  reportId: 'VULN-0001',
  payload: { type: 'thread_note', text: `note ${id}` },
  state: 'pending',
  attempts: 1,
  lastError: null,
  createdAt: new Date(0),
  nextAttemptAt: new Date(0),
});

describe('the slots a worker books', () => {
  const setup = () => {
    let t = 50_000;
    const book = createSlotBook([paced, unpaced], () => t);
    return { book, advance: (ms: number) => (t += ms) };
  };

  it('defers a waiting post once: when its slot comes it goes without taking another slot', () => {
    const { book, advance } = setup();
    expect(book.waitFor(note(1))).toBe(0);
    expect(book.waitFor(note(2))).toBe(1000);
    expect(book.waitFor(note(3))).toBe(2000);
    advance(1000);
    // Message 2 comes back at its slot: it goes now, and message 3 keeps its own slot.
    expect(book.waitFor(note(2))).toBe(0);
    expect(book.waitFor(note(3))).toBe(1000);
    // A new message queues after every booked slot.
    expect(book.waitFor(note(4))).toBe(2000);
  });

  it('a message claimed again before its slot (given back early) keeps its slot instead of booking another', () => {
    const { book, advance } = setup();
    book.waitFor(note(1));
    expect(book.waitFor(note(2))).toBe(1000);
    advance(300);
    expect(book.waitFor(note(2))).toBe(700);
    expect(book.waitFor(note(5))).toBe(1700);
  });

  it('lists the bookings still ahead, which a stopping worker gives back', () => {
    const { book, advance } = setup();
    book.waitFor(note(1));
    book.waitFor(note(2));
    book.waitFor(note(3));
    expect(book.futureIds().sort()).toEqual([2, 3]);
    expect(book.nextSlotAt()).toBe(51_000);
    advance(1500);
    expect(book.futureIds()).toEqual([3]);
  });

  it('never holds back a platform without pacing', () => {
    const { book } = setup();
    for (let id = 1; id <= 5; id += 1) expect(book.waitFor(note(id, 'console'))).toBe(0);
    expect(book.isPaced('console')).toBe(false);
    expect(book.isPaced('slack')).toBe(true);
  });
});
