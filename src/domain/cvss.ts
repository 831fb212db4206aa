import cvssCalculator from 'ae-cvss-calculator';
import type { Severity } from './report.ts';
import { fail, ok, type Result } from './result.ts';

export interface CvssScore {
  readonly version: '3.1' | '4.0';
  readonly vector: string;
  readonly score: number;
  readonly severity: Severity;
}

const REQUIRED_METRICS: Readonly<Record<'3.1' | '4.0', Readonly<Record<string, readonly string[]>>>> = {
  '3.1': {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'R'],
    S: ['U', 'C'],
    C: ['H', 'L', 'N'],
    I: ['H', 'L', 'N'],
    A: ['H', 'L', 'N'],
  },
  '4.0': {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    AT: ['N', 'P'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'P', 'A'],
    VC: ['H', 'L', 'N'],
    VI: ['H', 'L', 'N'],
    VA: ['H', 'L', 'N'],
    SC: ['H', 'L', 'N'],
    SI: ['H', 'L', 'N'],
    SA: ['H', 'L', 'N'],
  },
};

const MAX_VECTOR_LENGTH = 300;

export const looksLikeCvssVector = (input: string): boolean => /^cvss:/i.test(input.trim());

/** Qualitative rating shared by CVSS 3.1 and 4.0. */
export const severityFromScore = (score: number): Severity => {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score >= 0.1) return 'low';
  return 'none';
};

/** Parses a CVSS 3.1 or 4.0 vector; requires every base metric exactly once. */
export const parseCvss = (input: string): Result<CvssScore> => {
  const vector = input.trim().replace(/\/+$/, '').toUpperCase();
  if (vector.length > MAX_VECTOR_LENGTH) return fail('cvss.invalid', 'That CVSS vector is too long.');
  const [prefix, ...parts] = vector.split('/');
  const version =
    prefix?.toUpperCase() === 'CVSS:3.1' ? '3.1' : prefix?.toUpperCase() === 'CVSS:4.0' ? '4.0' : null;
  if (version === null) {
    return fail(
      'cvss.invalid',
      'A CVSS vector must start with CVSS:3.1/ or CVSS:4.0/ (e.g. CVSS:3.1/AV:N/AC:L/...).',
    );
  }
  const required = REQUIRED_METRICS[version];
  const seen = new Map<string, string>();
  for (const part of parts) {
    const [metric, value, extra] = part.split(':');
    if (!metric || value === undefined || extra !== undefined) {
      return fail('cvss.invalid', `"${part}" is not a metric:value pair in the CVSS vector.`);
    }
    if (seen.has(metric))
      return fail('cvss.invalid', `The metric ${metric} appears twice in the CVSS vector.`);
    seen.set(metric, value);
    const allowed = required[metric];
    if (allowed && !allowed.includes(value)) {
      return fail(
        'cvss.invalid',
        `${metric}:${value} is not valid; ${metric} takes one of ${allowed.join(', ')}.`,
      );
    }
  }
  const missing = Object.keys(required).filter((metric) => !seen.has(metric));
  if (missing.length > 0) {
    return fail('cvss.invalid', `The CVSS ${version} vector is missing base metrics: ${missing.join(', ')}.`);
  }
  try {
    const calculator =
      version === '3.1' ? new cvssCalculator.Cvss3P1(vector) : new cvssCalculator.Cvss4P0(vector);
    const scores = calculator.calculateScores() as { overall?: number; base?: number };
    // CVSS 3.1 is rated by its base score (as NVD and GitHub do); CVSS 4.0 defines one score over
    // every metric given.
    const score = Number(version === '3.1' ? scores.base : (scores.overall ?? scores.base));
    if (!Number.isFinite(score)) return fail('cvss.invalid', 'The CVSS vector could not be scored.');
    return ok({ version, vector, score, severity: severityFromScore(score) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown problem';
    return fail('cvss.invalid', `The CVSS vector is not valid: ${reason}.`);
  }
};
