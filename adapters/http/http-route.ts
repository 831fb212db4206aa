import type { IncomingHttpHeaders } from 'node:http';

/** One HTTP answer: a status and an optional body (`application/json` unless `contentType` says otherwise). */
export interface HttpAnswer {
  readonly status: number;
  readonly body?: string;
  readonly contentType?: string;
}

/** The answer channel of one request: the first `send` wins, later ones do nothing. */
export interface HttpReply {
  readonly sent: boolean;
  send(answer: HttpAnswer): void;
}

/** What a screen let through, for the route's handler. */
export interface ScreenedRequest {
  readonly body: Record<string, unknown>;
  /** Request details the handler needs beside the body (e.g. a platform's retry count). */
  readonly meta: Readonly<Record<string, string | number>>;
}

/**
 * A screen's decision about one request: answer it at once (a refusal, a handshake), or pass it to the
 * handler, optionally answering right away (`early`) and with the answer to give when the handler has
 * not answered in time (`deadline`).
 */
export type ScreenOutcome =
  | {
      readonly kind: 'answer';
      readonly answer: HttpAnswer;
      readonly warning?: { readonly message: string; readonly fields: Record<string, unknown> };
    }
  | {
      readonly kind: 'forward';
      readonly request: ScreenedRequest;
      readonly early: HttpAnswer | null;
      readonly deadline: {
        readonly afterMs: number;
        readonly answer: HttpAnswer;
        readonly warning: string;
        readonly fields: Record<string, unknown>;
      } | null;
    };

/**
 * The first, cheap step of a route: authenticate and parse the raw request. A pure function of its
 * inputs, so it can run on the HTTP thread, apart from the handler (adapters/http/front-thread.ts).
 */
export type Screen = (
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  nowMilliseconds: number,
) => ScreenOutcome;

export interface RouteScreen {
  /** Runs in this thread (adapters/http/http-server.ts). */
  readonly run: Screen;
  /** The same screen for the HTTP thread: a module URL exporting `screen(config, headers, body, now)`. */
  readonly module: string;
  /** Structured-cloneable settings for `screen` (e.g. a signing secret). */
  readonly config: unknown;
}

export interface RouteRequest {
  readonly headers: IncomingHttpHeaders;
  /** The raw body; empty when a screen already parsed it into `screened`. */
  readonly rawBody: Buffer;
  readonly screened: ScreenedRequest | null;
}

/** One POST path served on PORT (e.g. `/slack/events`). */
export interface HttpRoute {
  readonly screen?: RouteScreen;
  handle(request: RouteRequest, reply: HttpReply): Promise<void>;
}

export const jsonAnswer = (status: number, body: unknown): HttpAnswer => ({
  status,
  body: JSON.stringify(body),
});

export const textAnswer = (status: number, body = ''): HttpAnswer => ({
  status,
  body,
  contentType: 'text/plain; charset=utf-8',
});

/** A module beside `fromUrl` (an `import.meta.url`), with its extension: `.ts` from sources, `.js` built. */
export const siblingModule = (fromUrl: string, name: string): string =>
  new URL(`./${name}${fromUrl.endsWith('.ts') ? '.ts' : '.js'}`, fromUrl).href;

/** A request header's first value (Node gives repeated headers as an array). */
export const headerValue = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};
