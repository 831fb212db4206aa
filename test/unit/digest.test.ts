import { describe, expect, it } from 'vitest';
import type { Actor, Report } from '../../src/domain/report.ts';
import { type DigestView, digestFromReports } from '../../src/use-cases/digest.ts';

// The fixed clock: Wednesday 10 March 2027, 12:00 UTC.
const NOW = new Date('2027-03-10T12:00:00Z');
const TODAY = '2027-03-10';

const rita: Actor = { platform: 'discord', userId: '123', displayName: 'rita' };
const alice: Actor = { platform: 'slack', userId: 'UALICE', displayName: 'alice' };

let counter = 0;

/**
 * A report received this morning with nothing due on the fixed day, whatever its status: acknowledgement
 * and triage deadlines still ahead, remediation and disclosure far away. Each test overrides only what it
 * is about.
 */
const report = (overrides: Partial<Report> = {}): Report => {
  counter += 1;
  const number = overrides.number ?? counter;
  return {
    id: `VULN-${String(number).padStart(4, '0')}`,
    number,
    title: `Report ${number}`,
    asset: 'api.example.com',
    description: 'Steps to reproduce',
    impact: 'Impact',
    severityGuess: '',
    reporter: rita,
    policyAcceptedAt: new Date('2027-03-10T09:00:00Z'),
    status: 'triaged',
    statusBeforeNeedsInfo: null,
    severity: 'medium',
    cvssVector: null,
    cvssScore: null,
    assignee: null,
    duplicateOf: null,
    outOfScopeReason: null,
    closeNote: null,
    receivedAt: new Date('2027-03-10T09:00:00Z'),
    acknowledgedAt: new Date('2027-03-10T10:00:00Z'),
    triagedAt: new Date('2027-03-10T11:00:00Z'),
    fixedAt: null,
    disclosedAt: null,
    ackDueAt: new Date('2027-03-12T09:00:00Z'),
    triageDueAt: new Date('2027-03-17T09:00:00Z'),
    remediationDueOn: '2027-05-31',
    disclosureOn: '2027-05-30',
    updatedAt: new Date('2027-03-10T11:00:00Z'),
    ...overrides,
  };
};

/** Heading → the report IDs listed under it (the ID is the first field of every item). */
const idsBySection = (view: DigestView): Record<string, string[]> =>
  Object.fromEntries(
    view.sections
      .filter((s) => s.heading !== 'Open reports')
      .map((s) => [s.heading, s.items.map((item) => item.text.split(' · ')[0] ?? '')]),
  );

const countsOf = (view: DigestView) =>
  view.sections.find((s) => s.heading === 'Open reports')?.items.map((i) => i.text);

const digest = (reports: Report[], now = NOW, timeZone = 'UTC') => digestFromReports(reports, now, timeZone);

describe('digest: a quiet day', () => {
  it('with no open reports, the digest says nothing is due and that there are no open reports', () => {
    const view = digest([]);
    expect(view.title).toBe(`Security digest for ${TODAY}`);
    expect(view.day).toBe(TODAY);
    expect(view.sections).toEqual([
      { heading: 'Nothing due', items: [{ reportId: null, text: 'Nothing is due or overdue today.' }] },
      { heading: 'Open reports', items: [{ reportId: null, text: 'none' }] },
    ]);
    expect(view.lines).toEqual([
      'Nothing due:',
      '  • Nothing is due or overdue today.',
      'Open reports:',
      '  • none',
    ]);
  });

  it('with open reports but nothing due, it says "Nothing due" and still gives the counts', () => {
    const view = digest([report({ number: 1 }), report({ number: 2, status: 'fixing', severity: 'high' })]);
    expect(view.sections.map((s) => s.heading)).toEqual(['Nothing due', 'Open reports']);
    expect(countsOf(view)).toEqual(['By status: Triaged: 1, Fixing: 1', 'By severity: High: 1, Medium: 1']);
  });
});

