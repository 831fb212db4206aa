// Builders for INTERACTION_CREATE payloads (gateway `d`, or the body of an HTTP interaction)
// shaped like Discord API v10 sends them. All ids default to the fake's FAKE_IDS.
import {
  BOT_PERMISSIONS,
  FAKE_IDS,
  type Json,
  memberObject,
  messageObject,
  nextSnowflake,
  userObject,
} from './fake-discord-objects.ts';

export {
  generateInteractionKeys,
  type InteractionKeys,
  signedHeaders,
  signInteraction,
} from './interaction-signing.ts';

/** Permissions of a plain member (the default @everyone set). */
export const MEMBER_PERMISSIONS = '1071698660929';

export interface InteractionPayload extends Json {
  id: string;
  application_id: string;
  type: number;
  token: string;
  version: 1;
  data: Json;
}

export interface InteractionContextOptions {
  id?: string;
  token?: string;
  applicationId?: string;
  userId?: string;
  username?: string;
  /** `null` builds a bot-DM interaction (top-level `user`, no `member`). */
  guildId?: string | null;
  channelId?: string;
  memberRoles?: string[];
  /** The invoking member's permissions in the channel (decimal bitfield string). */
  permissions?: string;
  appPermissions?: string;
  locale?: string;
  /** Fields merged last; `undefined` drops a field when sent (JSON omits it), e.g. entitlements. */
  overrides?: Json;
}

/** Fields every interaction carries, for a guild channel or the bot's DM. */
function base(type: number, data: Json, o: InteractionContextOptions): InteractionPayload {
  const userId = o.userId ?? FAKE_IDS.user;
  const user = userObject(userId, o.username ? { username: o.username } : {});
  const channelId = o.channelId ?? FAKE_IDS.channel;
  const guildId = o.guildId === undefined ? FAKE_IDS.guild : o.guildId;
  const memberPermissions = o.permissions ?? MEMBER_PERMISSIONS;
  const common = {
    id: o.id ?? nextSnowflake(),
    application_id: o.applicationId ?? FAKE_IDS.app,
    type,
    token: o.token ?? `fake-interaction-token-${nextSnowflake()}`,
    version: 1 as const,
    data,
    app_permissions: o.appPermissions ?? BOT_PERMISSIONS,
    locale: o.locale ?? 'en-US',
    entitlements: [],
    attachment_size_limit: 10_485_760,
  };
  const where: Json =
    guildId === null
      ? {
          user,
          channel: { id: channelId, type: 1, flags: 0, last_message_id: null, recipients: [user] },
          channel_id: channelId,
          authorizing_integration_owners: { '0': '0' },
          context: 1,
        }
      : {
          guild_id: guildId,
          guild: { id: guildId, locale: 'en-US', features: [] },
          guild_locale: 'en-US',
          member: memberObject(userId, o.memberRoles ?? [], { user, permissions: memberPermissions }),
          channel: {
            id: channelId,
            type: 0,
            guild_id: guildId,
            name: 'vuln-intake',
            position: 0,
            parent_id: null,
            topic: null,
            nsfw: false,
            last_message_id: null,
            rate_limit_per_user: 0,
            flags: 0,
            permissions: memberPermissions,
          },
          channel_id: channelId,
          authorizing_integration_owners: { '0': guildId },
          context: 0,
        };
  return { ...common, ...where, ...o.overrides } as InteractionPayload;
}

// ---- Application command options ----

export type CommandOption = Json & { name: string; type: number };

/** A value option; the type is inferred: string 3, integer 4, boolean 5, other number 10. */
export function option(name: string, value: string | number | boolean, type?: number): CommandOption {
  const inferred =
    typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10;
  return { name, type: type ?? inferred, value };
}

/** The option being typed during autocomplete (its value is the partial text). */
export function focused(name: string, value: string, type = 3): CommandOption {
  return { name, type, value, focused: true };
}

export function subcommand(name: string, options: CommandOption[] = []): CommandOption {
  return { name, type: 1, options };
}

export function subcommandGroup(name: string, subcommands: CommandOption[]): CommandOption {
  return { name, type: 2, options: subcommands };
}

export interface SlashCommandOptions extends InteractionContextOptions {
  name: string;
  commandId?: string;
  /** E.g. `[subcommand('show', [option('id', 'VULN-0001')])]` for `/vuln show id:VULN-0001`. */
  options?: CommandOption[];
  resolved?: Json;
}

function commandData(o: SlashCommandOptions): Json {
  const data: Json = { id: o.commandId ?? nextSnowflake(), name: o.name, type: 1 };
  if (o.options?.length) data.options = o.options;
  if (o.resolved) data.resolved = o.resolved;
  if (o.guildId !== null) data.guild_id = o.guildId ?? FAKE_IDS.guild;
  return data;
}

