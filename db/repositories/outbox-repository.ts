import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, lt, min, sql } from 'drizzle-orm';
import type { Platform } from '../../src/domain/report.ts';
import type { OutboxMessage, OutboxRepository, OutboxState } from '../../src/ports/store.ts';
import type { OutboxPayload } from '../../src/views/outbox-payload.ts';
import { type Database, rowsOf } from '../client.ts';
import { outbox } from '../schema.ts';

type Row = typeof outbox.$inferSelect;

const toMessage = (row: Row): OutboxMessage => ({
  id: Number(row.id),
  platform: row.platform as Platform,
  destination: row.destination,
  reportId: row.reportId,
  payload: row.payload as OutboxPayload,
  state: row.state as OutboxState,
  attempts: row.attempts,
  lastError: row.lastError,
  createdAt: new Date(row.createdAt),
  nextAttemptAt: new Date(row.nextAttemptAt),
});

/**
 * Messages with the same key go one at a time, oldest first. A report's messages share a key per
 * destination, starting with the one that posts its card, so thread notes always follow the card.
 * Later card edits have a key of their own, so an edit never waits behind paced thread notes. Messages
 * about no report (digests, reminders) need no order: one parked digest never holds up the next.
 */
const orderingKey = (
  platform: string,
  destination: string,
  reportId: string | null,
  payload: OutboxPayload,
) => {
  if (reportId === null) return `${platform}|${destination}|${randomUUID()}`;
  const edit = payload.type === 'triage_card' && !payload.create;
  return `${platform}|${destination}|${reportId}${edit ? '|card' : ''}`;
};

export const createOutboxRepository = ({ db }: { db: Database }): OutboxRepository => ({
  async enqueue(message) {
    await db.insert(outbox).values({
      platform: message.platform,
      destination: message.destination,
      reportId: message.reportId,
      orderingKey: orderingKey(message.platform, message.destination, message.reportId, message.payload),
      payload: message.payload,
      createdAt: message.createdAt,
      nextAttemptAt: message.createdAt,
    });
  },

  async claimDue({ workerId, now, leaseMs, limit, platforms }) {
    if (platforms.length === 0) return [];
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const platformList = sql.join(
      platforms.map((p) => sql`${p}`),
      sql`, `,
    );
    const result = await db.execute(sql`
      with heads as (
        select distinct on (ordering_key) id, state, next_attempt_at, claimed_by, lease_until
        from outbox
        where state <> 'delivered' and platform in (${platformList})
        order by ordering_key, id
      ),
      due as (
        select o.id from outbox o join heads h on h.id = o.id
        where h.state = 'pending' and h.next_attempt_at <= ${now.toISOString()}::timestamptz
          and (h.claimed_by is null or h.lease_until < ${now.toISOString()}::timestamptz)
        order by o.id
        limit ${limit}
        for update of o skip locked
      )
      update outbox set claimed_by = ${workerId}, lease_until = ${leaseUntil.toISOString()}::timestamptz,
        attempts = attempts + 1
      from due where outbox.id = due.id
        -- Checked again here: when another worker claimed the row after this statement's snapshot,
        -- PostgreSQL re-evaluates these on the row's latest version, so it is never claimed twice.
        and outbox.state = 'pending' and outbox.next_attempt_at <= ${now.toISOString()}::timestamptz
        and (outbox.claimed_by is null or outbox.lease_until < ${now.toISOString()}::timestamptz)
      returning outbox.*`);
    const rows = rowsOf<Record<string, unknown>>(result);
    return rows
      .map((raw) =>
        toMessage({
          id: Number(raw.id),
          platform: raw.platform,
          destination: raw.destination,
          reportId: raw.report_id,
          orderingKey: raw.ordering_key,
          payload: typeof raw.payload === 'string' ? JSON.parse(raw.payload) : raw.payload,
          state: raw.state,
          attempts: raw.attempts,
          lastError: raw.last_error,
          createdAt: raw.created_at,
          nextAttemptAt: raw.next_attempt_at,
        } as Row),
      )
      .sort((a, b) => a.id - b.id);
  },

  async markDelivered(id, workerId, at) {
    await db
      .update(outbox)
      .set({ state: 'delivered', deliveredAt: at, claimedBy: null, leaseUntil: null, lastError: null })
      .where(and(eq(outbox.id, id), eq(outbox.claimedBy, workerId)));
  },

  async scheduleRetry(id, workerId, nextAttemptAt, error) {
    await db
      .update(outbox)
      .set({ nextAttemptAt, lastError: error, claimedBy: null, leaseUntil: null })
      .where(and(eq(outbox.id, id), eq(outbox.claimedBy, workerId)));
  },

  async park(id, workerId, error) {
    await db
      .update(outbox)
      .set({ state: 'failed', lastError: error, claimedBy: null, leaseUntil: null })
      .where(and(eq(outbox.id, id), eq(outbox.claimedBy, workerId)));
  },

  async defer(id, workerId, until) {
    await db
      .update(outbox)
      .set({
        nextAttemptAt: until,
        claimedBy: null,
        leaseUntil: null,
        attempts: sql`greatest(${outbox.attempts} - 1, 0)`,
      })
      .where(and(eq(outbox.id, id), eq(outbox.claimedBy, workerId)));
  },

  async release(workerId) {
    await db
      .update(outbox)
      .set({ claimedBy: null, leaseUntil: null, attempts: sql`greatest(${outbox.attempts} - 1, 0)` })
      .where(and(eq(outbox.claimedBy, workerId), eq(outbox.state, 'pending')));
  },

  async requeueFailed(at, id) {
    const rows = await db
      .update(outbox)
      .set({ state: 'pending', nextAttemptAt: at, attempts: 0 })
      .where(
        id === undefined ? eq(outbox.state, 'failed') : and(eq(outbox.state, 'failed'), eq(outbox.id, id)),
      )
      .returning({ id: outbox.id });
    return rows.length;
  },

  async purgeDelivered(before) {
    const rows = await db
      .update(outbox)
      .set({ payload: sql`jsonb_build_object('type', ${outbox.payload}->>'type', 'purged', true)` })
      .where(
        and(
          eq(outbox.state, 'delivered'),
          lt(outbox.deliveredAt, before),
          sql`not (${outbox.payload} ? 'purged')`,
        ),
      )
      .returning({ id: outbox.id });
    return rows.length;
  },

  async listFailed(limit) {
    const rows = await db
      .select()
      .from(outbox)
      .where(eq(outbox.state, 'failed'))
      .orderBy(asc(outbox.id))
      .limit(limit);
    return rows.map(toMessage);
  },

  async stats() {
    const rows = await db
      .select({ state: outbox.state, n: count(), oldest: min(outbox.createdAt) })
      .from(outbox)
      .where(sql`${outbox.state} <> 'delivered'`)
      .groupBy(outbox.state);
    const pending = rows.find((r) => r.state === 'pending');
    const failed = rows.find((r) => r.state === 'failed');
    return {
      pending: Number(pending?.n ?? 0),
      failed: Number(failed?.n ?? 0),
      oldestPendingAt: pending?.oldest ? new Date(pending.oldest) : null,
    };
  },
});
