// Shared ids and Discord API object builders used by the fake REST server, the fake
// gateway and the interaction payload builders. Shapes follow Discord API v10.

export type Json = Record<string, unknown>;

// Milliseconds since 2015-01-01, the Discord epoch.
const DISCORD_EPOCH = 1420070400000n;
let lastSnowflake = 0n;

/** A real-looking, strictly increasing snowflake (creation time in the top bits). */
export function nextSnowflake(): string {
  const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  lastSnowflake = fromClock > lastSnowflake ? fromClock : lastSnowflake + 1n;
  return lastSnowflake.toString();
}

/** Fixed ids so tests can refer to the default guild, channel, users and roles. */
export const FAKE_IDS = {
  app: '1250000000000000001',
  bot: '1250000000000000001',
  guild: '1250000000000000100',
  channel: '1250000000000000200',
  user: '1250000000000000300',
  adminRole: '1250000000000000400',
} as const;

/** PermissionFlagsBits.Administrator as a decimal string. */
export const ADMINISTRATOR = '8';
/** View, send, embed, attach, read history, use app commands, create threads, send in threads. */
export const BOT_PERMISSIONS = String(
  (1n << 10n) |
    (1n << 11n) |
    (1n << 14n) |
    (1n << 15n) |
    (1n << 16n) |
    (1n << 31n) |
    (1n << 35n) |
    (1n << 38n),
);

export function userObject(id: string, overrides: Json = {}): Json {
  return {
    id,
    username: `user-${id.slice(-4)}`,
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: false,
    system: false,
    public_flags: 0,
    flags: 0,
    primary_guild: null,
    avatar_decoration_data: null,
    collectibles: null,
    ...overrides,
  };
}

export const FAKE_BOT_USER: Json = userObject(FAKE_IDS.bot, {
  username: 'vulndesk',
  bot: true,
  verified: true,
  mfa_enabled: false,
});

export function memberObject(userId: string, roles: string[] = [], overrides: Json = {}): Json {
  return {
    user: userObject(userId),
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
    ...overrides,
  };
}

export function roleObject(id: string, name: string, permissions: string, position: number): Json {
  return {
    id,
    name,
    description: null,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function guildTextChannel(id: string, guildId: string, overrides: Json = {}): Json {
  return {
    id,
    type: 0,
    guild_id: guildId,
    name: `channel-${id.slice(-4)}`,
    position: 0,
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
    permission_overwrites: [],
    ...overrides,
  };
}

export function dmChannel(id: string, recipientId: string): Json {
  return { id, type: 1, flags: 0, last_message_id: null, recipients: [userObject(recipientId)] };
}

export function threadChannel(id: string, parent: Json, name: string, autoArchive = 1440): Json {
  return {
    id,
    type: 11,
    guild_id: parent.guild_id,
    parent_id: parent.id,
    owner_id: FAKE_IDS.bot,
    name,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration: autoArchive,
      archive_timestamp: new Date().toISOString(),
      locked: false,
      create_timestamp: new Date().toISOString(),
    },
    member: { id, user_id: FAKE_IDS.bot, join_timestamp: new Date().toISOString(), flags: 1 },
  };
}

/** A message authored by the bot, as the API returns it after a create. */
export function messageObject(channelId: string, body: Json, overrides: Json = {}): Json {
  return {
    id: nextSnowflake(),
    type: 0,
    channel_id: channelId,
    author: FAKE_BOT_USER,
    content: body.content ?? '',
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    attachments: [],
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: body.flags ?? 0,
    ...overrides,
  };
}

export interface GuildSeed {
  id: string;
  name?: string;
  /** Guild channels; each is completed by guildTextChannel(). Defaults to one text channel. */
  channels?: Json[];
  /** Roles besides @everyone (whose id is the guild id). */
  roles?: Json[];
  /** Members besides the bot. */
  members?: Json[];
}

/** The default guild: one text channel, an admin role, and the bot as member. */
export function defaultGuildSeed(): GuildSeed {
  return {
    id: FAKE_IDS.guild,
    name: 'Vulndesk Test Guild',
    channels: [{ id: FAKE_IDS.channel, name: 'vuln-intake' }],
    roles: [roleObject(FAKE_IDS.adminRole, 'security-admin', ADMINISTRATOR, 1)],
    members: [],
  };
}

/** GUILD_CREATE dispatch data for an available guild. */
export function guildCreateData(seed: GuildSeed, botUser: Json = FAKE_BOT_USER): Json {
  const channels = (seed.channels ?? [{ id: nextSnowflake() }]).map((c, i) =>
    guildTextChannel(String(c.id), seed.id, { position: i, ...c }),
  );
  const roles = [roleObject(seed.id, '@everyone', '1071698660929', 0), ...(seed.roles ?? [])];
  const members = [memberObject(String(botUser.id), [], { user: botUser }), ...(seed.members ?? [])];
  return {
    id: seed.id,
    name: seed.name ?? `guild-${seed.id.slice(-4)}`,
    unavailable: false,
    owner_id: FAKE_IDS.user,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    features: [],
    preferred_locale: 'en-US',
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    afk_channel_id: null,
    afk_timeout: 300,
    application_id: null,
    vanity_url_code: null,
    max_members: 500000,
    max_video_channel_users: 25,
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    large: false,
    lazy: true,
    member_count: members.length,
    roles,
    channels,
    members,
    threads: [],
    presences: [],
    voice_states: [],
    emojis: [],
    stickers: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
