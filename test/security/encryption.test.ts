import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkStoredKeys } from '../../db/encryption/check-stored-keys.ts';
import { cipherFromEnv } from '../../db/encryption/cipher-from-env.ts';
import {
  createReportCipher,
  EncryptionError,
  keyFromBase64,
  PLAINTEXT_CIPHER,
  type ReportCipher,
} from '../../db/encryption/report-cipher.ts';
import { rotateReportKeys } from '../../db/encryption/rotate-keys.ts';
import type { Store } from '../../src/ports/store.ts';
import { coreDeps } from '../support/core.ts';
import { fileReport } from '../support/use-case-harness.ts';
import { SQL_STORE_KINDS, type SqlTestStore } from './support/stores.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const cipherOf = (current: string | null, ...old: string[]): ReportCipher => {
  const made = cipherFromEnv({
    REPORT_ENCRYPTION_KEY: current ?? undefined,
    REPORT_ENCRYPTION_OLD_KEYS: old,
  });
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
};
const ID_A = keyFromBase64(KEY_A).id;
const ID_B = keyFromBase64(KEY_B).id;

const TEXT = {
  title: 'IDOR on /api/invoices/{id} exposes every tenant',
  description: 'GET /api/invoices/1001 with a token of tenant B returns tenant A data (unique-desc-41f3).',
  impact: 'Read any invoice of any customer (unique-impact-8e2a).',
  severityGuess: 'high',
};

/** Runs a project script in a child process, as `npm run` would. */
const run = (script: string, env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
      // Run outside the project so a developer's .env cannot leak in; imports resolve from the script.
      cwd: path.join(ROOT, 'test'),
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

type Row = { id: string; title: string; description: string; impact: string; severity_guess: string };

const rawRows = (db: SqlTestStore) =>
  db.query<Row>('select id, title, description, impact, severity_guess from reports order by id');

const file = (store: Store, submission: Partial<typeof TEXT> = TEXT) =>
  fileReport(coreDeps(store), { submission: { ...TEXT, ...submission } });

/** `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` split into its parts. */
const partsOf = (sealed: string) => {
  const [, , keyId, iv, tag, body] = sealed.split(':');
  return {
    keyId,
    iv: Buffer.from(iv ?? '', 'base64url'),
    tag: Buffer.from(tag ?? '', 'base64url'),
    body: body ?? '',
  };
};

/** Replaces one character of the ciphertext (or tag) with another base64url character. */
const flipOne = (value: string, at: number) =>
  value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);

