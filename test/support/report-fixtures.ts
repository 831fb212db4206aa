import type { Actor } from '../../src/domain/report.ts';
import { formatReportId } from '../../src/domain/tracking-id.ts';
import type { StoredReport } from '../../src/ports/store.ts';

const RECEIVED = new Date('2026-11-26T09:00:00.000Z');

/** A freshly filed report as the repositories store it; every nullable field is null. */
export const storedReport = (
  number: number,
  overrides: Partial<StoredReport> & { readonly reporter?: Actor } = {},
): StoredReport => ({
  id: formatReportId('VULN', number),
  number,
  submissionKey: null,
  title: `Report ${number}`,
  asset: 'api.example.com',
  description: 'Steps to reproduce',
  impact: 'Impact',
  severityGuess: '',
  reporter: { platform: 'discord', userId: '123456', displayName: 'rita' },
  policyAcceptedAt: RECEIVED,
  status: 'new',
  statusBeforeNeedsInfo: null,
  severity: null,
  cvssVector: null,
  cvssScore: null,
  assignee: null,
  duplicateOf: null,
  outOfScopeReason: null,
  closeNote: null,
  receivedAt: RECEIVED,
  acknowledgedAt: null,
  triagedAt: null,
  fixedAt: null,
  disclosedAt: null,
  ackDueAt: new Date('2026-11-30T09:00:00.000Z'),
  triageDueAt: new Date('2026-12-03T09:00:00.000Z'),
  remediationDueOn: null,
  disclosureOn: '2027-02-24',
  updatedAt: RECEIVED,
  ...overrides,
});

/** A report with every field set, each to a value that differs from `storedReport`'s. */
export const fullyPopulatedReport = (number: number): StoredReport =>
  storedReport(number, {
    submissionKey: `view-${number}`,
    title: 'Stored XSS — “quotes”, emoji 🔓 and <b>markup</b>',
    asset: 'web app',
    description: 'Line one\nLine two\twith a tab',
    impact: 'Session theft',
    severityGuess: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
    reporter: { platform: 'slack', userId: 'URITA', displayName: 'Rita R.' },
    policyAcceptedAt: new Date('2026-11-26T08:59:59.123Z'),
    status: 'needs_info',
    statusBeforeNeedsInfo: 'triaged',
    severity: 'medium',
    cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
    cvssScore: 6.1,
    assignee: { platform: 'discord', userId: '42', displayName: 'Bob B.' },
    duplicateOf: 'VULN-0001',
    outOfScopeReason: 'third_party',
    closeNote: 'A note on closing',
    receivedAt: new Date('2026-11-26T09:00:00.456Z'),
    acknowledgedAt: new Date('2026-11-27T10:11:12.789Z'),
    triagedAt: new Date('2026-11-28T00:00:00.001Z'),
    fixedAt: new Date('2026-12-01T23:59:59.999Z'),
    disclosedAt: new Date('2027-02-28T12:00:00.000Z'),
    ackDueAt: new Date('2026-11-30T09:00:00.456Z'),
    triageDueAt: new Date('2026-12-03T09:00:00.456Z'),
    remediationDueOn: '2028-02-29',
    disclosureOn: '2027-12-31',
    updatedAt: new Date('2026-12-02T03:04:05.006Z'),
  });
