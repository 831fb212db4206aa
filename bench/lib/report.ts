import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { DigestPoint } from '../digest-bench.ts';
import type { MachineInfo } from './machine.ts';
import type { Summary } from './stats.ts';

export interface CpuUse {
  /** CPU milliseconds used by the process under test (all its threads). */
  readonly processMs: number;
  /** By the PostgreSQL backends serving its database. */
  readonly postgresMs: number;
  /** By the load generator and by the fake Slack API (they share the machine). */
  readonly loadMs: number;
  readonly fakeMs: number;
}

export interface IntakeFigures {
  readonly count: number;
  readonly durationMs: number;
  readonly ok2xx: number;
  readonly perSecond: number;
  readonly latency: Summary;
  readonly status: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  readonly bodies: Record<string, number>;
}

export interface IntakeRun {
  readonly connections: number;
  readonly bot: IntakeFigures & { readonly stored: number; readonly storedPerSecond: number };
  readonly bare: IntakeFigures;
  readonly outboxPendingAfter: number;
  /** CPU per request, milliseconds. */
  readonly botCpu: CpuUse;
  readonly bareCpu: CpuUse;
  /** Share (%) of sampled PostgreSQL backend states, e.g. waiting for a lock. */
  readonly backends: Record<string, number>;
  /** Warnings and errors the bot logged during the run, by message. */
  readonly botLog: Record<string, number>;
}

export interface DigestResults {
  postgres: DigestPoint[];
  pglite: DigestPoint[];
  notes: string[];
}

interface Boots {
  readonly firstBootMs?: number;
  readonly bootsMs: number[];
  readonly medianMs: number;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  machine: MachineInfo;
  postgres: string;
  loadBefore: number[];
  loadAfter: number[];
  busiestBefore: string;
  /** How the bot and bare Bolt were started (compiled, as `npm run start:prod`; or under tsx). */
  runner?: string;
  durationS: number;
  startup: { postgres?: Boots; bareBolt?: Boots; pglite?: Boots };
  rss: {
    postgresIdleMb?: number;
    postgresLoadPeakMb?: number;
    bareIdleMb?: number;
    bareLoadPeakMb?: number;
    pgliteIdleMb?: number;
    pgliteLoadPeakMb?: number;
  };
  formOpen?: {
    rate: number;
    count: number;
    viewsOpen: Summary;
    missing: number;
    botAck: Summary;
    bareAck: Summary;
    botStatus: Record<string, number>;
    bareStatus: Record<string, number>;
    scheduleLag: Summary;
    botCpu: CpuUse;
    bareCpu: CpuUse;
    backends: Record<string, number>;
    botLog: Record<string, number>;
  };
  triage?: {
    rate: number;
    count: number;
    reports: number;
    botAck: Summary;
    bareAck: Summary;
    cardUpdate: Summary;
    missing: number;
    transitions: number;
    botStatus: Record<string, number>;
    bareStatus: Record<string, number>;
    outboxPendingAfter: number;
    scheduleLag: Summary;
    botCpu: CpuUse;
    bareCpu: CpuUse;
    backends: Record<string, number>;
    botLog: Record<string, number>;
  };
  intake: IntakeRun[];
  pgliteIntake?: IntakeFigures & { readonly cpu: CpuUse };
  digest?: DigestResults;
  profiles: Record<string, string>;
}

// ---- formatting -----------------------------------------------------------------------------------

const ms = (value: number | undefined): string => {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
};
const mb = (value: number | undefined): string =>
  value === undefined || Number.isNaN(value) ? 'n/a' : `${value.toFixed(0)} MB`;
const rate = (value: number | undefined, unit = '/s'): string =>
  value === undefined || Number.isNaN(value) ? 'n/a' : `${Math.round(value).toLocaleString('en')}${unit}`;
const ratio = (value: number | undefined, base: number | undefined): string =>
  value === undefined || base === undefined || Number.isNaN(value) || Number.isNaN(base) || base === 0
    ? '—'
    : `${(value / base).toFixed(2)}×`;
const verdict = (ok: boolean | undefined): string => (ok === undefined ? '—' : ok ? 'met' : 'NOT met');

