import { expect } from 'vitest';
import type { Actor, ReportSubmission } from '../../src/domain/report.ts';
import type { AuditEvent, OutboxMessage, Store, StoredReport } from '../../src/ports/store.ts';
import type { CoreDeps } from '../../src/use-cases/context.ts';
import { submitReport } from '../../src/use-cases/submit-report.ts';
import { reporter, validSubmission } from './core.ts';
import { drainOutbox } from './outbox-drain.ts';

/** Files a valid report through the use case and returns it; fails the test when filing fails. */
export const fileReport = async (
  deps: CoreDeps,
  options: {
    readonly by?: Actor;
    readonly submission?: Partial<ReportSubmission>;
    readonly key?: string | null;
  } = {},
): Promise<StoredReport> => {
  const filed = await submitReport(deps, {
    reporter: options.by ?? reporter,
    submission: validSubmission(options.submission),
    submissionKey: options.key ?? null,
  });
  if (!filed.ok) throw new Error(`filing failed: ${filed.error.code} ${filed.error.message}`);
  return filed.value.report;
};

export interface Observed<T> {
  readonly result: T;
  readonly before: StoredReport | null;
  readonly after: StoredReport | null;
  /** Audit events for the report written by the action. */
  readonly audit: readonly AuditEvent[];
  /** Outbox messages (any destination) written by the action, oldest first. */
  readonly outbox: readonly OutboxMessage[];
}

/**
 * Runs one action and reports exactly what it wrote: the report before and after, the audit events
 * it appended for that report, and the outbox messages it queued (earlier ones are delivered first).
 */
export const observe = async <T>(
  store: Store,
  reportId: string,
  act: () => Promise<T>,
): Promise<Observed<T>> => {
  await drainOutbox(store);
  const before = await store.reports.findById(reportId);
  const auditBefore = await store.audit.listForReport(reportId);
  const result = await act();
  const after = await store.reports.findById(reportId);
  const audit = (await store.audit.listForReport(reportId)).slice(auditBefore.length);
  const outbox = await drainOutbox(store);
  return { result, before, after, audit, outbox };
};

/** The action was refused: the report, its audit trail and the outbox are exactly as they were. */
export const expectNothingWritten = (observed: Observed<unknown>): void => {
  expect(observed.audit).toEqual([]);
  expect(observed.outbox).toEqual([]);
  expect(observed.after).toEqual(observed.before);
};

/** The error code of a failed result; fails the test when the result is a success. */
export const errorCode = (result: { ok: boolean; error?: { code: string } }): string => {
  expect(result.ok).toBe(false);
  return result.error?.code ?? '(no error)';
};
