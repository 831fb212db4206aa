import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy.ts';
import type { ReportSubmission } from '../../src/domain/report.ts';
import type { AppError } from '../../src/domain/result.ts';
import { SUBMISSION_LIMITS, validateSubmission } from '../../src/domain/submission.ts';

const POLICY: Policy = { ...DEFAULT_POLICY, assets: ['api.example.com', 'web app'] };

const submission = (overrides: Partial<ReportSubmission> = {}): ReportSubmission => ({
  title: 'SQL injection in /api/search',
  asset: 'api.example.com',
  description: "1. GET /api/search?q=' OR 1=1 --\n2. Observe every row returned.",
  impact: 'Read any customer record.',
  severityGuess: '',
  policyAccepted: true,
  ...overrides,
});

/** The errors of a refused submission, or a failed expectation when it was accepted. */
const errorsOf = (input: ReportSubmission, policy: Policy = POLICY): readonly AppError[] => {
  const result = validateSubmission(input, policy);
  expect(result.ok, 'the submission should be refused').toBe(false);
  if (result.ok) return [];
  for (const error of result.error.errors) expect(error.code).toBe('report.invalid_input');
  return result.error.errors;
};

const fieldsOf = (input: ReportSubmission, policy?: Policy) => errorsOf(input, policy).map((e) => e.field);

const accepted = (input: ReportSubmission, policy: Policy = POLICY) => {
  const result = validateSubmission(input, policy);
  expect(result.ok, result.ok ? '' : JSON.stringify(result.error.errors)).toBe(true);
  return result.ok ? result.value : input;
};

describe('validateSubmission: a complete report is accepted', () => {
  it('a report with every field filled in is accepted as it was written', () => {
    expect(accepted(submission())).toEqual(submission());
  });

  it('the title and severity guess are trimmed; the description and impact keep their formatting', () => {
    const value = accepted(
      submission({ title: '  XSS  ', severityGuess: '  high ', description: '  indented\n  code  ' }),
    );
    expect(value.title).toBe('XSS');
    expect(value.severityGuess).toBe('high');
    expect(value.description).toBe('  indented\n  code  ');
  });
});

describe('validateSubmission: required text fields and their limits', () => {
  const textFields = [
    ['title', 'The title', SUBMISSION_LIMITS.title],
    ['description', 'The description', SUBMISSION_LIMITS.description],
    ['impact', 'The impact', SUBMISSION_LIMITS.impact],
  ] as const;

  it('the limits are 150 characters for the title and 3000 for description and impact', () => {
    expect(SUBMISSION_LIMITS).toMatchObject({
      title: 150,
      description: 3000,
      impact: 3000,
      severityGuess: 200,
    });
  });

  it.each(textFields)('an empty %s is refused as required', (field, label) => {
    expect(errorsOf(submission({ [field]: '' }))).toEqual([
      { code: 'report.invalid_input', field, message: `${label} is required.` },
    ]);
  });

  it.each(textFields)('a %s of only spaces and line breaks is refused as required', (field) => {
    expect(fieldsOf(submission({ [field]: ' \n\t ' }))).toEqual([field]);
  });

  it.each(textFields)('a %s of exactly the limit is accepted', (field, _label, limit) => {
    accepted(submission({ [field]: 'x'.repeat(limit) }));
  });

  it.each(textFields)(
    'a %s one character over the limit is refused, saying how long it is',
    (field, label, limit) => {
      expect(errorsOf(submission({ [field]: 'x'.repeat(limit + 1) }))).toEqual([
        {
          code: 'report.invalid_input',
          field,
          message: `${label} is ${limit + 1} characters; the limit is ${limit}.`,
        },
      ]);
    },
  );
});

