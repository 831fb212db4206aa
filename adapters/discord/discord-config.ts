import type { Env } from '../../src/config/env-schema.ts';
import { fail, ok, type Result } from '../../src/domain/result.ts';

/** Discord's own REST base, without the version (discord.js appends `/v10`). */
export const DISCORD_DEFAULT_API = 'https://discord.com/api';

export interface DiscordConfig {
  readonly botToken: string;
  /** Hex Ed25519 key from the Developer Portal; enables `POST /discord/interactions`. */
  readonly publicKey: string | null;
  readonly applicationId: string;
  /** The one server where commands are registered and the bot acts. */
  readonly guildId: string;
  readonly triageChannelId: string;
  /** Members of this role are triagers, beside `TRIAGERS` entries `discord:<userId>`. */
  readonly triageRoleId: string | null;
  readonly apiBase: string;
  /** Connect to the gateway (false: HTTP interactions only). */
  readonly gateway: boolean;
}

export type DiscordEnv = Pick<
  Env,
  | 'DISCORD_BOT_TOKEN'
  | 'DISCORD_PUBLIC_KEY'
  | 'DISCORD_APPLICATION_ID'
  | 'DISCORD_GUILD_ID'
  | 'DISCORD_TRIAGE_CHANNEL'
  | 'DISCORD_TRIAGE_ROLE'
  | 'DISCORD_API_URL'
  | 'DISCORD_GATEWAY'
>;

const SNOWFLAKE = /^\d{15,21}$/;
const HEX_KEY = /^[0-9a-f]{64}$/i;

/** The Discord adapter runs when a bot token is configured. */
export const discordEnabled = (env: DiscordEnv): boolean => env.DISCORD_BOT_TOKEN !== undefined;

/** Reads the DISCORD_* variables; every problem names its variable, all problems at once. */
export const readDiscordConfig = (env: DiscordEnv): Result<DiscordConfig> => {
  const problems: string[] = [];
  const required = (name: keyof DiscordEnv, value: string | undefined): string => {
    if (value === undefined) problems.push(`${name} is required for Discord but is not set.`);
    else if (value === '') problems.push(`${name} is set but blank.`);
    return value ?? '';
  };
  const optional = (name: keyof DiscordEnv, value: string | undefined): string | null => {
    if (value === '') problems.push(`${name} is set but blank; remove it or give it a value.`);
    return value ? value : null;
  };
  const snowflake = (name: keyof DiscordEnv, value: string | null) => {
    if (value && !SNOWFLAKE.test(value)) {
      problems.push(`${name} must be a Discord ID (digits only; enable Developer Mode and "Copy ID").`);
    }
  };

  const botToken = required('DISCORD_BOT_TOKEN', env.DISCORD_BOT_TOKEN);
  const applicationId = required('DISCORD_APPLICATION_ID', env.DISCORD_APPLICATION_ID);
  const guildId = required('DISCORD_GUILD_ID', env.DISCORD_GUILD_ID);
  const triageChannelId = required('DISCORD_TRIAGE_CHANNEL', env.DISCORD_TRIAGE_CHANNEL);
  const triageRoleId = optional('DISCORD_TRIAGE_ROLE', env.DISCORD_TRIAGE_ROLE);
  const publicKey = optional('DISCORD_PUBLIC_KEY', env.DISCORD_PUBLIC_KEY);
  const apiUrl = optional('DISCORD_API_URL', env.DISCORD_API_URL);
  snowflake('DISCORD_APPLICATION_ID', applicationId);
  snowflake('DISCORD_GUILD_ID', guildId);
  snowflake('DISCORD_TRIAGE_CHANNEL', triageChannelId);
  snowflake('DISCORD_TRIAGE_ROLE', triageRoleId);
  if (publicKey && !HEX_KEY.test(publicKey)) {
    problems.push('DISCORD_PUBLIC_KEY must be the 64 hex characters shown as "Public Key" in the portal.');
  }
  let apiBase = DISCORD_DEFAULT_API;
  if (apiUrl) {
    apiBase = apiUrl.replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s/]+/i.test(apiBase)) problems.push('DISCORD_API_URL must be an http(s) URL.');
    else if (/\/v\d+$/.test(apiBase)) {
      problems.push('DISCORD_API_URL must not end with the API version (use e.g. https://discord.com/api).');
    }
  }
  const gateway = env.DISCORD_GATEWAY !== 'off';
  if (!gateway && !publicKey) {
    problems.push('DISCORD_GATEWAY=off needs DISCORD_PUBLIC_KEY, or no interaction could reach the bot.');
  }
  if (problems.length > 0) {
    return fail('config.invalid', `Discord configuration is invalid:\n  ${problems.join('\n  ')}`);
  }
  return ok({
    botToken,
    publicKey: publicKey ? publicKey.toLowerCase() : null,
    applicationId,
    guildId,
    triageChannelId,
    triageRoleId,
    apiBase,
    gateway,
  });
};
