import type { APIEmbed } from 'discord.js';
import type { DigestView } from '../../../src/use-cases/digest.ts';
import { escapeClip, escapeText } from './escape.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { type MessageBody, NO_MENTIONS } from './message-body.ts';

/** A link to a report's card message, when the card is known. */
export type CardLinkFor = (reportId: string) => string | null;

export const MORE_NOT_SHOWN = 'More items did not fit; run `/vuln digest` or `/vuln list overdue`.';

/** `https://discord.com/channels/<guild>/<channel>/<message>`: opens the card. */
export const discordMessageLink = (guildId: string, channelId: string, messageId: string): string =>
  `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

const ITEM_LIMIT = 400;

/**
 * The daily digest as embeds: a heading per section, one line per item (escaped, linked to its card
 * when known), filling embed descriptions up to Discord's 6000-character message total.
 */
export const digestMessage = (digest: DigestView, linkFor: CardLinkFor): MessageBody => {
  const title = escapeClip(digest.title, DISCORD_LIMITS.embedTitle);
  const lines: string[] = [];
  for (const section of digest.sections) {
    lines.push(`**${escapeText(section.heading)}**`);
    for (const item of section.items) {
      const link = item.reportId ? linkFor(item.reportId) : null;
      lines.push(`- ${escapeClip(item.text, ITEM_LIMIT)}${link ? ` ([card](${link}))` : ''}`);
    }
  }
  const budget = DISCORD_LIMITS.embedTotal - title.length - MORE_NOT_SHOWN.length - 2;
  const embeds: APIEmbed[] = [{ title, description: '' }];
  let used = 0;
  let complete = true;
  for (const line of lines) {
    const current = embeds.at(-1) as APIEmbed;
    const description = current.description ?? '';
    const added = (description ? 1 : 0) + line.length;
    if (used + added > budget) {
      complete = false;
      break;
    }
    if (description.length + added > DISCORD_LIMITS.embedDescription) {
      embeds.push({ description: line });
      used += line.length;
      continue;
    }
    current.description = description ? `${description}\n${line}` : line;
    used += added;
  }
  const last = embeds.at(-1) as APIEmbed;
  if (
    !complete &&
    (last.description ?? '').length + MORE_NOT_SHOWN.length + 1 <= DISCORD_LIMITS.embedDescription
  ) {
    last.description = `${last.description ?? ''}\n${MORE_NOT_SHOWN}`.trim();
  } else if (!complete) embeds.push({ description: MORE_NOT_SHOWN });
  return {
    embeds: embeds
      .filter((embed) => embed.title || embed.description)
      .slice(0, DISCORD_LIMITS.embedsPerMessage),
    allowed_mentions: NO_MENTIONS,
  };
};