/** A chat-input (slash) command, interaction type 2. */
export function slashCommand(o: SlashCommandOptions): InteractionPayload {
  return base(2, commandData(o), o);
}

/** Autocomplete for a chat-input command, interaction type 4; mark one option with focused(). */
export function autocomplete(o: SlashCommandOptions): InteractionPayload {
  return base(4, commandData(o), o);
}

// ---- Message components ----

export interface ComponentOptions extends InteractionContextOptions {
  customId: string;
  /** The message carrying the component; defaults to a bot message holding just that component. */
  message?: Json;
}

function sourceMessage(o: ComponentOptions, component: Json): Json {
  if (o.message) return o.message;
  const channelId = o.channelId ?? FAKE_IDS.channel;
  const row = { type: 1, id: 1, components: [{ ...component, id: 2 }] };
  const guild = o.guildId === null ? {} : { guild_id: o.guildId ?? FAKE_IDS.guild };
  return messageObject(channelId, { content: 'Vulnerability report', components: [row] }, guild);
}

/** A button press, interaction type 3 with component_type 2. */
export function buttonClick(o: ComponentOptions): InteractionPayload {
  const button = { type: 2, style: 1, label: 'Button', custom_id: o.customId };
  const payload = base(3, { custom_id: o.customId, component_type: 2, id: 2 }, o);
  return { ...payload, message: sourceMessage(o, button), ...o.overrides };
}

export interface SelectMenuOptions extends ComponentOptions {
  values: string[];
  /** 3 string (default), 5 user, 6 role, 7 mentionable, 8 channel. */
  componentType?: number;
  /** Required by user/role/mentionable/channel selects. */
  resolved?: Json;
}

/** A select menu choice, interaction type 3 with component_type 3 by default. */
export function selectMenu(o: SelectMenuOptions): InteractionPayload {
  const componentType = o.componentType ?? 3;
  const options = o.values.map((value) => ({ label: value, value }));
  const menu = { type: componentType, custom_id: o.customId, ...(componentType === 3 ? { options } : {}) };
  const data: Json = { custom_id: o.customId, component_type: componentType, values: o.values, id: 2 };
  if (o.resolved) data.resolved = o.resolved;
  return { ...base(3, data, o), message: sourceMessage(o, menu), ...o.overrides };
}

// ---- Modal submit ----

let componentId = 0;
const nextComponentId = () => ++componentId;

/** Label (type 18) wrapping a text input, the current modal shape. */
export function labelTextInput(customId: string, value: string): Json {
  return {
    type: 18,
    id: nextComponentId(),
    component: { type: 4, id: nextComponentId(), custom_id: customId, value },
  };
}

/** Label (type 18) wrapping a select menu (3 string, 5 user, 6 role, 7 mentionable, 8 channel). */
export function labelSelect(customId: string, values: string[], componentType = 3): Json {
  const component = { type: componentType, id: nextComponentId(), custom_id: customId, values };
  return { type: 18, id: nextComponentId(), component };
}

/** Action row (type 1) holding one text input, the legacy modal shape. */
export function actionRowTextInput(customId: string, value: string): Json {
  const input = { type: 4, id: nextComponentId(), custom_id: customId, value };
  return { type: 1, id: nextComponentId(), components: [input] };
}

/** A text display (type 10) as echoed back in a submission: only type and id. */
export function textDisplay(): Json {
  return { type: 10, id: nextComponentId() };
}

export interface ModalSubmitOptions extends InteractionContextOptions {
  customId: string;
  /** Submitted components, e.g. [labelTextInput('title', 'XSS'), labelSelect('severity', ['high'])]. */
  components?: Json[];
  /** Shortcut: text values (string) and select values (string[]) by custom id. */
  fields?: Record<string, string | string[]>;
  /** Shape used for `fields`: 'label' (default) or 'actionRow' (text inputs only). */
  shape?: 'label' | 'actionRow';
  /** Set when the modal was opened from a message component. */
  message?: Json;
  resolved?: Json;
}

/** A modal submission, interaction type 5. */
export function modalSubmit(o: ModalSubmitOptions): InteractionPayload {
  const fromFields = Object.entries(o.fields ?? {}).map(([customId, value]) => {
    if (Array.isArray(value)) return labelSelect(customId, value);
    return o.shape === 'actionRow' ? actionRowTextInput(customId, value) : labelTextInput(customId, value);
  });
  const data: Json = { custom_id: o.customId, components: [...(o.components ?? []), ...fromFields] };
  if (o.resolved) data.resolved = o.resolved;
  const payload = base(5, data, o);
  return o.message ? { ...payload, message: o.message, ...o.overrides } : payload;
}
