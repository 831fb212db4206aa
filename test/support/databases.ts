import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import type { Store } from '../../src/ports/store.ts';
import { pgliteFromTemplate } from './pglite-template.ts';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStore {
  readonly store: Store;
  readonly url?: string;
  /** Empties every table and restarts the report sequence. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Test-only reset; replica mode lets it empty the append-only audit table. */
const TRUNCATE = [
  'set session_replication_role = replica',
  'truncate reports, audit_events, outbox, cards, digest_claims, reminders, seen_requests restart identity',
  'alter sequence report_number_seq restart with 1',
  'set session_replication_role = origin',
].join(';\n');

export const pgliteTestStore = async (): Promise<TestStore> => {
  const pglite = await pgliteFromTemplate();
  const handle = await openDatabase({ pglite });
  const store = createStore(handle);
  return {
    store,
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

/** A fresh PostgreSQL database for one test file, dropped when closed. */
export const postgresTestStore = async (): Promise<TestStore> => {
  const name = `vulndesk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(TEST_DATABASE_URL, name);
  const handle = await openDatabase({ url });
  const raw = postgres(url, { max: 1, onnotice: () => {} });
  return {
    store: createStore(handle),
    url,
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

export const STORE_KINDS = [
  ['PGlite', pgliteTestStore],
  ['PostgreSQL', postgresTestStore],
] as const;