describe('digest: acknowledgements', () => {
  it('a new report past its acknowledgement deadline is listed as overdue, with its due date', () => {
    const late = report({ number: 1, status: 'new', ackDueAt: new Date('2027-03-09T09:00:00Z') });
    const view = digest([late]);
    expect(idsBySection(view)['Acknowledgement overdue']).toEqual(['VULN-0001']);
    expect(view.sections[0]?.items[0]?.text).toBe(
      'VULN-0001 · Medium · unassigned · due 2027-03-09 · Report 1',
    );
  });

  it('a deadline one millisecond ago is overdue, not due today', () => {
    const view = digest([report({ number: 1, status: 'new', ackDueAt: new Date(NOW.getTime() - 1) })]);
    expect(idsBySection(view)).toMatchObject({ 'Acknowledgement overdue': ['VULN-0001'] });
    expect(idsBySection(view)['Acknowledgement due today']).toBeUndefined();
  });

  it('a new report due later today is listed as due today, not overdue', () => {
    const view = digest([report({ number: 2, status: 'new', ackDueAt: new Date('2027-03-10T17:00:00Z') })]);
    expect(idsBySection(view)['Acknowledgement due today']).toEqual(['VULN-0002']);
    expect(idsBySection(view)['Acknowledgement overdue']).toBeUndefined();
  });

  it('a new report due exactly now is due today', () => {
    const view = digest([report({ number: 2, status: 'new', ackDueAt: NOW })]);
    expect(idsBySection(view)['Acknowledgement due today']).toEqual(['VULN-0002']);
  });

  it('a new report due tomorrow is not in the digest', () => {
    const view = digest([report({ number: 3, status: 'new', ackDueAt: new Date('2027-03-11T09:00:00Z') })]);
    expect(view.sections[0]?.heading).toBe('Nothing due');
  });

  it('an acknowledged report is never listed as an acknowledgement due, however late it was', () => {
    const view = digest([
      report({ number: 4, status: 'acknowledged', ackDueAt: new Date('2027-03-01T09:00:00Z') }),
      report({ number: 5, status: 'acknowledged', ackDueAt: new Date('2027-03-10T17:00:00Z') }),
    ]);
    expect(idsBySection(view)['Acknowledgement overdue']).toBeUndefined();
    expect(idsBySection(view)['Acknowledgement due today']).toBeUndefined();
  });

  it('"due today" follows the configured time zone: Tokyo is already on 11 March', () => {
    // 20:00 UTC on 10 March = 05:00 on 11 March in Tokyo; the deadline is 19:00 on 11 March in Tokyo.
    const now = new Date('2027-03-10T20:00:00Z');
    const due = report({ number: 6, status: 'new', ackDueAt: new Date('2027-03-11T10:00:00Z') });
    expect(idsBySection(digest([due], now, 'Asia/Tokyo'))['Acknowledgement due today']).toEqual([
      'VULN-0006',
    ]);
    expect(idsBySection(digest([due], now, 'UTC'))['Acknowledgement due today']).toBeUndefined();
    expect(digest([due], now, 'Asia/Tokyo').day).toBe('2027-03-11');
  });
});

describe('digest: triage', () => {
  const overdue = new Date('2027-03-09T09:00:00Z');

  it.each(['new', 'acknowledged', 'needs_info'] as const)(
    'a %s report past its triage deadline is listed as triage overdue',
    (status) => {
      const view = digest([report({ number: 7, status, triageDueAt: overdue })]);
      expect(idsBySection(view)['Triage overdue']).toEqual(['VULN-0007']);
    },
  );

  it.each(['triaged', 'fixing', 'fixed'] as const)('a %s report is never triage overdue', (status) => {
    const view = digest([report({ number: 8, status, triageDueAt: overdue })]);
    expect(idsBySection(view)['Triage overdue']).toBeUndefined();
  });

  it('a new report late on both clocks appears under both acknowledgement and triage overdue', () => {
    const view = digest([report({ number: 9, status: 'new', ackDueAt: overdue, triageDueAt: overdue })]);
    expect(idsBySection(view)).toEqual({
      'Acknowledgement overdue': ['VULN-0009'],
      'Triage overdue': ['VULN-0009'],
    });
  });

  it('a triage deadline later today is not yet overdue', () => {
    const view = digest([
      report({ number: 10, status: 'acknowledged', triageDueAt: new Date('2027-03-10T18:00:00Z') }),
    ]);
    expect(idsBySection(view)['Triage overdue']).toBeUndefined();
  });
});

