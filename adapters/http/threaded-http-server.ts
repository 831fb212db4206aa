import { Worker } from 'node:worker_threads';
import { errorText } from '../../src/logging/error-text.ts';
import type { BotMessage, FrontMessage, FrontSettings } from './front-protocol.ts';
import { type HttpReply, type HttpRoute, siblingModule } from './http-route.ts';
import type { HttpServerOptions, RunningHttpServer } from './http-server.ts';
import { DEFAULT_MAX_BODY_BYTES } from './serve-route.ts';

export interface ThreadedHttpServerOptions extends HttpServerOptions {
  /** Called when the HTTP thread stops on its own (it crashed): the bot can no longer be reached. */
  readonly onCrash?: (error: Error) => void;
}

/** The HTTP thread's heap: it holds requests in flight only (bodies, at most 256 KB each, live outside it). */
const FRONT_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 2 };

const entry = siblingModule(import.meta.url, 'front-thread');

/**
 * The worker's code: the compiled entry as it is; from TypeScript sources (`npm start`, the tests),
 * a bootstrap that first registers tsx's loader in the new thread, which does not inherit it.
 */
const workerEntry = (): { readonly script: URL | string; readonly eval: boolean } => {
  if (!entry.endsWith('.ts')) return { script: new URL(entry), eval: false };
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return { script: `${boot}.catch((error) => { console.error(error); process.exit(1); });`, eval: true };
};

/**
 * Serves the routes from a thread of their own (adapters/http/front-thread.ts), so reading requests,
 * checking signatures and the answers a screen gives at once (a Slack click's acknowledgement) do not
 * queue behind the bot's database and delivery work on this thread. Handlers still run here: the HTTP
 * thread passes each screened request over and writes back the answer.
 */
export const startThreadedHttpServer = async (
  options: ThreadedHttpServerOptions,
): Promise<RunningHttpServer> => {
  const settings: FrontSettings = {
    port: options.port,
    host: options.host ?? '0.0.0.0',
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    routes: [...options.routes].map(([path, route]) => ({
      path,
      screen: route.screen ? { module: route.screen.module, config: route.screen.config } : null,
    })),
  };
  const code = workerEntry();
  const worker = new Worker(code.script, {
    eval: code.eval,
    workerData: settings,
    resourceLimits: FRONT_RESOURCE_LIMITS,
  });
  const post = (message: BotMessage) => worker.postMessage(message);
  let closing = false;
  let exited = false;
  let closed: (() => void) | null = null;

  const handleRequest = async (message: Extract<FrontMessage, { type: 'request' }>, route: HttpRoute) => {
    let sent = message.answered;
    const reply: HttpReply = {
      get sent() {
        return sent;
      },
      send(answer) {
        if (sent) return;
        sent = true;
        post({ type: 'answer', id: message.id, answer });
      },
    };
    const request = {
      headers: message.headers,
      rawBody: Buffer.from(message.rawBody.buffer, message.rawBody.byteOffset, message.rawBody.byteLength),
      screened: message.screened,
    };
    let error: string | null = null;
    try {
      await route.handle(request, reply);
    } catch (thrown) {
      error = errorText(thrown);
    }
    if (message.answered) {
      if (error !== null) options.logger.error({ err: error }, 'http handler failed');
    } else post({ type: 'done', id: message.id, error });
  };

  const ready = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FrontMessage) => {
      switch (message.type) {
        case 'ready':
          return resolve(message.port);
        case 'failed':
          return reject(new Error(`the HTTP server did not start: ${message.message}`));
        case 'request': {
          const route = options.routes.get(message.path);
          if (route) void handleRequest(message, route);
          return;
        }
        case 'health':
          void options.health().then(
            (report) => post({ type: 'health', id: message.id, report }),
            (error: unknown) =>
              post({
                type: 'health',
                id: message.id,
                report: { ok: false, details: { error: errorText(error) } },
              }),
          );
          return;
        case 'log':
          options.logger[message.level](message.fields, message.message);
          return;
        case 'closed':
          closed?.();
          return;
      }
    });
    let failure: Error | null = null;
    worker.once('error', (error) => {
      failure = error;
    });
    worker.once('exit', (code) => {
      exited = true;
      const error = failure ?? new Error(`the HTTP thread exited with code ${code}`);
      reject(error);
      closed?.();
      if (closing) return;
      options.logger.error({ err: errorText(error) }, 'the HTTP thread stopped');
      options.onCrash?.(error);
    });
  });

  const port = await ready.catch(async (error: unknown) => {
    closing = true;
    await worker.terminate();
    throw error;
  });
  return {
    port,
    close: async () => {
      if (closing || exited) return;
      closing = true;
      await new Promise<void>((resolve) => {
        closed = resolve;
        post({ type: 'close' });
      });
      await worker.terminate();
    },
  };
};
