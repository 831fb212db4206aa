import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Args = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  args: Args;
  token: string | undefined;
  at: number;
  /** Set for `response_url` calls: the id given to `responseUrl(id)`. */
  responseId?: string;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A handler returns either a full reply (`{status?, headers?, body}`) or a plain JSON body. */
export type Responder = (args: Args, call: RecordedCall) => FakeReply | Args | Promise<FakeReply | Args>;

export interface FakeSlackApiOptions {
  /** Extra fields merged into conversations.info's `channel`, keyed by channel id. */
  channels?: Record<string, Args>;
  /** Members returned by usergroups.users.list, keyed by usergroup id. */
  usergroups?: Record<string, string[]>;
  /** Extra fields merged into users.info's `user`, keyed by user id. */
  users?: Record<string, Args>;
  /** WebSocket URL returned by apps.connections.open. */
  socketModeUrl?: string;
}

export interface FakeSlackApi {
  /** Base URL for `clientOptions.slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  url: string;
  calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** Resolves with the first call (already recorded or future) matching `method` and `predicate`. */
  waitFor(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /** Resolves with all calls of `method` once there are at least `count` of them. */
  waitForCount(method: string, count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Replaces the default answer for `method` until cleared with `respondWith(method, undefined)`. */
  respondWith(method: string, handler: Responder | undefined): void;
  /** Queues a one-shot answer for `method`; queued answers are used first, in order. */
  respondOnce(method: string, handler: Responder | FakeReply | Args): void;
  /** A response_url on this server; posts to it are recorded as method `response_url`. */
  responseUrl(id: string): string;
  setSocketModeUrl(url: string | undefined): void;
  close(): Promise<void>;
}

/** A 429 reply with a Retry-After header, for `respondOnce`. */
export function rateLimited(retryAfterSeconds: number): FakeReply {
  return {
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: { ok: false, error: 'ratelimited' },
  };
}

const NESTED_JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
]);

function parseNested(args: Args): Args {
  for (const [key, value] of Object.entries(args)) {
    if (NESTED_JSON_FIELDS.has(key) && typeof value === 'string') {
      try {
        args[key] = JSON.parse(value);
      } catch {
        // Left as the raw string: the real API would reject it, tests can assert on it.
      }
    }
  }
  return args;
}

function parseBody(raw: string, contentType: string | undefined): Args {
  if (raw === '') return {};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return parseNested(typeof parsed === 'object' && parsed !== null ? { ...(parsed as Args) } : {});
  }
  return parseNested(Object.fromEntries(new URLSearchParams(raw)));
}

