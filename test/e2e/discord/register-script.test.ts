import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_IDS,
  FAKE_TOKEN,
  type FakeDiscord,
  startFakeDiscord,
} from '../../fakes/discord/fake-discord.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/discord-register.ts');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

/** Runs the script as `npm run discord:register` would, in an empty folder (no .env). */
const register = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [TSX, SCRIPT], {
      cwd: mkdtempSync(path.join(tmpdir(), 'vulndesk-register-')),
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

describe('npm run discord:register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('registers /report-vuln and /vuln in the guild', async () => {
    const run = await register({
      DISCORD_BOT_TOKEN: FAKE_TOKEN,
      DISCORD_APPLICATION_ID: FAKE_IDS.app,
      DISCORD_GUILD_ID: FAKE_IDS.guild,
      DISCORD_API_URL: fake.apiBase,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Registered /report-vuln and /vuln');
    const put = fake.rest.callsOf('PUT /applications/:appId/guilds/:guildId/commands')[0];
    expect(((put?.body ?? []) as { name: string }[]).map((c) => c.name)).toEqual(['report-vuln', 'vuln']);
  });

  it('names what is missing and exits 1', async () => {
    const run = await register({ DISCORD_BOT_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiBase });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DISCORD_APPLICATION_ID');
    expect(run.stderr).toContain('DISCORD_GUILD_ID');
    expect(run.stderr).not.toContain(FAKE_TOKEN);
  });
});
