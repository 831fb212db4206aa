import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  SLACK_REPLAY_WINDOW_SECONDS,
  verifySlackSignature,
} from '../../../adapters/slack/verify-slack-signature.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const BODY = Buffer.from(
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Freport-vuln&text=&user_id=U2CERLKJA',
);
/** A fixed request time, in Unix seconds; "now" is injected in milliseconds. */
const T = 1_700_000_000;
const at = (seconds: number) => seconds * 1000;

const sign = (secret: string, timestamp: string, body: Buffer) =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;

const headersFor = (timestamp: number | string, signature?: string): IncomingHttpHeaders => ({
  'x-slack-request-timestamp': String(timestamp),
  'x-slack-signature': signature ?? sign(SECRET, String(timestamp), BODY),
});

describe('verifySlackSignature', () => {
  it('accepts a request signed with the secret over the timestamp and raw body', () => {
    expect(verifySlackSignature(SECRET, headersFor(T), BODY, at(T))).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret', () => {
    const headers = headersFor(T, sign('another-secret', String(T), BODY));
    expect(verifySlackSignature(SECRET, headers, BODY, at(T))).toEqual({
      ok: false,
      code: 'signature.mismatch',
    });
  });

  it('refuses a body changed after signing, even by one byte', () => {
    const tampered = Buffer.from(BODY.toString('utf8').replace('text=', 'text=status'));
    expect(verifySlackSignature(SECRET, headersFor(T), tampered, at(T))).toMatchObject({
      ok: false,
      code: 'signature.mismatch',
    });
  });

  it('refuses a valid signature moved to another timestamp (the timestamp is signed too)', () => {
    const headers = headersFor(T + 1, sign(SECRET, String(T), BODY));
    expect(verifySlackSignature(SECRET, headers, BODY, at(T))).toMatchObject({ code: 'signature.mismatch' });
  });

  it('refuses a truncated or malformed signature without throwing', () => {
    const good = sign(SECRET, String(T), BODY);
    for (const signature of [good.slice(0, -1), `${good}0`, 'v0=', 'v1=abc', good.toUpperCase()]) {
      expect(verifySlackSignature(SECRET, headersFor(T, signature), BODY, at(T)).ok).toBe(false);
    }
  });

  it('refuses a request missing either header', () => {
    const { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } = headersFor(T);
    expect(verifySlackSignature(SECRET, { 'x-slack-signature': signature }, BODY, at(T))).toEqual({
      ok: false,
      code: 'signature.missing',
    });
    expect(verifySlackSignature(SECRET, { 'x-slack-request-timestamp': timestamp }, BODY, at(T))).toEqual({
      ok: false,
      code: 'signature.missing',
    });
    expect(verifySlackSignature(SECRET, {}, BODY, at(T)).ok).toBe(false);
    expect(verifySlackSignature(SECRET, headersFor(T, ''), BODY, at(T)).ok).toBe(false);
  });

  it('refuses a non-numeric timestamp, even when the signature covers it', () => {
    for (const timestamp of ['abc', '1.7e9', '-1', ' 1700000000', '1700000000.5', '0x6553f100', '']) {
      const headers = headersFor(timestamp, sign(SECRET, timestamp, BODY));
      expect(verifySlackSignature(SECRET, headers, BODY, at(T)), timestamp).toMatchObject({ ok: false });
    }
  });

  it('uses a five-minute replay window', () => {
    expect(SLACK_REPLAY_WINDOW_SECONDS).toBe(300);
  });

  it('accepts a request exactly 300 s old and refuses one 301 s old', () => {
    expect(verifySlackSignature(SECRET, headersFor(T), BODY, at(T + 300))).toEqual({ ok: true });
    expect(verifySlackSignature(SECRET, headersFor(T), BODY, at(T + 300) + 999)).toEqual({ ok: true });
    expect(verifySlackSignature(SECRET, headersFor(T), BODY, at(T + 301))).toEqual({
      ok: false,
      code: 'signature.stale',
    });
  });

  it('accepts a timestamp exactly 300 s in the future and refuses one 301 s ahead', () => {
    expect(verifySlackSignature(SECRET, headersFor(T + 300), BODY, at(T))).toEqual({ ok: true });
    expect(verifySlackSignature(SECRET, headersFor(T + 301), BODY, at(T))).toEqual({
      ok: false,
      code: 'signature.stale',
    });
  });

  it('refuses a replay of an old, correctly signed request far outside the window', () => {
    expect(verifySlackSignature(SECRET, headersFor(T), BODY, at(T + 86_400))).toMatchObject({
      code: 'signature.stale',
    });
    expect(verifySlackSignature(SECRET, headersFor(0), BODY, at(T))).toMatchObject({
      code: 'signature.stale',
    });
  });
});
