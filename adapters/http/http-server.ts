import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/ports/logger.ts';
import { type HttpRoute, jsonAnswer } from './http-route.ts';
import { DEFAULT_MAX_BODY_BYTES, routedRequests } from './serve-route.ts';

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
  const routes = new Map(
    [...options.routes].map(([path, route]) => [
      path,
      { screen: route.screen?.run ?? null, handle: route.handle },
    ]),
  );
  const server = createServer(
    routedRequests({
      routes,
      health: async () => healthAnswer(await options.health()),
      logger: options.logger,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      now: options.now ?? Date.now,
    }),
  );
  const port = await listen(server, options.port, options.host);
  return { port, close: () => closeServer(server) };
};
