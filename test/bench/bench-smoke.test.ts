import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/lib/report.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'vulndesk-bench-smoke-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `bench/run.ts --quick` as `npm run bench` would, and returns its results file. */
const runQuickBench = async (): Promise<{
  code: number | null;
  output: string;
  results: BenchResults | null;
}> => {
  const json = path.join(dir, 'quick.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', `--json=${json}`], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...(process.env.TEST_DATABASE_URL ? { BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  let results: BenchResults | null = null;
  try {
    results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
  } catch {
    results = null;
  }
  return { code, output, results };
};

// Counts only: timing figures belong in BENCHMARKS.md, never in a pass/fail test.
describe('npm run bench (quick smoke run)', () => {
  it('runs every part of the harness end to end and counts what it measured', async () => {
    const run = await runQuickBench();
    expect(run.code, run.output.slice(-4000)).toBe(0);
    const results = run.results;
    expect(results).not.toBeNull();
    if (!results) return;
    expect(run.output).toContain('| Scenario |');

    expect(results.intake.map((r) => r.connections)).toEqual([10, 50]);
    for (const intake of results.intake) {
      expect(intake.bot.ok2xx).toBe(intake.bot.count);
      expect(intake.bot.stored).toBe(intake.bot.ok2xx);
      expect(intake.bot.bodies.update).toBe(intake.bot.stored);
      expect(intake.bare.ok2xx).toBe(intake.bare.count);
    }

    expect(results.formOpen?.count).toBeGreaterThan(0);
    expect(results.formOpen?.missing).toBe(0);
    expect(results.formOpen?.viewsOpen.count).toBe(results.formOpen?.count);

    const triage = results.triage;
    expect(triage?.count).toBeGreaterThan(0);
    expect(triage?.transitions).toBe(triage?.count);
    expect(triage?.cardUpdate.count).toBeGreaterThan(0);
    expect(triage?.bareAck.count).toBe(triage?.count);

    const digest = results.digest?.postgres[0];
    expect(digest?.reports).toBe(10_000);
    expect(digest?.digestOpenCount).toBe(1000);
    expect(digest?.digest.count).toBeGreaterThan(0);
    expect(digest?.plan).toContain('reports');

    expect(results.startup.postgres?.bootsMs.length).toBeGreaterThan(0);
    expect(results.rss.postgresIdleMb).toBeGreaterThan(0);
    expect(results.rss.postgresLoadPeakMb).toBeGreaterThan(0);
  }, 90_000);
});
