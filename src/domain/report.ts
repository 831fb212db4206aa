export const PLATFORMS = ['slack', 'discord', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const OPEN_STATUSES = ['new', 'acknowledged', 'needs_info', 'triaged', 'fixing', 'fixed'] as const;
export const CLOSED_STATUSES = [
  'out_of_scope',
  'duplicate',
  'informative',
  'not_applicable',
  'spam',
] as const;
export const STATUSES = [...OPEN_STATUSES, 'disclosed', ...CLOSED_STATUSES] as const;
export type Status = (typeof STATUSES)[number];
export type ClosedStatus = (typeof CLOSED_STATUSES)[number];

export const OUT_OF_SCOPE_REASONS = [
  'denial_of_service',
  'compromised_credential',
  'third_party',
  'other',
] as const;
export type OutOfScopeReason = (typeof OUT_OF_SCOPE_REASONS)[number];

/** Someone acting through a chat platform (or the console). */
export interface Actor {
  readonly platform: Platform;
  readonly userId: string;
  readonly displayName: string;
}

/** What a reporter submits through the intake form. */
export interface ReportSubmission {
  readonly title: string;
  readonly asset: string;
  readonly description: string;
  readonly impact: string;
  /** A severity word or a CVSS vector, as the reporter typed it; empty when not given. */
  readonly severityGuess: string;
  readonly policyAccepted: boolean;
}

export interface Report {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly asset: string;
  readonly description: string;
  readonly impact: string;
  readonly severityGuess: string;
  readonly reporter: Actor;
  readonly policyAcceptedAt: Date;
  readonly status: Status;
  /** The status a needs_info report returns to. */
  readonly statusBeforeNeedsInfo: Status | null;
  readonly severity: Severity | null;
  readonly cvssVector: string | null;
  readonly cvssScore: number | null;
  readonly assignee: Actor | null;
  readonly duplicateOf: string | null;
  readonly outOfScopeReason: OutOfScopeReason | null;
  readonly closeNote: string | null;
  readonly receivedAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly triagedAt: Date | null;
  readonly fixedAt: Date | null;
  readonly disclosedAt: Date | null;
  readonly ackDueAt: Date;
  readonly triageDueAt: Date;
  /** Calendar dates (YYYY-MM-DD) in the configured time zone. */
  readonly remediationDueOn: string | null;
  readonly disclosureOn: string;
  readonly updatedAt: Date;
}

export const isClosed = (status: Status): boolean => (CLOSED_STATUSES as readonly string[]).includes(status);

export const isOpen = (status: Status): boolean => (OPEN_STATUSES as readonly string[]).includes(status);

export const sameActor = (a: Actor | null, b: Actor | null): boolean =>
  a !== null && b !== null && a.platform === b.platform && a.userId === b.userId;
