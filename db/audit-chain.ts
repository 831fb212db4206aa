import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from './client.ts';

export interface ChainProblem {
  readonly chainSeq: number;
  readonly auditId: number | null;
  readonly problem: string;
}

export interface ChainReport {
  readonly rows: number;
  readonly head: string | null;
  readonly problems: readonly ChainProblem[];
}

interface ChainRow {
  id: string | number;
  chain_seq: string | number;
  hash: string;
  prev_hash: string;
  expected: string;
  previous: string | null;
}

/** Recomputes every audit row's hash in chain order: an edited, inserted or removed row shows up. */
export const verifyAuditChain = async (db: Database): Promise<ChainReport> => {
  const rows = rowsOf<ChainRow>(
    await db.execute(sql`
      select id, chain_seq, hash, prev_hash, audit_events_row_digest(a) as expected,
             lag(hash) over (order by chain_seq) as previous
      from audit_events a order by chain_seq`),
  );
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  for (const row of rows) {
    const seq = Number(row.chain_seq);
    const auditId = Number(row.id);
    if (seq !== expectedSeq) {
      problems.push({
        chainSeq: expectedSeq,
        auditId: null,
        problem: `row ${expectedSeq} of the chain is missing`,
      });
    }
    if (row.prev_hash !== (row.previous ?? '')) {
      problems.push({ chainSeq: seq, auditId, problem: 'does not link to the row before it' });
    }
    if (row.hash !== row.expected) {
      problems.push({ chainSeq: seq, auditId, problem: 'its content does not match its hash (edited)' });
    }
    expectedSeq = seq + 1;
  }
  return { rows: rows.length, head: rows.at(-1)?.hash ?? null, problems };
};
