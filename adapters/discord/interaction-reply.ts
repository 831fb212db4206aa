import {
  type APIApplicationCommandOptionChoice,
  type APIInteractionResponse,
  type APIModalInteractionResponseCallbackData,
  InteractionResponseType,
} from 'discord.js';
import type { InteractionWebhooks } from './discord-rest.ts';
import type { DiscordInteraction } from './interaction.ts';
import { EPHEMERAL, ephemeral, type MessageBody } from './render/message-body.ts';

/** Sends an interaction's first response: over REST (gateway) or as the HTTP response body. */
export type FirstResponse = (
  interaction: { readonly id: string; readonly token: string },
  body: APIInteractionResponse,
) => Promise<void>;

/**
 * Everything the bot may say back to one interaction, in the order Discord allows it: one first
 * response (a modal, an autocomplete answer, a message, or a deferral), then edits and follow-ups.
 */
export interface InteractionReply {
  readonly answered: boolean;
  modal(data: APIModalInteractionResponseCallbackData): Promise<void>;
  choices(choices: APIApplicationCommandOptionChoice<string>[]): Promise<void>;
  /** "Thinking…", privately: the answer replaces it. For anything that touches the database. */
  deferReply(): Promise<void>;
  /** For clicks on the card: nothing visible; answers come as private follow-ups. */
  deferUpdate(): Promise<void>;
  /** Private messages: the first one answers (or replaces the deferral), the rest follow up. */
  send(messages: readonly MessageBody[]): Promise<void>;
}

type State = 'open' | 'deferred_reply' | 'deferred_update' | 'replied';

export const createInteractionReply = (
  interaction: DiscordInteraction,
  respond: FirstResponse,
  webhooks: InteractionWebhooks,
): InteractionReply => {
  let state: State = 'open';
  const first = async (body: APIInteractionResponse, next: State) => {
    if (state !== 'open') throw new Error(`interaction already answered (${state})`);
    state = next;
    await respond(interaction, body);
  };
  const followUp = (message: MessageBody) =>
    webhooks.followUp(interaction.applicationId, interaction.token, ephemeral(message));
  return {
    get answered() {
      return state !== 'open';
    },
    modal: (data) => first({ type: InteractionResponseType.Modal, data }, 'replied'),
    choices: (choices) =>
      first(
        { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } },
        'replied',
      ),
    deferReply: () =>
      first(
        { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: EPHEMERAL } },
        'deferred_reply',
      ),
    deferUpdate: () => first({ type: InteractionResponseType.DeferredMessageUpdate }, 'deferred_update'),
    async send(messages) {
      const [head, ...rest] = messages;
      if (!head) return;
      if (state === 'open') {
        await first(
          { type: InteractionResponseType.ChannelMessageWithSource, data: ephemeral(head) },
          'replied',
        );
      } else if (state === 'deferred_reply') {
        await webhooks.editOriginal(interaction.applicationId, interaction.token, head);
        state = 'replied';
      } else {
        await followUp(head);
      }
      for (const message of rest) await followUp(message);
    },
  };
};
