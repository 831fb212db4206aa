// Proves the fake gateway + REST API are good enough for the real discord.js Client.
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  GatewayIntentBits,
  type Interaction,
  LabelBuilder,
  ModalBuilder,
  type ModalSubmitInteraction,
  StringSelectMenuBuilder,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_IDS,
  FAKE_TOKEN,
  type FakeDiscord,
  loginToFake,
  rateLimited,
  startFakeDiscord,
} from './fake-discord.ts';
import {
  buttonClick,
  type InteractionPayload,
  modalSubmit,
  option,
  slashCommand,
  subcommand,
} from './interaction-payloads.ts';

const CALLBACK = 'POST /interactions/:id/:token/callback';

describe('fake Discord platform with the real discord.js client', () => {
  let fake: FakeDiscord;
  let client: Client;

  /** Dispatches an interaction and resolves with the Interaction discord.js emits for it. */
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
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: fake.apiBase },
      allowedMentions: { parse: [] },
    });
    await loginToFake(client);
  });

  afterAll(async () => {
    await client.destroy(); // a no-op when the last test already destroyed it
    await fake.close();
  });

  it('reaches ready with the bot user, the application and the guild from GUILD_CREATE', () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(FAKE_IDS.bot);
    expect(client.application?.id).toBe(FAKE_IDS.app);
    const guild = client.guilds.cache.get(FAKE_IDS.guild);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(FAKE_IDS.channel)?.name).toBe('vuln-intake');
    expect(fake.gateway.identifies).toBe(1);
    const identify = fake.gateway.received.find((p) => p.op === 2);
    expect(identify?.d).toMatchObject({ token: FAKE_TOKEN, intents: 1, shard: [0, 1] });
    expect(fake.rest.callsOf('GET /gateway/bot')[0]?.headers.authorization).toMatch(/^Bot /);
  });

  it('delivers a slash command and records showModal as a type 9 callback without auth', async () => {
    const payload = slashCommand({
      name: 'vuln',
      options: [subcommand('report', [option('product', 'api-gateway')])],
    });
    const interaction = await deliver<ChatInputCommandInteraction>(payload);
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.options.getSubcommand()).toBe('report');
    expect(interaction.options.getString('product')).toBe('api-gateway');

    const modal = new ModalBuilder()
      .setCustomId('vuln:report')
      .setTitle('Report a vulnerability')
      .addLabelComponents(
        new LabelBuilder()
          .setLabel('Title')
          .setTextInputComponent(new TextInputBuilder().setCustomId('title').setStyle(TextInputStyle.Short)),
        new LabelBuilder()
          .setLabel('Severity')
          .setStringSelectMenuComponent(
            new StringSelectMenuBuilder()
              .setCustomId('severity')
              .addOptions({ label: 'High', value: 'high' }, { label: 'Low', value: 'low' }),
          ),
      );
    await interaction.showModal(modal);

    const call = await fake.rest.waitFor(CALLBACK, (c) => c.params.id === payload.id);
    expect(call.headers.authorization).toBeUndefined();
    expect(call.query).toEqual({ with_response: 'false' });
    expect(call.body).toMatchObject({
      type: 9,
      data: {
        custom_id: 'vuln:report',
        title: 'Report a vulnerability',
        components: [
          { type: 18, label: 'Title', component: { type: 4, custom_id: 'title', style: 1 } },
          { type: 18, label: 'Severity', component: { type: 3, custom_id: 'severity' } },
        ],
      },
    });
  });

  it('reads modal values from both the Label shape and the legacy action-row shape', async () => {
    const labelled = await deliver<ModalSubmitInteraction>(
      modalSubmit({ customId: 'vuln:report', fields: { title: 'XSS in login', severity: ['high'] } }),
    );
    expect(labelled.fields.getTextInputValue('title')).toBe('XSS in login');
    expect(labelled.fields.getStringSelectValues('severity')).toEqual(['high']);

    const legacy = await deliver<ModalSubmitInteraction>(
      modalSubmit({ customId: 'vuln:report', shape: 'actionRow', fields: { title: 'SQLi' } }),
    );
    expect(legacy.fields.getTextInputValue('title')).toBe('SQLi');
    await legacy.reply({ content: 'Filed VULN-0001' });
    const reply = await fake.rest.waitFor(CALLBACK, (c) => c.params.id === legacy.id);
    expect(reply.body).toMatchObject({ type: 4, data: { content: 'Filed VULN-0001' } });
  });

  it('records a button click answered with update() as a type 7 callback', async () => {
    const interaction = await deliver<ButtonInteraction>(buttonClick({ customId: 'vuln:ack:VULN-0001' }));
    expect(interaction.isButton()).toBe(true);
    expect(interaction.customId).toBe('vuln:ack:VULN-0001');
    expect(interaction.message.components).toHaveLength(1);
    await interaction.update({ content: 'Acknowledged', components: [] });
    const call = await fake.rest.waitFor(CALLBACK, (c) => c.params.id === interaction.id);
    expect(call.body).toMatchObject({ type: 7, data: { content: 'Acknowledged', components: [] } });
  });

  it('sends channel messages with allowed_mentions {parse: []} from the client option', async () => {
    const channel = (await client.channels.fetch(FAKE_IDS.channel)) as TextChannel;
    const message = await channel.send('ping <@&123> @everyone');
    expect(message.author.id).toBe(FAKE_IDS.bot);
    expect(message.channelId).toBe(FAKE_IDS.channel);
    const call = await fake.rest.waitFor(
      'POST /channels/:id/messages',
      (c) => c.params.id === FAKE_IDS.channel,
    );
    expect(call.body).toMatchObject({ content: 'ping <@&123> @everyone', allowed_mentions: { parse: [] } });
  });

  it('retries a request once after a 429 with retry_after 0.25 s', async () => {
    fake.rest.clearCalls();
    fake.rest.respondOnce('POST /channels/:id/messages', rateLimited(0.25));
    const channel = client.channels.cache.get(FAKE_IDS.channel) as TextChannel;
    const rateLimitEvents: number[] = [];
    client.rest.once('rateLimited', (info) => rateLimitEvents.push(info.retryAfter));
    const message = await channel.send('after rate limit');
    const [limited, retried] = fake.rest.callsOf('POST /channels/:id/messages');
    expect(limited?.injected).toBe(429);
    expect(retried?.injected).toBeUndefined();
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(250);
    // The 429 set X-RateLimit-Remaining 0, so the bucket waits reset_after plus the offset.
    expect(rateLimitEvents[0]).toBeGreaterThanOrEqual(250);
    expect(message.content).toBe('after rate limit');
  });

  it('closes the gateway connection with code 1000 on destroy() and does not reconnect', async () => {
    await client.destroy();
    expect(client.isReady()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(fake.gateway.closeCodes).toEqual([1000]);
    expect(fake.gateway.identifies).toBe(1);
  });
});
