import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { monoMs } from './clock.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TAIL_CHARS = 64 * 1024;

export interface LineSeen {
  readonly line: string;
  /** monoMs when the orchestrator read the line. */
  readonly at: number;
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly pid: number;
  /** monoMs just before spawn. */
  readonly startedAt: number;
  readonly exited: Promise<number | null>;
  /** The last 64 KiB of stdout and stderr, for error messages. */
  output(): string;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<LineSeen>;
  /** Calls `listener` with every later line of stdout and stderr. */
  onLine(listener: (line: string) => void): void;
  /** Sends an IPC request and resolves with the child's answer (children started with `ipc: true`). */
  call<T>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

interface Waiter {
  readonly pattern: RegExp;
  readonly resolve: (seen: LineSeen) => void;
}

/** Only what a child needs: never the caller's DATABASE_URL or tokens. */
export const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
});

export interface SpawnOptions {
  readonly env?: Record<string, string>;
  readonly nodeArgs?: readonly string[];
  readonly args?: readonly string[];
  readonly ipc?: boolean;
}

/** Runs a TypeScript file with tsx in its own Node process. */
export const spawnTs = (script: string, options: SpawnOptions = {}): Spawned =>
  spawnNode(script, { ...options, nodeArgs: [...(options.nodeArgs ?? []), '--import', 'tsx'] });

/** Runs a JavaScript file (e.g. the compiled bot) with plain Node in its own process. */
export const spawnNode = (script: string, options: SpawnOptions = {}): Spawned => {
  const startedAt = monoMs();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...baseEnv(), ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let partial = '';
  const seen: LineSeen[] = [];
  const waiters = new Set<Waiter>();
  const listeners: ((line: string) => void)[] = [];
  const onData = (chunk: Buffer) => {
    const at = monoMs();
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-TAIL_CHARS);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const entry = { line, at };
      if (seen.length < 200) seen.push(entry);
      for (const listener of listeners) listener(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.delete(waiter);
          waiter.resolve(entry);
        }
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    const entry = message.id === undefined ? undefined : pending.get(message.id);
    if (!entry || message.id === undefined) return;
    pending.delete(message.id);
    if (message.error) entry.reject(new Error(message.error));
    else entry.resolve(message.result);
  });
  void exited.then((code) => {
    for (const entry of pending.values())
      entry.reject(new Error(`${script} exited (${code}) before answering`));
    pending.clear();
  });

  return {
    child,
    pid: child.pid ?? -1,
    startedAt,
    exited,
    output: () => tail,
    onLine: (listener) => {
      listeners.push(listener);
    },
    waitForLine(pattern, timeoutMs = 30_000) {
      const already = seen.find((entry) => pattern.test(entry.line));
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          pattern,
          resolve: (entry) => {
            clearTimeout(timer);
            resolve(entry);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`${script}: no line matching ${pattern} within ${timeoutMs} ms\n${tail.slice(-4000)}`),
          );
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then((code) => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(new Error(`${script} exited (${code}) before printing ${pattern}\n${tail.slice(-4000)}`));
        });
      });
    },
    call<T>(message: Record<string, unknown>, timeoutMs = 600_000) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${script}: no answer to ${String(message.type)} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ ...message, id });
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
};

export type IpcHandler = (message: Record<string, unknown>) => Promise<unknown> | unknown;

/** The child side of `call`: answers each request with its handler's result. */
export const serveIpc = (handlers: Record<string, IpcHandler>): void => {
  process.on('message', (message: Record<string, unknown>) => {
    const id = message.id;
    const handler = handlers[String(message.type)];
    void (async () => {
      try {
        if (!handler) throw new Error(`unknown request ${String(message.type)}`);
        process.send?.({ id, result: await handler(message) });
      } catch (error) {
        process.send?.({
          id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    })();
  });
  // The orchestrator is gone: nothing left to serve.
  process.on('disconnect', () => process.exit(0));
};

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export const rssMb = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};

/** Samples RSS every `intervalMs` until stopped; returns the peak. */
export const sampleRss = (pid: number, intervalMs = 100): { stop(): number } => {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const value = rssMb(pid);
    if (!Number.isNaN(value)) peak = Number.isNaN(peak) ? value : Math.max(peak, value);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = rssMb(pid);
      return Number.isNaN(last) ? peak : Math.max(peak, last);
    },
  };
};

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) a process has used so far, in milliseconds. */
export const cpuMs = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, utime field 14, stime field 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
};

/** CPU used by a changing set of processes (e.g. PostgreSQL backends) between start and stop. */
export const cpuMeter = async (pids: () => Promise<number[]> | number[]) => {
  const before = new Map((await pids()).map((pid) => [pid, cpuMs(pid)]));
  return {
    async stop(): Promise<number> {
      let total = 0;
      for (const pid of new Set([...before.keys(), ...(await pids())])) {
        const now = cpuMs(pid);
        if (Number.isNaN(now)) continue;
        const start = before.get(pid);
        total += now - (start === undefined || Number.isNaN(start) ? 0 : start);
      }
      return total;
    },
  };
};
