import { type DestinationStream, pino } from 'pino';
import type { Logger } from '../ports/logger.ts';

/** Field names whose values never reach the log, wherever they appear. */
export const REDACTED_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'authorization',
  'password',
  'secret',
  'response_url',
  'responseUrl',
  'trigger_id',
  'description',
  'impact',
  'title',
  'text',
  'payload',
  'body',
];

export const createLogger = (level: string, destination?: DestinationStream): Logger => {
  const paths = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);
  const base = pino(
    { level, redact: { paths, censor: '[redacted]' }, base: { app: 'vulndesk' } },
    destination,
  );
  return {
    debug: (fields, message) => base.debug(fields, message),
    info: (fields, message) => base.info(fields, message),
    warn: (fields, message) => base.warn(fields, message),
    error: (fields, message) => base.error(fields, message),
  };
};
