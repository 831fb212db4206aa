import { existsSync } from 'node:fs';
import { openDatabase } from '../db/client.ts';
import { checkStoredKeys } from '../db/encryption/check-stored-keys.ts';
import { cipherFromEnv } from '../db/encryption/cipher-from-env.ts';
import { createStore } from '../db/store.ts';
import { loadConfig } from '../src/config/config.ts';
import type { Env } from '../src/config/env-schema.ts';
import type { Platform } from '../src/domain/report.ts';
import { createLogger } from '../src/logging/pino-logger.ts';
import { createAuthorizer } from '../src/ports/authorizer.ts';
import type { CoreDeps } from '../src/use-cases/context.ts';

/** Configuration, database and core for a command-line tool; exits with a message on bad configuration. */
export const openCore = async (): Promise<{ core: CoreDeps; env: Env; close: () => Promise<void> }> => {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  if (!config.ok) {
    process.stderr.write(`${config.error.message}\n`);
    process.exit(1);
  }
  const { env, policy } = config.value;
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, process.stderr as never);
  const handle = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
  const cipher = cipherFromEnv(env);
  if (!cipher.ok) {
    process.stderr.write(`${cipher.error.message}\n`);
    process.exit(1);
  }
  const keys = await checkStoredKeys(handle.db, cipher.value);
  if (!keys.ok) {
    process.stderr.write(`${keys.error.message}\n`);
    process.exit(1);
  }
  const store = createStore(handle, cipher.value);
  const triagePlatforms: Platform[] = [];
  if (env.SLACK_BOT_TOKEN) triagePlatforms.push('slack');
  if (env.DISCORD_BOT_TOKEN) triagePlatforms.push('discord');
  const core: CoreDeps = {
    store,
    policy,
    authorizer: createAuthorizer(env.TRIAGERS),
    logger,
    now: () => new Date(),
    triagePlatforms,
    reportsPerHour: env.REPORTS_PER_HOUR,
  };
  return { core, env, close: () => store.close() };
};
