import type { Platform } from '../domain/report.ts';
import type { ChatDelivery } from '../ports/chat-delivery.ts';
import type { OutboxMessage } from '../ports/store.ts';
import { createPacer, type Pacer } from './pacer.ts';

/**
 * The post slots this worker booked. A message that must wait is deferred to its own slot once; when it
 * comes due the booking is used instead of taking another slot. The pacer lives in this process only, so
 * a stopping worker hands its future bookings back (`futureIds`): another replica may then send them at
 * once, at its own pace, instead of waiting for slots that nobody keeps any more.
 */
export interface SlotBook {
  /** Milliseconds this post must wait for its slot (0: send now). */
  waitFor(message: OutboxMessage): number;
  isPaced(platform: Platform): boolean;
  /** Booked slots still ahead. */
  futureIds(): number[];
  /** When the earliest booked slot still ahead comes, if any. */
  nextSlotAt(): number | null;
}

export const createSlotBook = (deliveries: readonly ChatDelivery[], now: () => number): SlotBook => {
  const pacers = new Map<Platform, Pacer>();
  for (const d of deliveries) if (d.pacing) pacers.set(d.platform, createPacer(d.pacing, now));
  const booked = new Map<number, number>();

  /** Bookings of messages another worker sent are never used: forget them once well past. */
  const forgetPast = (t: number) => {
    for (const [id, slot] of booked) if (slot < t - 60_000) booked.delete(id);
  };

  return {
    waitFor(message) {
      const pacer = pacers.get(message.platform);
      if (!pacer) return 0;
      const t = now();
      const slot = booked.get(message.id);
      if (slot !== undefined) {
        if (slot > t) return slot - t;
        booked.delete(message.id);
        return 0;
      }
      const wait = pacer.reserve(`${message.platform}|${message.destination}`);
      if (wait > 0) {
        booked.set(message.id, t + wait);
        if (booked.size % 1000 === 0) forgetPast(t);
      }
      return wait;
    },
    isPaced: (platform) => pacers.has(platform),
    futureIds() {
      const t = now();
      return [...booked].filter(([, slot]) => slot > t).map(([id]) => id);
    },
    nextSlotAt() {
      const t = now();
      let next: number | null = null;
      for (const slot of booked.values()) if (slot > t && (next === null || slot < next)) next = slot;
      return next;
    },
  };
};
