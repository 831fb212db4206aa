import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ChatAdapter } from '../adapters/chat-adapter.ts';
import { discordEnabled, readDiscordConfig } from '../adapters/discord/discord-config.ts';
import { startHttpServer } from '../adapters/http/http-server.ts';
import { startThreadedHttpServer } from '../adapters/http/threaded-http-server.ts';
import { slackConfigFrom } from '../adapters/slack/slack-config.ts';
import { openDatabase } from '../db/client.ts';
import { checkStoredKeys } from '../db/encryption/check-stored-keys.ts';
import { cipherFromEnv } from '../db/encryption/cipher-from-env.ts';
import { createStore } from '../db/store.ts';
import { loadConfig } from './config/config.ts';
import type { Env } from './config/env-schema.ts';
import { createOutboxWorker, type OutboxWorker } from './delivery/outbox-worker.ts';
import type { Actor, Platform } from './domain/report.ts';
import { errorText } from './logging/error-text.ts';
import { createLogger } from './logging/pino-logger.ts';
import { genericErrorCode, installUnhandledRejectionLogging } from './logging/unhandled-rejection.ts';
import { createAuthorizer } from './ports/authorizer.ts';
import type { Logger } from './ports/logger.ts';
import type { Store } from './ports/store.ts';
import { createScheduler, type Scheduler } from './scheduling/scheduler.ts';
import type { CoreDeps } from './use-cases/context.ts';

const SHUTDOWN_DEADLINE_MS = 9_000;

type AdapterFactory = (core: CoreDeps, wakeOutbox: () => void) => ChatAdapter;

interface LoadedAdapters {
  readonly factories: AdapterFactory[];
  /** Names errors in the unhandled-rejection log, knowing the loaded SDKs' error classes. */
  readonly errorCode: (error: unknown) => string;
}

/**
 * The chat adapters whose credentials are configured; a configuration problem stops start-up. An
 * adapter's module, and so its SDK (Bolt, discord.js: tens of MB and hundreds of milliseconds each),
 * is imported only when that adapter is configured.
 */
const loadAdapters = async (env: Env, logger: Logger): Promise<LoadedAdapters | string> => {
  const slack = env.SLACK_BOT_TOKEN !== undefined ? slackConfigFrom(env) : null;
  if (slack && !slack.ok) return slack.error.message;
  const discord = discordEnabled(env) ? readDiscordConfig(env) : null;
  if (discord && !discord.ok) return discord.error.message;
  const [slackModule, discordModules] = await Promise.all([
    slack ? import('../adapters/slack/slack-adapter.ts') : null,
    discord
      ? Promise.all([
          import('../adapters/discord/discord-adapter.ts'),
          import('../adapters/discord/discord-errors.ts'),
        ])
      : null,
  ]);
  const factories: AdapterFactory[] = [];
  if (slack && slackModule) {
    factories.push((core, wakeOutbox) =>
      slackModule.createSlackAdapter({ core, logger, wakeOutbox }, slack.value),
    );
  }
  if (discord && discordModules) {
    const [{ createDiscordAdapter }] = discordModules;
    factories.push((core, wakeOutbox) => createDiscordAdapter({ core, logger, wakeOutbox }, discord.value));
  }
  return { factories, errorCode: discordModules?.[1].errorCode ?? genericErrorCode };
};

const runChatAdapters = async (
  adapters: ChatAdapter[],
  worker: OutboxWorker,
  scheduler: Scheduler,
  store: Store,
  env: Env,
  logger: Logger,
): Promise<void> => {
  const routes = new Map(adapters.flatMap((adapter) => [...adapter.routes]));
  let ready = false;
  let shutdown: ((reason: string) => void) | null = null;
  const http =
    routes.size > 0
      ? await (env.HTTP_THREAD ? startThreadedHttpServer : startHttpServer)({
          port: env.PORT,
          routes,
          logger,
          health: async () => {
            const database = await store.ping();
            const outbox = database ? await store.outbox.stats() : null;
            const status = Object.fromEntries(adapters.map((a) => [a.platform, a.health()]));
            return {
              ok: ready && database && adapters.every((a) => a.health().connected),
              details: { database, adapters: status, outbox },
            };
          },
          onCrash: () => {
            process.exitCode = 1;
            shutdown?.('the HTTP thread stopped');
          },
        })
      : null;
  for (const adapter of adapters) await adapter.start();
  worker.start();
  scheduler.start();
  ready = true;
  logger.info(
    {
      adapters: adapters.map((a) => a.platform),
      port: http?.port ?? null,
      httpThread: http ? env.HTTP_THREAD : null,
    },
    'vulndesk is running',
  );

  await new Promise<void>((resolve) => {
    shutdown = (reason: string) => {
      shutdown = null;
      logger.info({ reason }, 'shutting down');
      ready = false;
      const deadline = setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      void (async () => {
        scheduler.stop();
        await http?.close();
        await worker.stop();
        for (const adapter of adapters) await adapter.stop().catch(() => undefined);
        resolve();
      })();
    };
    process.once('SIGTERM', () => shutdown?.('SIGTERM'));
    process.once('SIGINT', () => shutdown?.('SIGINT'));
  });
};

