import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { genericErrorCode, installUnhandledRejectionLogging } from '../../src/logging/unhandled-rejection.ts';
import type { Logger } from '../../src/ports/logger.ts';

const memoryLogger = () => {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void => {
      lines.push({ level, fields, message });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
};

describe('the unhandled-rejection guard', () => {
  it('logs a rejection by its code, without the message of an arbitrary error', () => {
    const { logger, lines } = memoryLogger();
    const target = new EventEmitter();
    installUnhandledRejectionLogging(logger, { target: target as never });
    target.emit(
      'unhandledRejection',
      Object.assign(new Error('quoting report text'), { code: 'ECONNRESET' }),
    );
    expect(lines).toEqual([
      {
        level: 'error',
        fields: { code: 'error.ECONNRESET' },
        message: 'unhandled promise rejection (logged; process kept running)',
      },
    ]);
  });

  it("keeps a programming error's message, which names code rather than data", () => {
    const { logger, lines } = memoryLogger();
    const target = new EventEmitter();
    installUnhandledRejectionLogging(logger, { target: target as never });
    target.emit('unhandledRejection', new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(lines[0]?.fields).toEqual({
      code: 'error.TypeError',
      detail: "Cannot read properties of undefined (reading 'id')",
    });
  });

  it("names errors with the adapter's code function when one is given", () => {
    const { logger, lines } = memoryLogger();
    const target = new EventEmitter();
    installUnhandledRejectionLogging(logger, {
      target: target as never,
      errorCode: () => 'discord.404.10003',
    });
    target.emit('unhandledRejection', new Error('Unknown Channel'));
    expect(lines[0]?.fields.code).toBe('discord.404.10003');
  });

  it('stops listening once removed', () => {
    const { logger } = memoryLogger();
    const target = new EventEmitter();
    const remove = installUnhandledRejectionLogging(logger, { target: target as never });
    expect(target.listenerCount('unhandledRejection')).toBe(1);
    remove();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
  });

  it('gives a stable code for anything thrown', () => {
    expect(genericErrorCode(new RangeError('x'))).toBe('error.RangeError');
    expect(genericErrorCode('a string')).toBe('error.unknown');
  });
});
