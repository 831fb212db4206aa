import { fail, ok, type Result } from '../domain/result.ts';

export const VULN_SUBCOMMANDS = {
  help: { usage: '/vuln help', summary: 'this help' },
  show: { usage: '/vuln show <ID>', summary: 'a report and its deadlines' },
  list: { usage: '/vuln list [open|overdue|mine]', summary: 'open reports (default), late ones, or yours' },
  ack: { usage: '/vuln ack <ID>', summary: 'acknowledge a new report' },
  assign: { usage: '/vuln assign <ID> [me]', summary: 'assign a report to yourself' },
  severity: {
    usage: '/vuln severity <ID> <critical|high|medium|low|none|CVSS vector>',
    summary: 'set severity',
  },
  status: {
    usage: '/vuln status <ID> <status> [message]',
    summary: 'move a report (needs_info asks the reporter)',
  },
  disclose: { usage: '/vuln disclose <ID> <YYYY-MM-DD|+Nd>', summary: 'set the disclosure date' },
  duplicate: { usage: '/vuln duplicate <ID> <original ID>', summary: 'close as a duplicate' },
  oos: {
    usage: '/vuln oos <ID> <denial_of_service|compromised_credential|third_party|other>',
    summary: 'close as out of scope',
  },
  reply: { usage: '/vuln reply <ID> <message>', summary: 'write to the reporter' },
  note: { usage: '/vuln note <ID> <text>', summary: 'internal note in the triage thread' },
  reveal: { usage: '/vuln reveal <ID>', summary: 'the full report text, privately' },
  digest: { usage: '/vuln digest', summary: 'what is due and overdue now' },
  health: { usage: '/vuln health', summary: 'delivery backlog and messages that could not be delivered' },
  retry: {
    usage: '/vuln retry [outbox ID|all]',
    summary: 're-queue undeliverable messages once the cause is fixed',
  },
} as const;

export type VulnSubcommand = keyof typeof VULN_SUBCOMMANDS;

export type VulnCommand =
  | { readonly name: 'help' | 'digest' | 'health' }
  | { readonly name: 'retry'; readonly target: number | 'all' }
  | { readonly name: 'list'; readonly filter: 'open' | 'overdue' | 'mine' }
  | { readonly name: 'show' | 'ack' | 'assign' | 'reveal'; readonly id: string }
  | {
      readonly name: 'severity' | 'status' | 'disclose' | 'duplicate' | 'oos' | 'reply' | 'note';
      readonly id: string;
      readonly value: string;
    };

const ALIASES: Record<string, VulnSubcommand> = {
  acknowledge: 'ack',
  sev: 'severity',
  disclosure: 'disclose',
  dup: 'duplicate',
  'out-of-scope': 'oos',
  out_of_scope: 'oos',
  ls: 'list',
};

const usage = (name: VulnSubcommand, problem: string): Result<never> =>
  fail('command.usage', `${problem} Usage: ${VULN_SUBCOMMANDS[name].usage}`);

/** `/vuln <subcommand> <ID> [value]`; the value keeps its inner spacing (CVSS vectors, messages). */
export const parseVulnCommand = (text: string): Result<VulnCommand> => {
  const trimmed = text.trim();
  const match = /^(\S+)(?:\s+(\S+))?(?:\s+([\s\S]*))?$/.exec(trimmed);
  const word = match?.[1]?.toLowerCase() ?? 'help';
  const name = (ALIASES[word] ?? word) as VulnSubcommand;
  if (!Object.hasOwn(VULN_SUBCOMMANDS, name)) {
    return fail('command.usage', `Unknown command "${word}". Try \`/vuln help\`.`);
  }
  const id = match?.[2];
  const value = match?.[3]?.trim() ?? '';
  switch (name) {
    case 'help':
    case 'digest':
    case 'health':
      return ok({ name });
    case 'retry': {
      const target = (id ?? 'all').toLowerCase();
      if (target === 'all') return ok({ name, target: 'all' });
      if (!/^\d{1,15}$/.test(target)) return usage(name, `"${id}" is not an outbox message ID.`);
      return ok({ name, target: Number(target) });
    }
    case 'list': {
      const filter = (id ?? 'open').toLowerCase();
      if (filter !== 'open' && filter !== 'overdue' && filter !== 'mine')
        return usage(name, `Unknown list "${id}".`);
      return ok({ name, filter });
    }
    case 'show':
    case 'ack':
    case 'assign':
    case 'reveal':
      if (!id) return usage(name, 'Which report?');
      if (name === 'assign' && value && value.toLowerCase() !== 'me') {
        return usage(name, 'Reports can be assigned to yourself ("me"); ask a colleague to take it.');
      }
      return ok({ name, id });
    default:
      if (!id) return usage(name, 'Which report?');
      if (!value) return usage(name, 'Something is missing.');
      return ok({ name, id, value });
  }
};

export const helpLines = (): string[] =>
  Object.values(VULN_SUBCOMMANDS).map((entry) => `${entry.usage} — ${entry.summary}`);
