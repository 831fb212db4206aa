import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../http/http-route.ts';

export const SLACK_REPLAY_WINDOW_SECONDS = 300;

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'signature.missing' | 'signature.stale' | 'signature.mismatch' };

/**
 * Slack's request signature: `v0=` + HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`), compared in
 * constant time. Timestamps more than five minutes away from now, past or future, are refused.
 */
export const verifySlackSignature = (
  secret: string,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  nowMilliseconds: number,
): SignatureCheck => {
  const signature = headerValue(headers, 'x-slack-signature');
  const timestamp = headerValue(headers, 'x-slack-request-timestamp');
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, code: 'signature.missing' };
  const skew = Math.abs(Math.floor(nowMilliseconds / 1000) - Number(timestamp));
  if (skew > SLACK_REPLAY_WINDOW_SECONDS) return { ok: false, code: 'signature.stale' };
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'signature.mismatch' };
  }
  return { ok: true };
};