const cpuText = (cpu: CpuUse | undefined): string =>
  cpu ? `${cpu.processMs.toFixed(2)} + ${cpu.postgresMs.toFixed(2)} ms` : 'n/a';

const cpuRow = (scenario: string, bot: CpuUse | undefined, bare: CpuUse | undefined) => ({
  scenario,
  metric: 'CPU per request: process + its PostgreSQL backends',
  value: cpuText(bot),
  baseline: bare ? `${bare.processMs.toFixed(2)} ms` : '—',
  ratio: bot && bare ? ratio(bot.processMs + bot.postgresMs, bare.processMs) : '—',
});

interface Row {
  readonly scenario: string;
  readonly metric: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: string;
}

const refusedIntakes = (run: IntakeFigures): number =>
  run.count - run.ok2xx + (run.bodies.errors ?? 0) + (run.bodies.empty ?? 0) + (run.bodies.other ?? 0);

export const tableRows = (r: BenchResults): Row[] => {
  const rows: Row[] = [];
  const add = (row: Partial<Row> & Pick<Row, 'scenario' | 'metric' | 'value'>) =>
    rows.push({ baseline: '—', ratio: '—', target: '', verdict: '—', ...row });

  for (const run of r.intake) {
    const scenario = `Intake, ${run.connections} connections (${run.bot.count.toLocaleString('en')} submissions)`;
    const tenConnections = run.connections === 10;
    const failures = refusedIntakes(run.bot) + Math.abs(run.bot.stored - run.bot.ok2xx);
    add({
      scenario,
      metric: 'stored reports/s (bare Bolt: acks/s)',
      value: rate(run.bot.storedPerSecond),
      baseline: rate(run.bare.perSecond),
      ratio: ratio(run.bot.storedPerSecond, run.bare.perSecond),
      target: tenConnections ? '≥ 1,000/s' : '',
      verdict: tenConnections ? verdict(run.bot.storedPerSecond >= 1000) : '—',
    });
    for (const [name, key] of [
      ['p50', 'p50'],
      ['p99', 'p99'],
      ['max', 'max'],
    ] as const) {
      add({
        scenario,
        metric: `latency ${name}`,
        value: ms(run.bot.latency[key]),
        baseline: ms(run.bare.latency[key]),
        ratio: ratio(run.bot.latency[key], run.bare.latency[key]),
        target: tenConnections && key === 'p99' ? '≤ 25 ms' : '',
        verdict: tenConnections && key === 'p99' ? verdict(run.bot.latency.p99 <= 25) : '—',
      });
    }
    add({
      scenario,
      metric: 'stored = HTTP 2xx; errors',
      value: `${run.bot.stored.toLocaleString('en')} stored = ${run.bot.ok2xx.toLocaleString('en')} 2xx; ${failures} errors`,
      baseline: `${run.bare.ok2xx.toLocaleString('en')} 2xx`,
      target: tenConnections ? 'equal, 0 errors' : 'equal',
      verdict: verdict(run.bot.stored === run.bot.ok2xx && (!tenConnections || failures === 0)),
    });
    add(cpuRow(scenario, run.botCpu, run.bareCpu));
  }

  if (r.formOpen) {
    const f = r.formOpen;
    const scenario = `Form open, /report-vuln at ${f.rate}/s (${f.count.toLocaleString('en')})`;
    add({
      scenario,
      metric: 'request → views.open at fake, p50 (bare Bolt: ack)',
      value: ms(f.viewsOpen.p50),
      baseline: ms(f.bareAck.p50),
      ratio: ratio(f.viewsOpen.p50, f.bareAck.p50),
    });
    add({
      scenario,
      metric: 'request → views.open at fake, p99 (bare Bolt: ack)',
      value: ms(f.viewsOpen.p99),
      baseline: ms(f.bareAck.p99),
      ratio: ratio(f.viewsOpen.p99, f.bareAck.p99),
      target: '≤ 5 ms',
      verdict: verdict(f.viewsOpen.p99 <= 5 && f.missing === 0),
    });
    add({
      scenario,
      metric: 'command ack p50 / p99',
      value: `${ms(f.botAck.p50)} / ${ms(f.botAck.p99)}`,
      baseline: `${ms(f.bareAck.p50)} / ${ms(f.bareAck.p99)}`,
      ratio: ratio(f.botAck.p99, f.bareAck.p99),
    });
    add(cpuRow(scenario, f.botCpu, f.bareCpu));
  }

  if (r.triage) {
    const t = r.triage;
    const scenario = `Triage click at ${t.rate}/s (${t.count.toLocaleString('en')} over ${t.reports.toLocaleString('en')} cards)`;
    add({
      scenario,
      metric: 'click ack p50',
      value: ms(t.botAck.p50),
      baseline: ms(t.bareAck.p50),
      ratio: ratio(t.botAck.p50, t.bareAck.p50),
    });
    add({
      scenario,
      metric: 'click ack p99',
      value: ms(t.botAck.p99),
      baseline: ms(t.bareAck.p99),
      ratio: ratio(t.botAck.p99, t.bareAck.p99),
      target: '≤ 1.5× bare Bolt',
      verdict: verdict(t.botAck.p99 <= 1.5 * t.bareAck.p99),
    });
    add({
      scenario,
      metric: 'click → chat.update at fake, p50 (bare Bolt: ack)',
      value: ms(t.cardUpdate.p50),
      baseline: ms(t.bareAck.p50),
      ratio: ratio(t.cardUpdate.p50, t.bareAck.p50),
    });
    add({
      scenario,
      metric: 'click → chat.update at fake, p99 (bare Bolt: ack)',
      value: ms(t.cardUpdate.p99),
      baseline: ms(t.bareAck.p99),
      ratio: ratio(t.cardUpdate.p99, t.bareAck.p99),
      target: '≤ 50 ms',
      verdict: verdict(t.cardUpdate.p99 <= 50 && t.missing === 0),
    });
    add({
      scenario,
      metric: 'changes stored / card updates seen',
      value: `${t.transitions.toLocaleString('en')} / ${(t.count - t.missing).toLocaleString('en')} of ${t.count.toLocaleString('en')}`,
      target: 'all',
      verdict: verdict(t.transitions === t.count && t.missing === 0),
    });
    add(cpuRow(scenario, t.botCpu, t.bareCpu));
  }

  const digest = r.digest;
  if (digest) {
    for (const engine of ['postgres', 'pglite'] as const) {
      const points = digest[engine];
      const smallest = points[0];
      for (const point of points) {
        const isMillionPg = engine === 'postgres' && point.reports >= 1_000_000;
        add({
          scenario: `Digest, ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}`,
          metric: `${point.reports.toLocaleString('en')} reports (1,000 open): p50 / max`,
          value: `${ms(point.digest.p50)} / ${ms(point.digest.max)}`,
          baseline:
            smallest && point !== smallest
              ? `${ms(smallest.digest.p50)} at ${smallest.reports.toLocaleString('en')}`
              : '—',
          ratio: smallest && point !== smallest ? ratio(point.digest.p50, smallest.digest.p50) : '—',
          target: isMillionPg ? '≤ 50 ms, flat in history' : '',
          verdict: isMillionPg
            ? verdict(
                point.digest.p50 <= 50 &&
                  smallest !== undefined &&
                  point.digest.p50 <= 2 * smallest.digest.p50,
              )
            : '—',
        });
      }
    }
  }

  if (r.rss.postgresIdleMb !== undefined) {
    add({
      scenario: 'Footprint, PostgreSQL',
      metric: 'RSS idle',
      value: mb(r.rss.postgresIdleMb),
      baseline: mb(r.rss.bareIdleMb),
      ratio: ratio(r.rss.postgresIdleMb, r.rss.bareIdleMb),
    });
    add({
      scenario: 'Footprint, PostgreSQL',
      metric: 'RSS peak under load',
      value: mb(r.rss.postgresLoadPeakMb),
      baseline: mb(r.rss.bareLoadPeakMb),
      ratio: ratio(r.rss.postgresLoadPeakMb, r.rss.bareLoadPeakMb),
      target: '≤ 150 MB',
      verdict: verdict((r.rss.postgresLoadPeakMb ?? Number.POSITIVE_INFINITY) <= 150),
    });
  }
  if (r.startup.postgres) {
    add({
      scenario: 'Footprint, PostgreSQL',
      metric: `ready on an existing database (median of ${r.startup.postgres.bootsMs.length})`,
      value: ms(r.startup.postgres.medianMs),
      baseline: ms(r.startup.bareBolt?.medianMs),
      ratio: ratio(r.startup.postgres.medianMs, r.startup.bareBolt?.medianMs),
      target: '≤ 1,500 ms',
      verdict: verdict(r.startup.postgres.medianMs <= 1500),
    });
  }
  if (r.rss.pgliteIdleMb !== undefined) {
    add({
      scenario: 'Footprint, PGlite',
      metric: 'RSS idle',
      value: mb(r.rss.pgliteIdleMb),
      baseline: mb(r.rss.bareIdleMb),
      ratio: ratio(r.rss.pgliteIdleMb, r.rss.bareIdleMb),
    });
    add({
      scenario: 'Footprint, PGlite',
      metric: 'RSS peak under load',
      value: mb(r.rss.pgliteLoadPeakMb),
      baseline: mb(r.rss.bareLoadPeakMb),
      ratio: ratio(r.rss.pgliteLoadPeakMb, r.rss.bareLoadPeakMb),
      target: '≤ 300 MB',
      verdict: verdict((r.rss.pgliteLoadPeakMb ?? Number.POSITIVE_INFINITY) <= 300),
    });
  }
  if (r.startup.pglite) {
    add({
      scenario: 'Footprint, PGlite',
      metric: `ready on an existing data folder (median of ${r.startup.pglite.bootsMs.length})`,
      value: ms(r.startup.pglite.medianMs),
      baseline: ms(r.startup.bareBolt?.medianMs),
      ratio: ratio(r.startup.pglite.medianMs, r.startup.bareBolt?.medianMs),
    });
  }
  if (r.pgliteIntake) {
    const p = r.pgliteIntake;
    const bare = r.intake.find((run) => run.connections === 10)?.bare;
    add({
      scenario: 'Footprint, PGlite',
      metric: 'intake at 10 connections: reports/s, p99',
      value: `${rate(p.perSecond)}, ${ms(p.latency.p99)}`,
      baseline: bare ? `${rate(bare.perSecond)}, ${ms(bare.latency.p99)}` : '—',
      ratio: ratio(p.perSecond, bare?.perSecond),
    });
  }
  return rows;
};

