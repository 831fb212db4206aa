import type { ChatAdapter } from '../../../adapters/chat-adapter.ts';
import { type RunningHttpServer, startHttpServer } from '../../../adapters/http/http-server.ts';
import { startThreadedHttpServer } from '../../../adapters/http/threaded-http-server.ts';
import { createSlackAdapter } from '../../../adapters/slack/slack-adapter.ts';
import type { SlackConfig } from '../../../adapters/slack/slack-config.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/delivery/outbox-worker.ts';
import type { Actor } from '../../../src/domain/report.ts';
import { createAuthorizer } from '../../../src/ports/authorizer.ts';
import type { ChatDelivery } from '../../../src/ports/chat-delivery.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../../fakes/slack/fake-slack-api.ts';
import { attachSocketMode, type FakeSocketMode } from '../../fakes/slack/fake-socket-mode.ts';
import { TEST_POLICY } from '../../support/core.ts';
import type { TestStore } from '../../support/databases.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const TRIAGE_CHANNEL = 'CTRIAGE';
export const TRIAGER = { id: 'UALICE', name: 'alice' };
export const REPORTER = { id: 'URITA', name: 'rita' };
export const OUTSIDER = { id: 'UMALLORY', name: 'mallory' };
export const APP_TOKEN = 'xapp-1-test';

export interface LogLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every line, so tests can assert what reached the log. */
export const memoryLogger = (): Logger & { lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

const withoutPacing = ({ pacing: _pacing, ...delivery }: ChatDelivery): ChatDelivery => delivery;

export interface SlackHarness {
  readonly api: FakeSlackApi;
  readonly baseUrl: string;
  readonly core: CoreDeps;
  readonly adapter: ChatAdapter;
  readonly worker: OutboxWorker;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly triagers: string[];
  /** The fake Socket Mode server, when started with `socketMode: true`. */
  readonly socket: FakeSocketMode | null;
  close(): Promise<void>;
}

/** The real Bolt app behind our receiver, on a random port, talking to a fake Slack Web API. */
export const startSlackHarness = async (
  db: TestStore,
  options: {
    triagers?: string[];
    usergroup?: string;
    apiOptions?: Parameters<typeof startFakeSlackApi>[0];
    /** Runs the adapter in Socket Mode (app token, no signing secret) against a fake Socket Mode server. */
    socketMode?: boolean;
    /** `false` turns off the delivery's per-destination pacing, for tests that post many messages fast. */
    pacing?: boolean;
    /** Serves HTTP from its own thread, as the bot does (adapters/http/threaded-http-server.ts). */
    httpThread?: boolean;
  } = {},
): Promise<SlackHarness> => {
  const api = await startFakeSlackApi(options.apiOptions);
  const socket = options.socketMode ? await attachSocketMode(api) : null;
  const logger = memoryLogger();
  const triagers = options.triagers ?? [`slack:${TRIAGER.id}`];
  // Wired as the composition root wires it: allow-list first, then the adapter's own check (user group).
  const extraChecks: ((actor: Actor) => Promise<boolean>)[] = [];
  const core: CoreDeps = {
    store: db.store,
    policy: TEST_POLICY,
    authorizer: createAuthorizer(triagers, extraChecks),
    logger,
    now: () => new Date(),
    triagePlatforms: ['slack'],
    reportsPerHour: 0,
  };
  let worker: OutboxWorker | null = null;
  const config: SlackConfig = {
    botToken: 'xoxb-test-token',
    triageChannel: TRIAGE_CHANNEL,
    mode: socket ? { kind: 'socket', appToken: APP_TOKEN } : { kind: 'http', signingSecret: SIGNING_SECRET },
    triageUsergroup: options.usergroup ?? null,
    apiUrl: api.url,
  };
  const adapter = createSlackAdapter({ core, logger, wakeOutbox: () => worker?.wake() }, config);
  if (adapter.isTriager) extraChecks.push(adapter.isTriager);
  worker = createOutboxWorker({
    store: db.store,
    deliveries: [options.pacing === false ? withoutPacing(adapter.delivery) : adapter.delivery],
    policy: TEST_POLICY,
    logger,
    now: core.now,
    pollMs: 50,
    backoff: { baseMs: 20, maxMs: 200 },
  });
  const http: RunningHttpServer = await (options.httpThread ? startThreadedHttpServer : startHttpServer)({
    port: 0,
    host: '127.0.0.1',
    routes: adapter.routes,
    logger,
    health: async () => ({ ok: true, details: {} }),
  });
  await adapter.start();
  worker.start();
  return {
    api,
    baseUrl: `http://127.0.0.1:${http.port}`,
    core,
    adapter,
    worker,
    logger,
    triagers,
    socket,
    async close() {
      await worker?.stop();
      await adapter.stop();
      await socket?.close();
      await http.close();
      await api.close();
    },
  };
};