describe('validateSubmission: the affected asset', () => {
  it.each(['api.example.com', 'web app', 'other'])(
    'the asset %j (configured, or "other") is accepted',
    (asset) => {
      accepted(submission({ asset }));
    },
  );

  it('"other" is accepted even when no assets are configured', () => {
    accepted(submission({ asset: 'other' }), { ...POLICY, assets: [] });
  });

  it.each(['', 'mail.example.com', 'API.EXAMPLE.COM', ' web app', 'Other'])(
    'the asset %j, not in the configured list, is refused',
    (asset) => {
      expect(errorsOf(submission({ asset }))).toEqual([
        {
          code: 'report.invalid_input',
          field: 'asset',
          message: 'Choose an affected asset from the list (or "other").',
        },
      ]);
    },
  );
});

describe('validateSubmission: the optional severity guess', () => {
  it.each(['', '   ', 'critical', 'high', 'medium', 'low', 'none', 'High', 'CRITICAL'])(
    'the guess %j (empty or a severity word in any case) is accepted',
    (severityGuess) => {
      accepted(submission({ severityGuess }));
    },
  );

  it.each([
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'cvss:3.1/av:n/ac:l/pr:n/ui:r/s:c/c:l/i:l/a:n',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  ])('the valid CVSS vector %s is accepted', (severityGuess) => {
    accepted(submission({ severityGuess }));
  });

  it('an invalid CVSS vector is refused with the CVSS parser’s reason', () => {
    const [error] = errorsOf(submission({ severityGuess: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H' }));
    expect(error?.field).toBe('severityGuess');
    expect(error?.message).toMatch(/missing base metrics: A/);
  });

  it('a CVSS 3.0 vector is refused, naming the versions that are supported', () => {
    const [error] = errorsOf(submission({ severityGuess: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }));
    expect(error?.field).toBe('severityGuess');
    expect(error?.message).toMatch(/CVSS:3\.1\/ or CVSS:4\.0\//);
  });

  it.each(['urgent', 'P1', '9.8', 'sev high', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'])(
    'the guess %j, neither a severity word nor a vector, is refused with the choices',
    (severityGuess) => {
      expect(errorsOf(submission({ severityGuess }))).toEqual([
        {
          code: 'report.invalid_input',
          field: 'severityGuess',
          message:
            'Use one of critical, high, medium, low, none, a CVSS:3.1/ or CVSS:4.0/ vector, or leave it empty.',
        },
      ]);
    },
  );

  it('a guess over 200 characters is refused as too long', () => {
    expect(errorsOf(submission({ severityGuess: `CVSS:3.1/${'E:P/'.repeat(60)}` }))).toEqual([
      {
        code: 'report.invalid_input',
        field: 'severityGuess',
        message: 'The severity guess is too long (limit 200).',
      },
    ]);
  });
});

describe('validateSubmission: the policy acknowledgement', () => {
  it('a report whose author did not accept the policy is refused', () => {
    expect(errorsOf(submission({ policyAccepted: false }))).toEqual([
      {
        code: 'report.invalid_input',
        field: 'policyAccepted',
        message: 'Please confirm you act under the disclosure policy.',
      },
    ]);
  });
});

describe('validateSubmission: every problem at once', () => {
  it('an empty form gets one error per field, in form order, each tied to its field', () => {
    const empty: ReportSubmission = {
      title: '',
      asset: '',
      description: '',
      impact: '',
      severityGuess: 'urgent',
      policyAccepted: false,
    };
    expect(fieldsOf(empty)).toEqual([
      'title',
      'asset',
      'description',
      'impact',
      'severityGuess',
      'policyAccepted',
    ]);
  });

  it('the top-level error is the first problem, and the full list travels with it', () => {
    const result = validateSubmission(submission({ asset: 'nope', policyAccepted: false }), POLICY);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('report.invalid_input');
    expect(result.error.field).toBe('asset');
    expect(result.error.message).toBe(result.error.errors[0]?.message);
    expect(result.error.errors.map((e) => e.field)).toEqual(['asset', 'policyAccepted']);
  });

  it('an over-long description and an invalid vector are both reported', () => {
    expect(fieldsOf(submission({ description: 'x'.repeat(3001), severityGuess: 'CVSS:3.1/AV:Z' }))).toEqual([
      'description',
      'severityGuess',
    ]);
  });
});
