// A fake Discord Gateway (v10, JSON encoding, no compression) on 127.0.0.1 for end-to-end
// tests that drive the real discord.js client. Single shard, one session at a time.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  defaultGuildSeed,
  FAKE_BOT_USER,
  FAKE_IDS,
  type GuildSeed,
  guildCreateData,
  type Json,
} from './fake-discord-objects.ts';

export interface GatewayPayload {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

export interface FakeDiscordGatewayOptions {
  guilds?: GuildSeed[];
  botUser?: Json;
  applicationId?: string;
  heartbeatIntervalMs?: number;
  /** When set, IDENTIFY/RESUME with another token is closed with 4004 (authentication failed). */
  token?: string;
}

export interface FakeDiscordGateway {
  /** Value for GET /gateway/bot `url`; discord.js appends `?v=10&encoding=json`. */
  url: string;
  readonly identifies: number;
  readonly resumes: number;
  readonly heartbeats: number;
  /** Every payload the client sent, in order. */
  received: GatewayPayload[];
  /** Close codes of finished client connections (discord.js destroy() closes with 1000). */
  closeCodes: number[];
  /** Sends op 0 with the next sequence; queued for replay on RESUME if the client is away. */
  dispatch(eventName: string, data: unknown): number;
  /** Dispatches INTERACTION_CREATE with `data` as is. */
  interaction(data: Json): number;
  /** Sends op 7; discord.js closes, reconnects to resume_gateway_url and sends op 6. */
  requestReconnect(): void;
  /** Sends op 9 (invalid session); `resumable: false` forces a fresh IDENTIFY. */
  invalidateSession(resumable: boolean): void;
  /** Resolves once the next READY or RESUMED has been sent (or at once if one is already live). */
  waitForSession(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  id: string;
  seq: number;
  /** Dispatches of this session, kept for replay on RESUME. */
  log: GatewayPayload[];
}

export async function startFakeDiscordGateway(
  options: FakeDiscordGatewayOptions = {},
): Promise<FakeDiscordGateway> {
  const guilds = options.guilds ?? [defaultGuildSeed()];
  const botUser = options.botUser ?? FAKE_BOT_USER;
  const heartbeatInterval = options.heartbeatIntervalMs ?? 1000;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;

  const counts = { identifies: 0, resumes: 0, heartbeats: 0 };
  const received: GatewayPayload[] = [];
  const closeCodes: number[] = [];
  let session: Session | undefined;
  let live: WebSocket | undefined;
  const sessionWaiters = new Set<() => void>();

  const sendRaw = (socket: WebSocket, payload: GatewayPayload) => socket.send(JSON.stringify(payload));

  function dispatchTo(socket: WebSocket | undefined, t: string, d: unknown): number {
    if (!session) throw new Error(`fake discord gateway: cannot dispatch ${t} before IDENTIFY`);
    session.seq += 1;
    const payload: GatewayPayload = { op: 0, t, s: session.seq, d };
    session.log.push(payload);
    if (socket && socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
    return session.seq;
  }

  function markLive(socket: WebSocket): void {
    live = socket;
    for (const waiter of [...sessionWaiters]) waiter();
  }

  function identify(socket: WebSocket, d: Json): void {
    counts.identifies += 1;
    const shard = (d.shard as [number, number] | undefined) ?? [0, 1];
    session = { id: randomBytes(16).toString('hex'), seq: 0, log: [] };
    dispatchTo(socket, 'READY', {
      v: 10,
      user: botUser,
      user_settings: {},
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: url,
      shard,
      application: { id: options.applicationId ?? FAKE_IDS.app, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["fake-discord-gateway",{"micros":0}]'],
    });
    for (const guild of guilds) dispatchTo(socket, 'GUILD_CREATE', guildCreateData(guild, botUser));
    markLive(socket);
  }

  function resume(socket: WebSocket, d: Json): void {
    counts.resumes += 1;
    if (!session || d.session_id !== session.id) {
      sendRaw(socket, { op: 9, d: false });
      return;
    }
    const seq = Number(d.seq ?? 0);
    for (const missed of session.log.filter((p) => (p.s ?? 0) > seq)) sendRaw(socket, missed);
    dispatchTo(socket, 'RESUMED', {});
    markLive(socket);
  }

  // Other opcodes (3 presence, 4 voice, 8 request members) are only recorded.
  function onMessage(socket: WebSocket, raw: string): void {
    let payload: GatewayPayload;
    try {
      payload = JSON.parse(raw) as GatewayPayload;
    } catch {
      socket.close(4002, 'Decode error.');
      return;
    }
    received.push(payload);
    const d = (payload.d ?? {}) as Json;
    if ((payload.op === 2 || payload.op === 6) && options.token && d.token !== options.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    if (payload.op === 1) {
      counts.heartbeats += 1;
      sendRaw(socket, { op: 11, d: null });
    } else if (payload.op === 2) identify(socket, d);
    else if (payload.op === 6) resume(socket, d);
  }

  wss.on('connection', (socket, req) => {
    const query = new URL(req.url ?? '/', url).searchParams;
    if (query.get('v') !== '10') return socket.close(4012, 'Invalid API version.');
    if (query.get('encoding') !== 'json' || query.has('compress')) return socket.close(4002, 'Decode error.');
    socket.on('message', (data) => onMessage(socket, data.toString()));
    socket.on('close', (code) => {
      closeCodes.push(code);
      if (live === socket) live = undefined;
    });
    sendRaw(socket, {
      op: 10,
      d: { heartbeat_interval: heartbeatInterval, _trace: ['fake-discord-gateway'] },
    });
  });

  return {
    url,
    get identifies() {
      return counts.identifies;
    },
    get resumes() {
      return counts.resumes;
    },
    get heartbeats() {
      return counts.heartbeats;
    },
    received,
    closeCodes,
    dispatch: (eventName, data) => dispatchTo(live, eventName, data),
    interaction: (data) => dispatchTo(live, 'INTERACTION_CREATE', data),
    requestReconnect() {
      if (live) sendRaw(live, { op: 7, d: null });
      live = undefined;
    },
    invalidateSession(resumable) {
      if (live) sendRaw(live, { op: 9, d: resumable });
      live = undefined;
    },
    waitForSession(timeoutMs = 5000) {
      if (live) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          sessionWaiters.delete(done);
          reject(new Error(`fake discord gateway: no READY/RESUMED within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          sessionWaiters.delete(done);
          resolve();
        };
        sessionWaiters.add(done);
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const client of wss.clients) client.terminate();
        wss.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
