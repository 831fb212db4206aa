import type { StateValues } from '../../fakes/slack/signed-request.ts';

export interface IntakeInput {
  title?: string;
  asset?: string;
  description?: string;
  impact?: string;
  severityGuess?: string;
  accepted?: boolean;
}

/** `view.state.values` exactly as Slack sends it for the intake modal. */
export const intakeValues = (input: IntakeInput = {}): StateValues => ({
  title: { value: { type: 'plain_text_input', value: input.title ?? 'SQL injection in /api/search' } },
  asset: {
    value: {
      type: 'static_select',
      selected_option:
        input.asset === ''
          ? null
          : { text: { type: 'plain_text', text: 'x' }, value: input.asset ?? 'api.example.com' },
    },
  },
  description: {
    value: { type: 'plain_text_input', value: input.description ?? "GET /api/search?q=' OR 1=1 --" },
  },
  impact: { value: { type: 'plain_text_input', value: input.impact ?? 'Read every customer record.' } },
  severityGuess: { value: { type: 'plain_text_input', value: input.severityGuess ?? null } },
  policyAccepted: {
    value: {
      type: 'checkboxes',
      selected_options:
        input.accepted === false
          ? []
          : [{ text: { type: 'plain_text', text: 'I agree' }, value: 'accepted' }],
    },
  },
});
