import type { Actor } from '../domain/report.ts';
import type { Result } from '../domain/result.ts';
import type { CoreDeps } from '../use-cases/context.ts';
import { addNote, replyToReporter } from '../use-cases/conversation.ts';
import { deliveryHealth, healthLines, retryFailed } from '../use-cases/delivery-health.ts';
import { buildDigest } from '../use-cases/digest.ts';
import type { ActionOutcome } from '../use-cases/mutate-report.ts';
import { requireTriager } from '../use-cases/mutate-report.ts';
import { listReports, revealReport, showReport } from '../use-cases/queries.ts';
import {
  acknowledge,
  assign,
  closeOutOfScope,
  markDuplicate,
  setDisclosureDate,
  setSeverity,
  setStatus,
} from '../use-cases/triage-actions.ts';
import { type CommandReply, errorReply, textReply } from './command-reply.ts';
import { helpLines, parseVulnCommand } from './parse-vuln-command.ts';

const fromAction = (result: Result<ActionOutcome>): CommandReply =>
  result.ok ? textReply([result.value.message]) : errorReply(result.error);

const splitFirstWord = (value: string): [string, string] => {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(value.trim());
  return [match?.[1] ?? '', match?.[2] ?? ''];
};

/** Runs one `/vuln` command for an actor and returns what to show them privately. */
export const runVulnCommand = async (deps: CoreDeps, actor: Actor, text: string): Promise<CommandReply> => {
  const parsed = parseVulnCommand(text);
  if (!parsed.ok) return errorReply(parsed.error);
  const command = parsed.value;
  switch (command.name) {
    case 'help':
      return textReply(helpLines(), 'vulndesk commands');
    case 'digest': {
      const allowed = await requireTriager(deps, actor);
      if (!allowed.ok) return errorReply(allowed.error);
      const digest = await buildDigest(deps);
      return textReply(digest.lines, digest.title);
    }
    case 'health': {
      const allowed = await requireTriager(deps, actor);
      if (!allowed.ok) return errorReply(allowed.error);
      const alerts = deps.alerts?.() ?? [];
      return textReply(
        [...alerts, ...healthLines(await deliveryHealth(deps), deps.now())],
        'vulndesk health',
      );
    }
    case 'retry': {
      const retried = await retryFailed(deps, actor, command.target);
      return retried.ok ? textReply([retried.value]) : errorReply(retried.error);
    }
    case 'list': {
      const lines = await listReports(deps, actor, command.filter);
      if (!lines.ok) return errorReply(lines.error);
      const items = lines.value.map((line) => line.text);
      return textReply(items.length > 0 ? items : ['Nothing to show.'], `Reports: ${command.filter}`);
    }
    case 'show': {
      const shown = await showReport(deps, actor, command.id);
      return shown.ok ? { kind: 'card', card: shown.value.card } : errorReply(shown.error);
    }
    case 'reveal': {
      const report = await revealReport(deps, actor, command.id);
      if (!report.ok) return errorReply(report.error);
      const r = report.value;
      return textReply(
        [
          'Description and steps to reproduce:',
          r.description,
          'Impact:',
          r.impact,
          `Reporter's severity: ${r.severityGuess || '(none)'}`,
        ],
        `${r.id} full text: ${r.title}`,
      );
    }
    case 'ack':
      return fromAction(await acknowledge(deps, actor, command.id));
    case 'assign':
      return fromAction(await assign(deps, actor, command.id, actor));
    case 'severity':
      return fromAction(await setSeverity(deps, actor, command.id, command.value));
    case 'status': {
      const [status, message] = splitFirstWord(command.value);
      return fromAction(await setStatus(deps, actor, command.id, status, message));
    }
    case 'disclose':
      return fromAction(await setDisclosureDate(deps, actor, command.id, command.value));
    case 'duplicate':
      return fromAction(await markDuplicate(deps, actor, command.id, command.value));
    case 'oos':
      return fromAction(await closeOutOfScope(deps, actor, command.id, command.value));
    case 'reply':
      return fromAction(await replyToReporter(deps, actor, command.id, command.value));
    case 'note':
      return fromAction(await addNote(deps, actor, command.id, command.value));
  }
};