describe.each(SQL_STORE_KINDS)('report text encrypted at rest on %s', (kind, open) => {
  let db: SqlTestStore;

  beforeAll(async () => {
    db = await open(cipherOf(KEY_A));
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
  });

  it('stores title, description, impact and severity guess only as enc:v1:<keyId>: ciphertext', async () => {
    const report = await file(db.store);
    const [row] = await rawRows(db);
    for (const column of ['title', 'description', 'impact', 'severity_guess'] as const) {
      expect(row?.[column].startsWith(`enc:v1:${ID_A}:`)).toBe(true);
    }
    const raw = JSON.stringify(row);
    for (const plain of ['IDOR', 'invoices', 'unique-desc-41f3', 'unique-impact-8e2a', 'tenant']) {
      expect(raw).not.toContain(plain);
    }
    // Read back through the store, it is the exact text.
    expect(await db.store.reports.findById(report.id)).toMatchObject(TEXT);
  });

  it('uses a fresh 96-bit IV and a 128-bit tag per value: the same text never gives the same ciphertext', async () => {
    await file(db.store, { title: 'same words', impact: 'same words' });
    await file(db.store, { title: 'same words', impact: 'same words' });
    const [one, two] = await rawRows(db);
    const values = [one?.title, one?.impact, two?.title, two?.impact].map(String);
    expect(new Set(values).size).toBe(4);
    const ivs = values.map((v) => partsOf(v).iv.toString('hex'));
    expect(new Set(ivs).size).toBe(4);
    for (const value of values) {
      expect(partsOf(value).iv).toHaveLength(12);
      expect(partsOf(value).tag).toHaveLength(16);
    }
  });

  it('binds each value to its report: a value copied onto another report does not open', async () => {
    await file(db.store);
    await file(db.store, { description: 'the second report' });
    await db.query(
      `update reports set description = (select description from reports where id = 'VULN-0001') where id = 'VULN-0002'`,
    );
    await expect(db.store.reports.findById('VULN-0002')).rejects.toThrow(EncryptionError);
    await expect(db.store.reports.findById('VULN-0002')).rejects.toThrow(/VULN-0002 could not be decrypted/);
    // Listing does not quietly skip or show the foreign value either.
    await expect(db.store.reports.list({})).rejects.toThrow(EncryptionError);
    expect(await db.store.reports.findById('VULN-0001')).toMatchObject({ description: TEXT.description });
  });

  it('detects a tampered byte in the ciphertext, the tag or the IV', async () => {
    await file(db.store);
    const [row] = await rawRows(db);
    const sealed = String(row?.description);
    const tag = sealed.lastIndexOf(':') - 3;
    const variants = [
      flipOne(sealed, sealed.length - 2),
      flipOne(sealed, tag),
      flipOne(sealed, 20),
      sealed.slice(0, -4),
    ];
    for (const tampered of variants) {
      expect(tampered).not.toBe(sealed);
      await db.query('update reports set description = $1 where id = $2', [tampered, 'VULN-0001']);
      await expect(db.store.reports.findById('VULN-0001')).rejects.toThrow(EncryptionError);
    }
  });

  it('never falls back to plaintext: without the key, or with a wrong key, reading fails with an error', async () => {
    await file(db.store);
    const withoutKey = db.storeWith(PLAINTEXT_CIPHER);
    await expect(withoutKey.reports.findById('VULN-0001')).rejects.toThrow(
      /not configured.*REPORT_ENCRYPTION_KEY/,
    );
    const wrongKey = db.storeWith(cipherOf(KEY_B));
    await expect(wrongKey.reports.findById('VULN-0001')).rejects.toThrow(EncryptionError);
    // A value that claims to be sealed with the configured key but was not fails authentication.
    const [row] = await rawRows(db);
    await db.query('update reports set title = $1 where id = $2', [
      String(row?.title).replace(ID_A, ID_B),
      'VULN-0001',
    ]);
    await expect(wrongKey.reports.findById('VULN-0001')).rejects.toThrow(/wrong key or tampered/);
  });

  it('refuses to start without a key (or with an unknown key) once reports are encrypted', async () => {
    expect((await checkStoredKeys(db.handle.db, PLAINTEXT_CIPHER)).ok).toBe(true);
    await file(db.store);
    const missing = await checkStoredKeys(db.handle.db, PLAINTEXT_CIPHER);
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.error.message).toMatch(new RegExp(`${ID_A}.*REPORT_ENCRYPTION_KEY is not set`));
    const unknown = await checkStoredKeys(db.handle.db, cipherOf(KEY_B));
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toContain('REPORT_ENCRYPTION_OLD_KEYS');
    expect((await checkStoredKeys(db.handle.db, cipherOf(KEY_B, KEY_A))).ok).toBe(true);
  });

  it('rotates: old values open with REPORT_ENCRYPTION_OLD_KEYS, and rotate-key re-encrypts everything with the new key', async () => {
    // One report written before encryption was turned on, two sealed with key A.
    await file(db.storeWith(PLAINTEXT_CIPHER), { title: 'written in plaintext' });
    await file(db.store);
    await file(db.store, { title: 'third' });
    const rotating = cipherOf(KEY_B, KEY_A);
    const before = await db.storeWith(rotating).reports.list({});
    expect(before.map((r) => r.title)).toEqual(['written in plaintext', TEXT.title, 'third']);
    await expect(db.storeWith(cipherOf(KEY_B)).reports.list({})).rejects.toThrow(EncryptionError);

    expect(await rotateReportKeys(db.handle.db, rotating)).toBe(3);

    for (const row of await rawRows(db)) {
      for (const column of ['title', 'description', 'impact', 'severity_guess'] as const) {
        expect(row[column].startsWith(`enc:v1:${ID_B}:`)).toBe(true);
      }
    }
    const onlyNewKey = db.storeWith(cipherOf(KEY_B));
    expect((await onlyNewKey.reports.list({})).map((r) => r.title)).toEqual(before.map((r) => r.title));
    expect(await onlyNewKey.reports.findById('VULN-0002')).toMatchObject(TEXT);
    await expect(db.storeWith(cipherOf(KEY_A)).reports.findById('VULN-0002')).rejects.toThrow(
      EncryptionError,
    );
  });
  if (kind === 'PostgreSQL') {
    it('npm run rotate-key re-encrypts the database at DATABASE_URL with the new key', async () => {
      await file(db.store);
      const result = await run('scripts/rotate-key.ts', {
        DATABASE_URL: db.url ?? '',
        REPORT_ENCRYPTION_KEY: KEY_B,
        REPORT_ENCRYPTION_OLD_KEYS: KEY_A,
      });
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Re-encrypted 1 report with the current key.');
      expect(result.code).toBe(0);
      const [row] = await rawRows(db);
      expect(row?.title.startsWith(`enc:v1:${ID_B}:`)).toBe(true);
      expect(await db.storeWith(cipherOf(KEY_B)).reports.findById('VULN-0001')).toMatchObject(TEXT);
    }, 30_000);

    it('npm start refuses to run on encrypted reports without REPORT_ENCRYPTION_KEY, naming it', async () => {
      await file(db.store);
      const result = await run('src/main.ts', { DATABASE_URL: db.url ?? '' });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('REPORT_ENCRYPTION_KEY is not set');
      expect(result.stdout).not.toContain('console adapter');
    }, 30_000);

    it('npm run rotate-key refuses to run without the old key, changing nothing', async () => {
      await file(db.store);
      const [before] = await rawRows(db);
      const result = await run('scripts/rotate-key.ts', {
        DATABASE_URL: db.url ?? '',
        REPORT_ENCRYPTION_KEY: KEY_B,
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(new RegExp(`key ${ID_A}, which is not configured`));
      expect(result.stderr).not.toContain(KEY_B);
      expect((await rawRows(db))[0]).toEqual(before);
    }, 30_000);
  }
});

describe('REPORT_ENCRYPTION_KEY configuration', () => {
  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
    ['hex instead of base64', randomBytes(32).toString('hex')],
  ])('refuses a key of %s, naming the variable but not the key', (_, key) => {
    const made = cipherFromEnv({ REPORT_ENCRYPTION_KEY: key, REPORT_ENCRYPTION_OLD_KEYS: [] });
    expect(made.ok).toBe(false);
    if (made.ok) return;
    expect(made.error.message).toMatch(/^REPORT_ENCRYPTION_KEY: .*32 bytes/);
    expect(made.error.message).not.toContain(key);
  });

  it('names REPORT_ENCRYPTION_OLD_KEYS when an old key is bad, and refuses old keys without a current one', () => {
    const bad = cipherFromEnv({ REPORT_ENCRYPTION_KEY: KEY_A, REPORT_ENCRYPTION_OLD_KEYS: [KEY_B, 'short'] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/^REPORT_ENCRYPTION_OLD_KEYS \(entry 2\): .*32 bytes/);
    const orphan = cipherFromEnv({ REPORT_ENCRYPTION_OLD_KEYS: [KEY_B] });
    expect(orphan.ok).toBe(false);
  });

  it('without a key, encryption is off and values are stored as given (the documented optional mode)', () => {
    const plain = cipherOf(null);
    expect(plain.enabled).toBe(false);
    expect(plain.seal('VULN-0001', 'text')).toBe('text');
    const sealed = createReportCipher(keyFromBase64(KEY_A)).seal('VULN-0001', 'text');
    expect(() => plain.open('VULN-0001', sealed)).toThrow(EncryptionError);
  });
});
