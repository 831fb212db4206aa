import { PgDialect } from 'drizzle-orm/pg-core';
import { PostgresJsDatabase, PostgresJsSession } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Database } from './client.ts';

/**
 * Transactions on postgres.js whose BEGIN does not wait for its answer: it goes out with the first
 * statement of the work, one round trip sooner than postgres.js' own `begin`, which waits. Each
 * transaction holds one pooled connection; the work's statements run through a Drizzle database on
 * it. When the work fails, the transaction is rolled back; otherwise it is committed.
 */
export const pipelinedTransactions = (client: Sql) => {
  // The client's type parsers were set by the Drizzle database opened on it; the reserved connection
  // shares them.
  const dialect = new PgDialect();
  return async <T>(work: (db: Database) => Promise<T>): Promise<T> => {
    const connection = await client.reserve();
    try {
      const begun = connection
        .unsafe('begin')
        .execute()
        .then(
          () => null,
          (error: unknown) => error,
        );
      let result: T;
      try {
        const session = new PostgresJsSession(connection, dialect, undefined);
        result = await work(new PostgresJsDatabase(dialect, session, undefined) as unknown as Database);
        const failure = await begun;
        if (failure !== null) throw failure;
      } catch (error) {
        await connection.unsafe('rollback').catch(() => undefined);
        throw error;
      }
      await connection.unsafe('commit');
      return result;
    } finally {
      connection.release();
    }
  };
};
