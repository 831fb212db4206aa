/**
 * `npm run bench`: every figure of issue 7 in one run, each component in its own process:
 * the fake Slack Web API (bench/fake-slack.ts), the load generator (bench/load.ts), a bare Bolt app
 * as the baseline (bench/bare-bolt.ts), the real bot (`src/main.ts`) and the digest timer
 * (bench/digest-bench.ts). Prints a table and writes BENCHMARKS.md. The bot and bare Bolt are compiled
 * once per run and started as `npm run start:prod` starts the bot (bench/lib/runner.ts).
 *
 * Options: --quick (the smoke run), --only=http,pglite,digest, --profile (node --cpu-prof on the
 * bot), --tsx (bot and bare Bolt under tsx, as `npm start`), --no-write (do not touch BENCHMARKS.md),
 * --json=<file>, --pglite-1m=off, and
 * --intake-count / --form-count / --click-count / --pglite-intake-count=<n> to change run lengths,
 * --scenarios=form,triage,intake to run only some of the HTTP scenarios.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres); the harness
 * creates and drops its own databases (vulndesk_bench_<pid>_<n>).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { DigestPoint } from './digest-bench.ts';
import type { FakeSlackRecords } from './fake-slack.ts';
import { sleep } from './lib/clock.ts';
import { machineInfo, otherLoad } from './lib/machine.ts';
import { cpuMeter, ROOT, rssMb, type Spawned, sampleRss, spawnTs } from './lib/proc.ts';
import {
  type BenchResults,
  type CpuUse,
  type DigestResults,
  type IntakeRun,
  renderMarkdown,
  renderTable,
  updateBenchmarksFile,
} from './lib/report.ts';
import { BENCH, type ClickTarget, intakeKeyPrefix } from './lib/requests.ts';
import { prepareRunner, type Runner } from './lib/runner.ts';
import { cardTs, growReports, insertCards } from './lib/seed.ts';
import { median, summarize } from './lib/stats.ts';
import type { LoadJob, LoadResult } from './load.ts';
import { formatProfile, summarizeProfile } from './profile-summary.ts';

type Section = 'http' | 'pglite' | 'digest';

interface Settings {
  readonly quick: boolean;
  readonly sections: ReadonlySet<Section>;
  /** Parts of the http section: form, triage, intake. */
  readonly scenarios: ReadonlySet<string>;
  readonly profile: boolean;
  /** Run the bot and bare Bolt under tsx (as `npm start`) instead of compiled (as `npm run start:prod`). */
  readonly tsx: boolean;
  readonly write: boolean;
  readonly json: string;
  readonly pgliteMillion: boolean;
  readonly boots: number;
  readonly formRate: number;
  readonly formCount: number;
  readonly clickRate: number;
  readonly clickCount: number;
  readonly clickReports: number;
  readonly intakeCount: number;
  readonly intakeConnections: readonly number[];
  readonly warmup: number;
  readonly pgliteIntakeCount: number;
  readonly digestSizes: readonly number[];
  readonly pgliteDigestSizes: readonly number[];
  readonly digestIterations: number;
}

const parseSettings = (argv: readonly string[]): Settings => {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const count = (name: string) => (value(name) === undefined ? undefined : Number(value(name)));
  const quick = flag('quick');
  const only = value('only');
  const sections = new Set<Section>(
    only ? (only.split(',') as Section[]) : quick ? ['http', 'digest'] : ['http', 'pglite', 'digest'],
  );
  return {
    quick,
    sections,
    scenarios: new Set((value('scenarios') ?? 'form,triage,intake').split(',')),
    profile: flag('profile'),
    tsx: flag('tsx'),
    write: !quick && !flag('no-write'),
    json: value('json') ?? path.join(ROOT, 'bench', 'results', quick ? 'quick.json' : 'latest.json'),
    pgliteMillion: value('pglite-1m') !== 'off',
    boots: quick ? 1 : 3,
    formRate: 100,
    formCount: count('form-count') ?? (quick ? 60 : 2000),
    clickRate: 200,
    clickCount: count('click-count') ?? (quick ? 120 : 3000),
    clickReports: quick ? 40 : 1000,
    intakeCount: count('intake-count') ?? (quick ? 200 : 10_000),
    intakeConnections: [10, 50],
    warmup: quick ? 30 : 500,
    pgliteIntakeCount: count('pglite-intake-count') ?? (quick ? 200 : 3000),
    digestSizes: quick ? [10_000] : [10_000, 100_000, 1_000_000],
    pgliteDigestSizes: quick ? [10_000] : [10_000, 100_000, 1_000_000],
    digestIterations: quick ? 5 : 20,
  };
};

