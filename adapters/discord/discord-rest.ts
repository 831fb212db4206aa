import { type APIInteractionResponse, REST, type RESTOptions, Routes } from 'discord.js';
import type { DiscordConfig } from './discord-config.ts';
import { type MessageBody, SUPPRESS_EMBEDS } from './render/message-body.ts';

const isInteractionRoute = (route: string) =>
  route.startsWith('/interactions') || route.startsWith('/webhooks');

/**
 * REST options for every Discord call. The outbox owns retries: a 429 on a bot route throws a
 * RateLimitError at once (discord.js would otherwise wait and retry it forever), 5xx and network
 * errors are not retried here, and a hung request gives up after 10 s. Interaction responses, which
 * nothing else would retry, may wait out a short limit.
 */
export const restOptions = (config: Pick<DiscordConfig, 'apiBase'>): Partial<RESTOptions> => ({
  api: config.apiBase,
  retries: 0,
  timeout: 10_000,
  rejectOnRateLimit: (limit) => !isInteractionRoute(limit.route) || limit.retryAfter > 2_000,
});

export const createDiscordRest = (config: Pick<DiscordConfig, 'apiBase' | 'botToken'>): REST =>
  new REST(restOptions(config)).setToken(config.botToken);

/** Answers to one interaction, through its token (no bot authorization). */
export interface InteractionWebhooks {
  callback(
    interaction: { readonly id: string; readonly token: string },
    body: APIInteractionResponse,
  ): Promise<void>;
  editOriginal(applicationId: string, token: string, body: MessageBody): Promise<void>;
  followUp(applicationId: string, token: string, body: MessageBody): Promise<void>;
}

export const createInteractionWebhooks = (rest: REST): InteractionWebhooks => ({
  async callback({ id, token }, body) {
    await rest.post(Routes.interactionCallback(id, token), { body, auth: false });
  },
  async editOriginal(applicationId, token, body) {
    // An edit cannot change ephemerality; only SuppressEmbeds may be set.
    const flags = (body.flags ?? 0) & SUPPRESS_EMBEDS;
    await rest.patch(Routes.webhookMessage(applicationId, token), { body: { ...body, flags }, auth: false });
  },
  async followUp(applicationId, token, body) {
    await rest.post(Routes.webhook(applicationId, token), { body, auth: false });
  },
});