describe('digest: remediation targets', () => {
  it('an unfixed report whose remediation date has passed is listed as missed, with the date', () => {
    const view = digest([report({ number: 11, severity: 'high', remediationDueOn: '2027-03-09' })]);
    expect(idsBySection(view)['Remediation target missed']).toEqual(['VULN-0011']);
    expect(view.sections[0]?.items[0]?.text).toContain('due 2027-03-09');
  });

  it('a remediation date of today is not missed yet', () => {
    const view = digest([report({ number: 12, remediationDueOn: TODAY })]);
    expect(idsBySection(view)['Remediation target missed']).toBeUndefined();
  });

  it('a fixed report is not listed as missed, even when it was fixed late', () => {
    const view = digest([
      report({
        number: 13,
        status: 'fixed',
        remediationDueOn: '2027-03-01',
        fixedAt: new Date('2027-03-05T00:00:00Z'),
      }),
    ]);
    expect(idsBySection(view)['Remediation target missed']).toBeUndefined();
  });

  it('a report without a remediation target (severity none or not set) is never missed', () => {
    const view = digest([report({ number: 14, severity: 'none', remediationDueOn: null })]);
    expect(idsBySection(view)['Remediation target missed']).toBeUndefined();
  });

  it('missed targets are listed most severe first', () => {
    const view = digest([
      report({ number: 15, severity: 'low', remediationDueOn: '2027-01-01' }),
      report({ number: 16, severity: 'critical', remediationDueOn: '2027-03-08' }),
      report({ number: 17, severity: 'medium', remediationDueOn: '2027-02-01' }),
      report({ number: 18, severity: 'high', remediationDueOn: '2027-03-01' }),
    ]);
    expect(idsBySection(view)['Remediation target missed']).toEqual([
      'VULN-0016',
      'VULN-0018',
      'VULN-0017',
      'VULN-0015',
    ]);
  });

  it('the item shows the CVSS score and the assignee when there are any', () => {
    const view = digest([
      report({
        number: 19,
        severity: 'high',
        cvssVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
        cvssScore: 8.1,
        assignee: alice,
        remediationDueOn: '2027-03-09',
        title: 'RCE in upload',
      }),
    ]);
    expect(view.sections[0]?.items.map((i) => i.reportId)).toEqual(['VULN-0019']);
    expect(view.sections[0]?.items.map((i) => i.text)).toEqual([
      'VULN-0019 · High (CVSS 3.1 8.1) · alice · due 2027-03-09 · RCE in upload',
    ]);
  });
});

describe('digest: disclosure dates', () => {
  // Days until disclosure from 10 March: 0 → 10 Mar, 1 → 11 Mar, 2 → 12 Mar, 7 → 17 Mar, 8 → 18 Mar,
  // 14 → 24 Mar, 15 → 25 Mar.
  it.each([
    ['2027-03-10', 0, 'Disclosure within 1 day'],
    ['2027-03-11', 1, 'Disclosure within 1 day'],
    ['2027-03-12', 2, 'Disclosure within 7 days'],
    ['2027-03-17', 7, 'Disclosure within 7 days'],
    ['2027-03-18', 8, 'Disclosure within 14 days'],
    ['2027-03-24', 14, 'Disclosure within 14 days'],
    ['2027-03-09', -1, 'Disclosure date passed, not disclosed'],
    ['2026-12-01', -99, 'Disclosure date passed, not disclosed'],
  ])('a disclosure date of %s (%d days away) is listed under "%s" only', (disclosureOn, _days, heading) => {
    const view = digest([report({ number: 20, disclosureOn })]);
    expect(idsBySection(view)).toEqual({ [heading]: ['VULN-0020'] });
  });

  it('a disclosure date 15 days away is not in the digest yet', () => {
    expect(digest([report({ number: 21, disclosureOn: '2027-03-25' })]).sections[0]?.heading).toBe(
      'Nothing due',
    );
  });

  it('a fixed report whose disclosure date has passed is still listed, since it is not disclosed', () => {
    const view = digest([report({ number: 22, status: 'fixed', fixedAt: NOW, disclosureOn: '2027-03-01' })]);
    expect(idsBySection(view)['Disclosure date passed, not disclosed']).toEqual(['VULN-0022']);
  });

  it('days are counted in the configured time zone', () => {
    // 20:00 UTC on 10 March is 11 March in Tokyo: a 12 March disclosure is 1 day away there, 2 in UTC.
    const now = new Date('2027-03-10T20:00:00Z');
    const soon = report({ number: 23, disclosureOn: '2027-03-12' });
    expect(idsBySection(digest([soon], now, 'Asia/Tokyo'))).toEqual({
      'Disclosure within 1 day': ['VULN-0023'],
    });
    expect(idsBySection(digest([soon], now, 'UTC'))).toEqual({ 'Disclosure within 7 days': ['VULN-0023'] });
  });
});

