import type { ReportSubmission } from '../../../src/domain/report.ts';
import type { IntakeField, IntakeFormView } from '../../../src/views/intake-form.ts';
import { escapeMrkdwn, mrkdwn, plain } from './escape.ts';
import { clip, SLACK_LIMITS } from './slack-limits.ts';

export const CALLBACKS = {
  intake: 'report_intake',
  disclosure: 'vuln_disclosure_modal',
  duplicate: 'vuln_duplicate_modal',
  reply: 'vuln_reply_modal',
  needsInfo: 'vuln_needs_info_modal',
  reporterAnswer: 'reporter_answer_modal',
} as const;

/** Every input's action_id; block IDs are the form's field IDs. */
export const INPUT_ACTION = 'value';

const title = (text: string) => plain(text, SLACK_LIMITS.modalTitle);

const inputFor = (field: IntakeField) => {
  const base = {
    type: 'input',
    block_id: field.id,
    label: plain(field.label, SLACK_LIMITS.inputLabel),
  };
  switch (field.kind) {
    case 'short_text':
    case 'long_text':
      return {
        ...base,
        optional: !field.required,
        element: {
          type: 'plain_text_input',
          action_id: INPUT_ACTION,
          multiline: field.kind === 'long_text',
          max_length: Math.min(field.maxLength, SLACK_LIMITS.plainTextInput),
          placeholder: plain(field.placeholder, SLACK_LIMITS.placeholder),
        },
      };
    case 'select':
      return {
        ...base,
        element: {
          type: 'static_select',
          action_id: INPUT_ACTION,
          placeholder: plain('Choose one'),
          options: field.options.slice(0, SLACK_LIMITS.selectOptions).map((option) => ({
            text: plain(option.label, SLACK_LIMITS.optionText),
            value: clip(option.value, SLACK_LIMITS.optionValue),
          })),
        },
      };
    case 'checkbox':
      return {
        ...base,
        hint: plain(field.optionLabel, SLACK_LIMITS.inputHint),
        element: {
          type: 'checkboxes',
          action_id: INPUT_ACTION,
          options: [{ text: plain('I agree to the disclosure policy'), value: 'accepted' }],
        },
      };
  }
};

/** The intake modal: intro, the out-of-scope list, then one input block per form field. */
export const intakeModal = (form: IntakeFormView) => ({
  type: 'modal',
  callback_id: CALLBACKS.intake,
  title: title(form.title),
  submit: plain(form.submitLabel, SLACK_LIMITS.modalButton),
  close: plain('Cancel'),
  blocks: [
    { type: 'section', text: mrkdwn(escapeMrkdwn(form.intro)) },
    {
      type: 'section',
      text: mrkdwn(
        clip(
          `*Out of scope*\n${form.outOfScope.map((item) => `• ${escapeMrkdwn(item)}`).join('\n')}`,
          SLACK_LIMITS.sectionText,
        ),
      ),
    },
    ...form.fields.map(inputFor),
  ],
});

type StateValues = Record<string, Record<string, Record<string, unknown>>>;

/** Reads a submitted intake modal back into a submission, whatever the reporter left empty. */
export const submissionFromState = (values: StateValues): ReportSubmission => {
  const input = (block: string) => values[block]?.[INPUT_ACTION];
  const text = (block: string) =>
    typeof input(block)?.value === 'string' ? (input(block)?.value as string) : '';
  const selected = input('asset')?.selected_option as { value?: string } | null | undefined;
  const checked = (input('policyAccepted')?.selected_options as { value?: string }[] | undefined) ?? [];
  return {
    title: text('title'),
    asset: selected?.value ?? '',
    description: text('description'),
    impact: text('impact'),
    severityGuess: text('severityGuess'),
    policyAccepted: checked.some((option) => option.value === 'accepted'),
  };
};

export const confirmationModal = (lines: readonly string[]) => ({
  type: 'modal',
  title: title('Report received'),
  close: plain('Close'),
  blocks: lines.map((line) => ({ type: 'section', text: plain(line, SLACK_LIMITS.sectionText) })),
});

interface TextModalOptions {
  readonly callbackId: string;
  readonly reportId: string;
  readonly heading: string;
  readonly label: string;
  readonly multiline?: boolean;
  readonly maxLength?: number;
  readonly placeholder?: string;
}

/** A one-field modal (reply to reporter, needs-info question, duplicate-of, reporter answer). */
export const textInputModal = (options: TextModalOptions) => ({
  type: 'modal',
  callback_id: options.callbackId,
  private_metadata: JSON.stringify({ reportId: options.reportId }),
  title: title(options.heading),
  submit: plain('Send'),
  close: plain('Cancel'),
  blocks: [
    {
      type: 'input',
      block_id: 'text',
      label: plain(options.label, SLACK_LIMITS.inputLabel),
      element: {
        type: 'plain_text_input',
        action_id: INPUT_ACTION,
        multiline: options.multiline ?? true,
        max_length: options.maxLength ?? 2000,
        ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
      },
    },
  ],
});

export const disclosureModal = (reportId: string, currentDay: string) => ({
  type: 'modal',
  callback_id: CALLBACKS.disclosure,
  private_metadata: JSON.stringify({ reportId }),
  title: title('Disclosure date'),
  submit: plain('Set date'),
  close: plain('Cancel'),
  blocks: [
    {
      type: 'input',
      block_id: 'date',
      label: plain(`Public disclosure date for ${reportId}`),
      element: { type: 'datepicker', action_id: INPUT_ACTION, initial_date: currentDay },
    },
  ],
});

export const reportIdFromMetadata = (metadata: unknown): string => {
  try {
    const parsed = JSON.parse(String(metadata ?? '')) as { reportId?: unknown };
    return typeof parsed.reportId === 'string' ? parsed.reportId : '';
  } catch {
    return '';
  }
};
