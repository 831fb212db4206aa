import type { Actor } from '../../src/domain/report.ts';
import type { AdapterContext, ChatAdapter } from '../chat-adapter.ts';
import type { HttpRoute } from '../http/http-route.ts';
import { createDiscordRoleCheck } from './discord-actor.ts';
import type { DiscordConfig } from './discord-config.ts';
import { createDiscordDelivery } from './discord-delivery.ts';
import { createGatewayConnection, type GatewayConnection } from './discord-gateway.ts';
import { createDiscordRest, createInteractionWebhooks } from './discord-rest.ts';
import { createHttpInteractionsHandler, DISCORD_INTERACTIONS_PATH } from './http-interactions.ts';
import { createInteractionRouter, type InteractionRouter } from './interaction-router.ts';
import { checkTriageChannel } from './triage-channel-check.ts';

export interface DiscordAdapterOptions {
  /** Clock for the signature window and duplicate detection (tests). */
  readonly now?: () => number;
  /** How long stop() waits for interactions still being handled. */
  readonly stopTimeoutMs?: number;
}

export interface DiscordAdapter extends ChatAdapter {
  readonly platform: 'discord';
  readonly isTriager: (actor: Actor) => Promise<boolean>;
  /** The one inbound door (exposed for tests and for transports the composition root adds). */
  readonly router: InteractionRouter;
}

/**
 * The Discord adapter: the gateway (unless DISCORD_GATEWAY=off) and/or `POST /discord/interactions`
 * (when DISCORD_PUBLIC_KEY is set) feed one interaction router; outbox messages go out over REST.
 */
export const createDiscordAdapter = (
  context: AdapterContext,
  config: DiscordConfig,
  options: DiscordAdapterOptions = {},
): DiscordAdapter => {
  const { logger } = context;
  const rest = createDiscordRest(config);
  const webhooks = createInteractionWebhooks(rest);
  const router = createInteractionRouter({
    core: context.core,
    logger,
    wakeOutbox: context.wakeOutbox,
    guildId: config.guildId,
    webhooks,
    ...(options.now ? { now: options.now } : {}),
  });
  const routes = new Map<string, HttpRoute>();
  if (config.publicKey) {
    routes.set(
      DISCORD_INTERACTIONS_PATH,
      createHttpInteractionsHandler({
        publicKeyHex: config.publicKey,
        router,
        logger,
        ...(options.now ? { now: options.now } : {}),
      }),
    );
  }
  const gateway: GatewayConnection | null = config.gateway
    ? createGatewayConnection({
        config,
        logger,
        onInteraction: (raw) =>
          router.handle(raw, (interaction, body) => webhooks.callback(interaction, body)),
      })
    : null;
  let started = false;
  let alerts: readonly string[] = [];

  return {
    platform: 'discord',
    delivery: createDiscordDelivery({ rest, config, logger }),
    routes,
    isTriager: createDiscordRoleCheck(config.triageRoleId),
    router,
    async start() {
      await gateway?.start();
      alerts = await checkTriageChannel(rest, config);
      for (const alert of alerts) logger.warn({ platform: 'discord' }, alert);
      started = true;
      logger.info({ gateway: gateway !== null, http: config.publicKey !== null }, 'discord adapter started');
    },
    async stop() {
      started = false;
      await gateway?.stop();
      const timeout = new Promise<void>((resolve) =>
        setTimeout(resolve, options.stopTimeoutMs ?? 5_000).unref(),
      );
      await Promise.race([router.idle(), timeout]);
    },
    alerts: () => alerts,
    health() {
      const connected = started && (gateway === null || gateway.connected);
      return { connected, gateway: gateway?.connected ?? 'off', http: config.publicKey !== null };
    },
  };
};
