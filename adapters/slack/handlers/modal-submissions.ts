import type { App } from '@slack/bolt';
import { textReply } from '../../../src/commands/command-reply.ts';
import type { Result } from '../../../src/domain/result.ts';
import { replyToReporter, reporterAnswer } from '../../../src/use-cases/conversation.ts';
import type { ActionOutcome } from '../../../src/use-cases/mutate-report.ts';
import { markDuplicate, setDisclosureDate, setStatus } from '../../../src/use-cases/triage-actions.ts';
import { CALLBACKS, INPUT_ACTION, reportIdFromMetadata } from '../render/modal-views.ts';
import { errorText, replyPrivately, type SlackHandlerContext, slackActor } from './slack-context.ts';

type Values = Record<string, Record<string, { value?: string | null; selected_date?: string | null }>>;

const readText = (values: Values, block: string): string => values[block]?.[INPUT_ACTION]?.value ?? '';

/** One triage modal: run its use case, show a refusal on the field, or close and confirm privately. */
const triageModal = (
  app: App,
  ctx: SlackHandlerContext,
  callbackId: string,
  block: string,
  run: (actorInput: {
    actor: ReturnType<typeof slackActor>;
    reportId: string;
    value: string;
    /** The view's ID: one submitted form, so a replay of it changes nothing. */
    requestKey: string;
  }) => Promise<Result<ActionOutcome>>,
) => {
  app.view(callbackId, async ({ ack, body, view, client }) => {
    const actor = slackActor(body.user);
    const reportId = reportIdFromMetadata(view.private_metadata);
    const values = view.state.values as Values;
    const value =
      block === 'date' ? (values.date?.[INPUT_ACTION]?.selected_date ?? '') : readText(values, block);
    try {
      const result = await run({ actor, reportId, value, requestKey: `slack:view:${view.id}` });
      if (!result.ok) {
        await ack({ response_action: 'errors', errors: { [block]: result.error.message } });
        return;
      }
      await ack();
      if (result.value.replayed) return;
      ctx.wakeOutbox();
      // The change is saved and acknowledged: a confirmation Slack refuses (e.g. the triager is not in the
      // triage channel) must not be reported, or answered, as a failed submission.
      await replyPrivately(
        client,
        { channel: ctx.triageChannel, user: actor.userId },
        textReply([result.value.message]),
      ).catch((error: unknown) => {
        ctx.logger.warn({ err: errorText(error), callbackId }, 'slack modal confirmation could not be shown');
      });
    } catch (error) {
      ctx.logger.error({ err: errorText(error), callbackId }, 'slack modal submission failed');
      await ack({
        response_action: 'errors',
        errors: { [block]: 'Something went wrong; nothing was changed. Try again.' },
      });
    }
  });
};

export const registerModalSubmissions = (app: App, ctx: SlackHandlerContext): void => {
  const core = ctx.core;
  triageModal(app, ctx, CALLBACKS.disclosure, 'date', ({ actor, reportId, value }) =>
    setDisclosureDate(core, actor, reportId, value),
  );
  triageModal(app, ctx, CALLBACKS.duplicate, 'text', ({ actor, reportId, value }) =>
    markDuplicate(core, actor, reportId, value),
  );
  triageModal(app, ctx, CALLBACKS.reply, 'text', ({ actor, reportId, value, requestKey }) =>
    replyToReporter(core, actor, reportId, value, { requestKey }),
  );
  triageModal(app, ctx, CALLBACKS.needsInfo, 'text', ({ actor, reportId, value }) =>
    setStatus(core, actor, reportId, 'needs_info', value),
  );

  app.view(CALLBACKS.reporterAnswer, async ({ ack, body, view }) => {
    const reporter = slackActor(body.user);
    const reportId = reportIdFromMetadata(view.private_metadata);
    try {
      const result = await reporterAnswer(
        core,
        reporter,
        reportId,
        readText(view.state.values as Values, 'text'),
        { requestKey: `slack:view:${view.id}` },
      );
      if (!result.ok) {
        await ack({ response_action: 'errors', errors: { text: result.error.message } });
        return;
      }
      await ack({
        response_action: 'update',
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Answer sent' },
          close: { type: 'plain_text', text: 'Close' },
          blocks: [{ type: 'section', text: { type: 'plain_text', text: result.value.message } }],
        },
      });
      ctx.wakeOutbox();
    } catch (error) {
      ctx.logger.error({ err: errorText(error) }, 'slack reporter answer failed');
      await ack({
        response_action: 'errors',
        errors: { text: 'We could not send your answer; your text is still here. Try again.' },
      });
    }
  });
};
