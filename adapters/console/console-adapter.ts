import type { Readable, Writable } from 'node:stream';
import { runVulnCommand } from '../../src/commands/run-vuln-command.ts';
import type { Actor } from '../../src/domain/report.ts';
import { errorText } from '../../src/logging/error-text.ts';
import type { CoreDeps } from '../../src/use-cases/context.ts';
import { reporterAnswer } from '../../src/use-cases/conversation.ts';
import { reporterReports } from '../../src/use-cases/queries.ts';
import { submitReport } from '../../src/use-cases/submit-report.ts';
import { runIntakeDialog } from './intake-dialog.ts';
import { createLineReader, type LineReader } from './line-reader.ts';
import { inert, renderReply } from './render-text.ts';

export interface ConsoleAdapterOptions {
  readonly core: CoreDeps;
  readonly input: Readable;
  readonly output: Writable;
  /** Delivers queued outbox messages, so their output follows the command that caused them. */
  readonly flush: () => Promise<void>;
  /** Console users switched with `/as <name> --triager`. */
  readonly consoleTriagers: Set<string>;
}

const HELP = [
  'Commands:',
  '  /as <name> [--triager]   act as a reporter, or as a triager',
  '  /report-vuln             file a report (the form asks field by field)',
  '  /report-vuln status      your own reports',
  '  /answer <ID> <text>      answer the security team about your report',
  '  /vuln help               triage commands (/vuln ack VULN-0001, /vuln severity VULN-0001 high, ...)',
  '  /help                    this help',
  '  /quit                    leave',
].join('\n');

const consoleActor = (name: string): Actor => ({ platform: 'console', userId: name, displayName: name });

/** A full adapter on a terminal or a pipe: the same use cases as Slack and Discord, rendered as text. */
export const runConsoleAdapter = async (options: ConsoleAdapterOptions): Promise<void> => {
  const { core, output, flush, consoleTriagers } = options;
  const write = (text: string) => output.write(text);
  const lines: LineReader = createLineReader(options.input);
  let actor = consoleActor('you');

  const handle = async (line: string): Promise<'quit' | 'continue'> => {
    const [word = '', ...rest] = line.trim().split(/\s+/);
    const argument = line.trim().slice(word.length).trim();
    switch (word.toLowerCase()) {
      case '':
        return 'continue';
      case '/quit':
      case '/exit':
        return 'quit';
      case '/help':
        write(`${HELP}\n`);
        return 'continue';
      case '/as': {
        const name = rest.find((part) => !part.startsWith('--'));
        if (!name || !/^[\w.-]{1,64}$/.test(name)) {
          write('Usage: /as <name> [--triager]  (letters, digits, . _ -)\n');
          return 'continue';
        }
        actor = consoleActor(name);
        if (rest.includes('--triager')) consoleTriagers.add(name);
        else consoleTriagers.delete(name);
        write(`You are now ${name}${rest.includes('--triager') ? ', a triager' : ', a reporter'}.\n`);
        return 'continue';
      }
      case '/report-vuln':
        if (argument.toLowerCase() === 'status') {
          const mine = await reporterReports(core, actor);
          write(
            mine.length === 0
              ? 'You have not filed any reports.\n'
              : `${mine.map((r) => inert(r.text)).join('\n')}\n`,
          );
          return 'continue';
        }
        return fileReport();
      case '/answer': {
        const [id = '', ...words] = argument.split(/\s+/);
        const answered = await reporterAnswer(core, actor, id, words.join(' '));
        write(`${answered.ok ? answered.value.message : `Error: ${answered.error.message}`}\n`);
        return 'continue';
      }
      case '/vuln':
        write(`${renderReply(await runVulnCommand(core, actor, argument))}\n`);
        return 'continue';
      default:
        write(`Unknown command "${inert(word)}". Type /help.\n`);
        return 'continue';
    }
  };

  const fileReport = async (): Promise<'quit' | 'continue'> => {
    const submission = await runIntakeDialog(core.policy, lines, write);
    if (submission === null) {
      write('The form was not finished; nothing was filed.\n');
      return 'quit';
    }
    const result = await submitReport(core, { reporter: actor, submission, submissionKey: null });
    if (!result.ok) write(`Error: ${result.error.message}\n`);
    else write(`Filed as ${result.value.report.id}. The details follow by direct message.\n`);
    return 'continue';
  };

  write(`vulndesk console. You are ${actor.displayName}. Type /help for commands.\n`);
  for (;;) {
    write('> ');
    const line = await lines.next();
    if (line === null) break;
    try {
      const next = await handle(line);
      await flush();
      if (next === 'quit') break;
    } catch (error) {
      core.logger.error({ err: errorText(error) }, 'console command failed');
      write('Something went wrong; nothing was lost. Try again, or see the log.\n');
    }
  }
  write('Bye.\n');
  lines.close();
};
