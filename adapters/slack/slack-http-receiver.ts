import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { errorText } from '../../src/logging/error-text.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { verifySlackSignature } from './verify-slack-signature.ts';

export interface SlackHttpReceiverOptions {
  readonly signingSecret: string;
  readonly logger: Logger;
  readonly now?: () => number;
  /** How long a handler may take before Slack would give up; unanswered requests get 200 then. */
  readonly ackTimeoutMs?: number;
}

type Body = Record<string, unknown>;

const parseBody = (req: IncomingMessage, raw: Buffer): Body | null => {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
  const text = raw.toString('utf8');
  try {
    if (type === 'application/json') return JSON.parse(text) as Body;
    if (type === 'application/x-www-form-urlencoded') {
      const form = Object.fromEntries(new URLSearchParams(text)) as Record<string, string>;
      return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Body) : form;
    }
  } catch {
    return null;
  }
  return null;
};

const respond = (res: ServerResponse, status: number, body?: unknown) => {
  if (res.headersSent) return;
  if (body === undefined || body === '') {
    res.writeHead(status);
    res.end();
    return;
  }
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(json);
};

/**
 * The Slack HTTP door: every request (slash commands, interactivity, events, ssl_check) must carry a
 * valid signature within the replay window before anything is parsed or handled.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  private readonly options: SlackHttpReceiverOptions;

  constructor(options: SlackHttpReceiverOptions) {
    if (!options.signingSecret.trim()) throw new Error('SLACK_SIGNING_SECRET is empty');
    this.options = options;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Handles one POST to /slack/events. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> => {
    const now = this.options.now?.() ?? Date.now();
    const check = verifySlackSignature(this.options.signingSecret, req.headers, raw, now);
    if (!check.ok) {
      this.options.logger.warn({ code: check.code }, 'slack request refused: bad signature');
      return respond(res, 401, 'invalid signature');
    }
    const body = parseBody(req, raw);
    if (body === null) return respond(res, 400, 'unreadable body');
    if (body.ssl_check) return respond(res, 200);
    if (body.type === 'url_verification') return respond(res, 200, { challenge: body.challenge });
    if (!this.app) return respond(res, 503, 'not ready');

    let acked = false;
    // A form submission is never acknowledged before it is stored: if storing is slow, Slack's own
    // timeout keeps the modal, and the reporter's text, on screen with an error. Anything else is
    // acknowledged empty when its handler runs late, so Slack does not show a failure.
    const isSubmission = body.type === 'view_submission';
    const timer = setTimeout(
      () => {
        if (acked) return;
        acked = true;
        this.options.logger.warn(
          { type: body.type ?? body.command },
          'slack handler did not acknowledge in time',
        );
        respond(res, isSubmission ? 503 : 200);
      },
      isSubmission ? 10_000 : (this.options.ackTimeoutMs ?? 2500),
    );
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        clearTimeout(timer);
        respond(res, 200, response === undefined ? undefined : response);
      },
      ...(req.headers['x-slack-retry-num'] ? { retryNum: Number(req.headers['x-slack-retry-num']) } : {}),
      ...(req.headers['x-slack-retry-reason']
        ? { retryReason: String(req.headers['x-slack-retry-reason']) }
        : {}),
    };
    try {
      await this.app.processEvent(event);
    } catch (error) {
      this.options.logger.error({ err: errorText(error) }, 'slack handler failed');
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        respond(res, 500);
      }
    }
  };
}
