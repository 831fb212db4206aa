import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType } from 'discord.js';
import { VULN_SUBCOMMANDS } from '../../src/commands/parse-vuln-command.ts';
import { OUT_OF_SCOPE_REASONS, STATUSES } from '../../src/domain/report.ts';
import { STATUS_LABELS } from '../../src/domain/status-machine.ts';
import { MESSAGE_LIMIT } from '../../src/use-cases/conversation.ts';
import { OUT_OF_SCOPE_LABELS } from '../../src/views/closing-wording.ts';

const { String: Text, Subcommand } = ApplicationCommandOptionType;

/** Options whose values are report IDs: they autocomplete (for triagers) and lose any spaces. */
export const REPORT_ID_OPTIONS: readonly string[] = ['id', 'original'];
/** The severity option suggests levels but accepts any text (a CVSS vector). */
export const SEVERITY_OPTION = 'level';

const reportId = (description = 'Report ID, e.g. VULN-0007') =>
  ({ type: Text, name: 'id', description, required: true, autocomplete: true, max_length: 30 }) as const;

const text = (name: string, description: string, required = true, maxLength = MESSAGE_LIMIT) =>
  ({ type: Text, name, description, required, max_length: maxLength }) as const;

const sub = <const N extends keyof typeof VULN_SUBCOMMANDS, const O extends readonly object[]>(
  name: N,
  options: O,
) => ({ type: Subcommand, name, description: VULN_SUBCOMMANDS[name].summary, options }) as const;

const statusChoices = STATUSES.filter((s) => s !== 'out_of_scope' && s !== 'duplicate' && s !== 'new').map(
  (s) => ({ name: STATUS_LABELS[s], value: s }),
);

export const REPORT_VULN_COMMAND = {
  name: 'report-vuln',
  description: 'Report a security vulnerability privately (opens a form)',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  options: [
    {
      type: Text,
      name: 'action',
      description: 'Leave empty to open the form; "status" lists your own reports',
      required: false,
      choices: [
        { name: 'form: file a new report', value: 'form' },
        { name: 'status: my reports and their state', value: 'status' },
      ],
    },
  ],
} as const;

export const VULN_COMMAND = {
  name: 'vuln',
  description: 'Security triage: reports, deadlines and actions (triagers only)',
  type: ApplicationCommandType.ChatInput,
  contexts: [InteractionContextType.Guild],
  options: [
    sub('help', []),
    sub('show', [reportId()]),
    sub('list', [
      {
        type: Text,
        name: 'filter',
        description: 'Which reports (default: open)',
        required: false,
        choices: [
          { name: 'open', value: 'open' },
          { name: 'overdue', value: 'overdue' },
          { name: 'mine', value: 'mine' },
        ],
      },
    ]),
    sub('ack', [reportId()]),
    sub('assign', [reportId()]),
    sub('severity', [
      reportId(),
      {
        type: Text,
        name: SEVERITY_OPTION,
        description: 'critical, high, medium, low, none, or a CVSS:3.1/… or CVSS:4.0/… vector',
        required: true,
        autocomplete: true,
        max_length: 200,
      },
    ]),
    sub('status', [
      reportId(),
      { type: Text, name: 'status', description: 'The new status', required: true, choices: statusChoices },
      text('message', 'For needs_info: the question sent to the reporter', false),
    ]),
    sub('disclose', [reportId(), text('date', 'YYYY-MM-DD, or +30d for 30 days from today', true, 20)]),
    sub('duplicate', [reportId(), { ...reportId('The original report, e.g. VULN-0003'), name: 'original' }]),
    sub('oos', [
      reportId(),
      {
        type: Text,
        name: 'reason',
        description: 'Why it is out of scope (the reporter is told the policy’s wording)',
        required: true,
        choices: OUT_OF_SCOPE_REASONS.map((r) => ({ name: OUT_OF_SCOPE_LABELS[r], value: r })),
      },
    ]),
    sub('reply', [reportId(), text('message', 'Sent to the reporter by direct message')]),
    sub('note', [reportId(), text('text', 'Internal note, posted in the triage thread')]),
    sub('reveal', [reportId()]),
    sub('digest', []),
    sub('health', []),
    sub('retry', [text('target', 'An outbox message ID from /vuln health, or "all"', false, 20)]),
  ],
} as const;

/**
 * What `npm run discord:register` registers in the guild (one bulk overwrite). Plain data; the tests
 * check it against Discord's limits (names, descriptions, choices, option counts).
 */
export const COMMANDS = [REPORT_VULN_COMMAND, VULN_COMMAND] as const;

type OptionValue = string | number | boolean;

/**
 * The `/vuln` text grammar from Discord's typed options, in the order the definition lists them, so
 * both platforms run the very same command parser (`/vuln severity VULN-0007 high`).
 */
export const vulnCommandText = (
  subcommand: string,
  values: Readonly<Record<string, OptionValue>>,
): string => {
  const definition = VULN_COMMAND.options.find((option) => option.name === subcommand);
  if (!definition) return subcommand;
  const parts: string[] = [subcommand];
  for (const option of definition.options as readonly { readonly name: string }[]) {
    const value = values[option.name];
    if (value === undefined || value === '') continue;
    const textValue = String(value).trim();
    parts.push(REPORT_ID_OPTIONS.includes(option.name) ? textValue.replace(/\s+/g, '') || '?' : textValue);
  }
  return parts.join(' ');
};
