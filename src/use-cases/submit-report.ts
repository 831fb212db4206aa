import { clocksForReceipt } from '../domain/clocks.ts';
import type { Actor, ReportSubmission } from '../domain/report.ts';
import { type AppError, fail, ok, type Result } from '../domain/result.ts';
import { type SubmissionErrors, validateSubmission } from '../domain/submission.ts';
import { formatReportId } from '../domain/tracking-id.ts';
import type { StoredReport } from '../ports/store.ts';
import { maskSensitive, secretKinds } from '../security/sensitive-data.ts';
import { formatDueInstant } from '../views/format.ts';
import type { ReporterNotice } from '../views/reporter-notice.ts';
import { type CoreDeps, queueCardUpdate, queueReporterNotice, storableText } from './context.ts';

export interface SubmitRequest {
  readonly reporter: Actor;
  readonly submission: ReportSubmission;
  /** A platform key for this submission (view ID, interaction ID): the same key files one report. */
  readonly submissionKey: string | null;
}

export interface SubmitOutcome {
  readonly report: StoredReport;
  /** False when the same submission had already been stored. */
  readonly created: boolean;
  readonly confirmation: ReporterNotice;
}

const HOUR_MS = 3_600_000;

/** Tells the reporter to rotate any secret found in what they sent. */
const secretWarning = (report: StoredReport): string[] => {
  const kinds = secretKinds(
    [report.title, report.description, report.impact, report.severityGuess].flatMap(
      (t) => maskSensitive(t).findings,
    ),
  );
  return kinds.length === 0
    ? []
    : [
        `Your report seems to contain a secret (${kinds.join(', ')}). We hide it in our chat channels, but please revoke or rotate it now: treat it as exposed.`,
      ];
};

const confirmationFor = (report: StoredReport, deps: CoreDeps): ReporterNotice => ({
  kind: 'received',
  reportId: report.id,
  title: report.title,
  lines: [
    `Thank you. Your report is filed as ${report.id}. Keep this ID to follow it up.`,
    `What happens next: the security team acknowledges it by ${formatDueInstant(report.ackDueAt, report.receivedAt, deps.policy.timeZone)} and keeps you updated here.`,
    `Planned public disclosure date: ${report.disclosureOn}. Please keep the details private until then.`,
    'Use `/report-vuln status` to see your reports.',
    ...secretWarning(report),
  ],
  canReply: false,
});

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
  return deps.store.transaction(async (repos) => {
    if (request.submissionKey !== null) {
      const existing = await repos.reports.findBySubmissionKey(request.submissionKey);
      if (existing)
        return ok({ report: existing, created: false, confirmation: confirmationFor(existing, deps) });
    }
    if (deps.reportsPerHour > 0) {
      const recent = await repos.reports.countByReporterSince(
        request.reporter,
        new Date(now.getTime() - HOUR_MS),
      );
      if (recent >= deps.reportsPerHour) {
        return fail(
          'report.rate_limited',
          `You have filed ${recent} reports in the last hour, the most we accept. Your text is not lost: copy it and try again later, or contact the security team directly.`,
        );
      }
    }
    const number = await repos.reports.nextNumber();
    const { policyAccepted: _accepted, ...fields } = valid.value;
    const report: StoredReport = {
      ...fields,
      id: formatReportId(deps.policy.reportIdPrefix, number),
      number,
      reporter: request.reporter,
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
    };
    await repos.reports.insert(report);
    await queueCardUpdate(deps, repos, report, now, true);
    const confirmation = confirmationFor(report, deps);
    await queueReporterNotice(repos, report, confirmation, now);
    // Last, because appending takes the audit chain's lock until the transaction commits.
    await repos.audit.append({
      reportId: report.id,
      actor: request.reporter,
      action: 'report.submitted',
      before: {},
      after: { status: 'new', asset: report.asset, disclosureOn: report.disclosureOn },
      at: now,
    });
    return ok({ report, created: true, confirmation });
  });
};
