import { existsSync } from 'node:fs';
import { openDatabase } from '../db/client.ts';
import { cipherFromEnv } from '../db/encryption/cipher-from-env.ts';
import { rotateReportKeys } from '../db/encryption/rotate-keys.ts';
import { loadConfig } from '../src/config/config.ts';

/**
 * `npm run rotate-key`: re-encrypts every report's text with REPORT_ENCRYPTION_KEY, reading values
 * sealed with any key in REPORT_ENCRYPTION_OLD_KEYS (and plaintext written before encryption was on).
 * Afterwards the old keys can be removed from the configuration.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
if (!config.ok) throw new Error(config.error.message);
const { env } = config.value;
const cipher = cipherFromEnv(env);
if (!cipher.ok) throw new Error(cipher.error.message);
if (!cipher.value.enabled) {
  process.stderr.write('REPORT_ENCRYPTION_KEY is not set: nothing to rotate to.\n');
  process.exit(1);
}
const handle = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
const rotated = await rotateReportKeys(handle.db, cipher.value);
await handle.close();
process.stdout.write(`Re-encrypted ${rotated} report${rotated === 1 ? '' : 's'} with the current key.\n`);
