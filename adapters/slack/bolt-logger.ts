import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/ports/logger.ts';

/** Bolt's messages, reduced to error codes and short messages: its debug output carries request bodies. */
const summarize = (args: unknown[]): string =>
  args
    .map((arg) => {
      if (arg instanceof Error) return `${(arg as { code?: string }).code ?? arg.name}: ${arg.message}`;
      return typeof arg === 'string' ? arg : '';
    })
    .join(' ')
    .slice(0, 200);

export const boltLogger = (logger: Logger): BoltLogger => {
  let level = LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...args) => logger.warn({ source: 'bolt' }, summarize(args)),
    error: (...args) => logger.error({ source: 'bolt' }, summarize(args)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
};
