import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../../src/domain/clocks.ts';
import type { Actor } from '../../../src/domain/report.ts';
import { type FaultySlack, startFaultySlack } from '../../integration/delivery/support/faulty-slack.ts';
import { type OutboxTable, outboxTable } from '../../integration/delivery/support/outbox-table.ts';
import { coreDeps, testClock } from '../../support/core.ts';
import { postgresTestStore, type TestStore } from '../../support/databases.ts';
import { fileReport } from '../../support/use-case-harness.ts';
import { botEnv, ROOT } from './support/bot-process.ts';

const rita: Actor = { platform: 'slack', userId: 'URITA', displayName: 'rita' };
const ZONE = 'Europe/Berlin';

/** `npm run digest -- <args>`, exactly as an operator types it. */
const npmDigest = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('npm', ['run', 'digest', '--', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

describe('npm run digest', () => {
  let pg: TestStore;
  let slack: FaultySlack;
  let table: OutboxTable;
  let env: Record<string, string>;

  beforeAll(async () => {
    pg = await postgresTestStore();
    slack = await startFaultySlack();
    table = outboxTable(pg.url ?? '');
    env = { ...botEnv(slack.api.url, pg.url ?? '', { TIMEZONE: ZONE }), LOG_LEVEL: 'info' };
    // Filed weeks ago: both the acknowledgement and the triage deadline have long passed.
    const clock = testClock(new Date(Date.now() - 21 * 86_400_000).toISOString());
    const core = coreDeps(pg.store, { now: clock.now });
    await fileReport(core, { by: rita, submission: { title: 'Old and forgotten' } });
    await fileReport(core, { by: rita, submission: { title: 'Also waiting' } });
  });
  afterAll(async () => {
    await slack?.close();
    await table?.close();
    await pg?.close();
  });

  it('--dry-run prints the digest and posts, queues and claims nothing', async () => {
    const before = await table.all();
    // The script reads its own clock during the run, which may cross midnight in ZONE: either day is right.
    const days = [localDate(new Date(), ZONE)];
    const run = await npmDigest(['--dry-run'], env);
    expect(run.code, run.stderr).toBe(0);
    days.push(localDate(new Date(), ZONE));
    expect(days.map((day) => `Security digest for ${day}`)).toContainEqual(
      /Security digest for \d{4}-\d{2}-\d{2}/.exec(run.stdout)?.[0],
    );
    expect(run.stdout).toContain('Acknowledgement overdue:');
    expect(run.stdout).toContain('Triage overdue:');
    expect(run.stdout).toMatch(
      /• VULN-0001 · Not set · unassigned · due \d{4}-\d{2}-\d{2} · Old and forgotten/,
    );
    expect(run.stdout).toContain('VULN-0002');
    expect(run.stdout).toContain('By status: New: 2');
    expect(slack.api.calls).toEqual([]);
    expect(await table.all()).toEqual(before);
    expect(await table.sql`select * from digest_claims`).toHaveLength(0);
  }, 30_000);

  it('without --dry-run it queues the digest for the triage channel (for the running bot) and posts nothing itself', async () => {
    const before = (await table.all()).length;
    const run = await npmDigest([], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Digest queued for slack.');
    const rows = await table.all();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ platform: 'slack', destination: 'triage', state: 'pending' });
    expect(rows.at(-1)?.payload.type).toBe('digest');
    expect(slack.api.calls).toEqual([]);
    // The scheduled digest of the day is not affected.
    expect(await table.sql`select * from digest_claims`).toHaveLength(0);
  }, 30_000);
});