const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Everything started, to stop and remove whatever happens. */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
const runCleanups = async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
};

const track = (spawned: Spawned): Spawned => {
  cleanups.push(() => spawned.stop(3000));
  return spawned;
};

// ---- PostgreSQL databases -------------------------------------------------------------------------

const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
let dbCounter = 0;

const withDatabase = (name: string): string => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

const createDatabase = async (): Promise<{ name: string; url: string; sql: postgres.Sql }> => {
  dbCounter += 1;
  const name = `vulndesk_bench_${process.pid}_${dbCounter}`;
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(name);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  cleanups.push(async () => {
    await sql.end({ timeout: 2 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  });
  return { name, url, sql };
};

// ---- processes ------------------------------------------------------------------------------------

interface Bot {
  readonly proc: Spawned;
  readonly url: string;
  readonly readyMs: number;
  /** Warnings and errors the bot logged, by message; `take` returns them and starts over. */
  readonly problems: { take(): Record<string, number> };
}

/** Counts pino lines at warn level or above, by message. */
const problemCounter = (proc: Spawned) => {
  let counts = new Map<string, number>();
  proc.onLine((line) => {
    if (!line.startsWith('{')) return;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: string; error?: string };
      if ((entry.level ?? 0) < 40) return;
      const detail = entry.err ?? entry.error;
      const key = `${entry.msg ?? '?'}${detail ? ` (${String(detail).slice(0, 80)})` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      // not a log line
    }
  });
  return {
    take() {
      const taken = Object.fromEntries(counts);
      counts = new Map();
      return taken;
    },
  };
};

const jsonLine = <T>(line: string): T => JSON.parse(line.slice(line.indexOf('{'))) as T;

let runner: Runner;
let profileCount = 0;
const PROFILE_DIR = path.join(ROOT, 'bench', 'results', 'profiles');

/**
 * BENCH_BOT_ENV adds settings to the bot, to measure one (e.g. `HTTP_THREAD=true`) against the
 * defaults: space-separated NAME=value pairs.
 */
const botSettingsFromEnv = (): Record<string, string> =>
  Object.fromEntries(
    (process.env.BENCH_BOT_ENV ?? '')
      .split(/\s+/)
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );

const startBot = async (
  settings: Settings,
  fakeUrl: string,
  database: { url: string } | { dataDir: string },
  label: string,
): Promise<Bot> => {
  // One folder per bot: Node writes a profile per thread (under tsx, its loader has its own thread).
  const nodeArgs = settings.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROFILE_DIR, `bot-${++profileCount}-${label}`)}`]
    : [];
  const proc = track(
    runner.bot({
      nodeArgs,
      env: {
        LOG_LEVEL: 'info',
        SLACK_BOT_TOKEN: BENCH.botToken,
        SLACK_SIGNING_SECRET: BENCH.signingSecret,
        SLACK_TRIAGE_CHANNEL: BENCH.triageChannel,
        SLACK_API_URL: fakeUrl,
        PORT: '0',
        TRIAGERS: `slack:${BENCH.triager.id}`,
        ASSETS: BENCH.asset,
        ...('url' in database ? { DATABASE_URL: database.url } : { DATA_DIR: database.dataDir }),
        ...botSettingsFromEnv(),
      },
    }),
  );
  const problems = problemCounter(proc);
  const ready = await proc.waitForLine(/vulndesk is running/, 120_000);
  const port = jsonLine<{ port: number }>(ready.line).port;
  return {
    proc,
    url: `http://127.0.0.1:${port}/slack/events`,
    readyMs: ready.at - proc.startedAt,
    problems,
  };
};

const startBareBolt = async (fakeUrl: string): Promise<Bot> => {
  const proc = track(
    runner.bareBolt({
      env: {
        BENCH_SIGNING_SECRET: BENCH.signingSecret,
        BENCH_BOT_TOKEN: BENCH.botToken,
        BENCH_SLACK_API_URL: fakeUrl,
      },
    }),
  );
  const ready = await proc.waitForLine(/"bareBolt"/, 60_000);
  const port = jsonLine<{ bareBolt: number }>(ready.line).bareBolt;
  return {
    proc,
    url: `http://127.0.0.1:${port}/slack/events`,
    readyMs: ready.at - proc.startedAt,
    problems: { take: () => ({}) },
  };
};

/** Boots `times` times on an existing database, keeps the last one running. */
const bootRepeatedly = async (
  times: number,
  boot: () => Promise<Bot>,
): Promise<{ bot: Bot; bootsMs: number[] }> => {
  const bootsMs: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const bot = await boot();
    bootsMs.push(bot.readyMs);
    if (i === times - 1) return { bot, bootsMs };
    await bot.proc.stop();
  }
  throw new Error('no boot');
};

// ---- scenario helpers -------------------------------------------------------------------------------

let fake: Spawned;
let load: Spawned;
let responseUrl = '';

const runLoad = (job: Omit<LoadJob, 'secret' | 'responseUrl'>): Promise<LoadResult> =>
  load.call<LoadResult>({
    type: 'run',
    job: { ...job, secret: BENCH.signingSecret, responseUrl } satisfies LoadJob,
  });

const collect = () => fake.call<FakeSlackRecords>({ type: 'collect' });

interface Target {
  readonly pid: number;
  /** The database whose backends count as this target's PostgreSQL work. */
  readonly database?: string;
}

const backendPids = async (database: string | undefined): Promise<number[]> => {
  if (!database) return [];
  const rows = await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database}`;
  return rows.map((row) => row.pid);
};

/** Starts sampling RSS and counting CPU of a target; `stop` returns the peak RSS and the CPU used. */
/**
 * What the target's PostgreSQL backends are doing, sampled every 50 ms: `state: wait event` shares
 * (e.g. "active: Lock/advisory" when transactions queue for the audit chain's lock).
 */
const sampleBackends = (database: string | undefined) => {
  const tally = new Map<string, number>();
  let total = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (!database || busy) return;
    busy = true;
    void admin<{ s: string }[]>`
      select coalesce(state, '?') || ': ' || coalesce(wait_event_type || '/' || wait_event, 'running') as s
      from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`
      .then((rows) => {
        for (const row of rows) {
          tally.set(row.s, (tally.get(row.s) ?? 0) + 1);
          total += 1;
        }
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 50);
  return {
    stop(): Record<string, number> {
      clearInterval(timer);
      return Object.fromEntries(
        [...tally.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([state, n]) => [state, Math.round((1000 * n) / Math.max(1, total)) / 10]),
      );
    },
  };
};

/** Starts sampling RSS and counting CPU of a target; `stop` returns the peak RSS and the CPU used. */
const startMeasure = async (target: Target) => {
  const rss = sampleRss(target.pid, 100);
  const backends = sampleBackends(target.database);
  const meters = await Promise.all([
    cpuMeter(() => [target.pid]),
    cpuMeter(() => backendPids(target.database)),
    cpuMeter(() => [load.pid]),
    cpuMeter(() => [fake.pid]),
  ]);
  return {
    async stop(): Promise<{ peakMb: number; cpu: CpuUse; backends: Record<string, number> }> {
      const [processMs, postgresMs, loadMs, fakeMs] = await Promise.all(meters.map((m) => m.stop()));
      return {
        peakMb: rss.stop(),
        backends: backends.stop(),
        cpu: {
          processMs: processMs ?? 0,
          postgresMs: postgresMs ?? 0,
          loadMs: loadMs ?? 0,
          fakeMs: fakeMs ?? 0,
        },
      };
    },
  };
};

const measure = async <T>(target: Target, work: () => Promise<T>) => {
  const measuring = await startMeasure(target);
  try {
    const result = await work();
    return { result, ...(await measuring.stop()) };
  } catch (error) {
    await measuring.stop();
    throw error;
  }
};

/** CPU per request, in milliseconds. */
const perRequest = (cpu: CpuUse, requests: number): CpuUse => ({
  processMs: cpu.processMs / requests,
  postgresMs: cpu.postgresMs / requests,
  loadMs: cpu.loadMs / requests,
  fakeMs: cpu.fakeMs / requests,
});

const settleIdle = async (pid: number, ms: number): Promise<number> => {
  await sleep(ms);
  return rssMb(pid);
};

const countStored = async (sql: postgres.Sql, tag: string): Promise<number> => {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from reports where submission_key like ${`${intakeKeyPrefix(tag)}%`}`;
  return row?.n ?? 0;
};

