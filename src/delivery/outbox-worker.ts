import { randomUUID } from 'node:crypto';
import type { Policy } from '../domain/policy.ts';
import type { Platform } from '../domain/report.ts';
import { errorText } from '../logging/error-text.ts';
import type { ChatDelivery, DeliveryOutcome } from '../ports/chat-delivery.ts';
import type { Logger } from '../ports/logger.ts';
import type { OutboxMessage, Store } from '../ports/store.ts';
import { maskPayload } from '../security/mask-payload.ts';
import { triageCardView } from '../views/triage-card.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
import { createPacer } from './pacer.ts';

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
  /** Messages sent side by side (each to a different destination or report). */
  readonly concurrency?: number;
  readonly backoff?: BackoffPolicy;
  /** How long `stop` waits for the delivery in flight before releasing its claim anyway. */
  readonly stopGraceMs?: number;
}

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

export const createOutboxWorker = (options: OutboxWorkerOptions): OutboxWorker => {
  const { store, policy, logger, now } = options;
  const workerId = options.workerId ?? `worker-${randomUUID()}`;
  const pollMs = options.pollMs ?? 500;
  const leaseMs = options.leaseMs ?? 60_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const byPlatform = new Map<Platform, ChatDelivery>(options.deliveries.map((d) => [d.platform, d]));
  const pacers = new Map(
    options.deliveries.flatMap((d) =>
      d.pacing ? [[d.platform, createPacer(d.pacing, () => now().getTime())] as const] : [],
    ),
  );

  /** Milliseconds to wait before this message may be posted; card edits are never held back. */
  const paceWait = async (message: OutboxMessage): Promise<number> => {
    const pacer = pacers.get(message.platform);
    if (!pacer) return 0;
    if (message.payload.type === 'triage_card' && message.reportId) {
      if (await store.cards.find(message.reportId, message.platform)) return 0;
    }
    return pacer.take(`${message.platform}|${message.destination}`);
  };
  const platforms = [...byPlatform.keys()];
  let running = false;
  let stopping = false;
  let stopped: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<number> | null = null;

  const deliverOne = async (message: OutboxMessage): Promise<DeliveryOutcome> => {
    const delivery = byPlatform.get(message.platform);
    if (!delivery) return { status: 'retry', error: `no adapter for ${message.platform}` };
    const report = message.reportId ? await store.reports.findById(message.reportId) : null;
    const card = message.reportId ? await store.cards.find(message.reportId, message.platform) : null;
    const isCard = message.payload.type === 'triage_card';
    if (isCard && report && card?.renderedVersion && card.renderedVersion >= report.updatedAt) {
      return { status: 'delivered' };
    }
    // An edit before the card exists has nothing to edit: the message that posts the card renders the
    // report as it is then, this change included.
    if (message.payload.type === 'triage_card' && !message.payload.create && !card)
      return { status: 'delivered' };
    const cardView = isCard && report ? triageCardView(report, policy, now()) : null;
    const lookupCard = (reportId: string) => store.cards.find(reportId, message.platform);
    try {
      const masked = { ...message, payload: maskPayload(message.payload) };
      const outcome = await delivery.deliver({ message: masked, report, card, cardView, lookupCard });
      if (outcome.status === 'delivered' && isCard && report) {
        const shown = outcome.card ?? card;
        if (shown) return { status: 'delivered', card: { ...shown, renderedVersion: report.updatedAt } };
      }
      return outcome;
    } catch (error) {
      return { status: 'retry', error: errorText(error) };
    }
  };

  const settle = async (message: OutboxMessage, outcome: DeliveryOutcome) => {
    const context = {
      outboxId: message.id,
      platform: message.platform,
      type: message.payload.type,
      reportId: message.reportId,
    };
    if (outcome.status === 'delivered') {
      if (outcome.card) await store.cards.save(outcome.card);
      await store.outbox.markDelivered(message.id, workerId, now());
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

  const runOnce = async (): Promise<number> => {
    if (stopping) return 0;
    const claimed = await store.outbox.claimDue({
      workerId,
      now: now(),
      leaseMs,
      limit: options.batchSize ?? 20,
      platforms,
    });
    const leaseLeftAt = now().getTime() + leaseMs / 2;
    let sent = 0;
    // Claimed messages have distinct ordering keys (one head per key), so they may go side by side.
    const next = claimed[Symbol.iterator]();
    const lane = async () => {
      for (let item = next.next(); !item.done; item = next.next()) {
        const message = item.value;
        // Past half its lease, a claim may soon be taken over by another worker (which would send the
        // row again): what has not started goes back untried. Likewise when the worker is stopping.
        if (stopping || now().getTime() > leaseLeftAt) {
          await store.outbox.defer(message.id, workerId, now());
          continue;
        }
        const wait = await paceWait(message);
        if (wait > 0) {
          await store.outbox.defer(message.id, workerId, new Date(now().getTime() + wait));
          continue;
        }
        await settle(message, await deliverOne(message));
        sent += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
    return sent;
  };

  const exclusive = (): Promise<number> => {
    inFlight ??= runOnce().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  /** Set by `wake()` during a pass that may have read the outbox before the new rows were committed. */
  let wokenDuringPass = false;

  const loop = async () => {
    timer = null;
    if (!running) return;
    wokenDuringPass = false;
    let handled = 0;
    try {
      handled = await exclusive();
    } catch (error) {
      logger.error({ err: errorText(error) }, 'outbox worker pass failed');
    }
    const again = handled > 0 || wokenDuringPass;
    if (running && timer === null) timer = setTimeout(loop, again ? 0 : pollMs);
  };

  return {
    runOnce: exclusive,
    async drain() {
      while ((await exclusive()) > 0) {
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
    wake() {
      if (!running) return;
      if (inFlight) {
        wokenDuringPass = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = setTimeout(loop, 0);
    },
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
        await Promise.race([inFlight?.catch(() => 0), graceOver]);
        clearTimeout(grace);
        await store.outbox.release(workerId);
      })();
      return stopped;
    },
  };
};
