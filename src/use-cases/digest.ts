import { calendarDaysBetween, localDate } from '../domain/clocks.ts';
import { OPEN_STATUSES, type Report, SEVERITIES } from '../domain/report.ts';
import { STATUS_LABELS } from '../domain/status-machine.ts';
import { maskText } from '../security/sensitive-data.ts';
import { actorName, formatSeverity, SEVERITY_LABELS } from '../views/format.ts';
import type { CoreDeps } from './context.ts';

export interface DigestItem {
  /** The report the line is about, so a renderer can link to its card. */
  readonly reportId: string | null;
  readonly text: string;
}

export interface DigestSection {
  readonly heading: string;
  readonly items: readonly DigestItem[];
}

export interface DigestView {
  readonly title: string;
  readonly day: string;
  readonly sections: readonly DigestSection[];
  /** The same content flattened to lines, for text-only destinations. */
  readonly lines: readonly string[];
}

const DIGEST_SCAN_LIMIT = 5000;

const item = (report: Report, due: string): DigestItem => ({
  reportId: report.id,
  text: `${report.id} · ${formatSeverity(report.severity, report.cvssScore, report.cvssVector)} · ${actorName(report.assignee)} · due ${due} · ${maskText(report.title)}`,
});
const note = (text: string): DigestItem => ({ reportId: null, text });

/** Builds the daily digest from open reports only, so its cost follows open work, not history. */
export const digestFromReports = (reports: readonly Report[], now: Date, timeZone: string): DigestView => {
  const today = localDate(now, timeZone);
  const section = (heading: string, list: [Report, string][]): DigestSection => ({
    heading,
    items: list.map(([report, due]) => item(report, due)),
  });
  const ackOverdue = reports.filter((r) => r.status === 'new' && r.ackDueAt < now);
  const ackToday = reports.filter(
    (r) => r.status === 'new' && r.ackDueAt >= now && localDate(r.ackDueAt, timeZone) === today,
  );
  const triageOverdue = reports.filter(
    (r) => ['new', 'acknowledged', 'needs_info'].includes(r.status) && r.triageDueAt < now,
  );
  const remediationMissed = reports
    .filter((r) => r.remediationDueOn !== null && r.fixedAt === null && r.remediationDueOn < today)
    .sort((a, b) => SEVERITIES.indexOf(a.severity ?? 'none') - SEVERITIES.indexOf(b.severity ?? 'none'));
  const daysToDisclosure = new Map(reports.map((r) => [r, calendarDaysBetween(today, r.disclosureOn)]));
  const disclosureSoon = (from: number, to: number) =>
    reports.filter((r) => {
      const days = daysToDisclosure.get(r) ?? Number.NaN;
      return days >= from && days <= to;
    });
  const disclosurePassed = reports.filter((r) => r.disclosureOn < today);
  const sections = [
    section(
      'Acknowledgement overdue',
      ackOverdue.map((r) => [r, localDate(r.ackDueAt, timeZone)]),
    ),
    section(
      'Acknowledgement due today',
      ackToday.map((r) => [r, localDate(r.ackDueAt, timeZone)]),
    ),
    section(
      'Triage overdue',
      triageOverdue.map((r) => [r, localDate(r.triageDueAt, timeZone)]),
    ),
    section(
      'Remediation target missed',
      remediationMissed.map((r) => [r, r.remediationDueOn ?? '']),
    ),
    section(
      'Disclosure within 1 day',
      disclosureSoon(0, 1).map((r) => [r, r.disclosureOn]),
    ),
    section(
      'Disclosure within 7 days',
      disclosureSoon(2, 7).map((r) => [r, r.disclosureOn]),
    ),
    section(
      'Disclosure within 14 days',
      disclosureSoon(8, 14).map((r) => [r, r.disclosureOn]),
    ),
    section(
      'Disclosure date passed, not disclosed',
      disclosurePassed.map((r) => [r, r.disclosureOn]),
    ),
  ].filter((s) => s.items.length > 0);
  const byStatus = OPEN_STATUSES.map(
    (s) => [STATUS_LABELS[s], reports.filter((r) => r.status === s).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label}: ${n}`);
  const bySeverity = [...SEVERITIES, null]
    .map(
      (s) =>
        [
          s === null ? 'Not set' : SEVERITY_LABELS[s],
          reports.filter((r) => r.severity === s).length,
        ] as const,
    )
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${label}: ${n}`);
  const counts: DigestSection = {
    heading: 'Open reports',
    items:
      reports.length === 0
        ? [note('none')]
        : [note(`By status: ${byStatus.join(', ')}`), note(`By severity: ${bySeverity.join(', ')}`)],
  };
  const all =
    sections.length === 0
      ? [{ heading: 'Nothing due', items: [note('Nothing is due or overdue today.')] }, counts]
      : [...sections, counts];
  const lines = all.flatMap((s) => [`${s.heading}:`, ...s.items.map((i) => `  • ${i.text}`)]);
  return { title: `Security digest for ${today}`, day: today, sections: all, lines };
};

export const buildDigest = async (deps: CoreDeps): Promise<DigestView> => {
  const open = await deps.store.reports.list({ statuses: OPEN_STATUSES, limit: DIGEST_SCAN_LIMIT });
  return digestFromReports(open, deps.now(), deps.policy.timeZone);
};
