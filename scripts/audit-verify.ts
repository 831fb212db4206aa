import { existsSync } from 'node:fs';
import { verifyAuditChain } from '../db/audit-chain.ts';
import { openDatabase } from '../db/client.ts';

/** `npm run audit:verify`: checks the audit hash chain; exits 1 and names each broken row. */
if (existsSync('.env')) process.loadEnvFile('.env');
const handle = await openDatabase(
  process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL }
    : { dataDir: process.env.DATA_DIR || './data' },
);
const report = await verifyAuditChain(handle.db);
await handle.close();
if (report.problems.length === 0) {
  process.stdout.write(`Audit chain intact: ${report.rows} events, head ${report.head ?? '(empty)'}.\n`);
} else {
  for (const p of report.problems) {
    process.stdout.write(
      `Chain position ${p.chainSeq}${p.auditId === null ? '' : ` (audit id ${p.auditId})`}: ${p.problem}\n`,
    );
  }
  process.stdout.write(
    `Audit chain BROKEN: ${report.problems.length} problem(s) in ${report.rows} events.\n`,
  );
  process.exitCode = 1;
}
