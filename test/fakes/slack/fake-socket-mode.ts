import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.ts';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SendOptions {
  envelopeId?: string;
  /** Defaults to true for slash_commands and interactive, false for events_api. */
  acceptsResponsePayload?: boolean;
  /** events_api redelivery fields. */
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the app's ack; default 5000 ms. */
  ackTimeoutMs?: number;
}

export interface FakeSocketMode {
  /** A ws:// URL, as apps.connections.open would return it. */
  url: string;
  /** Number of currently open client connections. */
  readonly connections: number;
  /** Every JSON message received from clients, in order. */
  received: unknown[];
  /** Resolves once at least one client has connected and been sent `hello`. */
  waitForConnection(timeoutMs?: number): Promise<void>;
  /** Resolves once no client connection is open. */
  waitForNoConnections(timeoutMs?: number): Promise<void>;
  /** Sends an envelope to the newest connection and resolves with the app's ack for it. */
  send(type: EnvelopeType, payload: Record<string, unknown>, opts?: SendOptions): Promise<SocketAck>;
  /** Asks every connected client to reconnect, as Slack does before recycling a server. */
  disconnect(reason?: string): void;
  /** Gives clients up to 1 s to finish closing (e.g. after `app.stop()`), then terminates the rest. */
  close(): Promise<void>;
}

export interface FakeSocketModeOptions {
  appId?: string;
}

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

function poll(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`fake Socket Mode: ${what} within ${timeoutMs} ms`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export async function startFakeSocketMode(opts: FakeSocketModeOptions = {}): Promise<FakeSocketMode> {
  const appId = opts.appId ?? 'A1';
  const open: WebSocket[] = [];
  const received: unknown[] = [];
  const pendingAcks = new Map<string, Array<(ack: SocketAck) => void>>();
  let envelopeSeq = 0;

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link/?ticket=fake&app_id=${appId}`;

  wss.on('connection', (ws) => {
    open.push(ws);
    ws.on('close', () => removeFrom(open, ws));
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      received.push(msg);
      const id = (msg as Partial<SocketAck>).envelope_id;
      if (typeof id !== 'string') return;
      pendingAcks.get(id)?.shift()?.(msg as SocketAck);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
  });

  return {
    url,
    get connections() {
      return open.length;
    },
    received,
    waitForConnection: (timeoutMs = 5000) => poll(() => open.length > 0, timeoutMs, 'no client connected'),
    waitForNoConnections: (timeoutMs = 5000) =>
      poll(() => open.length === 0, timeoutMs, 'clients still connected'),
    async send(type, payload, sendOpts = {}) {
      await poll(() => open.length > 0, sendOpts.ackTimeoutMs ?? 5000, 'no client to send to');
      const ws = open[open.length - 1] as WebSocket;
      envelopeSeq += 1;
      const envelopeId = sendOpts.envelopeId ?? `env-${envelopeSeq}-${Date.now().toString(16)}`;
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        payload,
        type,
        accepts_response_payload: sendOpts.acceptsResponsePayload ?? type !== 'events_api',
      };
      if (type === 'events_api') {
        envelope.retry_attempt = sendOpts.retryAttempt ?? 0;
        envelope.retry_reason = sendOpts.retryReason ?? '';
      }
      const timeoutMs = sendOpts.ackTimeoutMs ?? 5000;
      return new Promise<SocketAck>((resolve, reject) => {
        const queue = pendingAcks.get(envelopeId) ?? [];
        const settle = (ack: SocketAck) => {
          clearTimeout(timer);
          resolve(ack);
        };
        const timer = setTimeout(() => {
          removeFrom(queue, settle);
          reject(new Error(`fake Socket Mode: no ack for ${envelopeId} within ${timeoutMs} ms`));
        }, timeoutMs);
        queue.push(settle);
        pendingAcks.set(envelopeId, queue);
        ws.send(JSON.stringify(envelope));
      });
    },
    disconnect(reason = 'refresh_requested') {
      const msg = JSON.stringify({
        type: 'disconnect',
        reason,
        debug_info: { host: 'applink-fake-1' },
      });
      for (const ws of open) ws.send(msg);
    },
    async close() {
      await poll(() => open.length === 0, 1000, '').catch(() => {
        for (const ws of open) ws.terminate();
      });
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** Starts a Socket Mode server and makes the fake API's apps.connections.open return its URL. */
export async function attachSocketMode(
  api: FakeSlackApi,
  opts?: FakeSocketModeOptions,
): Promise<FakeSocketMode> {
  const socket = await startFakeSocketMode(opts);
  api.setSocketModeUrl(socket.url);
  return socket;
}
