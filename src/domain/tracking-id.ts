const MAX_NUMBER_LENGTH = 9;

export const formatReportId = (prefix: string, number: number): string =>
  `${prefix}-${String(number).padStart(4, '0')}`;

/** Reads an ID typed by a person: case-insensitive, with or without leading zeros (`vuln-7`). */
export const parseReportId = (prefix: string, input: string): string | null => {
  const match = /^([a-z][a-z0-9]*)-(\d+)$/i.exec(input.trim());
  if (!match || match[1]?.toUpperCase() !== prefix.toUpperCase()) return null;
  const digits = (match[2] ?? '').replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_NUMBER_LENGTH) return null;
  return formatReportId(prefix, Number(digits));
};
