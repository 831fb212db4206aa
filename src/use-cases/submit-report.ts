import { clocksForReceipt } from '../domain/clocks.ts';
import type { Actor, ReportSubmission } from '../domain/report.ts';
import type { AppError, Result } from '../domain/result.ts';
import { type SubmissionErrors, validateSubmission } from '../domain/submission.ts';
import { type CoreDeps, storableText } from './context.ts';
import { fileReport, type SubmitOutcome } from './file-reports.ts';

export type { SubmitOutcome } from './file-reports.ts';

export interface SubmitRequest {
  readonly reporter: Actor;
  readonly submission: ReportSubmission;
  /** A platform key for this submission (view ID, interaction ID): the same key files one report. */
  readonly submissionKey: string | null;
}

/**
 * Validates a submission and files it. Concurrent submissions are written together in one
 * transaction (see file-reports.ts); each caller gets its own outcome, after its report is committed.
 */
export const submitReport = async (
  deps: CoreDeps,
  request: SubmitRequest,
): Promise<Result<SubmitOutcome, AppError & Partial<SubmissionErrors>>> => {
  const { submission } = request;
  const valid = validateSubmission(
    {
      ...submission,
      title: storableText(submission.title),
      description: storableText(submission.description),
      impact: storableText(submission.impact),
      severityGuess: storableText(submission.severityGuess),
    },
    deps.policy,
  );
  if (!valid.ok) return valid;
  const now = deps.now();
  const reporter: Actor = {
    ...request.reporter,
    displayName: storableText(request.reporter.displayName),
  };
  const { policyAccepted: _accepted, ...fields } = valid.value;
  return fileReport({
    deps,
    submissionKey: request.submissionKey,
    reporter,
    receivedAt: now,
    fields: {
      ...fields,
      reporter,
      policyAcceptedAt: now,
      status: 'new',
      statusBeforeNeedsInfo: null,
      severity: null,
      cvssVector: null,
      cvssScore: null,
      assignee: null,
      duplicateOf: null,
      outOfScopeReason: null,
      closeNote: null,
      receivedAt: now,
      acknowledgedAt: null,
      triagedAt: null,
      fixedAt: null,
      disclosedAt: null,
      remediationDueOn: null,
      ...clocksForReceipt(now, deps.policy),
      updatedAt: now,
      submissionKey: request.submissionKey,
    },
  });
};
