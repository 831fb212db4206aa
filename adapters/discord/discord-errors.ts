import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { DeliveryOutcome } from '../../src/ports/chat-delivery.ts';

/** Discord JSON error codes the adapter acts on. */
export const DISCORD_CODES = {
  unknownChannel: 10003,
  unknownMessage: 10008,
  missingAccess: 50001,
  cannotDmUser: 50007,
  invalidFormBody: 50035,
} as const;

export const isDiscordCode = (error: unknown, code: number): boolean =>
  error instanceof DiscordAPIError && error.code === code;

/** discord.js drops the token after a 401; every later request then fails with this, before any I/O. */
const isTokenMissing = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith('Expected token to be set for this request');

/** A short, stable code for logs and the outbox: never a message body, token or report text. */
export const errorCode = (error: unknown): string => {
  if (error instanceof RateLimitError) return 'discord.rate_limited';
  if (isTokenMissing(error)) return 'discord.token_missing';
  if (error instanceof DiscordAPIError) return `discord.${error.status}.${error.code}`;
  if (error instanceof HTTPError) return `discord.http_${error.status}`;
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `error.${code}` : `error.${error.name}`;
  }
  return 'error.unknown';
};

/**
 * What the outbox should do after a failed Discord call: try again later for rate limits, Discord
 * outages and network trouble; park it for a person when retrying cannot help (403, 404, invalid body).
 */
export const outcomeFor = (error: unknown): DeliveryOutcome => {
  const code = errorCode(error);
  if (error instanceof RateLimitError) {
    return { status: 'retry', error: code, retryAfterMs: Math.max(error.retryAfter, error.timeToReset, 0) };
  }
  if (error instanceof DiscordAPIError) {
    if (error.status === 429 || error.status >= 500) return { status: 'retry', error: code };
    return { status: 'failed', error: code };
  }
  if (isTokenMissing(error)) return { status: 'failed', error: code };
  return { status: 'retry', error: code };
};
