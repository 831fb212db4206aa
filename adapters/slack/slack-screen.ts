import type { IncomingHttpHeaders } from 'node:http';
import { headerValue, jsonAnswer, type ScreenOutcome, textAnswer } from '../http/http-route.ts';
import { verifySlackSignature } from './verify-slack-signature.ts';

export interface SlackScreenConfig {
  readonly signingSecret: string;
  /** How long a handler may take before Slack would give up; unanswered requests get 200 then. */
  readonly ackTimeoutMs?: number;
}

/** A form submission waits this long for its handler, which stores the report before answering. */
const SUBMISSION_TIMEOUT_MS = 10_000;
const DEFAULT_ACK_TIMEOUT_MS = 2500;

type Body = Record<string, unknown>;

const parseBody = (contentType: string | undefined, raw: Buffer): Body | null => {
  const type = (contentType ?? '').split(';')[0]?.trim();
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

/**
 * The Slack HTTP door: every request (slash commands, interactivity, events, ssl_check) must carry a
 * valid signature within the replay window before anything is parsed or handled. Button clicks and
 * events are acknowledged here, at once: their handlers answer nothing in the HTTP response, and
 * Slack shows an error when a click waits. A form submission is never acknowledged before it is stored:
 * if storing is slow, Slack's own timeout keeps the modal, and the reporter's text, on screen with an
 * error. Anything else is acknowledged empty when its handler runs late, so Slack does not show a failure.
 */
export const screen = (
  config: SlackScreenConfig,
  headers: IncomingHttpHeaders,
  raw: Buffer,
  nowMilliseconds: number,
): ScreenOutcome => {
  const check = verifySlackSignature(config.signingSecret, headers, raw, nowMilliseconds);
  if (!check.ok) {
    return {
      kind: 'answer',
      answer: textAnswer(401, 'invalid signature'),
      warning: { message: 'slack request refused: bad signature', fields: { code: check.code } },
    };
  }
  const body = parseBody(headerValue(headers, 'content-type'), raw);
  if (body === null) return { kind: 'answer', answer: textAnswer(400, 'unreadable body') };
  if (body.ssl_check) return { kind: 'answer', answer: { status: 200 } };
  if (body.type === 'url_verification') {
    return { kind: 'answer', answer: jsonAnswer(200, { challenge: body.challenge }) };
  }
  const retryNum = headerValue(headers, 'x-slack-retry-num');
  const retryReason = headerValue(headers, 'x-slack-retry-reason');
  const meta = {
    ...(retryNum ? { retryNum: Number(retryNum) } : {}),
    ...(retryReason ? { retryReason } : {}),
  };
  const acknowledgedNow = body.type === 'block_actions' || body.type === 'event_callback';
  const isSubmission = body.type === 'view_submission';
  return {
    kind: 'forward',
    request: { body, meta },
    early: acknowledgedNow ? { status: 200 } : null,
    deadline: {
      afterMs: isSubmission ? SUBMISSION_TIMEOUT_MS : (config.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS),
      answer: { status: isSubmission ? 503 : 200 },
      warning: 'slack handler did not acknowledge in time',
      fields: { type: body.type ?? body.command },
    },
  };
};
