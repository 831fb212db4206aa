import { lt } from 'drizzle-orm';
import type { ReplayRepository } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { seenRequests } from '../schema.ts';
import { runPrepared } from './json-rows.ts';

const FIRST_SEEN = `
  insert into seen_requests (key, seen_at) values ($1, $2::timestamptz)
  on conflict do nothing returning key`;

export const createReplayRepository = ({ db }: { db: Database }): ReplayRepository => ({
  async firstSeen(key, at) {
    // A fixed statement, prepared once per connection: it runs on every Slack request.
    const rows = await runPrepared(db, 'vulndesk_replay_first_seen', FIRST_SEEN, [key, at.toISOString()]);
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
