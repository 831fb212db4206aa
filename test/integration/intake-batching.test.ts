import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/audit-chain.ts';
import type { Actor } from '../../src/domain/report.ts';
import type { IntakeRepository, NewOutboxMessage, Store, StoredReport } from '../../src/ports/store.ts';
import type { CoreDeps } from '../../src/use-cases/context.ts';
import { fileReports } from '../../src/use-cases/file-reports.ts';
import { submitReport } from '../../src/use-cases/submit-report.ts';
import { SQL_STORE_KINDS, type SqlTestStore } from '../security/support/stores.ts';
import { coreDeps, reporter, testClock, validSubmission } from '../support/core.ts';
import { storedReport } from '../support/report-fixtures.ts';

/** A draft's fields: a freshly filed report without its number and ID. */
const freshFields = (overrides: Partial<StoredReport>) => {
  const { id: _id, number: _number, ...fields } = storedReport(0, overrides);
  return fields;
};

const someoneElse: Actor = { platform: 'slack', userId: 'UOTHER', displayName: 'otto' };

/** The same store, recording how many submissions each batch checked. */
const recordingBatches = (store: Store, intake: Partial<IntakeRepository> = {}) => {
  const batches: number[] = [];
  const recorded: Store = {
    ...store,
    intake: {
      reserve: (checks) => {
        batches.push(checks.length);
        return (intake.reserve ?? store.intake.reserve)(checks);
      },
      file: intake.file ?? store.intake.file,
    },
  };
  return { store: recorded, batches };
};

