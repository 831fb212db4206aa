import type { APIEmbed } from 'discord.js';
import { codeBlock, escapeClip } from './escape.ts';
import { clip, DISCORD_LIMITS, embedSize } from './limits.ts';
import { ephemeral, type MessageBody, NO_MENTIONS } from './message-body.ts';

export interface EchoedField {
  readonly label: string;
  readonly value: string;
}

export interface Echo {
  /** The bot's own markdown, e.g. `**Your report was not filed.**`. */
  readonly heading: string;
  readonly problems: readonly string[];
  readonly fields: readonly EchoedField[];
  /** What to do next, e.g. "then run `/report-vuln` again". */
  readonly retry: string;
}

const intro = (echo: Echo): string =>
  clip(
    [
      echo.heading,
      ...echo.problems.map((problem) => `- ${escapeClip(problem, 400)}`),
      `Everything you typed is below, so nothing is lost: copy it, ${echo.retry}.`,
    ].join('\n'),
    DISCORD_LIMITS.content,
  );

/**
 * Someone's own text sent back privately after a failed form, each field in a code block (exact,
 * inert, easy to copy), packed into as few ephemeral messages as Discord's limits allow.
 */
export const echoMessages = (echo: Echo): MessageBody[] => {
  const embeds: APIEmbed[] = echo.fields
    .filter((field) => field.value.length > 0)
    .map((field) => ({
      title: clip(field.label, DISCORD_LIMITS.embedTitle),
      description: codeBlock(field.value, DISCORD_LIMITS.embedDescription),
    }));
  const messages: { content: string; embeds: APIEmbed[] }[] = [{ content: intro(echo), embeds: [] }];
  let total = 0;
  for (const embed of embeds) {
    const size = embedSize(embed);
    const current = messages.at(-1);
    if (
      !current ||
      total + size > DISCORD_LIMITS.embedTotal ||
      current.embeds.length >= DISCORD_LIMITS.embedsPerMessage
    ) {
      messages.push({ content: '', embeds: [embed] });
      total = size;
    } else {
      current.embeds.push(embed);
      total += size;
    }
  }
  return messages.map((m) => ephemeral({ ...m, allowed_mentions: NO_MENTIONS }));
};
