import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionNodeArgs } from '../../bench/lib/runner.ts';
import { build } from '../../scripts/build.ts';
import { startFakeSlackApi } from '../fakes/slack/fake-slack-api.ts';
import { postSlashCommand, slashCommandFields } from '../fakes/slack/signed-request.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vulndesk-build-'));
// Inside the project, as dist/ is: the compiled code finds its packages in node_modules.
const outDir = path.join(ROOT, 'node_modules', '.cache', `vulndesk-build-${process.pid}`);

beforeAll(() => {
  // The same build as `npm run build` (tsconfig.build.json), without the type check `npm test` runs anyway.
  build({ outDir, typeCheck: false });
}, 120_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

/** Runs from another folder, with the options of `start:prod`: nothing may come from the sources. */
const startCompiled = (env: Record<string, string>) =>
  spawn(process.execPath, [...productionNodeArgs(), path.join(outDir, 'src', 'main.js')], {
    cwd: scratch,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });

describe('npm run build, then npm run start:prod', () => {
  it('the compiled bot creates its schema in a new data folder and answers on the console', async () => {
    const child = startCompiled({ DATA_DIR: path.join(scratch, 'data') });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end('/help\n');

    expect(await exited).toBe(0);
    expect(stdout).toContain('starting the console adapter on embedded PGlite');
    expect(stdout).toContain('Commands:');
  }, 120_000);

  it('the compiled bot serves Slack from its HTTP thread with HTTP_THREAD=true', async () => {
    const api = await startFakeSlackApi();
    const child = startCompiled({
      SLACK_BOT_TOKEN: 'xoxb-build',
      SLACK_SIGNING_SECRET: 'build-secret',
      SLACK_TRIAGE_CHANNEL: 'CTRIAGE',
      SLACK_API_URL: api.url,
      DATA_DIR: path.join(scratch, 'data-slack'),
      PORT: '0',
      HTTP_THREAD: 'true',
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await expect.poll(() => stderr, { timeout: 60_000, interval: 100 }).toContain('vulndesk is running');
      expect(stderr).toContain('"httpThread":true');
      const url = `http://127.0.0.1:${/"port":(\d+)/.exec(stderr)?.[1]}`;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const fields = slashCommandFields({
        command: '/report-vuln',
        text: '',
        userId: 'U1',
        userName: 'u',
        channelId: 'C1',
        triggerId: 't-build',
      });
      expect((await postSlashCommand(url, 'build-secret', fields)).status).toBe(200);
      expect((await api.waitFor('views.open')).args.trigger_id).toBe('t-build');
      expect((await postSlashCommand(url, 'not-the-secret', fields)).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await api.close();
    }
  }, 120_000);
});
