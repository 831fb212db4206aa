import {
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
  type APITextDisplayComponent,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import type { ReportSubmission } from '../../../src/domain/report.ts';
import type { IntakeField, IntakeFormView } from '../../../src/views/intake-form.ts';
import { MODALS } from '../custom-ids.ts';
import { escapeClip, escapeText } from './escape.ts';
import { clip, DISCORD_LIMITS } from './limits.ts';

/*
 * Discord allows five top-level components in a modal and the form has six fields, plus an
 * out-of-scope list that must stay visible. The choice made here:
 *  1. a Text Display with the intro, the out-of-scope list and the policy statement; submitting the
 *     form is the acknowledgement (the statement says so, right above the fields);
 *  2-5. Labels for title, affected asset (select), description, and impact, where an optional
 *     last line `Severity: high` or a CVSS vector carries the reporter's severity guess.
 */

export const SEVERITY_HINT = 'Optional last line: "Severity: high" or a CVSS:3.1/… or CVSS:4.0/… vector.';

/** Room for the optional severity line on top of the impact itself. */
const SEVERITY_LINE_ROOM = 220;

const intro = (form: IntakeFormView): APITextDisplayComponent => {
  const policy = form.fields.find((field) => field.kind === 'checkbox');
  const items = form.outOfScope.map((item) => `- ${escapeClip(item, 300)}`);
  const statement = policy?.kind === 'checkbox' ? escapeText(policy.optionLabel) : '';
  const content = [
    escapeText(form.intro),
    `**Out of scope**\n${items.join('\n')}`,
    ...(statement ? [`**By submitting this form you confirm:** ${statement}`] : []),
  ].join('\n\n');
  return { type: ComponentType.TextDisplay, content: clip(content, DISCORD_LIMITS.textDisplay) };
};

const label = (
  text: string,
  component: APILabelComponent['component'],
  description?: string,
): APILabelComponent => ({
  type: ComponentType.Label,
  label: clip(text, DISCORD_LIMITS.labelText),
  ...(description ? { description: clip(description, DISCORD_LIMITS.labelDescription) } : {}),
  component,
});

const fieldLabel = (field: IntakeField): APILabelComponent | null => {
  switch (field.kind) {
    case 'short_text':
    case 'long_text': {
      if (field.id === 'severityGuess') return null;
      const impact = field.id === 'impact';
      return label(
        impact ? `${field.label} (and severity guess, optional)` : field.label,
        {
          type: ComponentType.TextInput,
          custom_id: field.id,
          style: field.kind === 'long_text' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: field.required,
          max_length: Math.min(
            DISCORD_LIMITS.textInputValue,
            field.maxLength + (impact ? SEVERITY_LINE_ROOM : 0),
          ),
          placeholder: clip(field.placeholder, DISCORD_LIMITS.textInputPlaceholder),
        },
        impact ? SEVERITY_HINT : undefined,
      );
    }
    case 'select': {
      const options =
        field.options.length <= DISCORD_LIMITS.selectOptions
          ? field.options
          : [...field.options.slice(0, DISCORD_LIMITS.selectOptions - 1), ...field.options.slice(-1)];
      return label(field.label, {
        type: ComponentType.StringSelect,
        custom_id: field.id,
        placeholder: 'Choose one',
        required: true,
        min_values: 1,
        max_values: 1,
        options: options.map((option) => ({
          label: clip(option.label, DISCORD_LIMITS.selectOptionLabel),
          value: option.value.slice(0, DISCORD_LIMITS.selectOptionValue),
        })),
      });
    }
    case 'checkbox':
      return null;
  }
};

/** The `/report-vuln` form as a Discord modal (the first and only response to the command). */
export const intakeModal = (form: IntakeFormView): APIModalInteractionResponseCallbackData => ({
  custom_id: MODALS.intake,
  title: clip(form.title, DISCORD_LIMITS.modalTitle),
  components: [intro(form), ...form.fields.flatMap((field) => fieldLabel(field) ?? [])].slice(
    0,
    DISCORD_LIMITS.modalComponents,
  ),
});

const SEVERITY_LINE = /^[ \t]*(?:severity(?:[ \t]+guess)?[ \t]*[:=][ \t]*(\S.*?)|(CVSS:\d\.\d\/\S+))[ \t]*$/i;

/** Splits an optional last line `Severity: high` (or a bare CVSS vector) off the impact text. */
export const splitSeverityLine = (
  impact: string,
): { readonly impact: string; readonly severityGuess: string } => {
  const lines = impact.replace(/\s+$/, '').split('\n');
  const match = SEVERITY_LINE.exec(lines.at(-1) ?? '');
  if (!match) return { impact, severityGuess: '' };
  return {
    impact: lines.slice(0, -1).join('\n').trimEnd(),
    severityGuess: (match[1] ?? match[2] ?? '').trim(),
  };
};

export type ModalValues = Readonly<Record<string, string | readonly string[]>>;

const textOf = (values: ModalValues, id: string): string => {
  const value = values[id];
  return typeof value === 'string' ? value : '';
};

/** Reads a submitted intake modal; submitting the form is the policy acknowledgement (see above). */
export const submissionFromModal = (values: ModalValues): ReportSubmission => {
  const asset = values.asset;
  const { impact, severityGuess } = splitSeverityLine(textOf(values, 'impact'));
  return {
    title: textOf(values, 'title'),
    asset: Array.isArray(asset) ? (asset[0] ?? '') : typeof asset === 'string' ? asset : '',
    description: textOf(values, 'description'),
    impact,
    severityGuess,
    policyAccepted: true,
  };
};
