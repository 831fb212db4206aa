import type { APIApplicationCommandOptionChoice } from 'discord.js';
import { runVulnCommand } from '../../../src/commands/run-vuln-command.ts';
import { SEVERITIES } from '../../../src/domain/report.ts';
import { listReports } from '../../../src/use-cases/queries.ts';
import { SEVERITY_LABELS } from '../../../src/views/format.ts';
import { showControls } from '../../../src/views/visible-controls.ts';
import { REPORT_ID_OPTIONS, SEVERITY_OPTION, vulnCommandText } from '../commands.ts';
import { clip, DISCORD_LIMITS } from '../render/limits.ts';
import { replyMessages } from '../render/reply-message.ts';
import type { HandlerContext } from './handler-context.ts';

/** `/vuln <subcommand>`: typed options become the shared text grammar, run by the core's command runner. */
export const runSlashVuln = async (ctx: HandlerContext): Promise<void> => {
  await ctx.reply.deferReply();
  const text = vulnCommandText(ctx.interaction.subcommand ?? 'help', ctx.interaction.options);
  const reply = await runVulnCommand(ctx.core, ctx.actor, text);
  if (reply.kind === 'text' && reply.ok) ctx.wakeOutbox();
  await ctx.reply.send(replyMessages(reply));
};

type Choice = APIApplicationCommandOptionChoice<string>;

const choice = (name: string, value: string): Choice => ({
  name: clip(showControls(name).replace(/\s+/g, ' '), DISCORD_LIMITS.choiceName),
  value: value.slice(0, DISCORD_LIMITS.choiceValue),
});

const severityChoices = (typed: string): Choice[] => {
  const needle = typed.trim().toLowerCase();
  const levels = SEVERITIES.filter((s) => s.startsWith(needle)).map((s) => choice(SEVERITY_LABELS[s], s));
  return needle.startsWith('cvss:') ? [choice(typed.trim(), typed.trim()), ...levels] : levels;
};

/** Open reports matching what was typed, for triagers only; anyone else gets no suggestions. */
const reportChoices = async (ctx: HandlerContext, typed: string): Promise<Choice[]> => {
  const lines = await listReports(ctx.core, ctx.actor, 'open');
  if (!lines.ok) return [];
  const needle = typed.trim().toLowerCase();
  return lines.value
    .filter((line) => line.text.toLowerCase().includes(needle))
    .slice(0, DISCORD_LIMITS.autocompleteChoices)
    .map((line) => choice(line.text, line.reportId));
};

/** Autocomplete answers at once (it cannot be deferred): report IDs for triagers, severity levels. */
export const autocompleteVuln = async (ctx: HandlerContext): Promise<void> => {
  const focused = ctx.interaction.focused;
  let choices: Choice[] = [];
  if (focused?.name === SEVERITY_OPTION) choices = severityChoices(focused.value);
  else if (focused && REPORT_ID_OPTIONS.includes(focused.name))
    choices = await reportChoices(ctx, focused.value);
  await ctx.reply.choices(choices.slice(0, DISCORD_LIMITS.autocompleteChoices));
};
