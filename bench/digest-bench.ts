/**
 * Digest timing in its own process: seeds the reports table to each size (1,000 open, the rest
 * closed), then times `buildDigest` (src/use-cases/digest.ts) through the real store, and runs
 * EXPLAIN ANALYZE on the exact query the store sent (captured through a Drizzle logger on the same
 * connection). PostgreSQL or PGlite. Driven by bench/run.ts over IPC: `open`, then `grow` per size.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Logger as DrizzleLogger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type Database, type DatabaseHandle, openDatabase, PGLITE_OPTIONS, rowsOf } from '../db/client.ts';
import * as schema from '../db/schema.ts';
import { createStore } from '../db/store.ts';
import { loadConfig } from '../src/config/config.ts';
import { createAuthorizer } from '../src/ports/authorizer.ts';
import { silentLogger } from '../src/ports/logger.ts';
import type { Store } from '../src/ports/store.ts';
import type { CoreDeps } from '../src/use-cases/context.ts';
import { buildDigest } from '../src/use-cases/digest.ts';
import { monoMs } from './lib/clock.ts';
import { serveIpc } from './lib/proc.ts';
import { type Exec, growReports } from './lib/seed.ts';
import { type Summary, summarize } from './lib/stats.ts';

export interface DigestPoint {
  readonly engine: 'postgres' | 'pglite';
  readonly reports: number;
  readonly open: number;
  readonly seedMs: number;
  readonly digest: Summary;
  /** Open reports the digest read and counted. */
  readonly digestOpenCount: number;
  readonly query: string;
  readonly plan: string;
  /** The plan's top scan on reports, e.g. "Bitmap Index Scan on reports_open_idx". */
  readonly scan: string;
}

interface Session {
  readonly engine: 'postgres' | 'pglite';
  readonly exec: Exec;
  readonly explain: (query: string, params: unknown[]) => Promise<string[]>;
  readonly store: Store;
  readonly captureStore: Store;
  readonly captured: { query: string; params: unknown[] }[];
  readonly close: () => Promise<void>;
  current: number;
}

let session: Session | null = null;

const policy = (() => {
  const config = loadConfig({});
  if (!config.ok) throw new Error(config.error.message);
  return config.value.policy;
})();

const coreFor = (store: Store): CoreDeps => ({
  store,
  policy,
  authorizer: createAuthorizer([]),
  logger: silentLogger,
  now: () => new Date(),
  triagePlatforms: [],
  reportsPerHour: 0,
});

const capturingHandle = (db: Database, kind: 'postgres' | 'pglite'): DatabaseHandle => ({
  db,
  transaction: (work) => db.transaction((tx) => work(tx as unknown as Database)),
  kind,
  location: 'capture',
  close: async () => {},
});

const open = async (message: Record<string, unknown>): Promise<string> => {
  const captured: { query: string; params: unknown[] }[] = [];
  const logger: DrizzleLogger = {
    logQuery: (query, params) => {
      captured.push({ query, params });
    },
  };
  if (message.engine === 'postgres') {
    const url = String(message.url);
    const handle = await openDatabase({ url });
    const raw = postgres(url, { max: 1, onnotice: () => {}, prepare: true });
    const loggingDb = drizzlePostgres(raw, { schema, logger }) as unknown as Database;
    session = {
      engine: 'postgres',
      exec: (sql) => raw.unsafe(sql),
      explain: async (query, params) =>
        rowsOf<Record<string, string>>(
          await raw.unsafe(`explain (analyze, buffers) ${query}`, params as never[]),
        ).map((row) => String(Object.values(row)[0])),
      store: createStore(handle),
      captureStore: createStore(capturingHandle(loggingDb, 'postgres')),
      captured,
      close: async () => {
        await raw.end();
        await handle.close();
      },
      current: 0,
    };
  } else {
    const dataDir = typeof message.dataDir === 'string' ? message.dataDir : undefined;
    // Built as db/client.ts builds it for DATA_DIR, with the same settings.
    const pg = dataDir ? new PGlite(dataDir, PGLITE_OPTIONS) : new PGlite(PGLITE_OPTIONS);
    const handle = await openDatabase({ pglite: pg });
    const loggingDb = drizzlePglite(pg, { schema, logger }) as unknown as Database;
    session = {
      engine: 'pglite',
      exec: (sql) => pg.exec(sql),
      explain: async (query, params) =>
        (await pg.query<Record<string, string>>(`explain (analyze, buffers) ${query}`, params)).rows.map(
          (row) => String(Object.values(row)[0]),
        ),
      store: createStore(handle),
      captureStore: createStore(capturingHandle(loggingDb, 'pglite')),
      captured,
      close: () => pg.close(),
      current: 0,
    };
  }
  const existing = await session.store.reports.list({ limit: 1 });
  if (existing.length > 0) throw new Error('the digest bench needs a database without reports');
  return 'open';
};

const grow = async (message: Record<string, unknown>): Promise<DigestPoint> => {
  const s = session;
  if (!s) throw new Error('open first');
  const total = Number(message.reports);
  const openCount = Number(message.open ?? 1000);
  const iterations = Number(message.iterations ?? 20);
  const seedStart = monoMs();
  await growReports(s.exec, s.current, total, openCount);
  await s.exec('vacuum analyze reports');
  s.current = total;
  const seedMs = monoMs() - seedStart;

  const core = coreFor(s.store);
  for (let i = 0; i < 3; i += 1) await buildDigest(core);
  const timings: number[] = [];
  let digestOpenCount = 0;
  for (let i = 0; i < iterations; i += 1) {
    const started = monoMs();
    const view = await buildDigest(core);
    timings.push(monoMs() - started);
    const counts = view.sections.find((section) => section.heading === 'Open reports');
    const byStatus = counts?.items[0]?.text ?? '';
    digestOpenCount = [...byStatus.matchAll(/: (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  s.captured.length = 0;
  await buildDigest(coreFor(s.captureStore));
  const digestQuery = s.captured.find((q) => /from "reports"/.test(q.query));
  if (!digestQuery) throw new Error('the digest query was not captured');
  const plan = await s.explain(digestQuery.query, digestQuery.params);
  const scan =
    plan
      .map((line) => line.trim().replace(/^->\s*/, ''))
      .find((line) => /Scan/.test(line) && /reports/.test(line))
      ?.replace(/\s+\(cost.*$/, '') ?? '?';
  return {
    engine: s.engine,
    reports: total,
    open: openCount,
    seedMs,
    digest: summarize(timings),
    digestOpenCount,
    query: `${digestQuery.query} -- params: ${JSON.stringify(digestQuery.params)}`,
    plan: plan.join('\n'),
    scan,
  };
};

serveIpc({
  open,
  grow,
  close: async () => {
    await session?.close();
    session = null;
    return 'closed';
  },
});
process.stdout.write('{"digest":"ready"}\n');