const pendingOutbox = async (sql: postgres.Sql): Promise<number> => {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from outbox where state = 'pending'`;
  return row?.n ?? 0;
};

const intakeFigures = (result: LoadResult) => {
  const seconds = result.durationMs / 1000;
  const ok2xx = Object.entries(result.status)
    .filter(([code]) => code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    count: result.sent,
    durationMs: result.durationMs,
    ok2xx,
    perSecond: ok2xx / seconds,
    latency: result.latency,
    status: result.status,
    errors: result.errors,
    timeouts: result.timeouts,
    bodies: result.bodies,
  };
};

// ---- the sections -----------------------------------------------------------------------------------

const httpSection = async (settings: Settings, fakeUrl: string, results: BenchResults) => {
  // Start-up on an existing database: a first boot creates the schema, the next ones are timed.
  // (The quick run only boots once, on the new database.)
  const dbA = await createDatabase();
  log('PostgreSQL: first boot (migrations)');
  const first = await startBot(settings, fakeUrl, { url: dbA.url }, 'first-boot');
  let pgBoots = { bot: first, bootsMs: [first.readyMs] };
  if (!settings.quick) {
    await first.proc.stop();
    log(`PostgreSQL: ${settings.boots} timed boots on the existing database`);
    pgBoots = await bootRepeatedly(settings.boots, () =>
      startBot(settings, fakeUrl, { url: dbA.url }, 'main'),
    );
  }
  const bareBoots = await bootRepeatedly(settings.boots, () => startBareBolt(fakeUrl));
  const bot = pgBoots.bot;
  const bare = bareBoots.bot;
  results.startup.postgres = {
    firstBootMs: first.readyMs,
    bootsMs: pgBoots.bootsMs,
    medianMs: median(pgBoots.bootsMs),
  };
  results.startup.bareBolt = { bootsMs: bareBoots.bootsMs, medianMs: median(bareBoots.bootsMs) };

  results.rss.postgresIdleMb = await settleIdle(bot.proc.pid, 1500);
  results.rss.bareIdleMb = rssMb(bare.proc.pid);
  let botPeak = results.rss.postgresIdleMb;
  let barePeak = results.rss.bareIdleMb;
  const botTarget: Target = { pid: bot.proc.pid, database: dbA.name };
  const bareTarget: Target = { pid: bare.proc.pid };

  if (settings.scenarios.has('form')) {
    // Form open: /report-vuln at a fixed rate; the fake notes when each views.open arrives.
    log(`form open: ${settings.formCount} x /report-vuln at ${settings.formRate}/s`);
    const formJob = (url: string, tag: string, count: number) =>
      runLoad({ mode: 'paced', kind: 'command', url, tag, count, rate: settings.formRate });
    await formJob(bare.url, 'fwb', settings.warmup);
    const bareForm = await measure(bareTarget, () => formJob(bare.url, 'fb', settings.formCount));
    barePeak = Math.max(barePeak, bareForm.peakMb);
    await formJob(bot.url, 'fwv', settings.warmup);
    bot.problems.take();
    await sleep(300);
    await collect();
    const botForm = await measure(botTarget, async () => {
      const result = await formJob(bot.url, 'fv', settings.formCount);
      await sleep(500);
      return { result, records: await collect() };
    });
    botPeak = Math.max(botPeak, botForm.peakMb);
    const opened = new Map(botForm.result.records.viewsOpen.map((a) => [a.key, a.at]));
    const delays: number[] = [];
    for (const request of botForm.result.result.requests ?? []) {
      const at = opened.get(request.key);
      if (at !== undefined) delays.push(at - request.sendAt);
    }
    results.formOpen = {
      rate: settings.formRate,
      count: settings.formCount,
      viewsOpen: summarize(delays),
      missing: settings.formCount - delays.length,
      botAck: botForm.result.result.latency,
      bareAck: bareForm.result.latency,
      botStatus: botForm.result.result.status,
      bareStatus: bareForm.result.status,
      scheduleLag: botForm.result.result.scheduleLag ?? summarize([]),
      botCpu: perRequest(botForm.cpu, settings.formCount),
      botLog: bot.problems.take(),
      backends: botForm.backends,
      bareCpu: perRequest(bareForm.cpu, settings.formCount),
    };
  }

  if (settings.scenarios.has('triage')) {
    // Triage clicks on pre-created reports whose cards exist, so each change is a chat.update.
    log(
      `triage: ${settings.clickCount} severity clicks at ${settings.clickRate}/s over ${settings.clickReports} cards`,
    );
    const exec = (query: string) => dbA.sql.unsafe(query);
    await growReports(exec, 0, settings.clickReports, settings.clickReports);
    // No severity yet, so the first click (High) and each later one (Medium, High, ...) is a change.
    await exec('update reports set severity = null, cvss_vector = null, cvss_score = null');
    await insertCards(exec, 1, settings.clickReports, BENCH.triageChannel);
    const targets: ClickTarget[] = Array.from({ length: settings.clickReports }, (_, i) => ({
      reportId: `VULN-${String(i + 1).padStart(4, '0')}`,
      messageTs: cardTs(i + 1),
    }));
    const clickJob = (url: string, tag: string, count: number, seqStart: number) =>
      runLoad({ mode: 'paced', kind: 'click', url, tag, count, rate: settings.clickRate, targets, seqStart });
    const clickWarmup = Math.min(settings.warmup, settings.clickReports);
    await clickJob(bare.url, 'cwb', clickWarmup, 0);
    const bareClicks = await measure(bareTarget, () =>
      clickJob(bare.url, 'cb', settings.clickCount, clickWarmup),
    );
    barePeak = Math.max(barePeak, bareClicks.peakMb);
    await clickJob(bot.url, 'cwv', clickWarmup, 0);
    bot.problems.take();
    await waitForOutbox(dbA.sql, ['triage_card'], 60_000);
    await collect();
    const transitionsBefore = await settledCount(() => countTransitions(dbA.sql), 30_000);
    const botClicks = await measure(botTarget, async () => {
      const sent = await clickJob(bot.url, 'cv', settings.clickCount, clickWarmup);
      // Then wait for the card updates: until every click has one, or nothing new for 3 s.
      const arrivals = new Map<string, number[]>();
      const clicks = sent.requests ?? [];
      let quietSince = Date.now();
      const deadline = Date.now() + 120_000;
      let matched: number[] = [];
      while (Date.now() < deadline) {
        const batch = (await collect()).chatUpdates;
        if (batch.length > 0) quietSince = Date.now();
        for (const arrival of batch) {
          const list = arrivals.get(arrival.key) ?? [];
          list.push(arrival.at);
          arrivals.set(arrival.key, list);
        }
        matched = clicks.flatMap((click) => {
          const at = arrivals.get(click.key)?.find((t) => t >= click.sendAt);
          return at === undefined ? [] : [at - click.sendAt];
        });
        if (matched.length >= clicks.length || Date.now() - quietSince > 3000) break;
        await sleep(250);
      }
      return { sent, matched };
    });
    botPeak = Math.max(botPeak, botClicks.peakMb);
    const { sent, matched } = botClicks.result;
    results.triage = {
      rate: settings.clickRate,
      count: settings.clickCount,
      reports: settings.clickReports,
      botAck: sent.latency,
      bareAck: bareClicks.result.latency,
      cardUpdate: summarize(matched),
      missing: (sent.requests?.length ?? 0) - matched.length,
      transitions: (await settledCount(() => countTransitions(dbA.sql), 30_000)) - transitionsBefore,
      botStatus: sent.status,
      bareStatus: bareClicks.result.status,
      outboxPendingAfter: await pendingOutbox(dbA.sql),
      scheduleLag: sent.scheduleLag ?? summarize([]),
      botCpu: perRequest(botClicks.cpu, settings.clickCount),
      botLog: bot.problems.take(),
      backends: botClicks.backends,
      bareCpu: perRequest(bareClicks.cpu, settings.clickCount),
    };
  }
  if (!settings.quick) await bot.proc.stop();

  if (settings.scenarios.has('intake')) {
    // Intake: a fresh database and bot per connection count, so each run starts from the same state
    // (the quick run reuses the bot above).
    for (const connections of settings.intakeConnections) {
      log(`intake: ${settings.intakeCount} view submissions, ${connections} connections`);
      const db = settings.quick ? dbA : await createDatabase();
      const intakeBot = settings.quick
        ? bot
        : await startBot(settings, fakeUrl, { url: db.url }, `intake-${connections}`);
      const closed = (url: string, tag: string, count: number) =>
        runLoad({ mode: 'closed', kind: 'intake', url, tag, count, connections });
      const warmup = Math.max(settings.warmup, connections * 4);
      await closed(bare.url, `wb${connections}`, warmup);
      const bareRun = await measure(bareTarget, () =>
        closed(bare.url, `b${connections}`, settings.intakeCount),
      );
      barePeak = Math.max(barePeak, bareRun.peakMb);
      await closed(intakeBot.url, `wv${connections}`, warmup);
      intakeBot.problems.take();
      await sleep(500);
      const botRun = await measure({ pid: intakeBot.proc.pid, database: db.name }, () =>
        closed(intakeBot.url, `v${connections}`, settings.intakeCount),
      );
      botPeak = Math.max(botPeak, botRun.peakMb);
      const stored = await countStored(db.sql, `v${connections}`);
      const figures = intakeFigures(botRun.result);
      const run: IntakeRun = {
        connections,
        bot: { ...figures, stored, storedPerSecond: stored / (botRun.result.durationMs / 1000) },
        bare: intakeFigures(bareRun.result),
        outboxPendingAfter: await pendingOutbox(db.sql),
        botCpu: perRequest(botRun.cpu, settings.intakeCount),
        botLog: intakeBot.problems.take(),
        backends: botRun.backends,
        bareCpu: perRequest(bareRun.cpu, settings.intakeCount),
      };
      results.intake.push(run);
      if (!settings.quick) await intakeBot.proc.stop();
    }
  }
  await bot.proc.stop();
  results.rss.postgresLoadPeakMb = botPeak;
  results.rss.bareLoadPeakMb = barePeak;
  await bare.proc.stop();
};

/** Polls a count until it has not changed for a second (clicks are acked before their change commits). */
const settledCount = async (count: () => Promise<number>, timeoutMs: number): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  let last = await count();
  let stableSince = Date.now();
  while (Date.now() < deadline && Date.now() - stableSince < 1000) {
    await sleep(200);
    const now = await count();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
  return last;
};

/** Waits until no message of these payload types is pending (the warm-up's card updates are out). */
const waitForOutbox = async (sql: postgres.Sql, types: string[], timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from outbox where state = 'pending' and payload->>'type' in ${sql(types)}`;
    if ((row?.n ?? 0) === 0) return;
    await sleep(250);
  }
};

