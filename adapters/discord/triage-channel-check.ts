import { PermissionFlagsBits, type REST, Routes } from 'discord.js';
import type { DiscordConfig } from './discord-config.ts';
import { errorCode } from './discord-errors.ts';

interface ChannelShape {
  readonly guild_id?: string;
  readonly permission_overwrites?: readonly { readonly id: string; readonly deny?: string }[];
}

/**
 * What an operator should fix about the triage channel: reports are unpatched vulnerabilities, so
 * the channel must be in the configured server and hidden from @everyone (whose role ID is the
 * guild's ID). Answers with alerts for `/vuln health`; an empty list means all is well.
 */
export const checkTriageChannel = async (
  rest: REST,
  config: Pick<DiscordConfig, 'triageChannelId' | 'guildId'>,
): Promise<string[]> => {
  let channel: ChannelShape;
  try {
    channel = (await rest.get(Routes.channel(config.triageChannelId))) as ChannelShape;
  } catch (error) {
    return [
      `Discord: the triage channel could not be read (${errorCode(error)}). Check DISCORD_TRIAGE_CHANNEL and that the bot can View Channel there.`,
    ];
  }
  const alerts: string[] = [];
  if (channel.guild_id !== config.guildId) {
    alerts.push('Discord: DISCORD_TRIAGE_CHANNEL is not a channel of the server in DISCORD_GUILD_ID.');
  }
  const everyone = channel.permission_overwrites?.find((overwrite) => overwrite.id === config.guildId);
  const hidden = (BigInt(everyone?.deny ?? '0') & PermissionFlagsBits.ViewChannel) !== 0n;
  if (!hidden) {
    alerts.push(
      'Discord: the triage channel is visible to everyone in the server. Deny "View Channel" to @everyone and allow it to the triage role and the bot.',
    );
  }
  return alerts;
};
