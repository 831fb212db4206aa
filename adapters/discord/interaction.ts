import type { ModalValues } from './render/intake-modal.ts';

/** Interaction types as Discord numbers them. */
const TYPES: Readonly<Record<number, InteractionKind>> = {
  1: 'ping',
  2: 'command',
  3: 'component',
  4: 'autocomplete',
  5: 'modal',
};

export type InteractionKind = 'ping' | 'command' | 'component' | 'autocomplete' | 'modal';
export type OptionValue = string | number | boolean;

/**
 * One interaction as the router sees it, whichever transport brought it (gateway or HTTP): only
 * what the bot uses, read defensively from Discord's JSON.
 */
export interface DiscordInteraction {
  readonly id: string;
  readonly token: string;
  readonly applicationId: string;
  readonly kind: InteractionKind;
  /** Null in a direct message with the bot. */
  readonly guildId: string | null;
  readonly userId: string;
  readonly displayName: string;
  /** The member's role IDs in the guild the interaction came from; null in a DM. */
  readonly memberRoles: readonly string[] | null;
  readonly commandName: string;
  readonly subcommand: string | null;
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly focused: { readonly name: string; readonly value: string } | null;
  readonly customId: string;
  readonly values: readonly string[];
  readonly fields: ModalValues;
  /** Field name -> value of the first embed on the message a component sits on (e.g. the card). */
  readonly messageFields: Readonly<Record<string, string>>;
}

export type ParsedInteraction =
  | { readonly ok: true; readonly interaction: DiscordInteraction }
  | {
      readonly ok: false;
      readonly reason: string;
      /** Enough to answer with an error message, when the payload had it. */
      readonly answerable: { readonly id: string; readonly token: string } | null;
    };

type Json = Record<string, unknown>;

const record = (value: unknown): Json | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

interface Options {
  subcommand: string | null;
  values: Record<string, OptionValue>;
  focused: { name: string; value: string } | null;
}

/** Flattens `/vuln <subcommand> <options>` (and subcommand groups) into name -> value. */
const readOptions = (
  raw: unknown,
  into: Options = { subcommand: null, values: {}, focused: null },
): Options => {
  for (const entry of list(raw)) {
    const option = record(entry);
    const name = text(option?.name);
    if (!option || name === null) continue;
    if (option.type === 1 || option.type === 2) {
      into.subcommand = into.subcommand ? `${into.subcommand} ${name}` : name;
      readOptions(option.options, into);
      continue;
    }
    const value = option.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      into.values[name] = value;
      if (option.focused === true) into.focused = { name, value: String(value) };
    }
  }
  return into;
};

/** Text inputs and selects of a submitted modal, in the Label shape or the legacy action-row shape. */
const readModalFields = (components: unknown): Record<string, string | string[]> => {
  const fields: Record<string, string | string[]> = {};
  const visit = (node: unknown) => {
    const component = record(node);
    if (!component) return;
    const id = text(component.custom_id);
    if (id !== null && typeof component.value === 'string') fields[id] = component.value;
    else if (id !== null && Array.isArray(component.values)) fields[id] = component.values.map(String);
    visit(component.component);
    for (const child of list(component.components)) visit(child);
  };
  for (const node of list(components)) visit(node);
  return fields;
};

const readMessageFields = (message: unknown): Record<string, string> => {
  const embed = record(list(record(message)?.embeds)[0]);
  const fields: Record<string, string> = {};
  for (const entry of list(embed?.fields)) {
    const field = record(entry);
    const name = text(field?.name);
    const value = text(field?.value);
    if (name !== null && value !== null) fields[name] = value;
  }
  return fields;
};

/** Reads an INTERACTION_CREATE payload (gateway `d`) or an HTTP interaction body. Never throws. */
export const parseInteraction = (raw: unknown): ParsedInteraction => {
  const body = record(raw);
  const id = text(body?.id);
  const token = text(body?.token);
  const answerable = id && token ? { id, token } : null;
  const bad = (reason: string): ParsedInteraction => ({ ok: false, reason, answerable });
  if (!body || !answerable) return bad('interaction.missing_id_or_token');
  const kind = typeof body.type === 'number' ? TYPES[body.type] : undefined;
  if (!kind) return bad('interaction.unknown_type');
  const applicationId = text(body.application_id);
  if (!applicationId) return bad('interaction.missing_application_id');
  const member = record(body.member);
  const user = record(member?.user) ?? record(body.user);
  const userId = text(user?.id);
  if (kind !== 'ping' && !userId) return bad('interaction.missing_user');
  const data = record(body.data) ?? {};
  if (kind !== 'ping' && !record(body.data)) return bad('interaction.missing_data');
  const options = readOptions(data.options);
  const roles = member ? list(member.roles).filter((r): r is string => typeof r === 'string') : null;
  return {
    ok: true,
    interaction: {
      id: answerable.id,
      token: answerable.token,
      applicationId,
      kind,
      guildId: text(body.guild_id),
      userId: userId ?? '',
      displayName: text(member?.nick) ?? text(user?.global_name) ?? text(user?.username) ?? userId ?? '',
      memberRoles: roles,
      commandName: text(data.name) ?? '',
      subcommand: options.subcommand,
      options: options.values,
      focused: options.focused,
      customId: text(data.custom_id) ?? '',
      values: list(data.values).map(String),
      fields: kind === 'modal' ? readModalFields(data.components) : {},
      messageFields: readMessageFields(body.message),
    },
  };
};
