import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/audit-chain.ts';
import { revealReport } from '../../src/use-cases/queries.ts';
import { acknowledge, setSeverity } from '../../src/use-cases/triage-actions.ts';
import { alice, coreDeps } from '../support/core.ts';
import { fileReport } from '../support/use-case-harness.ts';
import { SQL_STORE_KINDS, type SqlTestStore } from './support/stores.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Some ordinary use: two reports filed, acknowledged, a severity set, one reveal. Six audit rows. */
const normalUse = async (db: SqlTestStore) => {
  const deps = coreDeps(db.store);
  const one = await fileReport(deps);
  const two = await fileReport(deps);
  await acknowledge(deps, alice, one.id);
  await setSeverity(deps, alice, one.id, 'high');
  await acknowledge(deps, alice, two.id);
  await revealReport(deps, alice, two.id);
};

/** What a superuser could do: switch the triggers off for the session and change the table. */
const asSuperuser = (db: SqlTestStore, statement: string) =>
  db.exec(`set session_replication_role = replica; ${statement}; set session_replication_role = origin;`);

const auditVerify = (databaseUrl: string) =>
  new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/audit-verify.ts')], {
      cwd: path.join(ROOT, 'test'),
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.on('close', (code) => resolve({ code, stdout }));
  });

describe.each(SQL_STORE_KINDS)('the audit trail on %s', (kind, open) => {
  let db: SqlTestStore;

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
    await normalUse(db);
  });

  it.each([
    ['UPDATE', `update audit_events set action = 'report.closed' where chain_seq = 1`],
    ['DELETE', 'delete from audit_events where chain_seq = 2'],
    ['TRUNCATE', 'truncate audit_events'],
  ])('is append-only in the database itself: %s is refused', async (_, statement) => {
    await expect(db.query(statement)).rejects.toThrow(/append-only/);
    expect(await db.query('select count(*)::int as n from audit_events')).toEqual([{ n: 6 }]);
    expect((await verifyAuditChain(db.handle.db)).problems).toEqual([]);
  });

  it('is refused to the application connection too (not only to a console)', async () => {
    const { sql } = await import('drizzle-orm');
    await expect(db.handle.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    expect(await db.query('select count(*)::int as n from audit_events')).toEqual([{ n: 6 }]);
  });

  it('forms an intact hash chain after normal use', async () => {
    const report = await verifyAuditChain(db.handle.db);
    expect(report.rows).toBe(6);
    expect(report.problems).toEqual([]);
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
    const seqs = await db.query<{ chain_seq: string | number }>(
      'select chain_seq from audit_events order by id',
    );
    expect(seqs.map((r) => Number(r.chain_seq))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('cannot be forged by an insert that brings its own chain position and hash', async () => {
    await db.query(
      `insert into audit_events (report_id, actor_platform, actor_id, actor_name, action, before, after, at, chain_seq, prev_hash, hash)
       values ('VULN-0001', 'slack', 'UMALLORY', 'mallory', 'report.closed', '{}', '{}', now(), 2, 'x', 'y')`,
    );
    const [row] = await db.query<{ chain_seq: string | number; hash: string }>(
      `select chain_seq, hash from audit_events where actor_id = 'UMALLORY'`,
    );
    expect(Number(row?.chain_seq)).toBe(7);
    expect(row?.hash).not.toBe('y');
    expect((await verifyAuditChain(db.handle.db)).problems).toEqual([]);
  });

  it('names the row a superuser edited behind the trigger', async () => {
    const [target] = await db.query<{ id: string | number }>(
      'select id from audit_events where chain_seq = 3',
    );
    await asSuperuser(db, `update audit_events set after = '{"status":"fixed"}' where chain_seq = 3`);
    const report = await verifyAuditChain(db.handle.db);
    expect(report.problems).toEqual([
      { chainSeq: 3, auditId: Number(target?.id), problem: 'its content does not match its hash (edited)' },
    ]);
  });

  it('names the row whose hash was recomputed to hide an edit (its successor no longer links)', async () => {
    await asSuperuser(
      db,
      `update audit_events set actor_name = 'someone else' where chain_seq = 2;
       update audit_events a set hash = audit_events_row_digest(a) where chain_seq = 2`,
    );
    const report = await verifyAuditChain(db.handle.db);
    expect(report.problems.map((p) => [p.chainSeq, p.problem])).toEqual([
      [3, 'does not link to the row before it'],
    ]);
  });

  it('detects a deleted row in the middle of the chain', async () => {
    await asSuperuser(db, 'delete from audit_events where chain_seq = 4');
    const report = await verifyAuditChain(db.handle.db);
    expect(report.problems).toContainEqual({
      chainSeq: 4,
      auditId: null,
      problem: 'row 4 of the chain is missing',
    });
    expect(report.problems.some((p) => p.chainSeq === 5 && p.problem.includes('does not link'))).toBe(true);
  });

  if (kind === 'PostgreSQL') {
    it('stays one intact chain under many concurrent appending transactions', async () => {
      const deps = coreDeps(db.store);
      const [report] = await db.store.reports.list({});
      const id = report?.id ?? 'VULN-0001';
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          db.store.transaction(async (repos) => {
            await repos.audit.append({
              reportId: id,
              actor: alice,
              action: 'report.note_added',
              before: {},
              after: { note: `parallel ${i}` },
              at: deps.now(),
            });
            await repos.audit.append({
              reportId: id,
              actor: alice,
              action: 'report.note_added',
              before: {},
              after: { note: `parallel ${i} again` },
              at: deps.now(),
            });
          }),
        ),
      );
      const chain = await verifyAuditChain(db.handle.db);
      expect(chain.rows).toBe(86);
      expect(chain.problems).toEqual([]);
      const seqs = await db.query<{ chain_seq: string }>(
        'select chain_seq from audit_events order by chain_seq',
      );
      expect(seqs.map((r) => Number(r.chain_seq))).toEqual(Array.from({ length: 86 }, (_, i) => i + 1));
    });

    it('npm run audit:verify exits 0 on an intact chain and 1 on a tampered one, naming the row', async () => {
      const intact = await auditVerify(db.url ?? '');
      expect(intact.stdout).toContain('Audit chain intact: 6 events');
      expect(intact.code).toBe(0);
      await asSuperuser(db, `update audit_events set actor_id = 'UMALLORY' where chain_seq = 5`);
      const broken = await auditVerify(db.url ?? '');
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/Chain position 5 \(audit id \d+\): its content does not match its hash/);
      expect(broken.stdout).toContain('Audit chain BROKEN');
    }, 30_000);
  }
});
