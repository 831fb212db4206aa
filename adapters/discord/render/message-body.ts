import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';

/** Mentions are never parsed in anything the bot sends: not users, roles, @everyone or @here. */
export const NO_MENTIONS: { readonly parse: [] } = { parse: [] };

/** MessageFlags.SuppressEmbeds: no link previews. It also hides rich embeds, so only text-only messages use it. */
export const SUPPRESS_EMBEDS = 1 << 2;
/** MessageFlags.Ephemeral: only the person who acted sees it. */
export const EPHEMERAL = 1 << 6;

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** A message as the bot sends it: to a channel, a DM, an interaction response or a follow-up. */
export interface MessageBody {
  readonly content?: string;
  readonly embeds?: APIEmbed[];
  readonly components?: ActionRow[];
  readonly flags?: number;
  readonly allowed_mentions: { readonly parse: [] };
}

export const ephemeral = (message: MessageBody): MessageBody => ({
  ...message,
  flags: (message.flags ?? 0) | EPHEMERAL,
});
