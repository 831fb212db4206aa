// Registers /report-vuln and /vuln as guild commands: `npm run discord:register`.
// Needs DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID and DISCORD_GUILD_ID (from the environment or .env).
import { existsSync } from 'node:fs';
import { readDiscordConfig } from '../adapters/discord/discord-config.ts';
import { errorCode } from '../adapters/discord/discord-errors.ts';
import { createDiscordRest } from '../adapters/discord/discord-rest.ts';
import { registerGuildCommands } from '../adapters/discord/register-commands.ts';
import { loadConfig } from '../src/config/config.ts';

const main = async (): Promise<number> => {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.error.message}\n`);
    return 1;
  }
  // Registration needs no triage channel; any placeholder satisfies the full adapter check.
  const env = loaded.value.env;
  const config = readDiscordConfig({
    ...env,
    DISCORD_TRIAGE_CHANNEL: env.DISCORD_TRIAGE_CHANNEL ?? '000000000000000000',
    DISCORD_GATEWAY: 'on',
  });
  if (!config.ok) {
    process.stderr.write(`${config.error.message}\n`);
    return 1;
  }
  const { applicationId, guildId } = config.value;
  try {
    const registered = await registerGuildCommands(createDiscordRest(config.value), applicationId, guildId);
    process.stdout.write(
      `Registered ${registered.map((c) => `/${c.name}`).join(' and ')} in guild ${guildId}. They appear in Discord at once.\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(
      `Registration failed (${errorCode(error)}). Check DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID, DISCORD_GUILD_ID, and that the bot was invited with the applications.commands scope.\n`,
    );
    return 1;
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `discord:register failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
