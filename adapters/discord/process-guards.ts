import type { Logger } from '../../src/ports/logger.ts';
import { errorCode } from './discord-errors.ts';

/**
 * discord.js throws inside its gateway handler when an event is malformed, and the throw surfaces as
 * an unhandled promise rejection, which ends a Node process by default. This logs such rejections
 * (an error code, never a payload) and keeps the process running. The
 * composition root installs it once at start-up; the returned function removes it.
 */
export const installUnhandledRejectionLogging = (
  logger: Logger,
  target: Pick<NodeJS.Process, 'on' | 'off'> = process,
): (() => void) => {
  const onRejection = (reason: unknown) => {
    // Programming errors' messages name code, not data ("reading 'id'"); other messages may quote input.
    const message =
      reason instanceof TypeError || reason instanceof ReferenceError
        ? reason.message.slice(0, 200)
        : undefined;
    logger.error(
      { code: errorCode(reason), ...(message ? { detail: message } : {}) },
      'unhandled promise rejection (logged; process kept running)',
    );
  };
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('unhandledRejection', onRejection);
  };
};
