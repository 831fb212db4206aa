/**
 * The HTTP thread (a worker started by adapters/http/threaded-http-server.ts): reads requests, refuses
 * what is too large or unauthenticated, and answers what its routes' screens can answer at once (e.g.
 * a Slack click's acknowledgement), so those answers never wait behind the bot's own work. Everything
 * else is passed to the bot's thread, whose answer is written back here.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../../src/ports/logger.ts';
import type { BotMessage, FrontMessage, FrontSettings } from './front-protocol.ts';
import type { HttpReply, RouteRequest, Screen } from './http-route.ts';
import { closeServer, healthAnswer, listen } from './http-server.ts';
import { type RouteSteps, routedRequests } from './serve-route.ts';

interface ScreenModule {
  screen(config: unknown, headers: IncomingHttpHeaders, rawBody: Buffer, now: number): ReturnType<Screen>;
}

const port = parentPort;
if (!port) throw new Error('front-thread.ts runs as a worker thread');
const settings = workerData as FrontSettings;
const post = (message: FrontMessage) => port.postMessage(message);

const logAt =
  (level: 'warn' | 'error') =>
  (fields: Record<string, unknown>, message: string): void =>
    post({ type: 'log', level, fields, message });
const logger: Logger = { debug() {}, info() {}, warn: logAt('warn'), error: logAt('error') };

let nextId = 1;
const replies = new Map<number, HttpReply>();
const finishers = new Map<number, (error: string | null) => void>();
const healthWaiters = new Map<number, (answer: ReturnType<typeof healthAnswer>) => void>();

const forward =
  (path: string) =>
  (request: RouteRequest, reply: HttpReply): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      // An answered request (an early acknowledgement) needs nothing more from this thread.
      if (!reply.sent) {
        replies.set(id, reply);
        finishers.set(id, (error) => (error === null ? resolve() : reject(new Error(error))));
      }
      post({
        type: 'request',
        id,
        path,
        headers: request.headers,
        rawBody: request.rawBody,
        screened: request.screened,
        answered: reply.sent,
      });
      if (reply.sent) resolve();
    });

const askHealth = () =>
  new Promise<ReturnType<typeof healthAnswer>>((resolve) => {
    const id = nextId++;
    healthWaiters.set(id, resolve);
    post({ type: 'health', id });
  });

const loadRoutes = async (): Promise<Map<string, RouteSteps>> => {
  const routes = new Map<string, RouteSteps>();
  for (const route of settings.routes) {
    let screen: Screen | null = null;
    if (route.screen) {
      const { module, config } = route.screen;
      const loaded = (await import(module)) as ScreenModule;
      screen = (headers, raw, now) => loaded.screen(config, headers, raw, now);
    }
    routes.set(route.path, { screen, handle: forward(route.path) });
  }
  return routes;
};

const start = async () => {
  const routes = await loadRoutes();
  const server = createServer(
    routedRequests({
      routes,
      health: askHealth,
      logger,
      maxBodyBytes: settings.maxBodyBytes,
      now: Date.now,
    }),
  );

  port.on('message', (message: BotMessage) => {
    if (message.type === 'answer') replies.get(message.id)?.send(message.answer);
    else if (message.type === 'done') {
      replies.delete(message.id);
      finishers.get(message.id)?.(message.error);
      finishers.delete(message.id);
    } else if (message.type === 'health') {
      healthWaiters.get(message.id)?.(healthAnswer(message.report));
      healthWaiters.delete(message.id);
    } else if (message.type === 'close') {
      void closeServer(server).then(() => post({ type: 'closed' }));
    }
  });
  post({ type: 'ready', port: await listen(server, settings.port, settings.host) });
};

start().catch((error: unknown) =>
  post({ type: 'failed', message: error instanceof Error ? error.message : 'unknown error' }),
);