/** The composition root: the one place that wires configuration, storage, core and adapters. */
const main = async (): Promise<number> => {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`${config.error.message}\n`);
    return 1;
  }
  const { env, policy } = config.value;
  const logger = createLogger(env.LOG_LEVEL, process.stderr as never);
  const loaded = await loadAdapters(env, logger);
  if (typeof loaded === 'string') {
    process.stderr.write(`Configuration is invalid:\n${loaded}\n`);
    return 1;
  }
  installUnhandledRejectionLogging(logger, { errorCode: loaded.errorCode });
  const { factories } = loaded;

  const cipher = cipherFromEnv(env);
  if (!cipher.ok) {
    process.stderr.write(`${cipher.error.message}\n`);
    return 1;
  }
  const handle = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
  const keys = await checkStoredKeys(handle.db, cipher.value);
  if (!keys.ok) {
    process.stderr.write(`${keys.error.message}\n`);
    await handle.close();
    return 1;
  }
  const store = createStore(handle, cipher.value);
  logger.info({ database: handle.kind, location: handle.location }, 'database ready');

  const consoleTriagers = new Set<string>();
  const extraChecks: ((actor: Actor) => Promise<boolean>)[] = [
    async (actor) => actor.platform === 'console' && consoleTriagers.has(actor.userId),
  ];
  const useConsole = factories.length === 0;
  let wake = () => {};
  const core: CoreDeps = {
    store,
    policy,
    authorizer: createAuthorizer(env.TRIAGERS, extraChecks),
    logger,
    now: () => new Date(),
    triagePlatforms: [],
    reportsPerHour: env.REPORTS_PER_HOUR,
  };
  const adapters = factories.map((factory) => factory(core, () => wake()));
  for (const adapter of adapters) if (adapter.isTriager) extraChecks.push(adapter.isTriager);
  const triagePlatforms: Platform[] = useConsole ? ['console'] : adapters.map((a) => a.platform);
  const alerts = () => adapters.flatMap((a) => a.alerts?.() ?? []);
  Object.assign(core, { triagePlatforms, alerts });

  const consoleModules = useConsole
    ? await Promise.all([
        import('../adapters/console/console-adapter.ts'),
        import('../adapters/console/console-delivery.ts'),
      ])
    : null;
  const deliveries = consoleModules
    ? [consoleModules[1].createConsoleDelivery((text) => process.stdout.write(text))]
    : adapters.map((a) => a.delivery);
  const worker = createOutboxWorker({ store, deliveries, policy, logger, now: core.now });
  wake = () => worker.wake();

  if (consoleModules) {
    const [{ runConsoleAdapter }] = consoleModules;
    const where =
      handle.kind === 'pglite' ? `embedded PGlite in ${handle.location}` : `PostgreSQL at ${handle.location}`;
    process.stdout.write(
      `No Slack or Discord credentials are configured: starting the console adapter on ${where}.\n`,
    );
    await runConsoleAdapter({
      core,
      input: process.stdin,
      output: process.stdout,
      flush: () => worker.drain(),
      consoleTriagers,
    });
  } else {
    const scheduler = createScheduler({
      core,
      schedule: { time: env.DIGEST_TIME, weekdaysOnly: env.DIGEST_WEEKDAYS_ONLY },
      claimedBy: `${hostname()}:${process.pid}`,
      wakeOutbox: wake,
    });
    await runChatAdapters(adapters, worker, scheduler, store, env, logger);
  }
  await worker.stop();
  await store.close();
  return Number(process.exitCode ?? 0);
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`vulndesk stopped: ${errorText(error)}\n`);
    process.exit(1);
  },
);
