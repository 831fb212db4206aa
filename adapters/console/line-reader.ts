import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export interface LineReader {
  /** The next line, or null when the input has ended. */
  next(): Promise<string | null>;
  close(): void;
}

/** Reads lines one at a time from a TTY or a pipe, without losing lines typed ahead. */
export const createLineReader = (input: Readable): LineReader => {
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
  const iterator = rl[Symbol.asyncIterator]();
  return {
    async next() {
      const result = await iterator.next();
      return result.done ? null : result.value;
    },
    close: () => rl.close(),
  };
};
