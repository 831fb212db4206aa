import type { App } from '@slack/bolt';
import { submitReport } from '../../../src/use-cases/submit-report.ts';
import { CALLBACKS, confirmationModal, submissionFromState } from '../render/modal-views.ts';
import { errorText, type SlackHandlerContext, slackActor } from './slack-context.ts';

const STORAGE_FAILED =
  'We could not save your report just now. Your text is still here: please press Submit again in a moment.';

/**
 * Validates and stores the report before the modal closes. Errors go back on the field they belong
 * to, with the reporter's text untouched; the same view submitted twice files one report.
 */
export const registerIntakeSubmission = (app: App, ctx: SlackHandlerContext): void => {
  app.view(CALLBACKS.intake, async ({ ack, body, view }) => {
    const reporter = slackActor(body.user);
    const submission = submissionFromState(view.state.values as never);
    try {
      const result = await submitReport(ctx.core, {
        reporter,
        submission,
        submissionKey: `slack:${view.id}`,
      });
      if (!result.ok) {
        const errors: Record<string, string> = {};
        for (const problem of result.error.errors ?? [result.error]) {
          const field = problem.field ?? 'title';
          errors[field] ??= problem.message;
        }
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack({
        response_action: 'update',
        view: confirmationModal(result.value.confirmation.lines) as never,
      });
      ctx.wakeOutbox();
      ctx.logger.info(
        { reportId: result.value.report.id, created: result.value.created },
        'slack report received',
      );
    } catch (error) {
      ctx.logger.error({ err: errorText(error), user: reporter.userId }, 'slack report could not be stored');
      await ack({ response_action: 'errors', errors: { title: STORAGE_FAILED } });
    }
  });
};
