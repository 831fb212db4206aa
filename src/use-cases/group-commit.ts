/**
 * Group commit: items that arrive while a batch is being written are written together by the next
 * one, so a burst pays one transaction (one COMMIT and WAL flush, one audit-chain lock) per batch
 * instead of per item. At low load a batch is a single item, written at once.
 */
export interface GroupCommit<I, O> {
  write(item: I): Promise<O>;
}

export interface GroupCommitOptions {
  /** The most items written in one batch. */
  readonly maxBatch: number;
  /** How many batches may be written at the same time. */
  readonly maxInFlight: number;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly resolve: (outcome: O) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * `writeBatch` writes every item in one transaction and returns one outcome per item, in order; it
 * throws when the transaction fails. A failed batch is written again one item at a time, so one bad
 * item fails only its own caller.
 */
export const createGroupCommit = <I, O>(
  writeBatch: (items: readonly I[]) => Promise<readonly O[]>,
  options: GroupCommitOptions,
): GroupCommit<I, O> => {
  const waiting: Waiting<I, O>[] = [];
  let inFlight = 0;

  const writeChecked = async (batch: readonly Waiting<I, O>[]): Promise<readonly O[]> => {
    const outcomes = await writeBatch(batch.map((w) => w.item));
    if (outcomes.length !== batch.length)
      throw new Error(`a batch of ${batch.length} returned ${outcomes.length} outcomes`);
    return outcomes;
  };

  const run = async (batch: readonly Waiting<I, O>[]): Promise<void> => {
    try {
      const outcomes = await writeChecked(batch);
      for (const [i, w] of batch.entries()) w.resolve(outcomes[i] as O);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const w of batch) {
        try {
          const [outcome] = await writeChecked([w]);
          w.resolve(outcome as O);
        } catch (own) {
          w.reject(own);
        }
      }
    }
  };

  const pump = (): void => {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };

  return {
    write: (item) =>
      new Promise<O>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        pump();
      }),
  };
};
