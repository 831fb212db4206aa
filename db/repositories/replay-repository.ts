import { lt } from 'drizzle-orm';
import type { ReplayRepository } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { seenRequests } from '../schema.ts';

export const createReplayRepository = ({ db }: { db: Database }): ReplayRepository => ({
  async firstSeen(key, at) {
    const rows = await db
      .insert(seenRequests)
      .values({ key, seenAt: at })
      .onConflictDoNothing()
      .returning({ key: seenRequests.key });
    return rows.length === 1;
  },

  async forgetBefore(cutoff) {
    const rows = await db
      .delete(seenRequests)
      .where(lt(seenRequests.seenAt, cutoff))
      .returning({ key: seenRequests.key });
    return rows.length;
  },
});
