import { looksLikeCvssVector, parseCvss } from './cvss.ts';
import { assetChoices, type Policy } from './policy.ts';
import { type ReportSubmission, SEVERITIES } from './report.ts';
import { type AppError, ok, type Result } from './result.ts';

export const SUBMISSION_LIMITS = {
  title: 150,
  description: 3000,
  impact: 3000,
  severityGuess: 200,
} as const;

export interface SubmissionErrors {
  readonly errors: readonly AppError[];
}

const invalid = (field: keyof ReportSubmission, message: string): AppError => ({
  code: 'report.invalid_input',
  message,
  field,
});

const checkText = (
  field: 'title' | 'description' | 'impact',
  label: string,
  value: string,
  errors: AppError[],
): void => {
  if (value.trim().length === 0) errors.push(invalid(field, `${label} is required.`));
  else if (value.length > SUBMISSION_LIMITS[field]) {
    errors.push(
      invalid(field, `${label} is ${value.length} characters; the limit is ${SUBMISSION_LIMITS[field]}.`),
    );
  }
};

/** Every problem at once, each tied to its field, so a form can show them beside the reporter's text. */
export const validateSubmission = (
  input: ReportSubmission,
  policy: Policy,
): Result<ReportSubmission, AppError & SubmissionErrors> => {
  const errors: AppError[] = [];
  checkText('title', 'The title', input.title, errors);
  if (!assetChoices(policy).includes(input.asset)) {
    errors.push(invalid('asset', `Choose an affected asset from the list (or "other").`));
  }
  checkText('description', 'The description', input.description, errors);
  checkText('impact', 'The impact', input.impact, errors);
  const guess = input.severityGuess.trim();
  if (guess.length > SUBMISSION_LIMITS.severityGuess) {
    errors.push(
      invalid('severityGuess', `The severity guess is too long (limit ${SUBMISSION_LIMITS.severityGuess}).`),
    );
  } else if (looksLikeCvssVector(guess)) {
    const parsed = parseCvss(guess);
    if (!parsed.ok) errors.push(invalid('severityGuess', parsed.error.message));
  } else if (guess && !(SEVERITIES as readonly string[]).includes(guess.toLowerCase())) {
    errors.push(
      invalid(
        'severityGuess',
        `Use one of ${SEVERITIES.join(', ')}, a CVSS:3.1/ or CVSS:4.0/ vector, or leave it empty.`,
      ),
    );
  }
  if (!input.policyAccepted) {
    errors.push(invalid('policyAccepted', 'Please confirm you act under the disclosure policy.'));
  }
  if (errors.length > 0) {
    const [first] = errors as [AppError];
    return { ok: false, error: { ...first, errors } };
  }
  return ok({ ...input, title: input.title.trim(), severityGuess: guess });
};