describe.each(SQL_STORE_KINDS)('intake in batches on %s', (_kind, open) => {
  let db: SqlTestStore;

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.reset();
  });

  const depsFor = (store: Store, overrides: Partial<CoreDeps> = {}) =>
    coreDeps(store, { now: testClock('2026-11-26T09:00:00Z').now, ...overrides });

  const submit = (deps: CoreDeps, key: string | null, by: Actor = reporter, title = 'SQL injection') =>
    submitReport(deps, { reporter: by, submission: validSubmission({ title }), submissionKey: key });

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: number | string }>(sql, params))[0]?.n);

  it('files each of many concurrent submissions once, to its own sender, with its audit event and messages', async () => {
    const { store, batches } = recordingBatches(db.store);
    const deps = depsFor(store);
    const keys = Array.from({ length: 12 }, (_, i) => `view-${i}`);

    const results = await Promise.all(keys.map((key) => submit(deps, key, reporter, `Title of ${key}`)));

    expect(Math.max(...batches)).toBeGreaterThan(1);
    expect(results.every((r) => r.ok && r.value.created)).toBe(true);
    for (const [i, result] of results.entries()) {
      const stored = await db.store.reports.findBySubmissionKey(keys[i] as string);
      expect(result.ok && result.value.report).toEqual(stored);
      expect(stored?.title).toBe(`Title of ${keys[i]}`);
      expect(result.ok && result.value.confirmation.reportId).toBe(stored?.id);
    }
    const ids = results.map((r) => (r.ok ? r.value.report.id : '')).sort();
    expect(ids).toEqual(keys.map((_, i) => `VULN-${String(i + 1).padStart(4, '0')}`));
    expect(await count('select count(*) as n from audit_events')).toBe(12);
    expect(await count(`select count(*) as n from outbox where payload->>'type' = 'triage_card'`)).toBe(12);
    expect(await count(`select count(*) as n from outbox where payload->>'type' = 'reporter_notice'`)).toBe(
      12,
    );
    expect((await verifyAuditChain(db.handle.db)).problems).toEqual([]);
  });

  it('files one report when the same view is submitted several times at once', async () => {
    const { store, batches } = recordingBatches(db.store);
    const deps = depsFor(store);

    const first = submit(deps, 'view-other');
    const duplicates = await Promise.all([1, 2, 3, 4].map(() => submit(deps, 'view-twice')));
    await first;

    expect(batches).toEqual([1, 1]);
    expect(duplicates.map((r) => r.ok && r.value.created)).toEqual([true, false, false, false]);
    const ids = new Set(duplicates.map((r) => r.ok && r.value.report.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await count('select count(*) as n from reports where submission_key = $1', ['view-twice'])).toBe(
      1,
    );
    expect(await count('select count(*) as n from audit_events where report_id = $1', [id])).toBe(1);
    expect(await count('select count(*) as n from outbox where report_id = $1', [id])).toBe(2);
  });

  it('answers a resubmission with the report filed earlier, even in a batch with new submissions', async () => {
    const deps = depsFor(db.store);
    const earlier = await submit(deps, 'view-1');

    const [again, fresh] = await Promise.all([submit(deps, 'view-1'), submit(deps, 'view-2')]);

    expect(again).toMatchObject({ ok: true, value: { created: false, report: { id: 'VULN-0001' } } });
    expect(again.ok && again.value.confirmation).toEqual(earlier.ok && earlier.value.confirmation);
    expect(fresh).toMatchObject({ ok: true, value: { created: true, report: { id: 'VULN-0002' } } });
  });

  it('counts the reporter’s reports in the same batch toward the hourly limit', async () => {
    const { store, batches } = recordingBatches(db.store);
    const deps = depsFor(store, { reportsPerHour: 3 });
    await submit(deps, 'before');

    const occupying = submit(deps, 'occupying', someoneElse);
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((key) => submit(deps, key)));
    await occupying;

    expect(batches.at(-1)).toBe(4);
    expect(results.map((r) => (r.ok ? 'filed' : r.error.code))).toEqual([
      'filed',
      'filed',
      'report.rate_limited',
      'report.rate_limited',
    ]);
    expect(await count('select count(*) as n from reports where reporter_id = $1', [reporter.userId])).toBe(
      3,
    );
    expect(await count('select count(*) as n from audit_events')).toBe(4);
  });

  it('fails only the submission that cannot be written; the others in its batch are filed', async () => {
    const { store } = recordingBatches(db.store, {
      file: (records) => {
        if (records.some((r) => r.report.title === 'poison')) throw new Error('this row cannot be stored');
        return db.store.intake.file(records);
      },
    });
    const deps = depsFor(store);

    const occupying = submit(deps, 'occupying');
    const results = await Promise.allSettled([
      submit(deps, 'a', reporter, 'fine'),
      submit(deps, 'b', reporter, 'poison'),
      submit(deps, 'c', reporter, 'also fine'),
    ]);
    await occupying;

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await db.store.reports.list({})).map((r) => r.title).sort()).toEqual([
      'SQL injection',
      'also fine',
      'fine',
    ]);
    expect(await count('select count(*) as n from audit_events')).toBe(3);
    expect(await count('select count(*) as n from outbox')).toBe(6);
  });

  it('answers with the other writer’s report when the same view is filed between the check and the insert', async () => {
    const racing = recordingBatches(db.store, {
      reserve: async (checks) => {
        const reservations = await db.store.intake.reserve(checks);
        await submit(depsFor(db.store), 'view-raced', reporter, 'filed by another replica');
        return reservations;
      },
    });

    const [result] = await fileReportsFor(depsFor(racing.store), 'view-raced');

    expect(result).toMatchObject({
      ok: true,
      value: { created: false, report: { submissionKey: 'view-raced', title: 'filed by another replica' } },
    });
    const id = result?.ok ? result.value.report.id : '';
    expect(await count('select count(*) as n from reports')).toBe(1);
    expect(await count('select count(*) as n from audit_events where report_id = $1', [id])).toBe(1);
    expect(await count('select count(*) as n from audit_events')).toBe(1);
    expect(await count('select count(*) as n from outbox')).toBe(2);
  });

  /** One batch of one draft for this key, through the batch writer itself. */
  const fileReportsFor = (deps: CoreDeps, key: string) => {
    const now = deps.now();
    const { policyAccepted: _accepted, ...fields } = validSubmission();
    return fileReports(deps.store, [
      {
        deps,
        submissionKey: key,
        reporter,
        receivedAt: now,
        fields: freshFields({
          ...fields,
          reporter,
          submissionKey: key,
          policyAcceptedAt: now,
          receivedAt: now,
          ackDueAt: now,
          triageDueAt: now,
          updatedAt: now,
        }),
      },
    ]);
  };

  it('enqueues several messages in one call exactly as enqueue does one by one', async () => {
    const at = new Date('2026-11-26T09:00:00Z');
    const messages: NewOutboxMessage[] = [
      {
        platform: 'slack',
        destination: 'triage',
        reportId: 'VULN-0001',
        payload: { type: 'triage_card', create: true },
        createdAt: at,
      },
      {
        platform: 'slack',
        destination: 'triage',
        reportId: 'VULN-0001',
        payload: { type: 'triage_card' },
        createdAt: at,
      },
      {
        platform: 'discord',
        destination: 'user:1',
        reportId: 'VULN-0001',
        payload: { type: 'thread_note', text: 'x' },
        createdAt: at,
      },
    ];
    for (const message of messages) await db.store.outbox.enqueue(message);
    await db.store.outbox.enqueueMany(messages);

    const rows = await db.query<Record<string, unknown>>(
      'select platform, destination, report_id, ordering_key, payload, state, attempts, created_at, next_attempt_at from outbox order by id',
    );
    expect(rows.slice(3)).toEqual(rows.slice(0, 3));
  });
});
