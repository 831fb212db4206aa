import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../http/http-route.ts';

/** Requests signed more than five minutes from now, either way, are refused (replays, skewed clocks). */
export const DISCORD_REPLAY_WINDOW_SECONDS = 300;

export type SignatureCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: 'signature.missing' | 'signature.stale' | 'signature.mismatch' };

/** The portal's 32-byte hex public key as a node:crypto Ed25519 key (JWK OKP). Throws on a malformed key. */
export const discordPublicKey = (hex: string): KeyObject => {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('DISCORD_PUBLIC_KEY must be 64 hex characters');
  const x = Buffer.from(hex, 'hex').toString('base64url');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
};

/**
 * Discord's interaction signature: Ed25519 over `timestamp + raw body`, hex in X-Signature-Ed25519.
 * Malformed headers are a refusal like any other, never an exception.
 */
export const verifyDiscordSignature = (
  key: KeyObject,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  nowMilliseconds: number,
): SignatureCheck => {
  const signature = headerValue(headers, 'x-signature-ed25519');
  const timestamp = headerValue(headers, 'x-signature-timestamp');
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, code: 'signature.missing' };
  }
  const skew = Math.abs(Math.floor(nowMilliseconds / 1000) - Number(timestamp));
  if (skew > DISCORD_REPLAY_WINDOW_SECONDS) return { ok: false, code: 'signature.stale' };
  try {
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]);
    if (verify(null, signed, key, Buffer.from(signature, 'hex'))) return { ok: true };
  } catch {
    // A signature node:crypto cannot even read is simply not valid.
  }
  return { ok: false, code: 'signature.mismatch' };
};
