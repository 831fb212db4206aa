// Route handlers and in-memory state of the fake Discord REST API (v10).
import {
  dmChannel,
  FAKE_BOT_USER,
  FAKE_IDS,
  guildTextChannel,
  type Json,
  memberObject,
  messageObject,
  nextSnowflake,
  threadChannel,
} from './fake-discord-objects.ts';

export interface RestState {
  gatewayUrl: string;
  botUser: Json;
  defaultGuildId: string;
  channels: Map<string, Json>;
  /** `${guildId}:${userId}` -> member; null means "Unknown Member" (404). */
  members: Map<string, Json | null>;
  messages: Map<string, Json>;
  /** Interaction token -> the interaction's original response message. */
  originals: Map<string, Json>;
  /** Interaction token -> the INTERACTION_CREATE payload it came with (see rememberInteraction). */
  interactions: Map<string, Json>;
  /** Interaction ids already answered with a callback. */
  acknowledged: Set<string>;
  dms: Map<string, Json>;
}

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
}

export type RouteHandler = (state: RestState, req: RouteRequest) => RouteResponse;

const ok = (body: unknown): RouteResponse => ({ status: 200, body });
const noContent: RouteResponse = { status: 204 };
const unknownMessage: RouteResponse = { status: 404, body: { message: 'Unknown Message', code: 10008 } };

export function createRestState(gatewayUrl: string, defaultGuildId: string = FAKE_IDS.guild): RestState {
  return {
    gatewayUrl,
    botUser: FAKE_BOT_USER,
    defaultGuildId,
    channels: new Map(),
    members: new Map(),
    messages: new Map(),
    originals: new Map(),
    interactions: new Map(),
    acknowledged: new Set(),
    dms: new Map(),
  };
}

function channelOf(state: RestState, id: string): Json {
  return state.channels.get(id) ?? guildTextChannel(id, state.defaultGuildId);
}

function interactionChannelId(state: RestState, token: string): string {
  const payload = state.interactions.get(token);
  const channel = payload?.channel as Json | undefined;
  return String(channel?.id ?? payload?.channel_id ?? FAKE_IDS.channel);
}

function storeMessage(state: RestState, message: Json): Json {
  state.messages.set(String(message.id), message);
  return message;
}

function editMessage(existing: Json, body: Json): Json {
  const edited: Json = { ...existing, edited_timestamp: new Date().toISOString() };
  for (const key of ['content', 'embeds', 'components', 'flags', 'attachments'] as const) {
    if (key in body) edited[key] = body[key];
  }
  return edited;
}

/** Fields Discord sets on messages created through an interaction token. */
function interactionMessageFields(state: RestState, token: string): Json {
  const payload = state.interactions.get(token);
  if (!payload) return { webhook_id: FAKE_IDS.app, application_id: FAKE_IDS.app };
  const member = payload.member as Json | undefined;
  return {
    type: payload.type === 2 ? 20 : 0,
    webhook_id: payload.application_id,
    application_id: payload.application_id,
    interaction_metadata: {
      id: payload.id,
      type: payload.type,
      user: member?.user ?? payload.user,
      authorizing_integration_owners: payload.authorizing_integration_owners,
    },
  };
}

/**
 * The interaction's original response after a callback: a new message for 4 (reply) and
 * 5 (deferred reply, flagged loading), the component's message for 6 (deferred update) and
 * 7 (update, edited). Other types (8 autocomplete, 9 modal) have none.
 */
function callbackMessage(state: RestState, token: string, type: number, data: Json): Json | undefined {
  const channelId = interactionChannelId(state, token);
  const fields = interactionMessageFields(state, token);
  const source = state.interactions.get(token)?.message as Json | undefined;
  if (type === 4) return messageObject(channelId, data, fields);
  if (type === 5) return messageObject(channelId, { flags: Number(data.flags ?? 0) | 128 }, fields);
  if (type === 6) return source;
  if (type === 7) return editMessage(source ?? messageObject(channelId, {}), data);
  return undefined;
}

const interactionCallback: RouteHandler = (state, { params, query, body }) => {
  const id = String(params.id);
  const token = String(params.token);
  if (state.acknowledged.has(id)) {
    return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
  }
  state.acknowledged.add(id);
  const type = Number(body.type);
  const message = callbackMessage(state, token, type, (body.data as Json | undefined) ?? {});
  if (message) state.originals.set(token, storeMessage(state, message));
  if (query.get('with_response') !== 'true') return noContent;
  const ephemeral = (Number(message?.flags ?? 0) & 64) !== 0;
  return ok({
    interaction: {
      id,
      type: Number(state.interactions.get(token)?.type ?? 2),
      response_message_id: message?.id,
      response_message_loading: type === 5,
      response_message_ephemeral: ephemeral,
    },
    resource: message ? { type, message } : { type },
  });
};

const getOriginal: RouteHandler = (state, { params }) => {
  const message = state.originals.get(String(params.token));
  return message ? ok(message) : unknownMessage;
};

const patchOriginal: RouteHandler = (state, { params, body }) => {
  const token = String(params.token);
  const existing =
    state.originals.get(token) ??
    messageObject(interactionChannelId(state, token), {}, interactionMessageFields(state, token));
  const edited = storeMessage(state, editMessage(existing, body));
  state.originals.set(token, edited);
  return ok(edited);
};

