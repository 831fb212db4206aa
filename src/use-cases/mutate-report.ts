import type { Actor, Report } from '../domain/report.ts';
import { type AppError, fail, ok, type Result } from '../domain/result.ts';
import { parseReportId } from '../domain/tracking-id.ts';
import type { NewOutboxMessage, Repositories, StoredReport } from '../ports/store.ts';
import { maskText } from '../security/sensitive-data.ts';
import type { ReporterNotice } from '../views/reporter-notice.ts';
import { type CoreDeps, cardUpdateMessages, diffReports, reporterNoticeMessage } from './context.ts';

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

/** A decision, and the writes it made (null when it changed nothing): settled when they are. */
interface Attempt {
  readonly result: Result<ActionOutcome, AppError>;
  readonly writes: Promise<unknown>;
}

const NOTHING_WRITTEN: Promise<null> = Promise.resolve(null);

const refused = (result: Result<ActionOutcome, AppError>): Attempt => ({ result, writes: NOTHING_WRITTEN });

/** Thrown out of a transaction to roll it back, carrying the refusal to answer with. */
class RolledBackRefusal extends Error {
  constructor(readonly refusal: Result<ActionOutcome, AppError>) {
    super('triage change refused');
  }
}

const withoutKey = (report: StoredReport): Report => {
  const { submissionKey: _key, ...rest } = report;
  return rest;
};

/** The reply under the report's card in every triage channel. */
const threadNoteMessages = (deps: CoreDeps, reportId: string, text: string, at: Date): NewOutboxMessage[] =>
  deps.triagePlatforms.map((platform) => ({
    platform,
    destination: 'triage',
    reportId,
    payload: { type: 'thread_note', text },
    createdAt: at,
  }));

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
  const key = options.requestKey ?? null;
  const attempt = deps.store.transaction(async (repos): Promise<Attempt> => {
    // The request key goes out with the locked read, in the same round trip. A refusal must not keep
    // the key (a corrected retry has to go through), so once a key is recorded, refusing rolls back.
    const [report, first] = await Promise.all([
      repos.reports.findById(id, { forUpdate: true }),
      key === null ? true : repos.replays.firstSeen(key, now),
    ]);
    const refuse = (refusal: Result<ActionOutcome, AppError>): Attempt => {
      if (key !== null) throw new RolledBackRefusal(refusal);
      return refused(refusal);
    };
    if (!report) return refuse(notFound(rawId));
    const current = withoutKey(report);
    if (!first) return refused(ok({ report: current, message: REPLAYED_MESSAGE, replayed: true }));
    const decided = decide(current, now);
    if (!decided.ok) return refuse(decided);
    const change = decided.value;
    if (change.verify) {
      const verified = await change.verify(repos);
      if (!verified.ok) return refuse(verified);
    }
    const after: Report = { ...change.after, updatedAt: now };
    const diff = diffReports(current, after);
    // The writes are issued in this order and not awaited here, so COMMIT follows them in the same
    // write to the server. The audit append is last: it takes the audit chain's lock, which COMMIT
    // then releases without waiting for a round trip to this process. Their outcome is checked after
    // COMMIT: when one failed, the server turned that COMMIT into a ROLLBACK, and this call fails.
    const written = Promise.all([
      repos.reports.update(after),
      repos.outbox.enqueueMany([
        ...cardUpdateMessages(deps, after, now),
        ...threadNoteMessages(deps, id, change.note, now),
        ...(change.notice ? [reporterNoticeMessage(after, change.notice, now)] : []),
      ]),
      repos.audit.append({
        reportId: id,
        actor,
        action: change.action,
        before: diff.before,
        after: { ...diff.after, ...change.details },
        at: now,
      }),
    ]).then(
      () => null,
      (error: unknown) => error ?? new Error('triage change not stored'),
    );
    // The private answer mirrors the thread note, masked like it: what the actor typed may hold a secret.
    return { result: ok({ report: after, message: maskText(change.note) }), writes: written };
  });
  const { result, writes } = await attempt.catch((error: unknown) => {
    if (error instanceof RolledBackRefusal) return refused(error.refusal);
    throw error;
  });
  const failure = await writes;
  if (failure !== null) throw failure;
  return result;
};
