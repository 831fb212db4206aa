import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorText } from '../../src/logging/error-text.ts';
import type { Logger } from '../../src/ports/logger.ts';

/** A route handler gets the raw body, read before any parsing so signatures can be checked over it. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => Promise<void> | void;

export interface HealthReport {
  readonly ok: boolean;
  readonly details: Record<string, unknown>;
}

export interface HttpServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly routes: ReadonlyMap<string, RawHandler>;
  readonly health: () => Promise<HealthReport>;
  readonly logger: Logger;
  readonly maxBodyBytes?: number;
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
};

const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      resolve('too_large');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve('too_large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** One HTTP port for every HTTP adapter, plus `/healthz`. Bodies over the limit get 413 unread. */
export const startHttpServer = async (options: HttpServerOptions): Promise<RunningHttpServer> => {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        const report = await options.health();
        send(res, report.ok ? 200 : 503, JSON.stringify(report), 'application/json');
        return;
      }
      const handler = options.routes.get(path);
      if (!handler) return send(res, 404, 'not found');
      if (req.method !== 'POST') return send(res, 405, 'method not allowed');
      const body = await readBody(req, limit);
      if (body === 'too_large') return send(res, 413, 'request body too large');
      await handler(req, res, body);
    } catch (error) {
      options.logger.error({ path, err: errorText(error) }, 'http request failed');
      send(res, 500, 'internal error');
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
};
