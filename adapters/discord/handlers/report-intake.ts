import { textReply } from '../../../src/commands/command-reply.ts';
import { reporterReports } from '../../../src/use-cases/queries.ts';
import { submitReport } from '../../../src/use-cases/submit-report.ts';
import { intakeFormView } from '../../../src/views/intake-form.ts';
import { errorCode } from '../discord-errors.ts';
import { type EchoedField, echoMessages } from '../render/echo-message.ts';
import { intakeModal, type ModalValues, submissionFromModal } from '../render/intake-modal.ts';
import { replyMessages } from '../render/reply-message.ts';
import type { HandlerContext } from './handler-context.ts';

/** `/report-vuln`: the form is the first response, decided without any I/O. */
export const openIntakeForm = (ctx: HandlerContext): Promise<void> =>
  ctx.reply.modal(intakeModal(intakeFormView(ctx.core.policy)));

/** `/report-vuln action:status`: the reporter's own reports, nobody else's. */
export const showOwnReports = async (ctx: HandlerContext): Promise<void> => {
  await ctx.reply.deferReply();
  const mine = await reporterReports(ctx.core, ctx.actor);
  const lines = mine.length > 0 ? mine.map((line) => line.text) : ['You have not filed any reports.'];
  await ctx.reply.send(replyMessages(textReply(lines, 'Your reports')));
};

const echoedFields = (ctx: HandlerContext, values: ModalValues): EchoedField[] =>
  intakeFormView(ctx.core.policy).fields.flatMap((field) => {
    const value = values[field.id];
    if (value === undefined) return [];
    return [{ label: field.label, value: typeof value === 'string' ? value : value.join(', ') }];
  });

const STORAGE_PROBLEM =
  'We could not store your report just now, so it was not filed. Please try again in a few minutes.';

/**
 * The intake modal was submitted: validate and store it (the interaction ID is the submission key,
 * so a redelivered submission files one report), then confirm privately with the tracking ID. On any
 * problem the reporter gets their own text back, so nothing they typed is lost.
 */
export const submitIntake = async (ctx: HandlerContext): Promise<void> => {
  const { interaction } = ctx;
  await ctx.reply.deferReply();
  const echo = (problems: readonly string[]) =>
    ctx.reply.send(
      echoMessages({
        heading: '**Your report was not filed.**',
        problems,
        fields: echoedFields(ctx, interaction.fields),
        retry: 'then run `/report-vuln` again',
      }),
    );
  let result: Awaited<ReturnType<typeof submitReport>>;
  try {
    result = await submitReport(ctx.core, {
      reporter: ctx.actor,
      submission: submissionFromModal(interaction.fields),
      submissionKey: interaction.id,
    });
  } catch (error) {
    ctx.logger.error(
      { interactionId: interaction.id, code: errorCode(error) },
      'discord report could not be stored',
    );
    return echo([STORAGE_PROBLEM]);
  }
  if (!result.ok) {
    ctx.logger.info({ interactionId: interaction.id, code: result.error.code }, 'discord report refused');
    return echo((result.error.errors ?? [result.error]).map((error) => error.message));
  }
  const { report, created, confirmation } = result.value;
  ctx.logger.info({ interactionId: interaction.id, reportId: report.id, created }, 'discord report filed');
  ctx.wakeOutbox();
  await ctx.reply.send(replyMessages(textReply(confirmation.lines, `Report received: ${report.id}`)));
};
