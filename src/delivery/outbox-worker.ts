import { randomUUID } from 'node:crypto';
import type { Policy } from '../domain/policy.ts';
import type { Platform } from '../domain/report.ts';
import { errorText } from '../logging/error-text.ts';
import type { ChatDelivery, DeliveryOutcome } from '../ports/chat-delivery.ts';
import type { Logger } from '../ports/logger.ts';
import type { CardRef, OutboxMessage, Store } from '../ports/store.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
import { deliverMessage, isCardEdit, loadContexts, sameMessage } from './deliver-message.ts';
import { DEFAULT_NOTE_CHARS, joinNotes, MAX_JOINED_NOTES } from './note-batch.ts';
import { createSlotBook } from './slot-book.ts';

export interface OutboxWorkerOptions {
  readonly store: Store;
  readonly deliveries: readonly ChatDelivery[];
  readonly policy: Policy;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly workerId?: string;
  readonly pollMs?: number;
  readonly leaseMs?: number;
  readonly batchSize?: number;
  /** Posts sent side by side (each to a different destination or report). */
  readonly concurrency?: number;
  /** Edits of already posted cards sent side by side (each of a different report). */
  readonly editConcurrency?: number;
  readonly backoff?: BackoffPolicy;
  /** How long `stop` waits for the delivery in flight before releasing its claim anyway. */
  readonly stopGraceMs?: number;
}

/**
 * Card edits are idempotent (the card is redrawn from the report), so several may be in flight: a crash
 * can at worst redraw a card twice. Posts go one at a time unless asked, so a crash repeats at most one.
 */
export const DEFAULT_EDIT_CONCURRENCY = 4;

export interface OutboxWorker {
  /** Delivers what is due now; resolves with how many messages were handled. */
  runOnce(): Promise<number>;
  /** Runs until nothing is due (for the console and tests). */
  drain(): Promise<void>;
  start(): void;
  /** Asks a running worker to look at the outbox now instead of at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

interface PassResult {
  readonly sent: number;
  /** The claim was full, so more may be due already. */
  readonly full: boolean;
}

