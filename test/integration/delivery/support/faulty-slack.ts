import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Args,
  type FakeReply,
  type FakeSlackApi,
  type RecordedCall,
  rateLimited,
  startFakeSlackApi,
} from '../../../fakes/slack/fake-slack-api.ts';

/** What the fake does with one call instead of answering `ok`. */
export type Fault =
  | { readonly kind: 'error500' }
  | { readonly kind: 'ratelimit'; readonly retryAfterS: number }
  /** Holds the request this long, then answers 500 to a client that has long given up. Never accepted. */
  | { readonly kind: 'hang'; readonly ms: number }
  /** Accepts the message, but answers only after this long. */
  | { readonly kind: 'slow'; readonly ms: number }
  | { readonly kind: 'platform'; readonly error: string };

export type Outcome = 'ok' | 'error500' | 'ratelimit' | 'hang' | string;

/** One call the fake answered (or hung on): the fake's own record, plus what it answered. */
export interface Answered {
  readonly call: RecordedCall;
  readonly outcome: Outcome;
  readonly retryAfterS?: number;
  /** For accepted `chat.postMessage`: the ts the fake gave the new message. */
  readonly ts?: string;
}

export type FaultPlan = (call: RecordedCall) => Fault | null;

export const FAULTABLE_METHODS = ['chat.postMessage', 'chat.update', 'conversations.open'] as const;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The fake Slack Web API with a fault plan on the methods the delivery uses, recording what it answered
 * to each call. Only calls answered `ok` count as messages the platform accepted.
 */
export interface FaultySlack {
  readonly api: FakeSlackApi;
  readonly answered: Answered[];
  setPlan(plan: FaultPlan | null): void;
  /** Calls of `method` the fake accepted, in the order it received them. */
  accepted(method: string): Answered[];
  close(): Promise<void>;
}

export const startFaultySlack = async (): Promise<FaultySlack> => {
  const api = await startFakeSlackApi();
  const answered: Answered[] = [];
  let plan: FaultPlan | null = null;
  let seq = 0;
  let release: () => void = () => {};
  const closing = new Promise<void>((resolve) => {
    release = resolve;
  });

  const okReply = (method: string, args: Args): Args => {
    if (method === 'chat.postMessage') {
      seq += 1;
      return { ok: true, channel: args.channel, ts: `1700000000.${String(seq).padStart(6, '0')}` };
    }
    if (method === 'chat.update') return { ok: true, channel: args.channel, ts: args.ts };
    return { ok: true, channel: { id: `D${String(args.users ?? '').split(',')[0]}` } };
  };

  for (const method of FAULTABLE_METHODS) {
    api.respondWith(method, async (args, call): Promise<FakeReply | Args> => {
      const fault = plan?.(call) ?? null;
      if (fault === null || fault.kind === 'slow') {
        if (fault?.kind === 'slow') await sleep(fault.ms);
        const reply = okReply(method, args);
        answered.push({ call, outcome: 'ok', ...(typeof reply.ts === 'string' ? { ts: reply.ts } : {}) });
        return reply;
      }
      switch (fault.kind) {
        case 'error500':
          answered.push({ call, outcome: 'error500' });
          return { status: 500, body: { ok: false, error: 'internal_error' } };
        case 'ratelimit':
          answered.push({ call, outcome: 'ratelimit', retryAfterS: fault.retryAfterS });
          return rateLimited(fault.retryAfterS);
        case 'hang':
          answered.push({ call, outcome: 'hang' });
          await Promise.race([sleep(fault.ms), closing]);
          return { status: 500, body: { ok: false, error: 'internal_error' } };
        case 'platform':
          answered.push({ call, outcome: fault.error });
          return { ok: false, error: fault.error };
      }
    });
  }

  return {
    api,
    answered,
    setPlan(next) {
      plan = next;
    },
    accepted: (method) => answered.filter((a) => a.call.method === method && a.outcome === 'ok'),
    async close() {
      release();
      await api.close();
    },
  };
};

/**
 * An HTTP proxy in front of the fake that can go away: while it is down the port refuses connections,
 * and it comes back on the same port. Requests already inside finish; idle keep-alive sockets are cut,
 * so a client sees either a refused connection or an answer, never a half-delivered request.
 */
export interface OutageProxy {
  /** Web API base for clients, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  readonly port: number;
  down(): void;
  up(): Promise<void>;
  close(): Promise<void>;
}

export const startOutageProxy = async (target: string): Promise<OutageProxy> => {
  const upstream = new URL(target);
  let server: Server | null = null;
  const retired: Server[] = [];
  let sweeper: NodeJS.Timeout | null = null;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  };

  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const next = createServer(forward);
      next.keepAliveTimeout = 60_000;
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve(next));
    });

  server = await listen(0);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    port,
    down() {
      if (!server) return;
      const old = server;
      server = null;
      old.close();
      old.closeIdleConnections();
      retired.push(old);
      // Sockets that finish their request while we are down are cut as soon as they are idle.
      sweeper ??= setInterval(() => {
        for (const s of retired) s.closeIdleConnections();
      }, 5);
    },
    async up() {
      if (server) return;
      server = await listen(port);
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      for (const s of [...retired, ...(server ? [server] : [])]) {
        s.close();
        s.closeAllConnections();
      }
    },
  };
};

/** The report a Slack call is about: the ID at the start of its fallback text, or in its thread. */
export const reportIdOf = (call: RecordedCall): string | null =>
  /^(VULN-\d{4,})/.exec(String(call.args.text ?? ''))?.[1] ?? null;

/** What identifies one outbox message across its attempts (cards are re-rendered, so they go by report). */
export const messageKey = (call: RecordedCall): string => {
  const a = call.args;
  if (call.method === 'chat.update') return `update|${a.channel}|${a.ts}`;
  const card = reportIdOf(call);
  if (
    call.method === 'chat.postMessage' &&
    a.thread_ts === undefined &&
    String(a.channel).startsWith('C') &&
    card
  )
    return `card|${a.channel}|${card}`;
  return `${call.method}|${a.channel ?? a.users}|${a.thread_ts ?? ''}|${JSON.stringify(a.blocks)}`;
};

/** Every place a message was tried again sooner than the Retry-After its previous attempt was given. */
export const retryAfterViolations = (answered: readonly Answered[]) => {
  const violations: string[] = [];
  for (const [index, limited] of answered.entries()) {
    if (limited.outcome !== 'ratelimit' || limited.retryAfterS === undefined) continue;
    const key = messageKey(limited.call);
    const next = answered.slice(index + 1).find((a) => messageKey(a.call) === key);
    if (next && next.call.at - limited.call.at < limited.retryAfterS * 1000) {
      violations.push(`${key}: retried after ${next.call.at - limited.call.at} ms`);
    }
  }
  return violations;
};

/** Records of every call in order, for reading a failure. */
export const describeCalls = (answered: readonly Answered[]) =>
  answered.map((a) => `${a.call.at} ${a.call.method} ${a.outcome} ${messageKey(a.call).slice(0, 80)}`);
