import { installUnhandledRejectionLogging as installGuard } from '../../src/logging/unhandled-rejection.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { errorCode } from './discord-errors.ts';

/**
 * The process-wide unhandled-rejection guard (src/logging/unhandled-rejection.ts), naming discord.js's
 * errors by their Discord codes. discord.js throws inside its gateway handler when an event is
 * malformed; the guard logs it and keeps the process running.
 */
export const installUnhandledRejectionLogging = (
  logger: Logger,
  target: Pick<NodeJS.Process, 'on' | 'off'> = process,
): (() => void) => installGuard(logger, { errorCode, target });
