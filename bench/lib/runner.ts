import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from '../../scripts/build.ts';
import { ROOT, type Spawned, type SpawnOptions, spawnNode, spawnTs } from './proc.ts';

/** How the bot and the bare Bolt baseline are started: both the same way, so they compare fairly. */
export interface Runner {
  /** For the results: e.g. "node --max-semi-space-size=4 dist/src/main.js (npm run start:prod)". */
  readonly description: string;
  bot(options: SpawnOptions): Spawned;
  bareBolt(options: SpawnOptions): Spawned;
  /** Removes the build. */
  dispose(): void;
}

const PROD_ENTRY = 'dist/src/main.js';

/**
 * The Node options of `npm run start:prod` (`node <options> dist/src/main.js`), read from
 * package.json so the bench always runs the bot as production does.
 */
export const productionNodeArgs = (): string[] => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (pkg.scripts?.['start:prod'] ?? '').trim().split(/\s+/);
  const entry = words.indexOf(PROD_ENTRY);
  if (words[0] !== 'node' || entry < 0) {
    throw new Error(`package.json "start:prod" should read "node [options] ${PROD_ENTRY}"`);
  }
  return words.slice(1, entry);
};

/**
 * Production: compiles the bot and bench/bare-bolt.ts once (bench/tsconfig.build.json, no type
 * check: `npm run typecheck` does that) into a folder of this run, and starts both with plain Node and
 * the options of `npm run start:prod`. `tsx`: both under tsx, as `npm start` runs the bot.
 */
export const prepareRunner = (kind: 'production' | 'tsx'): Runner => {
  if (kind === 'tsx') {
    return {
      description: 'tsx (node --import tsx src/main.ts, as npm start)',
      bot: (options) => spawnTs('src/main.ts', options),
      bareBolt: (options) => spawnTs('bench/bare-bolt.ts', options),
      dispose: () => {},
    };
  }
  const outDir = path.join(ROOT, 'bench', 'results', `build-${process.pid}`);
  build({ project: path.join(ROOT, 'bench', 'tsconfig.build.json'), outDir, typeCheck: false });
  // BENCH_BOT_NODE_ARGS adds options to the bot only, to try one (e.g. a V8 heap flag) before it goes
  // into start:prod.
  const nodeArgs = productionNodeArgs();
  const botArgs = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const withArgs = (options: SpawnOptions): SpawnOptions => ({
    ...options,
    nodeArgs: [...nodeArgs, ...(options.nodeArgs ?? [])],
  });
  return {
    description: `compiled (node ${[...nodeArgs, PROD_ENTRY].join(' ')}, as npm run start:prod)`,
    bot: (options) =>
      spawnNode(
        path.join(outDir, 'src', 'main.js'),
        withArgs({ ...options, nodeArgs: [...botArgs, ...(options.nodeArgs ?? [])] }),
      ),
    bareBolt: (options) => spawnNode(path.join(outDir, 'bench', 'bare-bolt.js'), withArgs(options)),
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  };
};
