import { assetChoices, type Policy } from '../domain/policy.ts';
import { SUBMISSION_LIMITS } from '../domain/submission.ts';

export type IntakeFieldId = 'title' | 'asset' | 'description' | 'impact' | 'severityGuess' | 'policyAccepted';

export type IntakeField =
  | {
      readonly id: IntakeFieldId;
      readonly kind: 'short_text' | 'long_text';
      readonly label: string;
      readonly required: boolean;
      readonly maxLength: number;
      readonly placeholder: string;
    }
  | {
      readonly id: IntakeFieldId;
      readonly kind: 'select';
      readonly label: string;
      readonly required: true;
      readonly options: readonly { readonly value: string; readonly label: string }[];
    }
  | {
      readonly id: IntakeFieldId;
      readonly kind: 'checkbox';
      readonly label: string;
      readonly optionLabel: string;
    };

export interface IntakeFormView {
  readonly title: string;
  readonly submitLabel: string;
  readonly intro: string;
  readonly outOfScope: readonly string[];
  readonly fields: readonly IntakeField[];
}

export const POLICY_ACKNOWLEDGEMENT =
  'I act in good faith under the disclosure policy (safe harbor): I stop at a proof of concept and do not access, keep or share personal data.';

export const intakeFormView = (policy: Policy): IntakeFormView => ({
  title: 'Report a vulnerability',
  submitLabel: 'Submit report',
  intro: `Reports are private to the security team. You will get a tracking ID and updates by direct message. We ask for ${policy.disclosureDays} days before public disclosure.`,
  outOfScope: policy.outOfScope,
  fields: [
    {
      id: 'title',
      kind: 'short_text',
      label: 'Title',
      required: true,
      maxLength: SUBMISSION_LIMITS.title,
      placeholder: 'Stored XSS in the project settings page',
    },
    {
      id: 'asset',
      kind: 'select',
      label: 'Affected asset',
      required: true,
      options: assetChoices(policy).map((asset) => ({
        value: asset,
        label: asset === 'other' ? 'Other' : asset,
      })),
    },
    {
      id: 'description',
      kind: 'long_text',
      label: 'Description and steps to reproduce',
      required: true,
      maxLength: SUBMISSION_LIMITS.description,
      placeholder: 'What is vulnerable, and the exact steps to reproduce it',
    },
    {
      id: 'impact',
      kind: 'long_text',
      label: 'Impact',
      required: true,
      maxLength: SUBMISSION_LIMITS.impact,
      placeholder: 'What an attacker could do with it',
    },
    {
      id: 'severityGuess',
      kind: 'short_text',
      label: 'Severity guess or CVSS vector (optional)',
      required: false,
      maxLength: SUBMISSION_LIMITS.severityGuess,
      placeholder: 'high, or CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    },
    {
      id: 'policyAccepted',
      kind: 'checkbox',
      label: 'Disclosure policy',
      optionLabel: POLICY_ACKNOWLEDGEMENT,
    },
  ],
});
