import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'vulndesk-console-'));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm start`'s entry point with a scripted stdin, as a user piping a session would. */
const runConsole = (script: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        ASSETS: 'api.example.com,web app',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(`${script.join('\n')}\n`);
  });

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a scripted console session through a pipe', () => {
  let first: Run;

  it('files a report, refuses a non-triager, and lets a triager acknowledge, score and date it', async () => {
    first = await runConsole([
      '/as rita',
      '/report-vuln',
      'Stored XSS in project settings',
      '9',
      '2',
      '1. Open /settings',
      '2. Save <script>alert(1)</script> as the name',
      '.',
      '',
      '.',
      'Any admin who opens the page runs my script.',
      '.',
      'CVSS:9.9/AV:N',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
      'n',
      'y',
      '/vuln ack VULN-0001',
      '/as alice --triager',
      '/vuln ack vuln-1',
      '/vuln severity VULN-0001 CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
      '/vuln disclose VULN-0001 2020-01-01',
      '/vuln disclose VULN-0001 +30d',
      '/quit',
    ]);
    expect(first.code).toBe(0);
    const out = first.stdout;
    expect(out).toContain('embedded PGlite');
    expect(out).toContain('Choose an affected asset from the list');
    expect(out).toContain('The impact is required.');
    expect(out).toContain('A CVSS vector must start with CVSS:3.1/ or CVSS:4.0/');
    expect(out).toContain('Please confirm you act under the disclosure policy.');
    expect(out).toContain('Filed as VULN-0001.');
    expect(out).toMatch(/\[triage channel\] new card\nVULN-0001: Stored XSS in project settings/);
    expect(out).toMatch(
      /\[DM to rita\] VULN-0001: Stored XSS in project settings\n {2}Thank you\. Your report is filed as VULN-0001/,
    );
    expect(out).toContain('Error: Only the security triage team can do that. Nothing was changed.');
    expect(out).toContain('[thread VULN-0001] alice acknowledged VULN-0001.');
    expect(out).toContain('[thread VULN-0001] alice set severity of VULN-0001 to High (CVSS 3.1 8.1).');
    expect(out).toContain('is before the report was received');
    expect(out).toMatch(
      /\[thread VULN-0001\] alice moved the disclosure date of VULN-0001 from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\./,
    );
    expect(out).toContain('Bye.');
  }, 60_000);

  it('a second start sees the same data', async () => {
    const second = await runConsole([
      '/as rita',
      '/report-vuln status',
      '/as alice --triager',
      '/vuln show VULN-0001',
      '/quit',
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /VULN-0001 · Acknowledged · received \d{4}-\d{2}-\d{2} · disclosure \d{4}-\d{2}-\d{2} · Stored XSS/,
    );
    expect(second.stdout).toContain('Severity: High (CVSS 3.1 8.1)');
    expect(second.stdout).not.toContain('new card');
  }, 60_000);
});
