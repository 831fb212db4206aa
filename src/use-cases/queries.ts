import { localDate } from '../domain/clocks.ts';
import { type Actor, OPEN_STATUSES, type Report } from '../domain/report.ts';
import { ok, type Result } from '../domain/result.ts';
import { STATUS_LABELS } from '../domain/status-machine.ts';
import { parseReportId } from '../domain/tracking-id.ts';
import type { StoredReport } from '../ports/store.ts';
import { maskText } from '../security/sensitive-data.ts';
import { actorName, formatSeverity } from '../views/format.ts';
import { type TriageCardView, triageCardView } from '../views/triage-card.ts';
import type { CoreDeps } from './context.ts';
import { notFound, requireTriager } from './mutate-report.ts';

export type ListFilter = 'open' | 'overdue' | 'mine';

export interface ReportLine {
  readonly reportId: string;
  readonly text: string;
}

const LIST_LIMIT = 50;

const strip = ({ submissionKey: _key, ...report }: StoredReport): Report => report;

export const reportLine = (report: Report): ReportLine => ({
  reportId: report.id,
  text: `${report.id} · ${STATUS_LABELS[report.status]} · ${formatSeverity(report.severity, report.cvssScore, report.cvssVector)} · ${actorName(report.assignee)} · ${maskText(report.title)}`,
});

/** What is late right now: acknowledgement, triage, remediation target or disclosure date. */
export const overdueReasons = (report: Report, now: Date, timeZone: string): string[] => {
  const today = localDate(now, timeZone);
  const reasons: string[] = [];
  if (report.status === 'new' && report.ackDueAt < now) reasons.push('acknowledgement overdue');
  if (['new', 'acknowledged', 'needs_info'].includes(report.status) && report.triageDueAt < now) {
    reasons.push('triage overdue');
  }
  if (report.remediationDueOn && report.fixedAt === null && report.remediationDueOn < today) {
    reasons.push('remediation target missed');
  }
  if (report.status !== 'disclosed' && report.disclosureOn < today) reasons.push('disclosure date passed');
  return reasons;
};

export const showReport = async (
  deps: CoreDeps,
  actor: Actor,
  rawId: string,
): Promise<Result<{ readonly report: Report; readonly card: TriageCardView }>> => {
  const allowed = await requireTriager(deps, actor);
  if (!allowed.ok) return allowed;
  const id = parseReportId(deps.policy.reportIdPrefix, rawId);
  const report = id === null ? null : await deps.store.reports.findById(id);
  if (!report) return notFound(rawId);
  return ok({ report: strip(report), card: triageCardView(report, deps.policy, deps.now()) });
};

export const listReports = async (
  deps: CoreDeps,
  actor: Actor,
  filter: ListFilter,
): Promise<Result<readonly ReportLine[]>> => {
  const allowed = await requireTriager(deps, actor);
  if (!allowed.ok) return allowed;
  const now = deps.now();
  const reports = await deps.store.reports.list({
    statuses: OPEN_STATUSES,
    ...(filter === 'mine' ? { assignee: actor } : {}),
    limit: filter === 'overdue' ? 1000 : LIST_LIMIT,
  });
  if (filter !== 'overdue') return ok(reports.map(reportLine));
  const late = reports
    .map((report) => ({ report, reasons: overdueReasons(report, now, deps.policy.timeZone) }))
    .filter((entry) => entry.reasons.length > 0)
    .slice(0, LIST_LIMIT);
  return ok(
    late.map(({ report, reasons }) => ({
      reportId: report.id,
      text: `${reportLine(report).text} · ${reasons.join(', ')}`,
    })),
  );
};

/** A reporter's own reports; nobody else's, whatever they ask. */
export const reporterReports = async (deps: CoreDeps, reporter: Actor): Promise<readonly ReportLine[]> => {
  const reports = await deps.store.reports.list({ reporter, limit: LIST_LIMIT });
  return reports.map((report) => ({
    reportId: report.id,
    text: `${report.id} · ${STATUS_LABELS[report.status]} · received ${localDate(report.receivedAt, deps.policy.timeZone)} · disclosure ${report.disclosureOn} · ${maskText(report.title)}`,
  }));
};

/** The full, unmasked report text, shown privately to a triager and audited. */
export const revealReport = async (deps: CoreDeps, actor: Actor, rawId: string): Promise<Result<Report>> => {
  const allowed = await requireTriager(deps, actor);
  if (!allowed.ok) return allowed;
  const id = parseReportId(deps.policy.reportIdPrefix, rawId);
  if (id === null) return notFound(rawId);
  const now = deps.now();
  return deps.store.transaction(async (repos) => {
    const report = await repos.reports.findById(id);
    if (!report) return notFound(rawId);
    await repos.audit.append({
      reportId: id,
      actor,
      action: 'report.revealed',
      before: {},
      after: {},
      at: now,
    });
    return ok(strip(report));
  });
};
