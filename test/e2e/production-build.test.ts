import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productionNodeArgs } from '../../bench/lib/runner.ts';
import { build } from '../../scripts/build.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'vulndesk-build-'));
// Inside the project, as dist/ is: the compiled code finds its packages in node_modules.
const outDir = path.join(ROOT, 'node_modules', '.cache', `vulndesk-build-${process.pid}`);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

describe('npm run build, then npm run start:prod', () => {
  it('the compiled bot creates its schema in a new data folder and answers on the console', async () => {
    // The same build as `npm run build` (tsconfig.build.json), without the type check `npm test` runs anyway.
    build({ outDir, typeCheck: false });

    // Run from another folder, with the options of `start:prod`: nothing may come from the sources.
    const child = spawn(process.execPath, [...productionNodeArgs(), path.join(outDir, 'src', 'main.js')], {
      cwd: scratch,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: path.join(scratch, 'data'),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end('/help\n');

    expect(await exited).toBe(0);
    expect(stdout).toContain('starting the console adapter on embedded PGlite');
    expect(stdout).toContain('Commands:');
  }, 120_000);
});
