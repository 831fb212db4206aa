import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_FOLDER, openDatabase } from '../../../db/client.ts';
import { createStore } from '../../../db/store.ts';
import type { TestStore } from '../../support/databases.ts';

/**
 * Empties every table and restarts every sequence, whatever the schema holds now (so new tables need
 * no edit here); replica mode lets it empty the append-only audit table, as test/support does.
 */
const RESET = `
set session_replication_role = replica;
do $$
declare
  item record;
begin
  for item in select tablename from pg_tables where schemaname = 'public' loop
    execute format('truncate %I restart identity cascade', item.tablename);
  end loop;
  for item in select sequencename from pg_sequences where schemaname = 'public' loop
    execute format('alter sequence %I restart', item.sequencename);
  end loop;
end $$;
set session_replication_role = origin;`;

/** The migrations' content, so a changed migration never reuses an old snapshot. */
const migrationsHash = (): string => {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_FOLDER, file)));
  }
  return hash.digest('hex').slice(0, 16);
};

/**
 * Like `pgliteTestStore()`, but a freshly migrated database is created once and snapshotted to the
 * temp folder; later test files load the snapshot (about 0.5 s instead of 5 s of initdb + migrations).
 */
export const cachedPgliteStore = async (): Promise<TestStore> => {
  const snapshot = path.join(tmpdir(), `vulndesk-pglite-${migrationsHash()}.tar`);
  let pglite: PGlite;
  if (existsSync(snapshot)) {
    pglite = new PGlite({ loadDataDir: new Blob([readFileSync(snapshot)]) });
  } else {
    pglite = new PGlite();
    await openDatabase({ pglite });
    const dump = await pglite.dumpDataDir('none');
    const partial = `${snapshot}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, snapshot);
  }
  const handle = await openDatabase({ pglite });
  await pglite.exec(RESET);
  return {
    store: createStore(handle),
    reset: async () => {
      await pglite.exec(RESET);
    },
    close: () => pglite.close(),
  };
};
