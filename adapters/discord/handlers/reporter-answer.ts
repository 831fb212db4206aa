import { reporterAnswer } from '../../../src/use-cases/conversation.ts';
import { MODAL_TEXT_INPUT, reporterAnswerModal } from '../render/action-modals.ts';
import { echoMessages } from '../render/echo-message.ts';
import { replyMessages } from '../render/reply-message.ts';
import type { HandlerContext } from './handler-context.ts';

/** The "Reply" button on a reporter's DM opens the answer form; ownership is checked on submit. */
export const openReporterAnswer = (ctx: HandlerContext, reportId: string): Promise<void> =>
  ctx.reply.modal(reporterAnswerModal(reportId));

/** The reporter's answer lands in the report's triage thread (and resumes a needs-info report). */
export const submitReporterAnswer = async (ctx: HandlerContext, reportId: string): Promise<void> => {
  await ctx.reply.deferReply();
  const value = ctx.interaction.fields[MODAL_TEXT_INPUT];
  const result = await reporterAnswer(ctx.core, ctx.actor, reportId, typeof value === 'string' ? value : '');
  if (!result.ok) {
    const text = typeof value === 'string' ? value : '';
    return ctx.reply.send(
      echoMessages({
        heading: '**Your answer was not sent.**',
        problems: [result.error.message],
        fields: [{ label: 'Your answer', value: text }],
        retry: 'then press Reply again',
      }),
    );
  }
  ctx.wakeOutbox();
  await ctx.reply.send(replyMessages({ kind: 'text', ok: true, lines: [result.value.message] }));
};
