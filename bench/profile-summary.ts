/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and
 * self time by package. Usage: `tsx bench/profile-summary.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly topFrames: { frame: string; selfMs: number; percent: number }[];
  readonly byPackage: { name: string; selfMs: number; percent: number }[];
}

/** The bench compiles the bot into bench/results/build-<pid>/: name its files as in the source tree. */
const sourceUrl = (url: string): string => url.replace(/\/bench\/results\/build-\d+\//, '/');

const packageOf = (compiledUrl: string): string => {
  const url = sourceUrl(compiledUrl);
  if (url === '') return '(native/V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return 'node:core';
  const project = /\/(src|adapters|db|bench|scripts)\//.exec(url);
  return project ? `vulndesk ${project[1]}/` : url.split('/').slice(-2).join('/');
};

export const summarizeProfile = (file: string, top = 20): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const where = url
      ? `${sourceUrl(url).replace(/^file:\/\/.*?\/(node_modules|src|adapters|db|bench)\//, '$1/')}:${lineNumber + 1}`
      : '';
    const frame = `${functionName || '(anonymous)'} ${where}`.trim();
    frames.set(frame, (frames.get(frame) ?? 0) + us);
    const pkg = functionName === '(garbage collector)' ? '(garbage collector)' : packageOf(url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const ranked = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    topFrames: ranked(frames).map(([frame, us]) => ({
      frame,
      selfMs: us / 1000,
      percent: (100 * us) / busyUs,
    })),
    byPackage: ranked(packages).map(([name, us]) => ({
      name,
      selfMs: us / 1000,
      percent: (100 * us) / busyUs,
    })),
  };
};

export const formatProfile = (summary: ProfileSummary): string => {
  const lines = [
    `busy ${(summary.totalMs - summary.idleMs).toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms profiled`,
    '',
    'self time by package (% of busy):',
    ...summary.byPackage.map((p) => `  ${p.percent.toFixed(1).padStart(5)} %  ${p.name}`),
    '',
    'top frames by self time (% of busy):',
    ...summary.topFrames.map((f) => `  ${f.percent.toFixed(1).padStart(5)} %  ${f.frame}`),
  ];
  return lines.join('\n');
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summarizeProfile(file, Number(process.argv[3] ?? 20)))}\n`);
}
