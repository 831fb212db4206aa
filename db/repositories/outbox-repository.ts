import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gt, lt, min, sql } from 'drizzle-orm';
import type { Platform } from '../../src/domain/report.ts';
import type {
  NewOutboxMessage,
  OutboxMessage,
  OutboxRepository,
  OutboxState,
} from '../../src/ports/store.ts';
import type { OutboxPayload } from '../../src/views/outbox-payload.ts';
import type { Database } from '../client.ts';
import { outbox } from '../schema.ts';
import { jsonRows, runPrepared } from './json-rows.ts';
import { CLAIM_DUE } from './outbox-claim.ts';
import { idArray, instantArray, textArray } from './pg-arrays.ts';

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

const MARK_DELIVERED_MANY = `
  update outbox set state = 'delivered', delivered_at = $3::timestamptz,
    claimed_by = null, lease_until = null, last_error = null
  where id = any($1::bigint[]) and claimed_by = $2::text`;

const DEFER_MANY = `
  update outbox set next_attempt_at = d.until, claimed_by = null, lease_until = null,
    attempts = greatest(outbox.attempts - 1, 0)
  from unnest($1::bigint[], $2::timestamptz[]) as d(id, until)
  where outbox.id = d.id and outbox.claimed_by = $3::text`;

/** A row as a raw query returns it (snake_case columns). */
const fromRaw = (raw: Record<string, unknown>): OutboxMessage =>
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
  } as Row);

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

/** The columns a new message is given (see outboxRow). */
export const OUTBOX_COLUMNS =
  'platform, destination, report_id, ordering_key, payload, created_at, next_attempt_at';

/** A new message as one JSON object keyed by column name (see OUTBOX_COLUMNS). */
export const outboxRow = (message: NewOutboxMessage): Record<string, unknown> => ({
  platform: message.platform,
  destination: message.destination,
  report_id: message.reportId,
  ordering_key: orderingKey(message.platform, message.destination, message.reportId, message.payload),
  payload: message.payload,
  created_at: message.createdAt.toISOString(),
  next_attempt_at: message.createdAt.toISOString(),
});

const ENQUEUE_MESSAGES = `
  insert into outbox (${OUTBOX_COLUMNS})
  select ${OUTBOX_COLUMNS} from jsonb_populate_recordset(null::outbox, $1::text::jsonb) with ordinality as m
  order by m.ordinality`;

/** Inserts messages in one statement, in order (ids follow the array). */
const enqueueAll = async (db: Database, messages: readonly NewOutboxMessage[]): Promise<void> => {
  if (messages.length === 0) return;
  await runPrepared(db, 'vulndesk_enqueue_outbox', ENQUEUE_MESSAGES, [jsonRows(messages.map(outboxRow))]);
};

export const createOutboxRepository = ({ db }: { db: Database }): OutboxRepository => ({
  async enqueue(message) {
    await enqueueAll(db, [message]);
  },

  async enqueueMany(messages) {
    await enqueueAll(db, messages);
  },

  async claimDue({ workerId, now, leaseMs, limit, platforms }) {
    if (platforms.length === 0) return [];
    const at = now.toISOString();
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    const rows = await runPrepared<Record<string, unknown>>(db, 'vulndesk_claim_due', CLAIM_DUE, [
      workerId,
      at,
      leaseUntil,
      limit,
      textArray(platforms),
    ]);
    return rows.map(fromRaw).sort((a, b) => a.id - b.id);
  },

  async followingNotes(head, limit) {
    const rows = await db
      .select()
      .from(outbox)
      .where(
        and(
          sql`${outbox.orderingKey} = (select ordering_key from outbox where id = ${head.id})`,
          gt(outbox.id, head.id),
          sql`${outbox.state} <> 'delivered'`,
        ),
      )
      .orderBy(asc(outbox.orderingKey), asc(outbox.id))
      .limit(limit);
    const notes: OutboxMessage[] = [];
    for (const row of rows) {
      if (row.state !== 'pending' || row.claimedBy !== null) break;
      if ((row.payload as OutboxPayload).type !== 'thread_note') break;
      notes.push(toMessage(row));
    }
    return notes;
  },

  async markDeliveredMany(ids, workerId, at) {
    if (ids.length === 0) return;
    await runPrepared(db, 'vulndesk_outbox_delivered_many', MARK_DELIVERED_MANY, [
      idArray(ids),
      workerId,
      at.toISOString(),
    ]);
  },

  async deferMany(deferrals, workerId) {
    if (deferrals.length === 0) return;
    await runPrepared(db, 'vulndesk_outbox_defer_many', DEFER_MANY, [
      idArray(deferrals.map((d) => d.id)),
      instantArray(deferrals.map((d) => d.until)),
      workerId,
    ]);
  },

  async markDeliveredWith(id, workerId, at, followers) {
    // The followers cannot be claimed while the head is undelivered; they are marked only if the head
    // is still this worker's, in the same statement.
    await db.execute(sql`
      with head as (
        update outbox set state = 'delivered', delivered_at = ${at.toISOString()}::timestamptz,
          claimed_by = null, lease_until = null, last_error = null
        where id = ${id} and claimed_by = ${workerId}
        returning ordering_key
      )
      update outbox set state = 'delivered', delivered_at = ${at.toISOString()}::timestamptz,
        last_error = null, next_attempt_at = ${at.toISOString()}::timestamptz
      from head
      where outbox.id = any(${idArray(followers)}::bigint[]) and outbox.ordering_key = head.ordering_key
        and outbox.state = 'pending' and outbox.claimed_by is null`);
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

  async bringForward(ids, at) {
    if (ids.length === 0) return;
    // The rows and everything waiting behind them in their ordering keys, unless claimed meanwhile.
    await db.execute(sql`
      update outbox set next_attempt_at = ${at.toISOString()}::timestamptz
      where state = 'pending' and claimed_by is null and next_attempt_at > ${at.toISOString()}::timestamptz
        and ordering_key in (
          select ordering_key from outbox where id = any(${idArray(ids)}::bigint[])
        )`);
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
