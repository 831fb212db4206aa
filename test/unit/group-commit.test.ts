import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/use-cases/group-commit.ts';

/** A batch writer whose batches the test releases by hand, recording what each batch held. */
const manualWriter = (fails: (items: readonly string[]) => boolean = () => false) => {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  const write = (items: readonly string[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push([...items]);
      pending.push(() =>
        fails(items)
          ? reject(new Error(`batch ${items.join(',')} failed`))
          : resolve(items.map((i) => `${i}!`)),
      );
    });
  /** Lets the oldest unfinished batch finish, then gives the queue a turn. */
  const release = async () => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, write, release };
};

describe('group commit', () => {
  it('writes a lone item at once, in a batch of its own', async () => {
    const writer = manualWriter();
    const commit = createGroupCommit(writer.write, { maxBatch: 10, maxInFlight: 1 });

    const outcome = commit.write('a');
    await writer.release();

    expect(await outcome).toBe('a!');
    expect(writer.batches).toEqual([['a']]);
  });

  it('writes the items that arrive while a batch is in flight together, each caller getting its own outcome', async () => {
    const writer = manualWriter();
    const commit = createGroupCommit(writer.write, { maxBatch: 10, maxInFlight: 1 });

    const outcomes = ['a', 'b', 'c', 'd'].map((item) => commit.write(item));
    await writer.release();
    await writer.release();

    expect(await Promise.all(outcomes)).toEqual(['a!', 'b!', 'c!', 'd!']);
    expect(writer.batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('never puts more than maxBatch items in one batch', async () => {
    const writer = manualWriter();
    const commit = createGroupCommit(writer.write, { maxBatch: 2, maxInFlight: 1 });

    const outcomes = ['a', 'b', 'c', 'd', 'e'].map((item) => commit.write(item));
    for (let i = 0; i < 4; i++) await writer.release();

    expect(await Promise.all(outcomes)).toEqual(['a!', 'b!', 'c!', 'd!', 'e!']);
    expect(writer.batches).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('writes the members of a failed batch again one by one, so only the bad item fails', async () => {
    const writer = manualWriter((items) => items.includes('bad'));
    const commit = createGroupCommit(writer.write, { maxBatch: 10, maxInFlight: 1 });

    const first = commit.write('a');
    const rest = Promise.allSettled(['b', 'bad', 'c'].map((item) => commit.write(item)));
    for (let i = 0; i < 5; i++) await writer.release();

    expect(await first).toBe('a!');
    const settled = await rest;
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'rejected'))).toEqual([
      'b!',
      'rejected',
      'c!',
    ]);
    expect(writer.batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('refuses a batch writer that loses an outcome instead of handing out the wrong ones', async () => {
    const commit = createGroupCommit(async (items: readonly string[]) => items.slice(1), {
      maxBatch: 10,
      maxInFlight: 1,
    });

    await expect(commit.write('a')).rejects.toThrow(/returned 0 outcomes/);
  });
});
