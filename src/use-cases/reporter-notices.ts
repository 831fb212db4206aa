import type { OutOfScopeReason, Report } from '../domain/report.ts';
import { STATUS_LABELS } from '../domain/status-machine.ts';
import { OUT_OF_SCOPE_WORDING } from '../views/closing-wording.ts';
import type { ReporterNotice } from '../views/reporter-notice.ts';

const notice = (
  report: Report,
  kind: ReporterNotice['kind'],
  lines: readonly string[],
  canReply = false,
): ReporterNotice => ({ kind, reportId: report.id, title: report.title, lines, canReply });

export const acknowledgedNotice = (report: Report): ReporterNotice =>
  notice(report, 'acknowledged', [
    `The security team has acknowledged ${report.id} and is looking into it.`,
    `Planned disclosure date: ${report.disclosureOn}.`,
  ]);

export const needsInfoNotice = (report: Report, question: string): ReporterNotice =>
  notice(
    report,
    'needs_info',
    [
      `The security team needs more information about ${report.id}.`,
      ...(question ? [`Their question: ${question}`] : []),
      'Use the Reply button to answer; your answer goes straight to the team.',
    ],
    true,
  );

const STATUS_MESSAGES: Partial<Record<Report['status'], string>> = {
  acknowledged: 'is back with the security team.',
  triaged: 'has been triaged: the team confirmed it and is planning a fix.',
  fixing: 'is being fixed.',
  fixed: 'has been fixed. Thank you for helping keep our users safe.',
  disclosed: 'has been publicly disclosed.',
  informative: 'has been closed as informative: thank you, no fix is planned.',
  not_applicable: 'has been closed as not applicable.',
  spam: 'has been closed.',
};

export const statusNotice = (report: Report): ReporterNotice => {
  const message = STATUS_MESSAGES[report.status] ?? `is now ${STATUS_LABELS[report.status]}.`;
  const kind =
    report.status === 'informative' || report.status === 'not_applicable' || report.status === 'spam'
      ? 'closed'
      : 'status_changed';
  return notice(report, kind, [`Your report ${report.id} ${message}`]);
};

export const outOfScopeNotice = (report: Report, reason: OutOfScopeReason): ReporterNotice =>
  notice(report, 'closed', [`Your report ${report.id} has been closed.`, OUT_OF_SCOPE_WORDING[reason]]);

export const duplicateNotice = (report: Report): ReporterNotice =>
  notice(report, 'closed', [
    `Your report ${report.id} has been closed as a duplicate of an issue the team already knows about. Thank you for reporting it.`,
  ]);

export const disclosureNotice = (report: Report, previous: string): ReporterNotice =>
  notice(report, 'disclosure_changed', [
    `The planned disclosure date of ${report.id} moved from ${previous} to ${report.disclosureOn}.`,
  ]);

export const messageNotice = (report: Report, text: string): ReporterNotice =>
  notice(report, 'message', [`The security team wrote about ${report.id}:`, text], true);
