import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRoute } from '../../../adapters/http/http-route.ts';
import { type RunningHttpServer, startHttpServer } from '../../../adapters/http/http-server.ts';
import { startThreadedHttpServer } from '../../../adapters/http/threaded-http-server.ts';
import { SlackHttpReceiver } from '../../../adapters/slack/slack-http-receiver.ts';
import { signSlackRequest } from '../../fakes/slack/signed-request.ts';
import { memoryLogger } from '../delivery/support/slack-worker.ts';

const servers: RunningHttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

type Serve = typeof startThreadedHttpServer;

const start = async (
  routes: Record<string, HttpRoute>,
  extra: {
    health?: () => Promise<{ ok: boolean; details: Record<string, unknown> }>;
    onCrash?: (error: Error) => void;
    port?: number;
    serve?: Serve;
  } = {},
) => {
  const logger = memoryLogger();
  const serve: Serve = extra.serve ?? startThreadedHttpServer;
  const server = await serve({
    port: extra.port ?? 0,
    host: '127.0.0.1',
    routes: new Map(Object.entries(routes)),
    logger,
    health: extra.health ?? (async () => ({ ok: true, details: { database: true } })),
    ...(extra.onCrash ? { onCrash: extra.onCrash } : {}),
  });
  servers.push(server);
  return { server, logger, url: `http://127.0.0.1:${server.port}` };
};

const echo: HttpRoute = {
  handle: async (request, reply) =>
    reply.send({
      status: 200,
      body: JSON.stringify({ body: request.rawBody.toString('utf8'), custom: request.headers['x-custom'] }),
    }),
};

/** The Slack screen in front of a handler that takes a second and never answers. */
const silentSlackRoute = (ackTimeoutMs: number): HttpRoute => {
  const receiver = new SlackHttpReceiver({ signingSecret: 'thread-secret', ackTimeoutMs });
  return { ...receiver.route, handle: () => new Promise<void>((resolve) => setTimeout(resolve, 1000)) };
};

const signedSlackPost = (url: string, body: object) => {
  const raw = JSON.stringify(body);
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signSlackRequest('thread-secret', raw, Math.floor(Date.now() / 1000)),
    },
    body: raw,
  });
};

// Both servers carry a request through the same steps (adapters/http/serve-route.ts).
describe.each([
  ['the HTTP thread (HTTP_THREAD=true)', startThreadedHttpServer],
  ['the in-thread server', startHttpServer as Serve],
])('%s', (_, serve) => {
  it('passes a route without a screen its raw body and headers, and writes back its answer', async () => {
    const { url } = await start({ '/echo': echo }, { serve });
    const res = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'x-custom': 'yes' },
      body: 'raw ✓ text',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: 'raw ✓ text', custom: 'yes' });
  });

  it('answers 404, 405 and 413 itself, and /healthz from the bot thread', async () => {
    const { url } = await start(
      { '/echo': echo },
      { health: async () => ({ ok: false, details: { database: false } }) },
    );
    expect((await fetch(`${url}/nowhere`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/echo`)).status).toBe(405);
    const tooLarge = await fetch(`${url}/echo`, { method: 'POST', body: 'x'.repeat(300 * 1024) });
    expect(tooLarge.status).toBe(413);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, details: { database: false } });
  });

  it('answers 500 when a handler fails, and the failure reaches the bot thread log without its details', async () => {
    const failing: HttpRoute = {
      handle: async () => {
        throw new Error('boom');
      },
    };
    const { url, logger } = await start({ '/fail': failing }, { serve });
    const res = await fetch(`${url}/fail`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(500);
    // Log lines come over the thread's message port, which may trail the HTTP answer.
    await expect
      .poll(() => logger.lines.map((l) => `${l.level}: ${l.message}`))
      .toContain('error: http handler failed');
  });

  it("gives the screen's deadline answer when the handler is silent, and logs it on the bot thread", async () => {
    const { url, logger } = await start({ '/slack/events': silentSlackRoute(100) }, { serve });
    const started = Date.now();
    const res = await signedSlackPost(url, { type: 'shortcut', callback_id: 'x' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(900);
    await expect
      .poll(() => logger.lines.map((l) => `${l.level}: ${l.message}`))
      .toContain('warn: slack handler did not acknowledge in time');
  });

  it('acknowledges a signed click itself, and refuses an unsigned one with 401 and a warning', async () => {
    const { url, logger } = await start({ '/slack/events': silentSlackRoute(5000) }, { serve });
    const started = Date.now();
    const click = await signedSlackPost(url, { type: 'block_actions', actions: [] });
    expect(click.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(900);
    const unsigned = await fetch(`${url}/slack/events`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
    await expect
      .poll(() => logger.lines.map((l) => `${l.level}: ${l.message}`))
      .toContain('warn: slack request refused: bad signature');
  });
});

describe('the HTTP thread (HTTP_THREAD=true)', () => {
  it('refuses to start, naming the reason, when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    await expect(start({ '/echo': echo }, { port })).rejects.toThrow(/did not start: .*EADDRINUSE/);
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  });

  it('tells the bot when the thread stops on its own, and logs it', async () => {
    const crashing: HttpRoute = {
      screen: {
        run: () => process.exit(3),
        module: new URL('../../support/exiting-screen.ts', import.meta.url).href,
        config: null,
      },
      handle: async () => {},
    };
    let crashed: Error | null = null;
    const { url, logger } = await start(
      { '/crash': crashing },
      {
        onCrash: (error) => {
          crashed = error;
        },
      },
    );
    await fetch(`${url}/crash`, { method: 'POST', body: 'x' }).catch(() => null);
    await expect.poll(() => crashed?.message, { timeout: 5000 }).toContain('exited with code 3');
    expect(logger.lines.map((l) => `${l.level}: ${l.message}`)).toContain('error: the HTTP thread stopped');
  });
});
