import { asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { reports } from '../schema.ts';
import type { ReportCipher } from './report-cipher.ts';

const FIELDS = ['title', 'description', 'impact', 'severityGuess'] as const;

/**
 * Re-encrypts every report's text with the cipher's current key, reading values sealed with any of its
 * keys (and plaintext written before encryption was on). Returns how many reports were rewritten.
 */
export const rotateReportKeys = async (db: Database, cipher: ReportCipher): Promise<number> => {
  if (!cipher.enabled) throw new Error('REPORT_ENCRYPTION_KEY is not set: nothing to rotate to.');
  let cursor = '';
  let rotated = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(reports)
      .where(gt(reports.id, cursor))
      .orderBy(asc(reports.id))
      .limit(200);
    if (batch.length === 0) break;
    await db.transaction(async (tx) => {
      for (const row of batch) {
        const sealed = Object.fromEntries(
          FIELDS.map((f) => [f, cipher.seal(row.id, cipher.open(row.id, row[f]))]),
        );
        await tx.update(reports).set(sealed).where(eq(reports.id, row.id));
        rotated += 1;
      }
    });
    cursor = batch.at(-1)?.id ?? cursor;
  }
  return rotated;
};
