import { describe, expect, it } from 'vitest';
import {
  DISCORD_DEFAULT_API,
  type DiscordEnv,
  readDiscordConfig,
} from '../../../adapters/discord/discord-config.ts';
import { loadConfig } from '../../../src/config/config.ts';

const KEY = 'a'.repeat(64);
const complete: DiscordEnv = {
  DISCORD_BOT_TOKEN: 'token',
  DISCORD_PUBLIC_KEY: undefined,
  DISCORD_APPLICATION_ID: '1250000000000000001',
  DISCORD_GUILD_ID: '1250000000000000100',
  DISCORD_TRIAGE_CHANNEL: '1250000000000000210',
  DISCORD_TRIAGE_ROLE: undefined,
  DISCORD_API_URL: undefined,
  DISCORD_GATEWAY: 'on',
};

describe('DISCORD_* configuration', () => {
  it('reads a complete configuration with Discord’s API as the default base', () => {
    expect(readDiscordConfig(complete)).toEqual({
      ok: true,
      value: {
        botToken: 'token',
        publicKey: null,
        applicationId: '1250000000000000001',
        guildId: '1250000000000000100',
        triageChannelId: '1250000000000000210',
        triageRoleId: null,
        apiBase: DISCORD_DEFAULT_API,
        gateway: true,
      },
    });
  });

  it('names every missing or blank required variable at once', () => {
    const result = readDiscordConfig({
      ...complete,
      DISCORD_APPLICATION_ID: undefined,
      DISCORD_GUILD_ID: '',
      DISCORD_TRIAGE_CHANNEL: undefined,
    });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('DISCORD_APPLICATION_ID is required');
    expect(message).toContain('DISCORD_GUILD_ID is set but blank');
    expect(message).toContain('DISCORD_TRIAGE_CHANNEL is required');
    expect(result.ok ? '' : result.error.code).toBe('config.invalid');
  });

  it('reads blank values through the real env loader as blank, naming them', () => {
    const loaded = loadConfig({
      DISCORD_BOT_TOKEN: '   ',
      DISCORD_GUILD_ID: ' ',
      DISCORD_APPLICATION_ID: '1',
      DISCORD_TRIAGE_CHANNEL: 'general',
    });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const result = readDiscordConfig(loaded.value.env);
    const message = result.ok ? '' : result.error.message;
    expect(message).toContain('DISCORD_BOT_TOKEN is set but blank');
    expect(message).toContain('DISCORD_GUILD_ID is set but blank');
    expect(message).toContain('DISCORD_APPLICATION_ID must be a Discord ID');
    expect(message).toContain('DISCORD_TRIAGE_CHANNEL must be a Discord ID');
  });

  it('checks the public key, the API URL and the HTTP-only mode', () => {
    const problems = (env: Partial<DiscordEnv>) => {
      const result = readDiscordConfig({ ...complete, ...env });
      return result.ok ? '' : result.error.message;
    };
    expect(problems({ DISCORD_PUBLIC_KEY: 'not-a-key' })).toContain('DISCORD_PUBLIC_KEY must be the 64 hex');
    expect(problems({ DISCORD_API_URL: 'http://127.0.0.1:1/api/v10' })).toContain(
      'must not end with the API version',
    );
    expect(problems({ DISCORD_API_URL: 'discord.com' })).toContain('DISCORD_API_URL must be an http(s) URL');
    expect(problems({ DISCORD_GATEWAY: 'off' })).toContain('DISCORD_GATEWAY=off needs DISCORD_PUBLIC_KEY');
    expect(problems({ DISCORD_TRIAGE_ROLE: '' })).toContain('DISCORD_TRIAGE_ROLE is set but blank');
    const http = readDiscordConfig({
      ...complete,
      DISCORD_PUBLIC_KEY: KEY.toUpperCase(),
      DISCORD_GATEWAY: 'off',
      DISCORD_API_URL: 'http://127.0.0.1:9/api/',
    });
    expect(http).toMatchObject({
      ok: true,
      value: { publicKey: KEY, gateway: false, apiBase: 'http://127.0.0.1:9/api' },
    });
  });
});
