import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorText } from '../../src/logging/error-text.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { type HttpRoute, jsonAnswer, textAnswer } from './http-route.ts';
import { DEFAULT_MAX_BODY_BYTES, readBody, responseReply, serveRoute } from './serve-route.ts';

export { DEFAULT_MAX_BODY_BYTES } from './serve-route.ts';

export interface HealthReport {
  readonly ok: boolean;
  readonly details: Record<string, unknown>;
}

export interface HttpServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly routes: ReadonlyMap<string, HttpRoute>;
  readonly health: () => Promise<HealthReport>;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
}

export interface RunningHttpServer {
  readonly port: number;
  /** Stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
}

export const healthAnswer = (report: HealthReport) => jsonAnswer(report.ok ? 200 : 503, report);

/** Listens on `port`; resolves once listening, rejects when the port cannot be taken. */
export const listen = async (server: Server, port: number, host = '0.0.0.0'): Promise<number> => {
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
};

export const closeServer = (server: Server): Promise<void> =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });

/**
 * One HTTP port for every HTTP adapter, plus `/healthz`, served on this thread (the tests' harnesses;
 * the bot itself serves from its own thread, adapters/http/threaded-http-server.ts). Bodies over the
 * limit get 413 unread.
 */
export const startHttpServer = async (options: HttpServerOptions): Promise<RunningHttpServer> => {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const reply = responseReply(res);
    try {
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        reply.send(healthAnswer(await options.health()));
        return;
      }
      const route = options.routes.get(path);
      if (!route) return reply.send(textAnswer(404, 'not found'));
      if (req.method !== 'POST') return reply.send(textAnswer(405, 'method not allowed'));
      const body = await readBody(req, limit);
      if (body === 'too_large') return reply.send(textAnswer(413, 'request body too large'));
      const steps = { screen: route.screen?.run ?? null, handle: route.handle };
      await serveRoute(steps, req.headers, body, reply, options.logger, now());
    } catch (error) {
      options.logger.error({ path, err: errorText(error) }, 'http request failed');
      reply.send(textAnswer(500, 'internal error'));
    }
  });
  const port = await listen(server, options.port, options.host);
  return { port, close: () => closeServer(server) };
};