const markdownTable = (rows: Row[]): string => {
  const header = '| Scenario | Metric | vulndesk | bare Bolt / reference | ratio | target | |';
  const rule = '|---|---|--:|--:|--:|---|---|';
  let previous = '';
  const lines = rows.map((row) => {
    const scenario = row.scenario === previous ? '' : row.scenario;
    previous = row.scenario;
    return `| ${scenario} | ${row.metric} | ${row.value} | ${row.baseline} | ${row.ratio} | ${row.target} | ${row.verdict} |`;
  });
  return [header, rule, ...lines].join('\n');
};

/** The table for stdout. */
export const renderTable = (r: BenchResults): string =>
  [
    '',
    `vulndesk benchmarks — ${r.date}${r.quick ? ' (quick smoke run: too short for real figures)' : ''}`,
    `${r.machine.cpus} CPUs (${r.machine.cpuModel}), Node ${r.machine.node}, ${r.postgres}, Bolt ${r.machine.bolt}, PGlite ${r.machine.pglite}`,
    `load average before ${r.loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${r.loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
    ...(r.runner ? [`bot and bare Bolt started: ${r.runner}`] : []),
    '',
    markdownTable(tableRows(r)),
    '',
  ].join('\n');

const cpuDetail = (cpu: CpuUse | undefined, withDatabase = true): string =>
  cpu
    ? [
        cpu.processMs,
        ...(withDatabase ? [cpu.postgresMs] : []),
        cpu.loadMs,
        ...(withDatabase ? [cpu.fakeMs] : []),
      ]
        .map((v) => `${v.toFixed(2)} ms`)
        .join(', ')
    : 'n/a';

const backendText = (backends: Record<string, number> | undefined): string =>
  backends
    ? Object.entries(backends)
        .map(([state, share]) => `${state} ${share} %`)
        .join('; ')
    : 'n/a';

const logText = (log: Record<string, number> | undefined): string =>
  log && Object.keys(log).length > 0
    ? Object.entries(log)
        .map(([message, n]) => `"${message}" × ${n.toLocaleString('en')}`)
        .join('; ')
    : 'none';

const statusText = (status: Record<string, number>): string =>
  Object.entries(status)
    .map(([code, n]) => `${code}: ${n.toLocaleString('en')}`)
    .join(', ') || 'none';

/** The generated part of BENCHMARKS.md. */
export const renderMarkdown = (r: BenchResults): string => {
  const loaded = r.loadBefore[0] !== undefined && r.loadBefore[0] > r.machine.cpus * 0.5;
  const out: string[] = [];
  out.push(`### Run of ${r.date.slice(0, 16).replace('T', ' ')} UTC`);
  out.push('');
  out.push(
    `- Machine: ${r.machine.cpus} CPUs (\`nproc\`), ${r.machine.cpuModel}; memory ${r.machine.memory}; ${r.machine.os}`,
  );
  out.push(
    `- Versions: Node ${r.machine.node}, ${r.postgres}, @slack/bolt ${r.machine.bolt}, @electric-sql/pglite ${r.machine.pglite}, drizzle-orm ${r.machine.drizzle}, postgres.js ${r.machine.postgresJs}, autocannon ${r.machine.autocannon}`,
  );
  out.push(
    `- Load average (1/5/15 min) before: ${r.loadBefore.map((l) => l.toFixed(2)).join(' / ')}, after: ${r.loadAfter.map((l) => l.toFixed(2)).join(' / ')}${loaded ? ' — **the machine was busy with other work during this run; treat the figures as pessimistic**' : ''}`,
  );
  out.push(`- Busiest processes at the start (% CPU, command): ${r.busiestBefore}`);
  if (r.runner) out.push(`- Bot and bare Bolt started: ${r.runner}`);
  out.push(`- Whole run: ${r.durationS.toFixed(0)} s${r.quick ? ' (quick smoke run)' : ''}`);
  out.push('');
  out.push(markdownTable(tableRows(r)));
  out.push('');

  if (r.intake.length > 0) {
    out.push('#### Intake details');
    out.push('');
    out.push(
      '| connections | sent | HTTP status (vulndesk) | answers | stored | run time | outbox pending after | bare Bolt status | CPU/request: bot, its PostgreSQL, load generator, fake Slack | bare Bolt, load generator |',
    );
    out.push('|--:|--:|---|---|--:|--:|--:|---|---|---|');
    for (const run of r.intake) {
      out.push(
        `| ${run.connections} | ${run.bot.count.toLocaleString('en')} | ${statusText(run.bot.status)} | ${statusText(run.bot.bodies)} | ${run.bot.stored.toLocaleString('en')} | ${(run.bot.durationMs / 1000).toFixed(1)} s | ${run.outboxPendingAfter.toLocaleString('en')} | ${statusText(run.bare.status)} | ${cpuDetail(run.botCpu)} | ${cpuDetail(run.bareCpu, false)} |`,
      );
    }
    out.push('');
    for (const run of r.intake) {
      out.push(
        `- ${run.connections} connections, what the bot's PostgreSQL backends were doing (share of samples): ${backendText(run.backends)}; bot warnings/errors logged: ${logText(run.botLog)}`,
      );
    }
    out.push('');
  }
  if (r.formOpen || r.triage) {
    out.push('#### Form open and triage details');
    out.push('');
    if (r.formOpen) {
      const f = r.formOpen;
      out.push(
        `- Form open: ${f.count} commands at ${f.rate}/s; views.open seen for ${f.count - f.missing}; delay p50 ${ms(f.viewsOpen.p50)}, p90 ${ms(f.viewsOpen.p90)}, p99 ${ms(f.viewsOpen.p99)}, max ${ms(f.viewsOpen.max)}; HTTP ${statusText(f.botStatus)} (bare Bolt ${statusText(f.bareStatus)}); client schedule lag p99 ${ms(f.scheduleLag.p99)}; CPU/request (bot, its PostgreSQL, load generator, fake Slack) ${cpuDetail(f.botCpu)}; PostgreSQL backends: ${backendText(f.backends)}; bot warnings/errors logged: ${logText(f.botLog)}.`,
      );
    }
    if (r.triage) {
      const t = r.triage;
      out.push(
        `- Triage: ${t.count} clicks at ${t.rate}/s over ${t.reports} cards (severity alternating High/Medium, so each click is a change); ack p50 ${ms(t.botAck.p50)}, p99 ${ms(t.botAck.p99)}, max ${ms(t.botAck.max)}; card update p50 ${ms(t.cardUpdate.p50)}, p90 ${ms(t.cardUpdate.p90)}, p99 ${ms(t.cardUpdate.p99)}, max ${ms(t.cardUpdate.max)}; updates missing ${t.missing}; changes stored ${t.transitions}; HTTP ${statusText(t.botStatus)} (bare Bolt ${statusText(t.bareStatus)}); outbox messages still pending afterwards: ${t.outboxPendingAfter} (paced thread notes); client schedule lag p99 ${ms(t.scheduleLag.p99)}; CPU/click including the card updates (bot, its PostgreSQL, load generator, fake Slack) ${cpuDetail(t.botCpu)}; PostgreSQL backends: ${backendText(t.backends)}; bot warnings/errors logged: ${logText(t.botLog)}.`,
      );
    }
    out.push('');
  }
  if (r.startup.postgres || r.startup.pglite) {
    out.push('#### Start-up (spawn → "vulndesk is running")');
    out.push('');
    const boots = (b: Boots | undefined) =>
      b
        ? `${b.bootsMs.map((v) => ms(v)).join(', ')}${b.firstBootMs !== undefined ? `; first boot (creates the schema) ${ms(b.firstBootMs)}` : ''}`
        : 'n/a';
    out.push(`- PostgreSQL: ${boots(r.startup.postgres)}`);
    out.push(`- PGlite: ${boots(r.startup.pglite)}`);
    out.push(`- bare Bolt (spawn → listening): ${boots(r.startup.bareBolt)}`);
    out.push('');
  }
  if (r.digest) {
    out.push('#### Digest (`buildDigest` through the real store)');
    out.push('');
    out.push('| engine | reports | seed time | p50 | p90 | max | open reports counted | plan on reports |');
    out.push('|---|--:|--:|--:|--:|--:|--:|---|');
    for (const point of [...r.digest.postgres, ...r.digest.pglite]) {
      out.push(
        `| ${point.engine} | ${point.reports.toLocaleString('en')} | ${(point.seedMs / 1000).toFixed(1)} s | ${ms(point.digest.p50)} | ${ms(point.digest.p90)} | ${ms(point.digest.max)} | ${point.digestOpenCount} | ${point.scan} |`,
      );
    }
    for (const note of r.digest.notes) out.push(`\n${note}`);
    out.push('');
    for (const engine of ['postgres', 'pglite'] as const) {
      const largest = r.digest[engine].at(-1);
      if (!largest) continue;
      out.push(
        `<details><summary>EXPLAIN ANALYZE, ${engine}, ${largest.reports.toLocaleString('en')} reports</summary>`,
      );
      out.push('');
      out.push('```');
      out.push(largest.query);
      out.push('');
      out.push(largest.plan);
      out.push('```');
      out.push('</details>');
      out.push('');
    }
  }
  for (const [file, summary] of Object.entries(r.profiles)) {
    out.push(`<details><summary>CPU profile ${file}</summary>`);
    out.push('');
    out.push('```');
    out.push(summary);
    out.push('```');
    out.push('</details>');
    out.push('');
  }
  return out.join('\n');
};

export const RESULTS_START = '<!-- bench:results:start (written by npm run bench) -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** Replaces the generated block of BENCHMARKS.md, keeping the hand-written analysis around it. */
export const updateBenchmarksFile = (file: string, generated: string): void => {
  const block = `${RESULTS_START}\n${generated}\n${RESULTS_END}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = current.indexOf(RESULTS_START);
  const end = current.indexOf(RESULTS_END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + RESULTS_END.length)}`
      : `${current || '# Benchmarks\n\nRun `npm run bench`.\n'}\n## Latest results\n\n${block}\n`;
  writeFileSync(file, next);
};
