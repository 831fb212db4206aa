import { Client, Events, GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type { Logger } from '../../src/ports/logger.ts';
import type { DiscordConfig } from './discord-config.ts';
import { errorCode } from './discord-errors.ts';
import { restOptions } from './discord-rest.ts';
import { NO_MENTIONS } from './render/message-body.ts';

export interface GatewayOptions {
  readonly config: Pick<DiscordConfig, 'apiBase' | 'botToken'>;
  readonly logger: Logger;
  /** Gets every INTERACTION_CREATE payload as Discord sent it. */
  readonly onInteraction: (raw: unknown) => Promise<unknown>;
}

export interface GatewayConnection {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly connected: boolean;
}

/**
 * The gateway transport: a discord.js client used only to receive interactions. Payloads are taken
 * as Discord sent them (before discord.js builds objects from them), so gateway and HTTP interactions
 * go through the same router, and a payload discord.js cannot read is still answered. The client
 * itself never parses mentions in anything it might send.
 */
export const createGatewayConnection = ({
  config,
  logger,
  onInteraction,
}: GatewayOptions): GatewayConnection => {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: restOptions(config),
    allowedMentions: NO_MENTIONS,
  });
  client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => {
    onInteraction(data).catch((error: unknown) =>
      logger.error({ code: errorCode(error) }, 'discord gateway interaction failed'),
    );
  });
  client.on(Events.Error, (error) => logger.error({ code: errorCode(error) }, 'discord client error'));
  client.on(Events.ShardError, (error, shardId) =>
    logger.warn({ shardId, code: errorCode(error) }, 'discord gateway connection error'),
  );
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, closeCode: event.code }, 'discord gateway disconnected'),
  );
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'discord gateway resumed'));

  return {
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.botToken);
      await ready;
      logger.info({ userId: client.user?.id, guilds: client.guilds.cache.size }, 'discord gateway ready');
    },
    async stop() {
      await client.destroy();
    },
    get connected() {
      return client.isReady();
    },
  };
};
