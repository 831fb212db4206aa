import type { ScheduleRepository } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { digestClaims, reminders } from '../schema.ts';

export const createScheduleRepository = ({ db }: { db: Database }): ScheduleRepository => ({
  async claimDigest(destination, day, claimedBy, at) {
    const rows = await db
      .insert(digestClaims)
      .values({ destination, day, claimedBy, claimedAt: at })
      .onConflictDoNothing()
      .returning({ day: digestClaims.day });
    return rows.length === 1;
  },

  async claimReminder(reportId, kind, at) {
    const rows = await db
      .insert(reminders)
      .values({ reportId, kind, sentAt: at })
      .onConflictDoNothing()
      .returning({ kind: reminders.kind });
    return rows.length === 1;
  },
});
