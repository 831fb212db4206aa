import { sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../../src/domain/result.ts';
import { type Database, rowsOf } from '../client.ts';
import type { ReportCipher } from './report-cipher.ts';

/**
 * Checked at start-up: every key that sealed a stored report must be configured, and a database that
 * holds encrypted reports is never run without a current key (new reports would silently be stored in
 * plaintext beside the encrypted ones, and the old ones could not be read).
 */
export const checkStoredKeys = async (db: Database, cipher: ReportCipher): Promise<Result<true>> => {
  const rows = rowsOf<{ key_id: string }>(
    await db.execute(sql`
      select distinct split_part(title, ':', 3) as key_id from reports where title like 'enc:v1:%'`),
  );
  const stored = rows.map((row) => row.key_id);
  if (stored.length > 0 && !cipher.enabled) {
    return fail(
      'config.invalid',
      `Stored reports are encrypted (key ${stored.join(', ')}) but REPORT_ENCRYPTION_KEY is not set: refusing to start rather than store new reports in plaintext.`,
    );
  }
  const missing = stored.filter((keyId) => !cipher.hasKey(keyId));
  if (missing.length > 0) {
    return fail(
      'config.invalid',
      `Stored reports are encrypted with key ${missing.join(', ')}, which is neither REPORT_ENCRYPTION_KEY nor in REPORT_ENCRYPTION_OLD_KEYS: refusing to start.`,
    );
  }
  return ok(true);
};