describe('digest: a busy day, all together', () => {
  const reports = [
    report({
      number: 1,
      status: 'new',
      severity: null,
      ackDueAt: new Date('2027-03-08T09:00:00Z'),
      triageDueAt: new Date('2027-03-12T09:00:00Z'),
    }),
    report({
      number: 2,
      status: 'new',
      severity: null,
      ackDueAt: new Date('2027-03-10T16:00:00Z'),
      triageDueAt: new Date('2027-03-15T09:00:00Z'),
    }),
    report({ number: 3, status: 'needs_info', triageDueAt: new Date('2027-03-05T09:00:00Z') }),
    report({ number: 4, status: 'fixing', severity: 'critical', remediationDueOn: '2027-03-07' }),
    report({ number: 5, status: 'triaged', severity: 'high', disclosureOn: '2027-03-11' }),
    report({ number: 6, status: 'fixing', severity: 'high', disclosureOn: '2027-03-15' }),
    report({ number: 7, status: 'fixed', severity: 'low', fixedAt: NOW, disclosureOn: '2027-03-20' }),
    report({ number: 8, status: 'fixed', severity: 'medium', fixedAt: NOW, disclosureOn: '2027-03-02' }),
    report({ number: 9, status: 'acknowledged', severity: 'none', remediationDueOn: null }),
  ];
  const view = digest(reports);

  it('each report lands in exactly the sections it belongs to, in the digest’s order', () => {
    expect(idsBySection(view)).toEqual({
      'Acknowledgement overdue': ['VULN-0001'],
      'Acknowledgement due today': ['VULN-0002'],
      'Triage overdue': ['VULN-0003'],
      'Remediation target missed': ['VULN-0004'],
      'Disclosure within 1 day': ['VULN-0005'],
      'Disclosure within 7 days': ['VULN-0006'],
      'Disclosure within 14 days': ['VULN-0007'],
      'Disclosure date passed, not disclosed': ['VULN-0008'],
    });
    expect(view.sections.map((s) => s.heading)).toEqual([
      'Acknowledgement overdue',
      'Acknowledgement due today',
      'Triage overdue',
      'Remediation target missed',
      'Disclosure within 1 day',
      'Disclosure within 7 days',
      'Disclosure within 14 days',
      'Disclosure date passed, not disclosed',
      'Open reports',
    ]);
  });

  it('counts open reports by status (in lifecycle order) and by severity (most severe first)', () => {
    expect(countsOf(view)).toEqual([
      'By status: New: 2, Acknowledged: 1, Needs more info: 1, Triaged: 1, Fixing: 2, Fixed: 2',
      'By severity: Critical: 1, High: 2, Medium: 2, Low: 1, None: 1, Not set: 2',
    ]);
  });

  it('the text lines repeat every section as a heading followed by bullet items', () => {
    expect(view.lines[0]).toBe('Acknowledgement overdue:');
    expect(view.lines[1]).toBe('  • VULN-0001 · Not set · unassigned · due 2027-03-08 · Report 1');
    const headings = view.lines.filter((line) => !line.startsWith('  • '));
    expect(headings).toEqual(view.sections.map((s) => `${s.heading}:`));
    const items = view.sections.reduce((n, s) => n + s.items.length, 0);
    expect(view.lines).toHaveLength(view.sections.length + items);
  });

  it('"Nothing due" does not appear on a day when something is due', () => {
    expect(view.sections.some((s) => s.heading === 'Nothing due')).toBe(false);
  });
});
