import type { Policy } from '../../src/domain/policy.ts';
import type { ReportSubmission } from '../../src/domain/report.ts';
import { validateSubmission } from '../../src/domain/submission.ts';
import { type IntakeField, intakeFormView } from '../../src/views/intake-form.ts';
import type { LineReader } from './line-reader.ts';

const END_OF_TEXT = '.';

const emptySubmission: ReportSubmission = {
  title: 'x',
  asset: 'other',
  description: 'x',
  impact: 'x',
  severityGuess: '',
  policyAccepted: true,
};

/** The error for one field, checked with the same rules as the server-side validation. */
const fieldError = (field: IntakeField, value: string | boolean, policy: Policy): string | null => {
  const candidate = { ...emptySubmission, [field.id]: value };
  const result = validateSubmission(candidate, policy);
  if (result.ok) return null;
  return result.error.errors?.find((e) => e.field === field.id)?.message ?? null;
};

const promptFor = (field: IntakeField): string => {
  switch (field.kind) {
    case 'short_text':
      return `${field.label}${field.required ? '' : ', Enter to skip'}: `;
    case 'long_text':
      return `${field.label} (end with a line holding only "${END_OF_TEXT}"):\n`;
    case 'select':
      return `${field.label}: ${field.options.map((o, i) => `(${i + 1}) ${o.label}`).join('  ')}\nChoose a number: `;
    case 'checkbox':
      return `${field.label}: ${field.optionLabel}\nDo you agree? [y/N]: `;
  }
};

const readValue = async (field: IntakeField, lines: LineReader): Promise<string | boolean | null> => {
  if (field.kind === 'long_text') {
    const collected: string[] = [];
    for (let line = await lines.next(); line !== null; line = await lines.next()) {
      if (line === END_OF_TEXT) return collected.join('\n');
      collected.push(line);
    }
    return null;
  }
  const line = await lines.next();
  if (line === null) return null;
  if (field.kind === 'select') {
    const index = Number(line.trim()) - 1;
    return field.options[index]?.value ?? line.trim();
  }
  if (field.kind === 'checkbox') return /^(y|yes)$/i.test(line.trim());
  return line;
};

/** Walks the intake form field by field, re-asking until each answer is valid. Null when input ends. */
export const runIntakeDialog = async (
  policy: Policy,
  lines: LineReader,
  write: (text: string) => void,
): Promise<ReportSubmission | null> => {
  const form = intakeFormView(policy);
  write(
    `${form.title}\n${form.intro}\nOut of scope:\n${form.outOfScope.map((item) => `  - ${item}`).join('\n')}\n`,
  );
  const answers: Record<string, string | boolean> = {};
  for (const field of form.fields) {
    for (;;) {
      write(promptFor(field));
      const value = await readValue(field, lines);
      if (value === null) return null;
      const problem = fieldError(field, value, policy);
      if (problem === null) {
        answers[field.id] = value;
        break;
      }
      write(`${problem}\n`);
    }
  }
  return answers as unknown as ReportSubmission;
};
