// One call to start the fake gateway and REST API wired together: GET /gateway/bot points
// at the gateway, the guild channels are known to GET /channels/:id, and interactions sent
// through `interaction()` are remembered so replies land in the interaction's channel.
import type { Client } from 'discord.js';
import {
  type FakeDiscordGateway,
  type FakeDiscordGatewayOptions,
  startFakeDiscordGateway,
} from './fake-discord-gateway.ts';
import { defaultGuildSeed, type Json } from './fake-discord-objects.ts';
import { type FakeDiscordRest, startFakeDiscordRest } from './fake-discord-rest.ts';

export interface FakeDiscord {
  rest: FakeDiscordRest;
  gateway: FakeDiscordGateway;
  /** Value for discord.js `rest.api`. */
  apiBase: string;
  /** Dispatches INTERACTION_CREATE and lets the REST fake answer its callbacks realistically. */
  interaction(payload: Json): number;
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordGatewayOptions = {}): Promise<FakeDiscord> {
  const guilds = options.guilds ?? [defaultGuildSeed()];
  const gateway = await startFakeDiscordGateway({ ...options, guilds });
  const rest = await startFakeDiscordRest({ gatewayUrl: gateway.url, defaultGuildId: guilds[0]?.id });
  for (const guild of guilds) {
    for (const channel of guild.channels ?? []) {
      rest.setChannel(String(channel.id), { guild_id: guild.id, ...channel });
    }
  }
  return {
    rest,
    gateway,
    apiBase: rest.apiBase,
    interaction(payload) {
      rest.rememberInteraction(payload);
      return gateway.interaction(payload);
    },
    async close() {
      await gateway.close();
      await rest.close();
    },
  };
}

/** A token in the `id.timestamp.hmac` shape discord.js expects (it splits on dots when logging). */
export const FAKE_TOKEN = 'MTI1MDAwMDAwMDAwMDAwMDAwMQ.fake.token';

/** Logs `client` in (its `rest.api` must point at the fake) and resolves on clientReady. */
export async function loginToFake(client: Client, token: string = FAKE_TOKEN): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(token);
  await ready;
}

export * from './fake-discord-gateway.ts';
export * from './fake-discord-objects.ts';
export * from './fake-discord-rest.ts';
