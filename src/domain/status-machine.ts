import { CLOSED_STATUSES, STATUSES, type Status } from './report.ts';
import { fail, ok, type Result } from './result.ts';

const closing = CLOSED_STATUSES as readonly Status[];

/** Every legal move. Anything else, including a move to the current status, is not a transition. */
const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  new: ['acknowledged', ...closing],
  acknowledged: ['triaged', 'needs_info', ...closing],
  needs_info: ['acknowledged', 'triaged', ...closing],
  triaged: ['fixing', 'fixed', 'needs_info', ...closing],
  fixing: ['fixed', ...closing],
  fixed: ['disclosed'],
  disclosed: [],
  out_of_scope: ['triaged'],
  duplicate: ['triaged'],
  informative: ['triaged'],
  not_applicable: ['triaged'],
  spam: ['triaged'],
};

export const STATUS_LABELS: Readonly<Record<Status, string>> = {
  new: 'New',
  acknowledged: 'Acknowledged',
  needs_info: 'Needs more info',
  triaged: 'Triaged',
  fixing: 'Fixing',
  fixed: 'Fixed',
  disclosed: 'Disclosed',
  out_of_scope: 'Out of scope',
  duplicate: 'Duplicate',
  informative: 'Informative',
  not_applicable: 'Not applicable',
  spam: 'Spam',
};

export const allowedNextStatuses = (from: Status): readonly Status[] => TRANSITIONS[from];

export const canTransition = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);

export const checkTransition = (from: Status, to: Status): Result<Status> => {
  if (canTransition(from, to)) return ok(to);
  if (from === to) {
    return fail('report.invalid_transition', `The report is already ${STATUS_LABELS[to]}; nothing changed.`);
  }
  const next = TRANSITIONS[from].map((s) => s.replaceAll('_', ' ')).join(', ');
  return fail(
    'report.invalid_transition',
    `A report that is ${STATUS_LABELS[from]} cannot become ${STATUS_LABELS[to]}.` +
      (next ? ` Allowed next: ${next}.` : ' It is final.'),
  );
};

export const parseStatus = (input: string): Result<Status> => {
  const normalized = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const aliases: Record<string, Status> = {
    ack: 'acknowledged',
    needsinfo: 'needs_info',
    info: 'needs_info',
    oos: 'out_of_scope',
    na: 'not_applicable',
    dup: 'duplicate',
  };
  const status = aliases[normalized] ?? normalized;
  if ((STATUSES as readonly string[]).includes(status)) return ok(status as Status);
  return fail('status.invalid', `Unknown status "${input.trim()}". Use one of: ${STATUSES.join(', ')}.`);
};
