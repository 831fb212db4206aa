import type { App } from '@slack/bolt';
import { textReply } from '../../../src/commands/command-reply.ts';
import { runVulnCommand } from '../../../src/commands/run-vuln-command.ts';
import { reporterReports } from '../../../src/use-cases/queries.ts';
import { intakeFormView } from '../../../src/views/intake-form.ts';
import { intakeModal } from '../render/modal-views.ts';
import { isReplay } from '../replay-guard.ts';
import {
  errorText,
  replyPrivately,
  type SlackHandlerContext,
  SOMETHING_WENT_WRONG,
  slackActor,
} from './slack-context.ts';

/** `/report-vuln` opens the form before any other work (trigger IDs expire in ~3 s); `/vuln` acks first. */
export const registerCommands = (app: App, ctx: SlackHandlerContext): void => {
  // Serialised once: the Web API client sends a string as it is, where it would copy and stringify
  // the whole modal for every command.
  const form = JSON.stringify(intakeModal(intakeFormView(ctx.core.policy)));

  app.command('/report-vuln', async ({ command, ack, client, respond, context }) => {
    const actor = slackActor({ id: command.user_id, username: command.user_name });
    if (command.text.trim().toLowerCase() !== 'status') {
      const opening = client.views.open({ trigger_id: command.trigger_id, view: form as never });
      await ack();
      try {
        await opening;
      } catch (error) {
        ctx.logger.warn({ err: errorText(error), user: actor.userId }, 'slack views.open failed');
        await respond({
          response_type: 'ephemeral',
          text: 'The report form could not be opened. Please run /report-vuln again.',
        });
      }
      return;
    }
    await ack();
    if (await isReplay(context)) return;
    try {
      const mine = await reporterReports(ctx.core, actor);
      const lines = mine.length > 0 ? mine.map((line) => line.text) : ['You have not filed any reports.'];
      await replyPrivately(client, { respond, user: actor.userId }, textReply(lines, 'Your reports'));
    } catch (error) {
      ctx.logger.error({ err: errorText(error) }, 'slack /report-vuln status failed');
      await replyPrivately(client, { respond, user: actor.userId }, SOMETHING_WENT_WRONG);
    }
  });

  app.command('/vuln', async ({ command, ack, client, respond, context }) => {
    await ack();
    if (await isReplay(context)) return;
    const actor = slackActor({ id: command.user_id, username: command.user_name });
    try {
      const reply = await runVulnCommand(ctx.core, actor, command.text);
      ctx.wakeOutbox();
      await replyPrivately(client, { respond, user: actor.userId }, reply);
    } catch (error) {
      ctx.logger.error({ err: errorText(error) }, 'slack /vuln failed');
      await replyPrivately(client, { respond, user: actor.userId }, SOMETHING_WENT_WRONG);
    }
  });
};
