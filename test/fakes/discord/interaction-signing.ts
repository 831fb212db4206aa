// Ed25519 signing of HTTP interactions the way Discord does it: the signature covers
// `timestamp + rawBody` and is sent hex-encoded in X-Signature-Ed25519.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

export interface InteractionKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The 32-byte raw public key in hex, as the Developer Portal shows it. */
  publicKeyHex: string;
}

export function generateInteractionKeys(): InteractionKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const publicKeyHex = Buffer.from(String(jwk.x), 'base64url').toString('hex');
  return { privateKey, publicKey, publicKeyHex };
}

/** Hex Ed25519 signature of `timestamp + rawBody`. */
export function signInteraction(privateKey: KeyObject, timestamp: string, rawBody: string): string {
  return sign(null, Buffer.from(timestamp + rawBody, 'utf8'), privateKey).toString('hex');
}

/** Headers for POSTing `rawBody` to an interactions endpoint; timestamp in Unix seconds. */
export function signedHeaders(
  privateKey: KeyObject,
  rawBody: string,
  timestamp: string = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Signature-Ed25519': signInteraction(privateKey, timestamp, rawBody),
    'X-Signature-Timestamp': timestamp,
  };
}
