import { fail, ok, type Result } from '../../src/domain/result.ts';
import {
  createReportCipher,
  EncryptionError,
  type EncryptionKey,
  keyFromBase64,
  type ReportCipher,
} from './report-cipher.ts';

const HOW_TO = 'generate one with: openssl rand -base64 32';

/** `REPORT_ENCRYPTION_KEY` (current) and `REPORT_ENCRYPTION_OLD_KEYS` (still readable, for rotation). */
export const cipherFromEnv = (env: {
  readonly REPORT_ENCRYPTION_KEY?: string | undefined;
  readonly REPORT_ENCRYPTION_OLD_KEYS: readonly string[];
}): Result<ReportCipher> => {
  /** The key, or the message naming the variable (never the key itself) that holds a bad one. */
  const parse = (encoded: string, variable: string): EncryptionKey | string => {
    try {
      return keyFromBase64(encoded);
    } catch (error) {
      const reason = error instanceof EncryptionError ? error.message : 'invalid key';
      return `${variable}: ${reason} (${HOW_TO})`;
    }
  };
  const current = env.REPORT_ENCRYPTION_KEY
    ? parse(env.REPORT_ENCRYPTION_KEY, 'REPORT_ENCRYPTION_KEY')
    : null;
  const previous = env.REPORT_ENCRYPTION_OLD_KEYS.map((encoded, index) =>
    parse(encoded, `REPORT_ENCRYPTION_OLD_KEYS (entry ${index + 1})`),
  );
  const problems = [current, ...previous].filter((key): key is string => typeof key === 'string');
  if (problems.length > 0) return fail('config.invalid', problems.join('\n'));
  if (!current && previous.length > 0) {
    return fail('config.invalid', 'REPORT_ENCRYPTION_OLD_KEYS is set but REPORT_ENCRYPTION_KEY is empty');
  }
  return ok(createReportCipher(current as EncryptionKey | null, previous as EncryptionKey[]));
};
