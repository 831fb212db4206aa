// Gateway session behaviour, payload builders and interaction signing against discord.js.
import { createPublicKey, verify } from 'node:crypto';
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  Client,
  GatewayIntentBits,
  type Interaction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { FAKE_IDS, type FakeDiscord, loginToFake, startFakeDiscord } from './fake-discord.ts';
import {
  autocomplete,
  buttonClick,
  focused,
  generateInteractionKeys,
  type InteractionPayload,
  option,
  selectMenu,
  signInteraction,
  slashCommand,
  subcommand,
} from './interaction-payloads.ts';

describe('fake Discord gateway', () => {
  let fake: FakeDiscord;
  let client: Client;

  function deliver<T extends Interaction>(payload: InteractionPayload): Promise<T> {
    return new Promise((resolve) => {
      const onInteraction = (interaction: Interaction) => {
        if (interaction.id !== payload.id) return;
        client.off('interactionCreate', onInteraction);
        resolve(interaction as T);
      };
      client.on('interactionCreate', onInteraction);
      fake.interaction(payload);
    });
  }

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    await loginToFake(client);
  });

  afterAll(async () => {
    await client.destroy();
    await fake.close();
  });

  it('answers heartbeats with op 11', async () => {
    // heartbeat_interval is 1000 ms with a random first wait; the ack (ping >= 0) lands a round trip later.
    await vi.waitFor(
      () => {
        expect(fake.gateway.heartbeats).toBeGreaterThanOrEqual(1);
        expect(client.ws.ping).toBeGreaterThanOrEqual(0);
      },
      { timeout: 5000, interval: 50 },
    );
  });

  it('resumes after op 7 and replays events dispatched while the client was away', async () => {
    const resumed = new Promise<void>((resolve) => client.once('shardResume', () => resolve()));
    fake.gateway.requestReconnect();
    const missed = slashCommand({ name: 'vuln', options: [subcommand('show', [option('id', 'VULN-0001')])] });
    const interaction = await deliver<ChatInputCommandInteraction>(missed);
    await resumed;
    expect(fake.gateway.resumes).toBe(1);
    expect(fake.gateway.identifies).toBe(1);
    expect(fake.gateway.received.find((p) => p.op === 6)?.d).toMatchObject({ seq: expect.any(Number) });
    expect(interaction.options.getSubcommand()).toBe('show');
    expect(interaction.options.getString('id')).toBe('VULN-0001');
  });

  it('builds autocomplete, select menu and DM interactions discord.js accepts', async () => {
    const auto = await deliver<AutocompleteInteraction>(
      autocomplete({ name: 'vuln', options: [subcommand('show', [focused('id', 'VULN-00')])] }),
    );
    expect(auto.isAutocomplete()).toBe(true);
    expect(auto.options.getFocused()).toBe('VULN-00');
    await auto.respond([{ name: 'VULN-0001', value: 'VULN-0001' }]);
    const call = await fake.rest.waitFor(
      'POST /interactions/:id/:token/callback',
      (c) => c.params.id === auto.id,
    );
    expect(call.body).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'VULN-0001', value: 'VULN-0001' }] },
    });

    const select = await deliver<StringSelectMenuInteraction>(
      selectMenu({ customId: 'vuln:severity', values: ['high'] }),
    );
    expect(select.isStringSelectMenu()).toBe(true);
    expect(select.values).toEqual(['high']);

    const dm = await deliver<ChatInputCommandInteraction>(slashCommand({ name: 'vuln', guildId: null }));
    expect(dm.inGuild()).toBe(false);
    expect(dm.user.id).toBe(FAKE_IDS.user);
    expect(dm.member).toBeNull();

    const admin = await deliver<ChatInputCommandInteraction>(
      slashCommand({ name: 'vuln', memberRoles: [FAKE_IDS.adminRole], permissions: '8' }),
    );
    expect(admin.memberPermissions?.has('Administrator')).toBe(true);
    expect(admin.member?.roles).toBeDefined();
  });

  it('a malformed INTERACTION_CREATE becomes an unhandled rejection, not an event', async () => {
    // Vitest fails the run on unhandled rejections, so its listeners step aside here.
    const vitestListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const rejections: unknown[] = [];
    process.on('unhandledRejection', (reason) => rejections.push(reason));
    const emitted: string[] = [];
    const onError = (error: Error) => emitted.push(error.message);
    client.on('error', onError);
    client.on('shardError', onError);
    try {
      fake.interaction(slashCommand({ name: 'vuln', overrides: { entitlements: undefined } }));
      fake.interaction(buttonClick({ customId: 'x', overrides: { message: undefined } }));
      // A valid interaction afterwards still arrives: the connection survives.
      const ok = await deliver<ChatInputCommandInteraction>(slashCommand({ name: 'vuln' }));
      expect(ok.commandName).toBe('vuln');
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.removeAllListeners('unhandledRejection');
      for (const listener of vitestListeners) process.on('unhandledRejection', listener);
      client.off('error', onError);
      client.off('shardError', onError);
    }
    expect(emitted).toEqual([]);
    expect(rejections.map((r) => (r as Error).message)).toEqual([
      "Cannot read properties of undefined (reading 'reduce')",
      "Cannot read properties of undefined (reading 'id')",
    ]);
  });

  it('closes connections that ask for another API version or encoding', async () => {
    const closeCode = (query: string) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${fake.gateway.url}?${query}`);
        socket.on('close', (code) => resolve(code));
      });
    expect(await closeCode('v=9&encoding=json')).toBe(4012);
    expect(await closeCode('v=10&encoding=etf')).toBe(4002);
  });
});

describe('interaction signing', () => {
  it('produces signatures node:crypto verifies with the hex public key, and rejects tampering', () => {
    const keys = generateInteractionKeys();
    expect(keys.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
    const body = JSON.stringify({ type: 1 });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signInteraction(keys.privateKey, timestamp, body);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);

    const x = Buffer.from(keys.publicKeyHex, 'hex').toString('base64url');
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    const check = (data: string) => verify(null, Buffer.from(data), publicKey, Buffer.from(signature, 'hex'));
    expect(check(timestamp + body)).toBe(true);
    expect(check(timestamp + body.replace('1', '2'))).toBe(false);
  });
});
