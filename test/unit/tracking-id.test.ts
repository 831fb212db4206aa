import { describe, expect, it } from 'vitest';
import { formatReportId, parseReportId } from '../../src/domain/tracking-id.ts';

describe('formatReportId: the tracking ID a reporter is given', () => {
  it.each([
    [1, 'VULN-0001'],
    [7, 'VULN-0007'],
    [42, 'VULN-0042'],
    [9999, 'VULN-9999'],
    [12345, 'VULN-12345'],
  ])('report number %d is %s (at least four digits, never truncated)', (number, id) => {
    expect(formatReportId('VULN', number)).toBe(id);
  });

  it('uses the configured prefix', () => {
    expect(formatReportId('SEC', 3)).toBe('SEC-0003');
  });
});

describe('parseReportId: IDs typed by a person', () => {
  it.each([
    ['VULN-0001', 'VULN-0001'],
    ['VULN-0042', 'VULN-0042'],
    ['vuln-7', 'VULN-0007'],
    ['Vuln-0007', 'VULN-0007'],
    ['VULN-7', 'VULN-0007'],
    ['VULN-00000007', 'VULN-0007'],
    ['  VULN-0042  ', 'VULN-0042'],
    ['VULN-12345', 'VULN-12345'],
    ['vuln-012345', 'VULN-12345'],
    ['VULN-999999999', 'VULN-999999999'],
  ])('%j is read as %s', (input, id) => {
    expect(parseReportId('VULN', input)).toBe(id);
  });

  it('what parseReportId returns is exactly what formatReportId produced for that number', () => {
    for (const number of [1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 123456]) {
      const id = formatReportId('VULN', number);
      expect(parseReportId('VULN', id)).toBe(id);
      expect(parseReportId('VULN', id.toLowerCase())).toBe(id);
    }
  });

  it('a configured prefix is matched case-insensitively too', () => {
    expect(parseReportId('SEC', 'sec-9')).toBe('SEC-0009');
    expect(parseReportId('SEC', 'VULN-9')).toBeNull();
  });

  it.each(['SEC-0007', 'VULNS-0007', 'VUL-0007', 'XVULN-0007'])('the wrong prefix %j gives null', (input) => {
    expect(parseReportId('VULN', input)).toBeNull();
  });

  it.each([
    '',
    '   ',
    'VULN',
    'VULN-',
    'VULN7',
    'VULN 7',
    'VULN--7',
    'VULN-7a',
    'VULN-abc',
    'VULN-+7',
    'VULN--0007',
    'VULN-0007 extra',
    '#VULN-0007',
    '<@U123>',
    '7',
    '-7',
    'VULN-1234567890',
    'VULN-99999999999999999999',
    'VULN-١٢٣',
  ])('junk %j gives null', (input) => {
    expect(parseReportId('VULN', input)).toBeNull();
  });
});