const deleteOriginal: RouteHandler = (state, { params }) =>
  state.originals.delete(String(params.token)) ? noContent : unknownMessage;

const createFollowUp: RouteHandler = (state, { params, body }) => {
  const token = String(params.token);
  const fields = interactionMessageFields(state, token);
  return ok(storeMessage(state, messageObject(interactionChannelId(state, token), body, fields)));
};

const getMessage: RouteHandler = (state, { params }) => {
  const message = state.messages.get(String(params.messageId));
  return message ? ok(message) : unknownMessage;
};

// Edits are lenient: a message the fake never created (e.g. one that only existed in a test
// payload) is created on first edit, so tests need not seed it.
const patchMessage: RouteHandler = (state, { params, body }) => {
  const id = String(params.messageId);
  const channelId = String(params.id ?? interactionChannelId(state, String(params.token)));
  const existing = state.messages.get(id) ?? messageObject(channelId, {}, { id });
  return ok(storeMessage(state, editMessage(existing, body)));
};

const deleteMessage: RouteHandler = (state, { params }) =>
  state.messages.delete(String(params.messageId)) ? noContent : unknownMessage;

const createMessage: RouteHandler = (state, { params, body }) => {
  const channel = channelOf(state, String(params.id));
  return ok(storeMessage(state, messageObject(String(channel.id), body, { guild_id: channel.guild_id })));
};

const startThread: RouteHandler = (state, { params, body }) => {
  const parent = channelOf(state, String(params.id));
  // A thread started from a message has the message's id.
  const thread = threadChannel(
    String(params.messageId),
    parent,
    String(body.name ?? 'thread'),
    Number(body.auto_archive_duration ?? 1440),
  );
  state.channels.set(String(thread.id), thread);
  return { status: 201, body: thread };
};

const openDm: RouteHandler = (state, { body }) => {
  const recipient = String(body.recipient_id);
  let channel = state.dms.get(recipient);
  if (!channel) {
    channel = dmChannel(nextSnowflake(), recipient);
    state.dms.set(recipient, channel);
    state.channels.set(String(channel.id), channel);
  }
  return ok(channel);
};

const getMember: RouteHandler = (state, { params }) => {
  const member = state.members.get(`${params.id}:${params.userId}`);
  if (member === null) return { status: 404, body: { message: 'Unknown Member', code: 10007 } };
  return ok(member ?? memberObject(String(params.userId)));
};

const overwriteCommands: RouteHandler = (_state, { params, body }) => {
  const commands = Array.isArray(body) ? (body as Json[]) : [];
  return ok(
    commands.map((command) => ({
      id: nextSnowflake(),
      application_id: params.appId,
      ...(params.guildId ? { guild_id: params.guildId } : {}),
      version: nextSnowflake(),
      type: 1,
      default_member_permissions: null,
      nsfw: false,
      description: '',
      ...command,
    })),
  );
};

/** Route table: first match wins, so literal segments come before parameters. */
export const ROUTES: ReadonlyArray<readonly [string, RouteHandler]> = [
  [
    'GET /gateway/bot',
    (s) =>
      ok({
        url: s.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      }),
  ],
  ['GET /gateway', (s) => ok({ url: s.gatewayUrl })],
  ['GET /users/@me', (s) => ok(s.botUser)],
  ['POST /users/@me/channels', openDm],
  ['POST /interactions/:id/:token/callback', interactionCallback],
  ['GET /webhooks/:appId/:token/messages/@original', getOriginal],
  ['PATCH /webhooks/:appId/:token/messages/@original', patchOriginal],
  ['DELETE /webhooks/:appId/:token/messages/@original', deleteOriginal],
  ['GET /webhooks/:appId/:token/messages/:messageId', getMessage],
  ['PATCH /webhooks/:appId/:token/messages/:messageId', patchMessage],
  ['DELETE /webhooks/:appId/:token/messages/:messageId', deleteMessage],
  ['POST /webhooks/:appId/:token', createFollowUp],
  ['GET /channels/:id', (s, { params }) => ok(channelOf(s, String(params.id)))],
  ['POST /channels/:id/messages', createMessage],
  ['GET /channels/:id/messages/:messageId', getMessage],
  ['PATCH /channels/:id/messages/:messageId', patchMessage],
  ['DELETE /channels/:id/messages/:messageId', deleteMessage],
  ['POST /channels/:id/messages/:messageId/threads', startThread],
  ['GET /guilds/:id/members/:userId', getMember],
  ['PUT /applications/:appId/guilds/:guildId/commands', overwriteCommands],
  ['PUT /applications/:appId/commands', overwriteCommands],
];

/** Matches `METHOD /a/:b/c` against a request; returns the path parameters or null. */
function matchRoute(route: string, method: string, segments: string[]): Record<string, string> | null {
  const [routeMethod, routePath = ''] = route.split(' ');
  const parts = routePath.split('/').filter(Boolean);
  if (routeMethod !== method || parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

export function findRoute(
  method: string,
  segments: string[],
): { pattern: string; params: Record<string, string>; handler?: RouteHandler } {
  for (const [pattern, handler] of ROUTES) {
    const params = matchRoute(pattern, method, segments);
    if (params) return { pattern, params, handler };
  }
  return { pattern: 'UNMATCHED', params: {} };
}
