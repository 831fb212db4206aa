import type { Logger } from '../ports/logger.ts';

/** A short, stable code for an error: its `code` when it is a string, else its class name. */
export const genericErrorCode = (error: unknown): string => {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `error.${code}` : `error.${error.name}`;
  }
  return 'error.unknown';
};

export interface UnhandledRejectionOptions {
  /** Names the error in the log; a chat adapter may pass one that knows its SDK's errors. */
  readonly errorCode?: (error: unknown) => string;
  readonly target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * An SDK that throws inside its own event handlers (discord.js does, on a malformed gateway event)
 * surfaces as an unhandled promise rejection, which ends a Node process by default. This logs such
 * rejections (an error code, never a payload) and keeps the process running. The composition root
 * installs it once at start-up; the returned function removes it.
 */
export const installUnhandledRejectionLogging = (
  logger: Logger,
  { errorCode = genericErrorCode, target = process }: UnhandledRejectionOptions = {},
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
