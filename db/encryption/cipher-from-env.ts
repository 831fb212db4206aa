import { fail, ok, type Result } from '../../src/domain/result.ts';
import { createReportCipher, EncryptionError, keyFromBase64, type ReportCipher } from './report-cipher.ts';

/** `REPORT_ENCRYPTION_KEY` (current) and `REPORT_ENCRYPTION_OLD_KEYS` (still readable, for rotation). */
export const cipherFromEnv = (env: {
  readonly REPORT_ENCRYPTION_KEY?: string | undefined;
  readonly REPORT_ENCRYPTION_OLD_KEYS: readonly string[];
}): Result<ReportCipher> => {
  try {
    const current = env.REPORT_ENCRYPTION_KEY ? keyFromBase64(env.REPORT_ENCRYPTION_KEY) : null;
    const previous = env.REPORT_ENCRYPTION_OLD_KEYS.map(keyFromBase64);
    if (!current && previous.length > 0) {
      return fail('config.invalid', 'REPORT_ENCRYPTION_OLD_KEYS is set but REPORT_ENCRYPTION_KEY is empty');
    }
    return ok(createReportCipher(current, previous));
  } catch (error) {
    const reason = error instanceof EncryptionError ? error.message : 'invalid key';
    return fail(
      'config.invalid',
      `REPORT_ENCRYPTION_KEY / REPORT_ENCRYPTION_OLD_KEYS: ${reason} (generate one with: openssl rand -base64 32)`,
    );
  }
};
