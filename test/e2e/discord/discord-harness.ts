import { createDiscordAdapter, type DiscordAdapter } from '../../../adapters/discord/discord-adapter.ts';
import type { DiscordConfig } from '../../../adapters/discord/discord-config.ts';
import { type RunningHttpServer, startHttpServer } from '../../../adapters/http/http-server.ts';
import { startThreadedHttpServer } from '../../../adapters/http/threaded-http-server.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/delivery/outbox-worker.ts';
import type { Actor } from '../../../src/domain/report.ts';
import { createAuthorizer } from '../../../src/ports/authorizer.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import {
  FAKE_IDS,
  FAKE_TOKEN,
  type FakeDiscord,
  type RecordedCall,
  startFakeDiscord,
} from '../../fakes/discord/fake-discord.ts';
import { type InteractionPayload, modalSubmit } from '../../fakes/discord/interaction-payloads.ts';
import { TEST_POLICY } from '../../support/core.ts';
import type { TestStore } from '../../support/databases.ts';

export const CALLBACK = 'POST /interactions/:id/:token/callback';
export const EDIT_ORIGINAL = 'PATCH /webhooks/:appId/:token/messages/@original';
export const FOLLOW_UP = 'POST /webhooks/:appId/:token';
export const CREATE_MESSAGE = 'POST /channels/:id/messages';
export const EDIT_MESSAGE = 'PATCH /channels/:id/messages/:messageId';
export const START_THREAD = 'POST /channels/:id/messages/:messageId/threads';
export const OPEN_DM = 'POST /users/@me/channels';

export const TRIAGE_CHANNEL = '1250000000000000210';
export const TRIAGE_ROLE = '1250000000000000410';
export const REPORTER_ID = FAKE_IDS.user;
/** On the TRIAGERS allow-list as `discord:<id>`. */
export const TRIAGER_ID = '1250000000000000301';
/** A triager through DISCORD_TRIAGE_ROLE membership only. */
export const ROLE_TRIAGER_ID = '1250000000000000302';
/** Neither listed nor in the role: an ordinary member (or an administrator, with permissions '8'). */
export const OUTSIDER_ID = '1250000000000000303';
export const OTHER_GUILD = '1250000000000000999';

