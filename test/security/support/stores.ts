import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase } from '../../../db/client.ts';
import type { ReportCipher } from '../../../db/encryption/report-cipher.ts';
import { createStore } from '../../../db/store.ts';
import type { Store } from '../../../src/ports/store.ts';
import { TEST_DATABASE_URL, type TestStore } from '../../support/databases.ts';

/** A test database that also answers raw SQL, as an operator (or an attacker) with a console would. */
export interface SqlTestStore extends TestStore {
  readonly kind: 'PGlite' | 'PostgreSQL';
  readonly handle: DatabaseHandle;
  /** One statement; its rows. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements in one session (e.g. `set session_replication_role = replica; ...`). */
  exec(text: string): Promise<void>;
  /** Another store on the same database, e.g. with a different encryption key. */
  storeWith(cipher?: ReportCipher): Store;
}

const TRUNCATE = [
  'set session_replication_role = replica',
  'truncate reports, audit_events, outbox, cards, digest_claims, reminders, seen_requests restart identity',
  'alter sequence report_number_seq restart with 1',
  'set session_replication_role = origin',
].join(';\n');

export const pgliteSqlStore = async (cipher?: ReportCipher): Promise<SqlTestStore> => {
  const pglite = new PGlite();
  const handle = await openDatabase({ pglite });
  return {
    kind: 'PGlite',
    handle,
    store: createStore(handle, cipher),
    storeWith: (other) => createStore(handle, other),
    query: async <T>(text: string, params: unknown[] = []) => (await pglite.query<T>(text, params)).rows,
    exec: async (text) => {
      await pglite.exec(text);
    },
    reset: async () => {
      await pglite.exec(TRUNCATE);
    },
    close: () => pglite.close(),
  };
};

const withDatabase = (url: string, name: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

/** A fresh PostgreSQL database, dropped on close. */
export const postgresSqlStore = async (cipher?: ReportCipher): Promise<SqlTestStore> => {
  const name = `vulndesk_sec_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(TEST_DATABASE_URL, name);
  const handle = await openDatabase({ url });
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  return {
    kind: 'PostgreSQL',
    url,
    handle,
    store: createStore(handle, cipher),
    storeWith: (other) => createStore(handle, other),
    query: async <T>(text: string, params: unknown[] = []) =>
      (await raw.unsafe(text, params as never[])) as unknown as T[],
    exec: async (text) => {
      await raw.unsafe(text);
    },
    reset: async () => {
      await raw.unsafe(TRUNCATE);
    },
    close: async () => {
      await raw.end();
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
};

export const SQL_STORE_KINDS = [
  ['PGlite', pgliteSqlStore],
  ['PostgreSQL', postgresSqlStore],
] as const;
