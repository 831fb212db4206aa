import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../../..');
export const SIGNING_SECRET = 'resilience-secret';
export const TRIAGE_CHANNEL = 'CTRIAGE';

export interface BotProcess {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The JSON log lines written so far. */
  logs(): Record<string, unknown>[];
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The HTTP port, once the bot says it is running. */
  port(): Promise<number>;
}

const running = new Set<ChildProcess>();

/** Kills every bot still running (for afterEach). */
export const killAll = async () => {
  const exits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(exits);
  running.clear();
};

export const botEnv = (apiUrl: string, databaseUrl: string, extra: Record<string, string> = {}) => ({
  SLACK_BOT_TOKEN: 'xoxb-resilience',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_TRIAGE_CHANNEL: TRIAGE_CHANNEL,
  SLACK_API_URL: apiUrl,
  DATABASE_URL: databaseUrl,
  TRIAGERS: 'slack:UALICE',
  PORT: '0',
  LOG_LEVEL: 'info',
  // A digest time that never comes unless a test asks for one.
  DIGEST_TIME: '23:59',
  DIGEST_WEEKDAYS_ONLY: 'true',
  TIMEZONE: 'Pacific/Kiritimati',
  ...extra,
});

/** `node --import tsx src/main.ts`, as `npm start` runs it, with only the given environment. */
export const startBot = (env: Record<string, string>): BotProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c) => {
    output.stdout += c;
  });
  child.stderr?.on('data', (c) => {
    output.stderr += c;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const logs = () =>
    output.stderr.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  const waitForLog = async (message: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = logs().find((l) => l.msg === message);
      if (found) return found;
      if (child.exitCode !== null)
        throw new Error(`bot exited (${child.exitCode}): ${output.stderr.slice(-2000)}`);
      if (Date.now() > deadline)
        throw new Error(`no "${message}" log within ${timeoutMs} ms: ${output.stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    child,
    output,
    exited,
    logs,
    waitForLog,
    port: async () => Number((await waitForLog('vulndesk is running')).port),
  };
};
