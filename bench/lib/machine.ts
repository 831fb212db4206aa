import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './proc.ts';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memory: string;
  readonly os: string;
  readonly node: string;
  readonly bolt: string;
  readonly pglite: string;
  readonly autocannon: string;
  readonly drizzle: string;
  readonly postgresJs: string;
}

const packageVersion = (name: string): string => {
  try {
    const file = path.join(ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
};

const run = (command: string, args: string[]): string => {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
};

export const machineInfo = (): MachineInfo => {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?';
  const memLine =
    run('free', ['-g'])
      .split('\n')
      .find((line) => line.startsWith('Mem:')) ?? '';
  const [, total, used, free] = memLine.split(/\s+/);
  return {
    cpus: Number(run('nproc', [])) || os.availableParallelism(),
    cpuModel: model,
    memory: memLine
      ? `${total} GiB total, ${used} GiB used, ${free} GiB free (free -g)`
      : `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    bolt: packageVersion('@slack/bolt'),
    pglite: packageVersion('@electric-sql/pglite'),
    autocannon: packageVersion('autocannon'),
    drizzle: packageVersion('drizzle-orm'),
    postgresJs: packageVersion('postgres'),
  };
};

/** The busiest other processes right now, to tell whether the machine was quiet. */
export const otherLoad = (): string => {
  const lines = run('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers']).split('\n').slice(0, 5);
  return lines.map((line) => line.trim()).join('; ');
};
