import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { errorText } from '../../src/logging/error-text.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { type HttpAnswer, type HttpReply, type RouteRequest, type Screen, textAnswer } from './http-route.ts';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const EMPTY = Buffer.alloc(0);

/** Writes answers to a Node response; the first one wins. */
export const responseReply = (res: ServerResponse): HttpReply => ({
  get sent() {
    return res.headersSent || res.writableEnded;
  },
  send(answer: HttpAnswer) {
    if (res.headersSent || res.writableEnded) return;
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (answer.body) headers['content-type'] = answer.contentType ?? 'application/json';
    res.writeHead(answer.status, headers);
    res.end(answer.body || undefined);
  },
});

/** Reads a request body up to `limit` bytes; a larger one is refused unread (or cut off when undeclared). */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> =>
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

export interface RouteSteps {
  readonly screen: Screen | null;
  readonly handle: (request: RouteRequest, reply: HttpReply) => Promise<void>;
}

/**
 * Carries one request through a route, the same way on either thread: the screen answers what it can
 * (refusals, handshakes, an early acknowledgement); the handler gets the rest; when the screen set a
 * deadline and the handler has not answered by then, or finished without answering, the deadline's
 * answer is given.
 */
export const serveRoute = async (
  route: RouteSteps,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  reply: HttpReply,
  logger: Logger,
  nowMilliseconds: number,
): Promise<void> => {
  const outcome = route.screen ? route.screen(headers, rawBody, nowMilliseconds) : null;
  if (outcome?.kind === 'answer') {
    if (outcome.warning) logger.warn(outcome.warning.fields, outcome.warning.message);
    reply.send(outcome.answer);
    return;
  }
  if (outcome?.early) reply.send(outcome.early);
  const deadline = outcome?.deadline ?? null;
  const giveDeadlineAnswer = () => {
    if (reply.sent || !deadline) return;
    logger.warn(deadline.fields, deadline.warning);
    reply.send(deadline.answer);
  };
  const timer = deadline ? setTimeout(giveDeadlineAnswer, deadline.afterMs) : null;
  try {
    await route.handle(
      { headers, rawBody: outcome ? EMPTY : rawBody, screened: outcome?.request ?? null },
      reply,
    );
    giveDeadlineAnswer();
    reply.send(textAnswer(500, 'no response'));
  } catch (error) {
    logger.error({ err: errorText(error) }, 'http handler failed');
    reply.send(textAnswer(500, 'internal error'));
  } finally {
    if (timer) clearTimeout(timer);
  }
};

export interface RoutedRequests {
  readonly routes: ReadonlyMap<string, RouteSteps>;
  /** The answer to `GET /healthz`. */
  readonly health: () => Promise<HttpAnswer>;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly now: () => number;
}

/**
 * The request listener of either server (this thread's or the HTTP thread's): `/healthz`, 404 and 405,
 * bodies over the limit refused unread with 413, then the route's steps.
 */
export const routedRequests =
  (options: RoutedRequests) =>
  async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const reply = responseReply(res);
    try {
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
        reply.send(await options.health());
        return;
      }
      const route = options.routes.get(path);
      if (!route) return reply.send(textAnswer(404, 'not found'));
      if (req.method !== 'POST') return reply.send(textAnswer(405, 'method not allowed'));
      const body = await readBody(req, options.maxBodyBytes);
      if (body === 'too_large') return reply.send(textAnswer(413, 'request body too large'));
      await serveRoute(route, req.headers, body, reply, options.logger, options.now());
    } catch (error) {
      options.logger.error({ path, err: errorText(error) }, 'http request failed');
      reply.send(textAnswer(500, 'internal error'));
    }
  };
