import { describe, expect, it } from 'vitest';
import { submitReport } from '../../src/use-cases/submit-report.ts';
import { acknowledge } from '../../src/use-cases/triage-actions.ts';
import { alice, coreDeps, reporter, validSubmission } from '../support/core.ts';
import { STORE_KINDS } from '../support/databases.ts';

describe.each(STORE_KINDS)('smoke on %s', (_name, open) => {
  it('files and acknowledges', async () => {
    const t0 = Date.now();
    const db = await open();
    console.log('open', Date.now() - t0);
    const deps = coreDeps(db.store);
    const r = await submitReport(deps, { reporter, submission: validSubmission(), submissionKey: 'k1' });
    expect(r.ok).toBe(true);
    const a = await acknowledge(deps, alice, 'vuln-1');
    expect(a.ok).toBe(true);
    console.log(JSON.stringify(await db.store.audit.listForReport('VULN-0001')));
    console.log(
      JSON.stringify(
        await db.store.outbox.claimDue({
          workerId: 'w',
          now: new Date('2030-01-01'),
          leaseMs: 1000,
          limit: 10,
          platforms: ['slack', 'discord'],
        }),
      ),
    );
    await db.close();
  });
});