export interface LogLine {
  readonly level: string;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

export const memoryLogger = (): Logger & { lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

export interface DiscordHarness {
  readonly fake: FakeDiscord;
  readonly core: CoreDeps;
  readonly adapter: DiscordAdapter;
  readonly worker: OutboxWorker;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly config: DiscordConfig;
  /** Base URL of the shared HTTP server (routes of the adapter), when started with `http: true`. */
  readonly baseUrl: string | null;
  /** Dispatches an interaction over the gateway; resolves with its first response once all work is done. */
  send(payload: InteractionPayload): Promise<RecordedCall>;
  /** Waits for the interactions in hand, then delivers everything the outbox holds. */
  settle(): Promise<void>;
  /** Calls of a route (every call without one) since the last `clear()`. */
  calls(route?: string): RecordedCall[];
  clear(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Connect to the fake gateway (default true). */
  readonly gateway?: boolean;
  /** Serve POST /discord/interactions with this key. */
  readonly publicKey?: string;
  /** Serves HTTP from its own thread, as the bot does (adapters/http/threaded-http-server.ts). */
  readonly httpThread?: boolean;
  readonly core?: Partial<CoreDeps>;
  readonly now?: () => number;
}

/** The real discord.js client and REST manager against the fake Discord, on a migrated PGlite store. */
export const startDiscordHarness = async (
  db: TestStore,
  options: HarnessOptions = {},
): Promise<DiscordHarness> => {
  const fake = await startFakeDiscord();
  // A private channel: @everyone (the role whose ID is the guild's) may not view it.
  fake.rest.setChannel(TRIAGE_CHANNEL, {
    name: 'security-triage',
    permission_overwrites: [{ id: FAKE_IDS.guild, type: 0, allow: '0', deny: '1024' }],
  });
  const logger = memoryLogger();
  // Wired as the composition root wires it: allow-list first, then the adapter's role check.
  const extraChecks: ((actor: Actor) => Promise<boolean>)[] = [];
  const core: CoreDeps = {
    store: db.store,
    policy: TEST_POLICY,
    authorizer: createAuthorizer([`discord:${TRIAGER_ID}`], extraChecks),
    logger,
    now: () => new Date(),
    triagePlatforms: ['discord'],
    reportsPerHour: 0,
    ...options.core,
  };
  const config: DiscordConfig = {
    botToken: FAKE_TOKEN,
    publicKey: options.publicKey ?? null,
    applicationId: FAKE_IDS.app,
    guildId: FAKE_IDS.guild,
    triageChannelId: TRIAGE_CHANNEL,
    triageRoleId: TRIAGE_ROLE,
    apiBase: fake.apiBase,
    gateway: options.gateway ?? true,
  };
  const adapter = createDiscordAdapter({ core, logger, wakeOutbox: () => {} }, config, {
    ...(options.now ? { now: options.now } : {}),
  });
  extraChecks.push(adapter.isTriager);
  // The adapter's pacing is left out so a test can drain a burst at once.
  const worker = createOutboxWorker({
    store: db.store,
    deliveries: [{ platform: 'discord', deliver: (item) => adapter.delivery.deliver(item) }],
    policy: core.policy,
    logger,
    now: core.now,
    backoff: { baseMs: 20, maxMs: 200 },
  });
  let http: RunningHttpServer | null = null;
  if (options.publicKey) {
    http = await (options.httpThread ? startThreadedHttpServer : startHttpServer)({
      port: 0,
      host: '127.0.0.1',
      routes: adapter.routes,
      logger,
      health: async () => ({ ok: true, details: {} }),
    });
  }
  await adapter.start();
  let since = fake.rest.calls.length;

  return {
    fake,
    core,
    adapter,
    worker,
    logger,
    config,
    baseUrl: http ? `http://127.0.0.1:${http.port}` : null,
    async send(payload) {
      fake.interaction(payload);
      const first = await fake.rest.waitFor(CALLBACK, (call) => call.params.id === payload.id);
      await adapter.router.idle();
      return first;
    },
    async settle() {
      await adapter.router.idle();
      // A message held back (e.g. by a rate limit an earlier step provoked) comes due again shortly.
      const deadline = Date.now() + 10_000;
      for (;;) {
        await worker.drain();
        if ((await db.store.outbox.stats()).pending === 0 || Date.now() > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    calls: (route) =>
      fake.rest.calls.slice(since).filter((call) => route === undefined || call.route === route),
    clear() {
      since = fake.rest.calls.length;
    },
    async close() {
      await worker.stop();
      await adapter.stop();
      await http?.close();
      await fake.close();
    },
  };
};

/** The text of everything the bot said in a recorded call: content and embed texts. */
export const spokenText = (call: RecordedCall): string => {
  const body = (call.body ?? {}) as {
    content?: string;
    embeds?: unknown[];
    data?: { content?: string; embeds?: unknown[] };
  };
  const message = body.data ?? body;
  return JSON.stringify({ content: message.content ?? '', embeds: message.embeds ?? [] });
};

export interface ReportFields {
  readonly title?: string;
  readonly asset?: string;
  readonly description?: string;
  readonly impact?: string;
}

/** A reporter submits the intake modal; resolves with the interaction and its first response. */
export const submitReportModal = async (
  h: DiscordHarness,
  fields: ReportFields = {},
  userId: string = REPORTER_ID,
  id?: string,
): Promise<{ payload: InteractionPayload; first: RecordedCall }> => {
  const payload = modalSubmit({
    customId: 'report_intake',
    userId,
    username: 'rita',
    ...(id ? { id } : {}),
    fields: {
      title: fields.title ?? 'SQL injection in /api/search',
      asset: [fields.asset ?? 'api.example.com'],
      description: fields.description ?? "1. GET /api/search?q=' OR 1=1 --\n2. Every row comes back.",
      impact: fields.impact ?? 'Read any customer record.\nSeverity: high',
    },
  });
  return { payload, first: await h.send(payload) };
};

/** The message content of a recorded call (a channel post, a webhook edit, or a callback's data). */
export const contentOf = (call: RecordedCall | undefined): string => {
  const body = (call?.body ?? {}) as { content?: string; data?: { content?: string } };
  return String(body.data?.content ?? body.content ?? '');
};
