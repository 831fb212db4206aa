import { webApi } from '@slack/bolt';
import { createSlackDelivery } from '../../../../adapters/slack/slack-delivery.ts';
import type { BackoffPolicy } from '../../../../src/delivery/backoff.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../../src/delivery/outbox-worker.ts';
import type { Pacing } from '../../../../src/delivery/pacer.ts';
import type { ChatDelivery } from '../../../../src/ports/chat-delivery.ts';
import type { Logger } from '../../../../src/ports/logger.ts';
import type { Store } from '../../../../src/ports/store.ts';
import { TEST_POLICY } from '../../../support/core.ts';

export const TRIAGE_CHANNEL = 'CTRIAGE';

export interface LogLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line. */
export const memoryLogger = (): Logger & { lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

const quietSlackLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName() {},
};

/** A Web API client configured as the Slack adapter configures it (no SDK retries, 429s rejected). */
export const slackClient = (url: string, timeoutMs: number) =>
  new webApi.WebClient('xoxb-test-token', {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
    logger: quietSlackLogger,
  });

/** The real Slack delivery; `pacing` replaces Slack's one-per-second pacing (null: none) to keep tests fast. */
export const slackDelivery = (url: string, options: { timeoutMs?: number; pacing?: Pacing | null } = {}) => {
  const delivery = createSlackDelivery(slackClient(url, options.timeoutMs ?? 2000), {
    triageChannel: TRIAGE_CHANNEL,
    teamUrl: () => 'https://fake.slack.com/',
  });
  if (options.pacing === undefined) return delivery;
  const paced: ChatDelivery = {
    platform: delivery.platform,
    deliver: (item) => delivery.deliver(item),
    ...(options.pacing ? { pacing: options.pacing } : {}),
  };
  return paced;
};

export const FAST_BACKOFF: BackoffPolicy = { baseMs: 20, maxMs: 300 };

export const slackWorker = (
  store: Store,
  delivery: ChatDelivery,
  options: {
    workerId: string;
    logger?: Logger;
    leaseMs?: number;
    batchSize?: number;
    pollMs?: number;
    backoff?: BackoffPolicy;
    now?: () => Date;
  },
): OutboxWorker =>
  createOutboxWorker({
    store,
    deliveries: [delivery],
    policy: TEST_POLICY,
    logger: options.logger ?? memoryLogger(),
    now: options.now ?? (() => new Date()),
    workerId: options.workerId,
    pollMs: options.pollMs ?? 20,
    leaseMs: options.leaseMs ?? 30_000,
    batchSize: options.batchSize ?? 20,
    backoff: options.backoff ?? FAST_BACKOFF,
  });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `done` is true; fails with `describe()` after the timeout. */
export const eventually = async (
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms ${describe()}`);
    await sleep(25);
  }
};