const countTransitions = async (sql: postgres.Sql): Promise<number> => {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from audit_events where action = 'report.severity_set' and actor_id = ${BENCH.triager.id}`;
  return row?.n ?? 0;
};

const pgliteSection = async (settings: Settings, fakeUrl: string, results: BenchResults) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vulndesk-bench-pglite-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  log('PGlite: first boot (initdb and migrations)');
  const first = await startBot(settings, fakeUrl, { dataDir }, 'pglite-first-boot');
  await first.proc.stop();
  log(`PGlite: ${settings.boots} timed boots on the existing data folder`);
  const boots = await bootRepeatedly(settings.boots, () =>
    startBot(settings, fakeUrl, { dataDir }, 'pglite'),
  );
  const bot = boots.bot;
  results.startup.pglite = {
    firstBootMs: first.readyMs,
    bootsMs: boots.bootsMs,
    medianMs: median(boots.bootsMs),
  };
  results.rss.pgliteIdleMb = await settleIdle(bot.proc.pid, 1500);
  log(`PGlite: intake, ${settings.pgliteIntakeCount} view submissions, 10 connections`);
  await runLoad({
    mode: 'closed',
    kind: 'intake',
    url: bot.url,
    tag: 'pw',
    count: settings.warmup,
    connections: 10,
  });
  const run = await measure({ pid: bot.proc.pid }, () =>
    runLoad({
      mode: 'closed',
      kind: 'intake',
      url: bot.url,
      tag: 'pv',
      count: settings.pgliteIntakeCount,
      connections: 10,
    }),
  );
  results.rss.pgliteLoadPeakMb = run.peakMb;
  results.pgliteIntake = {
    ...intakeFigures(run.result),
    cpu: perRequest(run.cpu, settings.pgliteIntakeCount),
  };
  await bot.proc.stop();
};

const digestEngine = async (
  settings: Settings,
  engine: 'postgres' | 'pglite',
  sizes: readonly number[],
): Promise<{ points: DigestPoint[]; note?: string }> => {
  const child = track(spawnTs('bench/digest-bench.ts', { ipc: true }));
  await child.waitForLine(/"digest"/, 60_000);
  let target: Record<string, unknown>;
  if (engine === 'postgres') {
    target = { engine, url: (await createDatabase()).url };
  } else {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vulndesk-bench-digest-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    target = { engine, dataDir };
  }
  await child.call({ type: 'open', ...target }, 120_000);
  const points: DigestPoint[] = [];
  let note: string | undefined;
  for (const reports of sizes) {
    if (engine === 'pglite' && reports >= 1_000_000 && !settings.pgliteMillion) {
      note = 'PGlite at 1M reports was skipped (--pglite-1m=off).';
      break;
    }
    log(`digest: ${engine}, ${reports.toLocaleString('en')} reports`);
    const budgetMs = engine === 'pglite' ? 900_000 : 600_000;
    try {
      points.push(
        await child.call<DigestPoint>(
          { type: 'grow', reports, open: 1000, iterations: settings.digestIterations },
          budgetMs,
        ),
      );
    } catch (error) {
      note = `${engine} at ${reports.toLocaleString('en')} reports did not complete within ${budgetMs / 60_000} min (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`;
      break;
    }
  }
  if (note === undefined) await child.call({ type: 'close' }, 60_000).catch(() => undefined);
  await child.stop(5000);
  return note === undefined ? { points } : { points, note };
};

const digestSection = async (settings: Settings, results: BenchResults) => {
  const postgresRun = await digestEngine(settings, 'postgres', settings.digestSizes);
  const digest: DigestResults = { postgres: postgresRun.points, pglite: [], notes: [] };
  if (postgresRun.note) digest.notes.push(postgresRun.note);
  if (!settings.quick || settings.sections.has('pglite')) {
    const pgliteRun = await digestEngine(settings, 'pglite', settings.pgliteDigestSizes);
    digest.pglite = pgliteRun.points;
    if (pgliteRun.note) digest.notes.push(pgliteRun.note);
  }
  results.digest = digest;
};

// ---- main ------------------------------------------------------------------------------------------

const main = async (): Promise<number> => {
  const settings = parseSettings(process.argv.slice(2));
  const started = Date.now();
  const [pgVersionRow] = await admin<{ version: string }[]>`select version()`;
  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: settings.quick,
    machine: machineInfo(),
    postgres: pgVersionRow?.version.split(' on ')[0] ?? '?',
    loadBefore: os.loadavg(),
    loadAfter: [],
    busiestBefore: otherLoad(),
    durationS: 0,
    startup: {},
    rss: {},
    intake: [],
    profiles: {},
  };
  mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  if (settings.profile) {
    rmSync(PROFILE_DIR, { recursive: true, force: true });
    mkdirSync(PROFILE_DIR, { recursive: true });
  }

  if (settings.sections.has('http') || settings.sections.has('pglite')) {
    log(settings.tsx ? 'bot and bare Bolt run under tsx' : 'compiling the bot and bare Bolt');
    runner = prepareRunner(settings.tsx ? 'tsx' : 'production');
    cleanups.push(() => runner.dispose());
    results.runner = runner.description;
  }
  fake = track(spawnTs('bench/fake-slack.ts', { ipc: true }));
  const fakeUrl = jsonLine<{ fakeSlack: string }>(
    (await fake.waitForLine(/"fakeSlack"/, 60_000)).line,
  ).fakeSlack;
  responseUrl = fakeUrl.replace(/\/api\/$/, '/response/');
  load = track(spawnTs('bench/load.ts', { ipc: true }));
  await load.waitForLine(/"load"/, 60_000);

  if (settings.sections.has('http')) await httpSection(settings, fakeUrl, results);
  if (settings.sections.has('pglite')) await pgliteSection(settings, fakeUrl, results);
  if (settings.sections.has('digest')) await digestSection(settings, results);

  results.loadAfter = os.loadavg();
  results.durationS = (Date.now() - started) / 1000;
  await runCleanups();

  if (settings.profile) {
    // Per bot, the busiest thread's profile: the main thread, not the module loader's.
    for (const bot of readdirSync(PROFILE_DIR)) {
      const folder = path.join(PROFILE_DIR, bot);
      const summaries = readdirSync(folder)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => summarizeProfile(path.join(folder, f), 25))
        .sort((a, b) => b.totalMs - b.idleMs - (a.totalMs - a.idleMs));
      const busiest = summaries[0];
      if (!busiest) continue;
      results.profiles[bot] = formatProfile(busiest);
      writeFileSync(path.join(PROFILE_DIR, `${bot}.txt`), `${results.profiles[bot]}\n`);
    }
  }

  writeFileSync(settings.json, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderTable(results)}\n`);
  if (settings.write) {
    updateBenchmarksFile(path.join(ROOT, 'BENCHMARKS.md'), renderMarkdown(results));
    log('BENCHMARKS.md updated');
  }
  log(`results: ${path.relative(ROOT, settings.json)} (${results.durationS.toFixed(0)} s)`);
  return 0;
};

process.once('SIGINT', () => {
  void runCleanups().finally(() => process.exit(130));
});

main()
  .catch(async (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await runCleanups();
    return 1;
  })
  .then(async (code) => {
    await admin.end({ timeout: 2 });
    process.exit(code);
  });
