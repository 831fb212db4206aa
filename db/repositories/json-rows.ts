import type { Database } from '../client.ts';
import { rowsOf } from '../client.ts';

/**
 * Many rows as one parameter: a JSON array of objects keyed by column name, read back in SQL with
 * `jsonb_populate_recordset(null::<table>, $1::text::jsonb)`, which types every field as the table's
 * column. The statement text is the same for one row or a hundred, so it is prepared once per
 * connection, and the driver sends one value instead of one per column and row.
 */
export const jsonRows = (rows: readonly Record<string, unknown>[]): string => JSON.stringify(rows);

/** An instant as PostgreSQL reads it back exactly (millisecond precision, UTC). */
export const instantText = (at: Date | null): string | null => (at === null ? null : at.toISOString());

/**
 * Runs a fixed statement (`$1`, `$2`… placeholders) as a named prepared statement. Drizzle sends
 * unnamed statements otherwise, for which postgres.js first asks the server for the parameter types:
 * two round trips per query instead of one. PGlite ignores the name.
 */
export const runPrepared = async <T>(
  db: Database,
  name: string,
  text: string,
  params: readonly unknown[],
): Promise<T[]> => {
  const statement = db._.session.prepareQuery({ sql: text, params: [...params] }, undefined, name, false);
  return rowsOf<T>(await statement.execute());
};
