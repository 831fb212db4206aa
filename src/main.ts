import { existsSync } from 'node:fs';
import { runConsoleAdapter } from '../adapters/console/console-adapter.ts';
import { createConsoleDelivery } from '../adapters/console/console-delivery.ts';
import { openDatabase } from '../db/client.ts';
import { createStore } from '../db/store.ts';
import { loadConfig } from './config/config.ts';
import { createOutboxWorker } from './delivery/outbox-worker.ts';
import type { Actor } from './domain/report.ts';
import { createLogger } from './logging/pino-logger.ts';
import { createAuthorizer } from './ports/authorizer.ts';
import type { CoreDeps } from './use-cases/context.ts';

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
  const handle = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
  const store = createStore(handle);
  logger.info({ database: handle.kind, location: handle.location }, 'database ready');

  const consoleTriagers = new Set<string>();
  const isConsoleTriager = async (actor: Actor) =>
    actor.platform === 'console' && consoleTriagers.has(actor.userId);
  const core: CoreDeps = {
    store,
    policy,
    authorizer: createAuthorizer(env.TRIAGERS, [isConsoleTriager]),
    logger,
    now: () => new Date(),
    triagePlatforms: ['console'],
    reportsPerHour: env.REPORTS_PER_HOUR,
  };
  process.stdout.write(
    `No Slack or Discord credentials are configured: starting the console adapter on ${handle.kind === 'pglite' ? `embedded PGlite in ${handle.location}` : `PostgreSQL at ${handle.location}`}.\n`,
  );
  const worker = createOutboxWorker({
    store,
    deliveries: [createConsoleDelivery((text) => process.stdout.write(text))],
    policy,
    logger,
    now: core.now,
  });
  await runConsoleAdapter({
    core,
    input: process.stdin,
    output: process.stdout,
    flush: () => worker.drain(),
    consoleTriagers,
  });
  await worker.stop();
  await store.close();
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `vulndesk failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
