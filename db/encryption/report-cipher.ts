import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Seals and opens report text. Without a current key it stores plaintext (encryption is optional). */
export interface ReportCipher {
  readonly enabled: boolean;
  seal(reportId: string, plaintext: string): string;
  open(reportId: string, stored: string): string;
  /** The key ID a stored value was sealed with, or null for plaintext. */
  keyIdOf(stored: string): string | null;
  /** Whether values sealed with this key ID can be opened (current or previous key). */
  hasKey(keyId: string): boolean;
}

export class EncryptionError extends Error {
  readonly code = 'storage.decryption_failed';
}

/** The key ID is a short hash of the key, so values name the key they need without revealing it. */
export const keyFromBase64 = (encoded: string): EncryptionKey => {
  const key = Buffer.from(encoded.trim(), 'base64');
  if (key.length !== 32) throw new EncryptionError('an encryption key must be 32 bytes, base64-encoded');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
};

/**
 * AES-256-GCM with a random 96-bit IV per value and a 128-bit tag; the report ID is bound as
 * associated data, so a value copied onto another report does not open.
 */
export const createReportCipher = (
  current: EncryptionKey | null,
  previous: readonly EncryptionKey[] = [],
): ReportCipher => {
  const keys = new Map([...previous, ...(current ? [current] : [])].map((k) => [k.id, k.key]));
  return {
    enabled: current !== null,
    seal(reportId, plaintext) {
      if (!current) return plaintext;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(reportId, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return `${PREFIX}${current.id}:${parts.join(':')}`;
    },
    open(reportId, stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [keyId = '', iv = '', tag = '', body = ''] = stored.slice(PREFIX.length).split(':');
      const key = keys.get(keyId);
      if (!key) {
        throw new EncryptionError(
          `report ${reportId} is encrypted with key ${keyId}, which is not configured (REPORT_ENCRYPTION_KEY / REPORT_ENCRYPTION_OLD_KEYS)`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(reportId, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new EncryptionError(`report ${reportId} could not be decrypted: wrong key or tampered value`);
      }
    },
    keyIdOf(stored) {
      return stored.startsWith(PREFIX) ? (stored.slice(PREFIX.length).split(':')[0] ?? null) : null;
    },
    hasKey: (keyId) => keys.has(keyId),
  };
};

export const PLAINTEXT_CIPHER = createReportCipher(null);
