/**
 * One clock for every bench process: CLOCK_MONOTONIC through process.hrtime, which is shared by all
 * processes on a Linux machine, so a send time taken in the load generator and an arrival time taken
 * in the fake Slack server can be subtracted. Milliseconds with sub-microsecond resolution.
 */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
