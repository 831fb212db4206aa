import postgres from 'postgres';
import type { OutboxPayload } from '../../../../src/views/outbox-payload.ts';

export interface OutboxRow {
  readonly id: number;
  readonly platform: string;
  readonly destination: string;
  readonly reportId: string | null;
  readonly payload: OutboxPayload;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly claimedBy: string | null;
  readonly leaseUntil: Date | null;
  readonly nextAttemptAt: Date;
}

/** Direct SQL on a test database, for what the store's port does not expose (every row, claims). */
export const outboxTable = (url: string) => {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const all = async (): Promise<OutboxRow[]> => {
    const rows = await sql`
      select id, platform, destination, report_id, payload, state, attempts, last_error, claimed_by,
        lease_until, next_attempt_at
      from outbox order by id`;
    return rows.map((r) => ({
      id: Number(r.id),
      platform: r.platform,
      destination: r.destination,
      reportId: r.report_id,
      payload: r.payload,
      state: r.state,
      attempts: r.attempts,
      lastError: r.last_error,
      claimedBy: r.claimed_by,
      leaseUntil: r.lease_until,
      nextAttemptAt: r.next_attempt_at,
    }));
  };
  return {
    sql,
    all,
    /** Rows not yet delivered (pending or failed). */
    async undelivered(): Promise<number> {
      const [row] = await sql`select count(*)::int as n from outbox where state <> 'delivered'`;
      return row?.n ?? 0;
    },
    async countByState(): Promise<Record<string, number>> {
      const rows = await sql`select state, count(*)::int as n from outbox group by state`;
      return Object.fromEntries(rows.map((r) => [r.state, r.n]));
    },
    close: () => sql.end({ timeout: 5 }),
  };
};

export type OutboxTable = ReturnType<typeof outboxTable>;
