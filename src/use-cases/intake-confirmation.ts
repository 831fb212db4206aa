import type { StoredReport } from '../ports/store.ts';
import { maskSensitive, secretKinds } from '../security/sensitive-data.ts';
import { formatDueInstant } from '../views/format.ts';
import type { ReporterNotice } from '../views/reporter-notice.ts';
import type { CoreDeps } from './context.ts';

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

/** What the reporter sees once the report is stored: its ID, what happens next, and any secret warning. */
export const confirmationFor = (report: StoredReport, deps: CoreDeps): ReporterNotice => ({
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
