import { type Column, getTableColumns, type Table } from 'drizzle-orm';

type Key<T extends Table> = keyof T['$inferSelect'] & string;

const driverValue = (column: Column | undefined, value: unknown): unknown =>
  value === null || value === undefined ? null : column ? column.mapToDriverValue(value) : value;

/**
 * Fixed SQL for a Drizzle table, built once: hot statements then skip Drizzle's per-call query
 * building and run as named prepared statements (`runPrepared`), values mapped as Drizzle maps them.
 */
export const tableRows = <T extends Table>(table: T) => {
  const columns = Object.entries(getTableColumns(table)) as [Key<T>, Column][];
  const byKey = new Map<string, Column>(columns);
  const nameOf = (key: string) => byKey.get(key)?.name ?? key;
  return {
    /** `"snake_name" as "camelKey", …`: a select list whose rows `fromDriver` reads. */
    selectList: columns.map(([key, column]) => `"${column.name}" as "${key}"`).join(', '),
    fromDriver(raw: Record<string, unknown>): T['$inferSelect'] {
      const row: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = raw[key];
        row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return row as T['$inferSelect'];
    },
    /** Values keyed by column name, mapped as Drizzle maps them (for `jsonb_populate_recordset`). */
    byColumnName(values: Partial<Record<Key<T>, unknown>>): Record<string, unknown> {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values))
        row[nameOf(key)] = driverValue(byKey.get(key), value);
      return row;
    },
    /** `update <table> set <keys> where <idKey> = $1`, the values following as $2, $3, … */
    updateBy(tableName: string, idKey: Key<T>, keys: readonly Key<T>[]) {
      const text = `update "${tableName}" set ${keys.map((key, i) => `"${nameOf(key)}" = $${i + 2}`).join(', ')} where "${nameOf(idKey)}" = $1`;
      const params = (id: unknown, values: Partial<Record<Key<T>, unknown>>): unknown[] => [
        driverValue(byKey.get(idKey), id),
        ...keys.map((key) => driverValue(byKey.get(key), values[key])),
      ];
      return { text, params };
    },
  };
};
