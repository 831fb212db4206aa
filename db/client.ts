import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { pipelinedTransactions } from './pipelined-transaction.ts';
import * as schema from './schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  readonly db: Database;
  /** Runs work in one transaction; Drizzle's `db.transaction` unless the driver has a faster way. */
  readonly transaction: <T>(work: (db: Database) => Promise<T>) => Promise<T>;
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, without credentials. */
  readonly location: string;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Embedded PGlite settings. PostgreSQL's default 128 MB of shared buffers lives inside PGlite's
 * WebAssembly memory, so it is resident in this process: 16 MB keeps an existing data folder at about
 * 210 MB RSS instead of about 345 MB (measured by `npm run bench`, see BENCHMARKS.md), and pages
 * beyond it are read from the data folder through the OS page cache.
 */
export const PGLITE_OPTIONS = { postgresqlconf: ['shared_buffers = 16MB'] };

export type DatabaseTarget =
  | { readonly url: string }
  | { readonly dataDir: string }
  | { readonly pglite: PGlite };

const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres';
  }
};

/** Opens PostgreSQL (postgres.js) or an embedded PGlite database and applies pending migrations. */
export const openDatabase = async (target: DatabaseTarget): Promise<DatabaseHandle> => {
  if ('url' in target) {
    const client = postgres(target.url, { max: 10, onnotice: () => {}, prepare: true });
    const db = drizzlePostgres(client, { schema });
    await migratePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: db as unknown as Database,
      transaction: pipelinedTransactions(client),
      kind: 'postgres',
      location: redactUrl(target.url),
      close: () => client.end({ timeout: 5 }),
    };
  }
  // Loaded only when used: PGlite (WebAssembly PostgreSQL) costs ~200 ms and ~40 MB RSS to import,
  // which a PostgreSQL deployment should not pay at start-up.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const external = 'pglite' in target;
  if (!external) mkdirSync(target.dataDir, { recursive: true });
  const client = external ? target.pglite : new PGlite(target.dataDir, PGLITE_OPTIONS);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db: db as unknown as Database,
    transaction: (work) => db.transaction((tx) => work(tx as unknown as Database)),
    kind: 'pglite',
    location: external ? 'pglite (in memory)' : path.resolve(target.dataDir),
    close: async () => {
      if (!external) await client.close();
    },
  };
};

/** Rows of a raw query, whatever the driver's result shape. */
export const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
