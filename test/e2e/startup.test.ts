import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../fakes/slack/fake-slack-api.ts';
import { postSlashCommand, slashCommandFields } from '../fakes/slack/signed-request.ts';
import { postgresTestStore, type TestStore } from '../support/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
let api: FakeSlackApi | null = null;
let pg: TestStore | null = null;

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await api?.close();
  await pg?.close();
  api = null;
  pg = null;
});

const start = (env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c) => {
    output.stdout += c;
  });
  child.stderr?.on('data', (c) => {
    output.stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output, exited };
};

const waitFor = async (predicate: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('npm start with chat credentials', () => {
  it('refuses to start when the signing secret is blank, naming the variable', async () => {
    const run = start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: '   ', SLACK_TRIAGE_CHANNEL: 'C1' });
    expect(await run.exited).toBe(1);
    expect(run.output.stderr).toContain('SLACK_SIGNING_SECRET');
  }, 30_000);

  it('refuses an invalid policy setting, naming the variable', async () => {
    const run = start({ TIMEZONE: 'Mars/Olympus', DISCLOSURE_DAYS: 'soon' });
    expect(await run.exited).toBe(1);
    expect(run.output.stderr).toContain('TIMEZONE');
    expect(run.output.stderr).toContain('DISCLOSURE_DAYS');
  }, 30_000);

  it.each([
    ['on its main thread', 'false'],
    ['from its HTTP thread (HTTP_THREAD=true)', 'true'],
  ])(
    'serves Slack on PORT %s with /healthz, and exits cleanly on SIGTERM',
    async (_, httpThread) => {
      api = await startFakeSlackApi();
      pg = await postgresTestStore();
      const secret = 'startup-secret';
      const run = start({
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_SIGNING_SECRET: secret,
        SLACK_TRIAGE_CHANNEL: 'CTRIAGE',
        SLACK_API_URL: api.url,
        DATABASE_URL: pg.url ?? '',
        PORT: '0',
        HTTP_THREAD: httpThread,
      });
      await waitFor(() => run.output.stderr.includes('vulndesk is running'));
      const port = Number(/"port":(\d+)/.exec(run.output.stderr)?.[1]);
      expect(run.output.stderr).toContain(`"httpThread":${httpThread}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        ok: true,
        details: { database: true, adapters: { slack: { connected: true } } },
      });
      await postSlashCommand(
        `http://127.0.0.1:${port}`,
        secret,
        slashCommandFields({
          command: '/report-vuln',
          text: '',
          userId: 'U1',
          userName: 'u',
          channelId: 'C1',
          triggerId: 't-1',
        }),
      );
      expect((await api.waitFor('views.open')).args.trigger_id).toBe('t-1');
      const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' });
      expect(unsigned.status).toBe(401);
      await waitFor(() => run.output.stderr.includes('slack request refused: bad signature'));
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    },
    30_000,
  );
});