export const createOutboxWorker = (options: OutboxWorkerOptions): OutboxWorker => {
  const { store, policy, logger, now } = options;
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const pollMs = options.pollMs ?? 500;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 20;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const editConcurrency = Math.max(1, options.editConcurrency ?? DEFAULT_EDIT_CONCURRENCY);
  const byPlatform = new Map<Platform, ChatDelivery>(options.deliveries.map((d) => [d.platform, d]));
  const slots = createSlotBook(options.deliveries, () => now().getTime());
  const platforms = [...byPlatform.keys()];
  let running = false;
  let stopping = false;
  let stopped: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<PassResult> | null = null;
  /** A pass started by `wake()` beside the one in flight, so a new message need not wait for it. */
  let extra: Promise<unknown> | null = null;
  /** Posts go one at a time across passes unless `concurrency` allows more. */
  let postTurn: Promise<unknown> = Promise.resolve();
  const inPostTurn = (work: () => Promise<void>): Promise<void> => {
    if (concurrency > 1) return work();
    const turn = postTurn.then(work, work);
    postTurn = turn.catch(() => undefined);
    return turn;
  };

  const settle = async (message: OutboxMessage, outcome: DeliveryOutcome, joined: readonly number[]) => {
    const context = {
      outboxId: message.id,
      platform: message.platform,
      type: message.payload.type,
      reportId: message.reportId,
    };
    if (outcome.status === 'delivered') {
      if (outcome.card) await store.cards.save(outcome.card);
      if (joined.length > 0) await store.outbox.markDeliveredWith(message.id, workerId, now(), joined);
      else await store.outbox.markDelivered(message.id, workerId, now());
      return;
    }
    if (outcome.status === 'failed') {
      logger.warn({ ...context, error: outcome.error }, 'outbox message parked: delivery failed permanently');
      await store.outbox.park(message.id, workerId, outcome.error);
      return;
    }
    const delay = retryDelayMs(message.attempts, backoff, outcome.retryAfterMs);
    logger.info(
      { ...context, error: outcome.error, attempts: message.attempts, retryInMs: Math.round(delay) },
      'outbox delivery will be retried',
    );
    await store.outbox.scheduleRetry(message.id, workerId, new Date(now().getTime() + delay), outcome.error);
  };

  /** Queued thread notes of the same card go in the post of the first one, where posts are paced. */
  const joinQueuedNotes = async (message: OutboxMessage) => {
    if (message.payload.type !== 'thread_note' || !slots.isPaced(message.platform)) {
      return { message, joined: [] as readonly number[] };
    }
    const followers = await store.outbox.followingNotes(message, MAX_JOINED_NOTES);
    const maxChars = byPlatform.get(message.platform)?.noteChars ?? DEFAULT_NOTE_CHARS;
    return joinNotes(message, followers, maxChars);
  };

  const runPass = async (): Promise<PassResult> => {
    if (stopping) return { sent: 0, full: false };
    const claimed = await store.outbox.claimDue({
      workerId,
      now: now(),
      leaseMs,
      limit: batchSize,
      platforms,
    });
    if (claimed.length === 0) return { sent: 0, full: false };
    const leaseLeftAt = now().getTime() + leaseMs / 2;
    const contextOf = await loadContexts(store, claimed);
    let sent = 0;
    // Bookkeeping of card edits and pacing deferrals is written for the whole pass in one statement
    // each: an edit sent again after a crash only redraws the card. Posts are settled one by one.
    const editsDone: number[] = [];
    const rendered: CardRef[] = [];
    const deferrals: { id: number; until: Date }[] = [];

    const handle = async (claim: OutboxMessage) => {
      // Past half its lease, a claim may soon be taken over by another worker (which would send the
      // row again): what has not started goes back untried. Likewise when the worker is stopping.
      if (stopping || now().getTime() > leaseLeftAt) {
        deferrals.push({ id: claim.id, until: now() });
        return;
      }
      const context = contextOf(claim);
      const edit = isCardEdit(claim, context.card);
      if (!edit) {
        const wait = slots.waitFor(claim);
        if (wait > 0) {
          deferrals.push({ id: claim.id, until: new Date(now().getTime() + wait) });
          return;
        }
      }
      const { message, joined } = await joinQueuedNotes(claim);
      const outcome = await deliverMessage({
        delivery: byPlatform.get(message.platform),
        message,
        context,
        joined,
        policy,
        now: now(),
        lookupCard: (reportId) => store.cards.find(reportId, message.platform),
      });
      sent += 1;
      if (edit && outcome.status === 'delivered' && sameMessage(outcome.card, context.card)) {
        editsDone.push(message.id);
        if (outcome.card) rendered.push(outcome.card);
        return;
      }
      await settle(message, outcome, joined);
    };

    /** Claimed messages have distinct ordering keys (one head per key), so they may go side by side. */
    const lanes = (messages: readonly OutboxMessage[], width: number, run = handle) => {
      const next = messages[Symbol.iterator]();
      const lane = async () => {
        for (let item = next.next(); !item.done; item = next.next()) await run(item.value);
      };
      return Array.from({ length: Math.min(width, messages.length) }, lane);
    };
    const edits = claimed.filter((m) => isCardEdit(m, contextOf(m).card));
    const posts = claimed.filter((m) => !isCardEdit(m, contextOf(m).card));
    // Every lane finishes before the batched bookkeeping is written, even when one of them failed.
    const finished = await Promise.allSettled([
      ...lanes(edits, editConcurrency),
      ...lanes(posts, concurrency, (m) => inPostTurn(() => handle(m))),
    ]);
    await Promise.all([
      store.cards.saveRenderedMany(rendered),
      store.outbox.markDeliveredMany(editsDone, workerId, now()),
      store.outbox.deferMany(deferrals, workerId),
    ]);
    const failed = finished.find((lane) => lane.status === 'rejected');
    if (failed) throw failed.reason;
    return { sent, full: claimed.length >= batchSize };
  };

  /** The loop's pass (shared by concurrent callers); it starts once a pass `wake()` added is over. */
  const exclusive = (): Promise<PassResult> => {
    inFlight ??= (async () => {
      await extra;
      return runPass();
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  /** Set by `wake()` during a pass that may have read the outbox before the new rows were committed. */
  let wokenDuringPass = false;

  /** Until the next poll, or the next booked slot when that comes sooner. */
  const idleDelay = (): number => {
    const slot = slots.nextSlotAt();
    return slot === null ? pollMs : Math.max(0, Math.min(pollMs, slot - now().getTime()));
  };

  const loop = async () => {
    timer = null;
    if (!running) return;
    wokenDuringPass = false;
    let again = false;
    try {
      const result = await exclusive();
      again = result.sent > 0 || result.full;
    } catch (error) {
      logger.error({ err: errorText(error) }, 'outbox worker pass failed');
    }
    again ||= wokenDuringPass;
    if (running && timer === null) timer = setTimeout(loop, again ? 0 : idleDelay());
  };

  const wake = (): void => {
    if (!running) return;
    if (inFlight) {
      // Claims never overlap (a claimed row is skipped), so a second pass may run beside the first;
      // while that one runs too, the loop looks again once its pass is over.
      if (extra) {
        wokenDuringPass = true;
        return;
      }
      extra = runPass()
        .then((result) => {
          // A full claim: more may be due already (`extra` is still set, so this cannot recurse).
          if (result.full) wake();
        })
        .catch((error: unknown) => logger.error({ err: errorText(error) }, 'outbox worker pass failed'))
        .finally(() => {
          extra = null;
        });
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(loop, 0);
  };

  return {
    runOnce: async () => (await exclusive()).sent,
    async drain() {
      while ((await exclusive()).sent > 0) {
        // keep going until nothing is due
      }
    },
    start() {
      if (running) return;
      running = true;
      stopping = false;
      stopped = null;
      timer = setTimeout(loop, 0);
    },
    wake,
    stop() {
      running = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      stopped ??= (async () => {
        // The delivery in flight may finish (the rest of its batch is then given back); one that hangs
        // longer than the grace period is released too, so the process can exit in time. Should the
        // platform still accept that one, it can be sent again: the documented crash-window duplicate.
        let grace: NodeJS.Timeout | undefined;
        const graceOver = new Promise<void>((resolve) => {
          grace = setTimeout(resolve, options.stopGraceMs ?? 5_000);
        });
        await Promise.race([Promise.all([inFlight?.catch(() => undefined), extra]), graceOver]);
        clearTimeout(grace);
        await store.outbox.release(workerId);
        // Slots booked in this process mean nothing to another: what waits for one becomes due now.
        await store.outbox.bringForward(slots.futureIds(), now());
      })();
      return stopped;
    },
  };
};
