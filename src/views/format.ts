import { TZDate } from '@date-fns/tz/date';
import { format } from 'date-fns/format';
import { daysUntil } from '../domain/clocks.ts';
import type { Actor, Severity } from '../domain/report.ts';

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'None',
};

export const formatInstant = (instant: Date, timeZone: string): string =>
  `${format(new TZDate(instant.getTime(), timeZone), 'yyyy-MM-dd HH:mm')} ${timeZone}`;

export const formatDayWithCountdown = (day: string, now: Date, timeZone: string): string => {
  const days = daysUntil(day, now, timeZone);
  if (days === 0) return `${day} (today)`;
  if (days > 0) return `${day} (in ${days} day${days === 1 ? '' : 's'})`;
  return `${day} (${-days} day${days === -1 ? '' : 's'} ago)`;
};

export const formatDueInstant = (due: Date, now: Date, timeZone: string): string => {
  const text = formatInstant(due, timeZone);
  return due.getTime() < now.getTime() ? `${text} (overdue)` : text;
};

export const actorName = (actor: Actor | null): string => (actor ? actor.displayName : 'unassigned');

export const formatSeverity = (
  severity: Severity | null,
  score: number | null,
  vector: string | null,
): string => {
  if (severity === null) return 'Not set';
  if (score === null || vector === null) return SEVERITY_LABELS[severity];
  const version = vector.startsWith('CVSS:4.0') ? '4.0' : '3.1';
  return `${SEVERITY_LABELS[severity]} (CVSS ${version} ${score.toFixed(1)})`;
};
