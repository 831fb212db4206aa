// A fake Discord REST API (v10) on 127.0.0.1 for end-to-end tests that drive the real
// discord.js client. Every request is recorded; responses can be overridden per route.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guildTextChannel, type Json } from './fake-discord-objects.ts';
import { createRestState, findRoute, type RouteResponse } from './fake-discord-rest-routes.ts';

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface RecordedCall {
  method: string;
  /** Path below the version prefix, e.g. `/channels/123/messages`. */
  path: string;
  /** The matched route pattern, e.g. `POST /channels/:id/messages`, or `UNMATCHED`. */
  route: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON body; for multipart requests the parsed `payload_json` part. */
  body: unknown;
  files: RecordedFile[];
  /** Lower-cased request headers. */
  headers: Record<string, string>;
  at: number;
  /** Status of an injected response (respondOnce), if one answered this call. */
  injected?: number;
}

export interface InjectedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeDiscordRestOptions {
  /** What GET /gateway/bot answers as `url` (also settable later with setGatewayUrl). */
  gatewayUrl?: string;
  /** Guild id used for channels the test did not define. */
  defaultGuildId?: string;
}

export interface FakeDiscordRest {
  /** Value for discord.js `rest.api`; the library appends `/v10`. */
  apiBase: string;
  calls: RecordedCall[];
  callsOf(route: string): RecordedCall[];
  waitFor(
    route: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  respondOnce(route: string, response: InjectedResponse): void;
  setGatewayUrl(url: string): void;
  setChannel(id: string, channel: Json): void;
  /** `null` makes the member unknown (404, code 10007). */
  setMember(guildId: string, userId: string, member: Json | null): void;
  /** Lets the fake place interaction replies in the right channel and answer type-7 updates. */
  rememberInteraction(payload: Json): void;
  clearCalls(): void;
  close(): Promise<void>;
}

/** A 429 as Discord sends it: JSON body plus Retry-After and X-RateLimit-* headers. */
export function rateLimited(retryAfterSeconds = 0.25, global = false): InjectedResponse {
  const headers: Record<string, string> = {
    'Retry-After': String(retryAfterSeconds),
    'X-RateLimit-Limit': '5',
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset-After': String(retryAfterSeconds),
    'X-RateLimit-Bucket': 'fake-bucket',
    'X-RateLimit-Scope': global ? 'global' : 'user',
  };
  if (global) headers['X-RateLimit-Global'] = 'true';
  const body = { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global };
  return { status: 429, body, headers };
}

/** A Discord JSON error, e.g. discordError(403, 50007, 'Cannot send messages to this user'). */
export function discordError(status: number, code: number, message: string): InjectedResponse {
  return { status, body: { message, code } };
}

const VERSION_PREFIX = '/api/v10';

// Interaction callbacks and interaction webhooks authenticate by their token, not the bot's.
function needsBotToken(pattern: string): boolean {
  return !(
    pattern === 'GET /gateway' ||
    pattern.startsWith('POST /interactions/') ||
    pattern.includes(' /webhooks/')
  );
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size });
      }
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  return { body: contentType.includes('json') ? JSON.parse(text) : text, files: [] };
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined || status === 204) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function startFakeDiscordRest(options: FakeDiscordRestOptions = {}): Promise<FakeDiscordRest> {
  const state = createRestState(options.gatewayUrl ?? 'ws://127.0.0.1:1', options.defaultGuildId);
  const calls: RecordedCall[] = [];
  const injected = new Map<string, InjectedResponse[]>();
  const waiters = new Set<(call: RecordedCall) => void>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const versioned = url.pathname.startsWith(`${VERSION_PREFIX}/`);
    const path = versioned ? url.pathname.slice(VERSION_PREFIX.length) : url.pathname;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const { pattern, params, handler } = versioned
      ? findRoute(method, segments)
      : { pattern: 'UNMATCHED', params: {}, handler: undefined };
    const { body, files } = await readBody(req);
    const call: RecordedCall = {
      method,
      path,
      route: pattern,
      params,
      query: Object.fromEntries(url.searchParams),
      body,
      files,
      headers: flatHeaders(req),
      at: Date.now(),
    };
    const override = injected.get(pattern)?.shift();
    if (override) call.injected = override.status;
    calls.push(call);
    for (const waiter of [...waiters]) waiter(call);

    if (override) return send(res, override.status, override.body, override.headers);
    if (!handler) return send(res, 404, { message: '404: Not Found', code: 0 });
    if (needsBotToken(pattern) && !call.headers.authorization?.startsWith('Bot ')) {
      return send(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    const isObject = typeof body === 'object' && body !== null;
    const result: RouteResponse = handler(state, {
      params,
      query: url.searchParams,
      body: (isObject ? body : {}) as Json,
    });
    send(res, result.status, result.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof SyntaxError) send(res, 400, { message: 'Invalid JSON body', code: 50109 });
      else send(res, 500, { message: String(error), code: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const callsOf = (pattern: string) => calls.filter((call) => call.route === pattern);

  return {
    apiBase: `http://127.0.0.1:${port}/api`,
    calls,
    callsOf,
    waitFor(pattern, predicate = () => true, timeoutMs = 5000) {
      const matches = (call: RecordedCall) => call.route === pattern && predicate(call);
      const existing = calls.find(matches);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = calls.map((call) => call.route).join(', ') || 'none';
          reject(new Error(`fake discord REST: no ${pattern} within ${timeoutMs} ms (saw: ${seen})`));
        }, timeoutMs);
        const waiter = (call: RecordedCall) => {
          if (!matches(call)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(call);
        };
        waiters.add(waiter);
      });
    },
    respondOnce(pattern, response) {
      const queue = injected.get(pattern) ?? [];
      queue.push(response);
      injected.set(pattern, queue);
    },
    setGatewayUrl(url) {
      state.gatewayUrl = url;
    },
    setChannel(id, channel) {
      state.channels.set(id, guildTextChannel(id, state.defaultGuildId, channel));
    },
    setMember(guildId, userId, member) {
      state.members.set(`${guildId}:${userId}`, member);
    },
    rememberInteraction(payload) {
      state.interactions.set(String(payload.token), payload);
    },
    clearCalls() {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
