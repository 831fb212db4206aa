/**
 * The fake Slack Web API for benchmarks, in its own process. It answers every method the bot calls
 * with the shapes test/fakes/slack/fake-slack-api.ts uses, but records only what the harness
 * measures: when each `views.open` (by trigger_id) and `chat.update` (by message ts) arrived, on the
 * shared monotonic clock (bench/lib/clock.ts). It does not keep request bodies, so a long run does not
 * grow it, and it parses as little as it can, so it steals as little CPU as possible from the bot.
 *
 * Started by bench/run.ts with an IPC channel; prints `{"fakeSlack":"<url>"}` when listening.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monoMs } from './lib/clock.ts';
import { serveIpc } from './lib/proc.ts';

export interface Arrival {
  readonly key: string;
  readonly at: number;
}

export interface FakeSlackRecords {
  readonly viewsOpen: Arrival[];
  readonly chatUpdates: Arrival[];
  readonly counts: Record<string, number>;
}

let viewsOpen: Arrival[] = [];
let chatUpdates: Arrival[] = [];
let counts = new Map<string, number>();
let tsSeq = 0;
let viewSeq = 0;

const nextTs = (): string => {
  tsSeq += 1;
  return `1800000000.${String(tsSeq).padStart(6, '0')}`;
};

type Args = URLSearchParams;

const ANSWERS: Record<string, (args: Args) => Record<string, unknown>> = {
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
    channel: a.get('channel'),
    ts: nextTs(),
    message: { user: 'UBOT', bot_id: 'BBOT' },
  }),
  'chat.update': (a) => ({ ok: true, channel: a.get('channel'), ts: a.get('ts') }),
  'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
  'views.open': () => {
    viewSeq += 1;
    return { ok: true, view: { id: `VF${viewSeq}`, team_id: 'T1', app_id: 'A1', hash: `h${viewSeq}` } };
  },
  'conversations.open': (a) => ({ ok: true, channel: { id: `D${(a.get('users') ?? '').split(',')[0]}` } }),
  'conversations.info': (a) => ({
    ok: true,
    channel: { id: a.get('channel'), name: 'triage', is_private: true, is_ext_shared: false },
  }),
  'usergroups.users.list': () => ({ ok: true, users: [] }),
};

const parseArgs = (raw: string, contentType: string | undefined): Args => {
  if (!contentType?.startsWith('application/json')) return new URLSearchParams(raw);
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  const args = new URLSearchParams();
  for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') args.set(key, value);
  return args;
};

const handle = (req: IncomingMessage, res: ServerResponse, at: number, raw: string): void => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = path.startsWith('/api/')
    ? path.slice(5)
    : path.startsWith('/response/')
      ? 'response_url'
      : null;
  if (method === null) {
    res.writeHead(404).end();
    return;
  }
  counts.set(method, (counts.get(method) ?? 0) + 1);
  let body: Record<string, unknown> = { ok: true };
  if (method !== 'response_url') {
    const args = parseArgs(raw, req.headers['content-type']);
    if (method === 'views.open') viewsOpen.push({ key: args.get('trigger_id') ?? '', at });
    if (method === 'chat.update') chatUpdates.push({ key: args.get('ts') ?? '', at });
    body = ANSWERS[method]?.(args) ?? { ok: true };
  }
  const json = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
};

const server = createServer((req, res) => {
  // The arrival time is taken when the request line and headers are in, before the body is read.
  const at = monoMs();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      handle(req, res, at, Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
});
server.keepAliveTimeout = 65_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ fakeSlack: `http://127.0.0.1:${port}/api/` })}\n`);
});

serveIpc({
  /** Returns what arrived since the last collect, and forgets it. */
  collect: (): FakeSlackRecords => {
    const records = { viewsOpen, chatUpdates, counts: Object.fromEntries(counts) };
    viewsOpen = [];
    chatUpdates = [];
    counts = new Map();
    return records;
  },
});
