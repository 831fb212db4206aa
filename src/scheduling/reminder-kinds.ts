import { daysUntil } from '../domain/clocks.ts';
import type { Report } from '../domain/report.ts';

export interface DueReminder {
  /** Unique per report: the same kind is announced once (disclosure ones per date). */
  readonly kind: string;
  readonly text: string;
}

const DISCLOSURE_WARNINGS = [14, 7, 1] as const;

/** The reminders a report is due for now: overdue acknowledgement or triage, and disclosure approaching. */
export const dueReminders = (report: Report, now: Date, timeZone: string): DueReminder[] => {
  const due: DueReminder[] = [];
  if (report.status === 'new' && report.ackDueAt < now) {
    due.push({
      kind: 'ack_overdue',
      text: `${report.id} has not been acknowledged and its acknowledgement is overdue.`,
    });
  }
  if (['new', 'acknowledged', 'needs_info'].includes(report.status) && report.triageDueAt < now) {
    due.push({
      kind: 'triage_overdue',
      text: `${report.id} has not been triaged and its triage deadline has passed.`,
    });
  }
  if (report.status !== 'disclosed') {
    const days = daysUntil(report.disclosureOn, now, timeZone);
    const threshold = DISCLOSURE_WARNINGS.filter((d) => days <= d && days >= 0).at(-1);
    if (threshold !== undefined) {
      due.push({
        kind: `disclosure_${threshold}d:${report.disclosureOn}`,
        text: `${report.id} is due for public disclosure on ${report.disclosureOn} (${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}).`,
      });
    }
  }
  return due;
};
