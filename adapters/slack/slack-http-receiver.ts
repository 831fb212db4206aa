import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import {
  type HttpReply,
  type HttpRoute,
  jsonAnswer,
  type RouteRequest,
  siblingModule,
  textAnswer,
} from '../http/http-route.ts';
import { type SlackScreenConfig, screen } from './slack-screen.ts';

/**
 * Bolt's receiver for `POST /slack/events`. The request is screened first (adapters/slack/slack-screen.ts:
 * signature, parsing, early acknowledgement), on whichever thread serves HTTP; this receiver then hands
 * the parsed body to Bolt, whose `ack` answers the request unless the screen already did.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  readonly route: HttpRoute;

  constructor(config: SlackScreenConfig) {
    if (!config.signingSecret.trim()) throw new Error('SLACK_SIGNING_SECRET is empty');
    this.route = {
      screen: {
        run: (headers, raw, now) => screen(config, headers, raw, now),
        module: siblingModule(import.meta.url, 'slack-screen'),
        config,
      },
      handle: (request, reply) => this.handle(request, reply),
    };
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  private async handle(request: RouteRequest, reply: HttpReply): Promise<void> {
    if (!request.screened) return reply.send(textAnswer(400, 'unreadable body'));
    if (!this.app) return reply.send(textAnswer(503, 'not ready'));
    const { body, meta } = request.screened;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => reply.send(ackAnswer(response)),
      ...(typeof meta.retryNum === 'number' ? { retryNum: meta.retryNum } : {}),
      ...(typeof meta.retryReason === 'string' ? { retryReason: meta.retryReason } : {}),
    };
    await this.app.processEvent(event);
  }
}

const ackAnswer = (response: unknown): Parameters<HttpReply['send']>[0] => {
  if (response === undefined || response === '') return { status: 200 };
  return typeof response === 'string' ? textAnswer(200, response) : jsonAnswer(200, response);
};
