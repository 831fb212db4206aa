import { type REST, Routes } from 'discord.js';
import { COMMANDS } from './commands.ts';

export interface RegisteredCommand {
  readonly id: string;
  readonly name: string;
}

/** Replaces the guild's commands with `/report-vuln` and `/vuln` in one bulk overwrite (idempotent). */
export const registerGuildCommands = async (
  rest: REST,
  applicationId: string,
  guildId: string,
): Promise<readonly RegisteredCommand[]> =>
  (await rest.put(Routes.applicationGuildCommands(applicationId, guildId), {
    body: COMMANDS,
  })) as RegisteredCommand[];
