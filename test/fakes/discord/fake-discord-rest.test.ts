// The fake REST routes as the real discord.js client uses them.
import {
  ChannelType,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  GatewayIntentBits,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discordError,
  FAKE_IDS,
  type FakeDiscord,
  loginToFake,
  memberObject,
  startFakeDiscord,
} from './fake-discord.ts';
import { slashCommand } from './interaction-payloads.ts';

describe('fake Discord REST routes', () => {
  let fake: FakeDiscord;
  let client: Client;

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
    await client.destroy();
    await fake.close();
  });

  it('answers reply withResponse, editReply, followUp and deleteReply through the interaction token', async () => {
    const payload = slashCommand({ name: 'vuln' });
    const delivered = new Promise<ChatInputCommandInteraction>((resolve) =>
      client.once('interactionCreate', (i: Interaction) => resolve(i as ChatInputCommandInteraction)),
    );
    fake.interaction(payload);
    const interaction = await delivered;

    const response = await interaction.reply({ content: 'Working on it', withResponse: true });
    expect(response.resource?.message?.content).toBe('Working on it');
    expect(response.resource?.message?.channelId).toBe(FAKE_IDS.channel);
    const edited = await interaction.editReply('Filed VULN-0002');
    expect(edited.content).toBe('Filed VULN-0002');
    const followUp = await interaction.followUp({ content: 'Details inside' });
    expect(followUp.content).toBe('Details inside');
    await interaction.deleteReply();

    const routes = fake.rest.calls.filter((c) => c.path.includes(payload.token)).map((c) => c.route);
    expect(routes).toEqual([
      'POST /interactions/:id/:token/callback',
      'PATCH /webhooks/:appId/:token/messages/@original',
      'POST /webhooks/:appId/:token',
      'DELETE /webhooks/:appId/:token/messages/@original',
    ]);
    expect(fake.rest.callsOf('POST /interactions/:id/:token/callback')[0]?.query).toEqual({
      with_response: 'true',
    });
    await expect(interaction.reply('again')).rejects.toThrow(); // discord.js refuses a second reply
  });

  it('rejects a second callback for the same interaction with code 40060', async () => {
    const payload = slashCommand({ name: 'vuln' });
    const url = `${fake.apiBase}/v10/interactions/${payload.id}/${payload.token}/callback`;
    const post = () =>
      fetch(url, { method: 'POST', body: '{"type":5}', headers: { 'content-type': 'application/json' } });
    expect((await post()).status).toBe(204);
    const second = await post();
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ code: 40060 });
  });

  it('starts a thread on a message; the thread has the message id and type 11', async () => {
    const channel = client.channels.cache.get(FAKE_IDS.channel) as TextChannel;
    const message = await channel.send({ embeds: [{ title: 'VULN-0003' }] });
    const thread = await message.startThread({ name: 'VULN-0003 triage' });
    expect(thread.id).toBe(message.id);
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(FAKE_IDS.channel);
    const call = await fake.rest.waitFor('POST /channels/:id/messages/:messageId/threads');
    expect(call.body).toMatchObject({ name: 'VULN-0003 triage' });
  });

  it('edits a message with PATCH /channels/:id/messages/:messageId', async () => {
    const channel = client.channels.cache.get(FAKE_IDS.channel) as TextChannel;
    const message = await channel.send('status: new');
    const edited = await message.edit('status: triaged');
    expect(edited.content).toBe('status: triaged');
    expect(fake.rest.callsOf('PATCH /channels/:id/messages/:messageId').at(-1)?.params.messageId).toBe(
      message.id,
    );
  });

  it('opens a DM and surfaces an injected 403 (code 50007) as DiscordAPIError', async () => {
    const dm = await client.users.createDM(FAKE_IDS.user);
    expect(dm.type).toBe(ChannelType.DM);
    expect(dm.recipientId).toBe(FAKE_IDS.user);
    fake.rest.respondOnce(
      'POST /channels/:id/messages',
      discordError(403, 50007, 'Cannot send messages to this user'),
    );
    const error = await dm.send('hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50007);
    expect((error as DiscordAPIError).status).toBe(403);
  });

  it('retries an injected 500 and then succeeds', async () => {
    fake.rest.respondOnce('POST /channels/:id/messages', { status: 500, body: { message: 'oops', code: 0 } });
    const channel = client.channels.cache.get(FAKE_IDS.channel) as TextChannel;
    const message = await channel.send('after a 500');
    expect(message.content).toBe('after a 500');
    const recent = fake.rest.callsOf('POST /channels/:id/messages').slice(-2);
    expect(recent.map((c) => c.injected ?? 200)).toEqual([500, 200]);
  });

  it('serves overridable channels (with permission overwrites) and members', async () => {
    const channelId = '1250000000000000201';
    fake.rest.setChannel(channelId, {
      name: 'security-private',
      permission_overwrites: [{ id: FAKE_IDS.guild, type: 0, allow: '0', deny: '1024' }],
    });
    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    expect(channel.name).toBe('security-private');
    expect(channel.permissionOverwrites.cache.get(FAKE_IDS.guild)?.deny.has('ViewChannel')).toBe(true);

    const guild = client.guilds.cache.get(FAKE_IDS.guild);
    fake.rest.setMember(FAKE_IDS.guild, FAKE_IDS.user, memberObject(FAKE_IDS.user, [FAKE_IDS.adminRole]));
    const member = await guild?.members.fetch({ user: FAKE_IDS.user, force: true });
    expect(member?.roles.cache.has(FAKE_IDS.adminRole)).toBe(true);

    fake.rest.setMember(FAKE_IDS.guild, '1250000000000000999', null);
    await expect(guild?.members.fetch({ user: '1250000000000000999', force: true })).rejects.toMatchObject({
      code: 10007,
    });
  });

  it('bulk-overwrites guild commands and echoes them with ids', async () => {
    const guild = client.guilds.cache.get(FAKE_IDS.guild);
    const commands = await guild?.commands.set([{ name: 'vuln', description: 'Vulnerability intake' }]);
    expect(commands?.first()?.name).toBe('vuln');
    expect(commands?.first()?.id).toMatch(/^\d{17,20}$/);
    const call = await fake.rest.waitFor('PUT /applications/:appId/guilds/:guildId/commands');
    expect(call.params).toEqual({ appId: FAKE_IDS.app, guildId: FAKE_IDS.guild });
  });

  it('records multipart uploads with payload_json parsed', async () => {
    const channel = client.channels.cache.get(FAKE_IDS.channel) as TextChannel;
    await channel.send({
      content: 'report attached',
      files: [{ attachment: Buffer.from('poc'), name: 'poc.txt' }],
    });
    const call = fake.rest.callsOf('POST /channels/:id/messages').at(-1);
    expect(call?.body).toMatchObject({ content: 'report attached', allowed_mentions: { parse: [] } });
    expect(call?.files).toEqual([
      { field: 'files[0]', filename: 'poc.txt', contentType: expect.any(String), size: 3 },
    ]);
  });
});
