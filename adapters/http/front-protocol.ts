import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAnswer, ScreenedRequest } from './http-route.ts';
import type { HealthReport } from './http-server.ts';

/** What the HTTP thread is started with (structured-cloned into it). */
export interface FrontSettings {
  readonly port: number;
  readonly host: string;
  readonly maxBodyBytes: number;
  readonly routes: readonly {
    readonly path: string;
    readonly screen: { readonly module: string; readonly config: unknown } | null;
  }[];
}

/** Messages from the HTTP thread to the bot's thread. */
export type FrontMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'request';
      readonly id: number;
      readonly path: string;
      readonly headers: IncomingHttpHeaders;
      /** Empty when the route's screen parsed the body into `screened`. */
      readonly rawBody: Uint8Array;
      readonly screened: ScreenedRequest | null;
      /** The screen answered already (an early acknowledgement): later answers are dropped. */
      readonly answered: boolean;
    }
  | { readonly type: 'health'; readonly id: number }
  | {
      readonly type: 'log';
      readonly level: 'warn' | 'error';
      readonly fields: Record<string, unknown>;
      readonly message: string;
    }
  | { readonly type: 'closed' };

/** Messages from the bot's thread to the HTTP thread. */
export type BotMessage =
  | { readonly type: 'answer'; readonly id: number; readonly answer: HttpAnswer }
  | { readonly type: 'done'; readonly id: number; readonly error: string | null }
  | { readonly type: 'health'; readonly id: number; readonly report: HealthReport }
  | { readonly type: 'close' };