function isFakeReply(value: unknown): value is FakeReply {
  if (typeof value !== 'object' || value === null || !('body' in value)) return false;
  return Object.keys(value).every((k) => k === 'status' || k === 'headers' || k === 'body');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSlackApi(opts: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const calls: RecordedCall[] = [];
  const overrides = new Map<string, Responder>();
  const queued = new Map<string, Array<Responder | FakeReply | Args>>();
  const waiters = new Set<(call: RecordedCall) => void>();
  let socketModeUrl = opts.socketModeUrl;
  let tsSeq = 0;
  let viewSeq = 0;

  const nextTs = (): string => {
    tsSeq += 1;
    const micros = tsSeq * 100;
    return `${1_700_000_000 + Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  };
  const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
  const viewReply = (args: Args): Args => {
    const view = typeof args.view === 'object' && args.view !== null ? (args.view as Args) : {};
    viewSeq += 1;
    const id = str(args.view_id, `V${String(viewSeq).padStart(8, '0')}`);
    return {
      ok: true,
      view: {
        ...view,
        id,
        team_id: 'T1',
        app_id: 'A1',
        bot_id: 'BBOT',
        hash: `${Date.now()}.h${viewSeq}`,
        state: { values: {} },
      },
    };
  };

  const defaults: Record<string, (args: Args) => Args> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://fake.slack.com/',
      team: 'Fake',
      user: 'vulndesk',
      team_id: 'T1',
      user_id: 'UBOT',
      bot_id: 'BBOT',
    }),
    'chat.postMessage': (a) => ({
      ok: true,
      channel: a.channel,
      ts: nextTs(),
      message: { text: a.text, user: 'UBOT', bot_id: 'BBOT' },
    }),
    'chat.update': (a) => ({ ok: true, channel: a.channel, ts: a.ts, text: a.text }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
    'views.open': viewReply,
    'views.update': viewReply,
    'views.push': viewReply,
    'conversations.open': (a) => ({ ok: true, channel: { id: `D${str(a.users).split(',')[0] ?? ''}` } }),
    'conversations.info': (a) => {
      const id = str(a.channel);
      return {
        ok: true,
        channel: {
          id,
          name: id.toLowerCase(),
          is_private: true,
          is_ext_shared: false,
          ...opts.channels?.[id],
        },
      };
    },
    'usergroups.users.list': (a) => ({ ok: true, users: opts.usergroups?.[str(a.usergroup)] ?? [] }),
    'users.info': (a) => {
      const id = str(a.user);
      const name = id.toLowerCase();
      const profile = { display_name: name, real_name: `User ${id}` };
      return {
        ok: true,
        user: {
          id,
          team_id: 'T1',
          name,
          real_name: profile.real_name,
          deleted: false,
          is_bot: false,
          profile,
          ...opts.users?.[id],
        },
      };
    },
    'apps.connections.open': () =>
      socketModeUrl ? { ok: true, url: socketModeUrl } : { ok: false, error: 'invalid_auth' },
  };

  const answer = async (call: RecordedCall): Promise<FakeReply> => {
    const queue = queued.get(call.method);
    const next = queue?.shift() ?? overrides.get(call.method);
    if (next === undefined) return { body: defaults[call.method]?.(call.args) ?? { ok: true } };
    const out = typeof next === 'function' ? await next(call.args, call) : next;
    return isFakeReply(out) ? out : { body: out };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = await readBody(req);
    let method: string;
    if (path.startsWith('/api/')) method = path.slice('/api/'.length);
    else if (path.startsWith('/response/')) method = 'response_url';
    else {
      res.writeHead(404).end();
      return;
    }
    let args: Args;
    try {
      args = parseBody(raw, req.headers['content-type']);
    } catch {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"invalid_json"}');
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    const call: RecordedCall = { method, args, token, at: Date.now() };
    if (method === 'response_url') call.responseId = decodeURIComponent(path.slice('/response/'.length));
    calls.push(call);
    for (const waiter of [...waiters]) waiter(call);
    const reply = await answer(call);
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res
      .writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      .end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const waitFor: FakeSlackApi['waitFor'] = (method, predicate = () => true, timeoutMs = 3000) => {
    const matches = (c: RecordedCall) => c.method === method && predicate(c);
    const existing = calls.find(matches);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter = (c: RecordedCall) => {
        if (!matches(c)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(c);
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        const seen = calls.map((c) => c.method).join(', ') || 'none';
        reject(new Error(`fake Slack: no ${method} call within ${timeoutMs} ms (calls so far: ${seen})`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  return {
    url: `${origin}/api/`,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    waitFor,
    waitForCount(method, count, timeoutMs) {
      const enough = () => calls.filter((c) => c.method === method).length >= count;
      return waitFor(method, enough, timeoutMs).then(() => calls.filter((c) => c.method === method));
    },
    respondWith(method, handler) {
      if (handler) overrides.set(method, handler);
      else overrides.delete(method);
    },
    respondOnce(method, handler) {
      const queue = queued.get(method) ?? [];
      queue.push(handler);
      queued.set(method, queue);
    },
    responseUrl: (id) => `${origin}/response/${encodeURIComponent(id)}`,
    setSocketModeUrl(url) {
      socketModeUrl = url;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
