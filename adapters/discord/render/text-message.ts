import type { APIEmbed } from 'discord.js';
import { escapeIntoChunks } from './escape.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { type MessageBody, NO_MENTIONS, SUPPRESS_EMBEDS } from './message-body.ts';

const SECOND_EMBED = DISCORD_LIMITS.embedTotal - DISCORD_LIMITS.embedDescription;
/** Enough for any text the bot relays (a full report is about 6,500 characters). */
const MAX_MESSAGES = 20;

/**
 * Untrusted text as messages: a header of the bot's own markdown, then the text escaped, first in the
 * content and then in embed descriptions (two per message, within the 6000 total). A text-only
 * message also carries SuppressEmbeds; embeds never unfurl links, and every URL is wrapped in `<...>`.
 */
export const textMessages = (header: string, text: string, maxMessages = MAX_MESSAGES): MessageBody[] => {
  const first = DISCORD_LIMITS.content - header.length - 1;
  const limits = [first];
  for (let i = 0; i < maxMessages; i++) limits.push(DISCORD_LIMITS.embedDescription, SECOND_EMBED);
  const { chunks } = escapeIntoChunks(text, limits, 1 + 2 * maxMessages);
  const [opening = '', ...rest] = chunks;
  const content = [header, opening].filter((part) => part.length > 0).join('\n');
  const messages: { content: string; embeds: APIEmbed[] }[] = [{ content, embeds: [] }];
  rest.forEach((chunk, index) => {
    if (chunk.length === 0) return;
    if (index % 2 === 0 && index > 0) messages.push({ content: '', embeds: [] });
    messages.at(-1)?.embeds.push({ description: chunk });
  });
  return messages.map(({ content: body, embeds }) => ({
    content: body,
    ...(embeds.length > 0 ? { embeds } : { flags: SUPPRESS_EMBEDS }),
    allowed_mentions: NO_MENTIONS,
  }));
};

/** One message (for the outbox, where a delivery must be one call): the text cut to fit if needed. */
export const textMessage = (header: string, text: string): MessageBody =>
  textMessages(header, text, 1)[0] ?? { content: header, allowed_mentions: NO_MENTIONS };
