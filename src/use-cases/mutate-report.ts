import type { Actor, Report } from '../domain/report.ts';
import { type AppError, fail, ok, type Result } from '../domain/result.ts';
import { parseReportId } from '../domain/tracking-id.ts';
import type { Repositories } from '../ports/store.ts';
import { maskText } from '../security/sensitive-data.ts';
import type { ReporterNotice } from '../views/reporter-notice.ts';
import {
  type CoreDeps,
  diffReports,
  queueCardUpdate,
  queueReporterNotice,
  queueThreadNote,
} from './context.ts';

/** What one triage action changes: the new state, its audit name, the thread note and any reporter notice. */
export interface ReportChange {
  readonly after: Report;
  readonly action: string;
  readonly note: string;
  readonly notice?: ReporterNotice;
  /** Recorded in the audit event beside the changed fields (e.g. the text of a note). */
  readonly details?: Record<string, unknown>;
  /** Extra work inside the same transaction (e.g. checking another report exists). */
  readonly verify?: (repos: Repositories) => Promise<Result<true>>;
}

export interface ActionOutcome {
  readonly report: Report;
  /** A short private answer for the person who acted. */
  readonly message: string;
  /** True when the request had been carried out before (a replay): nothing was changed or sent again. */
  readonly replayed?: boolean;
}

/**
 * A platform key naming one user request (e.g. a Slack view ID). Recorded in the same transaction as the
 * change it made, so a replay changes nothing, while a retry after a refusal or a failure still goes through.
 */
export interface RequestOptions {
  readonly requestKey?: string | null;
}

export const REPLAYED_MESSAGE = 'This request was already carried out; nothing was done again.';

export const notFound = (input: string): Result<never> =>
  fail(
    'report.not_found',
    `No report ${input.trim() || '(empty ID)'} exists. Check the ID (e.g. VULN-0001).`,
  );

export const requireTriager = async (deps: CoreDeps, actor: Actor): Promise<Result<true>> =>
  (await deps.authorizer.isTriager(actor))
    ? ok(true)
    : fail('auth.not_triager', 'Only the security triage team can do that. Nothing was changed.');

/**
 * The one path every triage change takes: authorize, lock the report, decide, then write the report,
 * its audit event, the card update, the thread note and the reporter notice in one transaction.
 */
export const mutateReport = async (
  deps: CoreDeps,
  actor: Actor,
  rawId: string,
  decide: (report: Report, now: Date) => Result<ReportChange>,
  options: RequestOptions = {},
): Promise<Result<ActionOutcome, AppError>> => {
  const allowed = await requireTriager(deps, actor);
  if (!allowed.ok) return allowed;
  const id = parseReportId(deps.policy.reportIdPrefix, rawId);
  if (id === null) return notFound(rawId);
  const now = deps.now();
  return deps.store.transaction(async (repos) => {
    const report = await repos.reports.findById(id, { forUpdate: true });
    if (!report) return notFound(rawId);
    const { submissionKey: _key, ...current } = report;
    const decided = decide(current, now);
    if (!decided.ok) return decided;
    const change = decided.value;
    if (change.verify) {
      const verified = await change.verify(repos);
      if (!verified.ok) return verified;
    }
    if (options.requestKey && !(await repos.replays.firstSeen(options.requestKey, now))) {
      return ok({ report: current, message: REPLAYED_MESSAGE, replayed: true });
    }
    const after: Report = { ...change.after, updatedAt: now };
    const diff = diffReports(current, after);
    await repos.reports.update(after);
    await queueCardUpdate(deps, repos, after, now);
    await queueThreadNote(deps, repos, id, change.note, now);
    if (change.notice) await queueReporterNotice(repos, after, change.notice, now);
    // Last, because appending takes the audit chain's lock until the transaction commits.
    await repos.audit.append({
      reportId: id,
      actor,
      action: change.action,
      before: diff.before,
      after: { ...diff.after, ...change.details },
      at: now,
    });
    // The private answer mirrors the thread note, masked like it: what the actor typed may hold a secret.
    return ok({ report: after, message: maskText(change.note) });
  });
};
