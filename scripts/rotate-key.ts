import { existsSync } from 'node:fs';
import { asc, eq, gt } from 'drizzle-orm';
import { openDatabase } from '../db/client.ts';
import { cipherFromEnv } from '../db/encryption/cipher-from-env.ts';
import { reports } from '../db/schema.ts';
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
const seal = cipher.value;
const handle = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
const fields = ['title', 'description', 'impact', 'severityGuess'] as const;
let cursor = '';
let rotated = 0;
for (;;) {
  const batch = await handle.db
    .select()
    .from(reports)
    .where(gt(reports.id, cursor))
    .orderBy(asc(reports.id))
    .limit(200);
  if (batch.length === 0) break;
  await handle.db.transaction(async (tx) => {
    for (const row of batch) {
      const sealed = Object.fromEntries(fields.map((f) => [f, seal.seal(row.id, seal.open(row.id, row[f]))]));
      await tx.update(reports).set(sealed).where(eq(reports.id, row.id));
      rotated += 1;
    }
  });
  cursor = batch.at(-1)?.id ?? cursor;
}
await handle.close();
process.stdout.write(`Re-encrypted ${rotated} report${rotated === 1 ? '' : 's'} with the current key.\n`);
