import type { App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type CommandReply, errorReply, textReply } from '../../../src/commands/command-reply.ts';
import type { Actor } from '../../../src/domain/report.ts';
import type { Result } from '../../../src/domain/result.ts';
import type { ActionOutcome, RequestOptions } from '../../../src/use-cases/mutate-report.ts';
import { requireTriager } from '../../../src/use-cases/mutate-report.ts';
import { revealReport, showReport } from '../../../src/use-cases/queries.ts';
import {
  acknowledge,
  assign,
  closeOutOfScope,
  setSeverity,
  setStatus,
} from '../../../src/use-cases/triage-actions.ts';
import { CARD_ACTIONS } from '../../../src/views/triage-card.ts';
import { CARD_BLOCK_PREFIX } from '../render/card-blocks.ts';
import { REPORTER_ANSWER_ACTION } from '../render/message-blocks.ts';
import { CALLBACKS, disclosureModal, textInputModal } from '../render/modal-views.ts';
import { isReplay, slackReplayKey } from '../replay-guard.ts';
import {
  errorText,
  replyPrivately,
  type SlackHandlerContext,
  SOMETHING_WENT_WRONG,
  slackActor,
} from './slack-context.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & {
  client: import('@slack/bolt').webApi.WebClient;
  context: Record<string, unknown>;
};

interface ClickedAction {
  readonly block_id?: string;
  readonly value?: string;
  readonly selected_option?: { readonly value?: string } | null;
}

/** The report a click names: the button's value, or the card's block ID for selects. */
const reportIdOf = (action: ClickedAction): string => {
  if (action.value) return action.value;
  const [prefix, id] = (action.block_id ?? '').split('|');
  return prefix === CARD_BLOCK_PREFIX && id ? id : '';
};

/** The clicker's private answer; none for a replay, which changed nothing and was answered the first time. */
type Outcome = Promise<Result<ActionOutcome>>;

const fromOutcome = (result: Result<ActionOutcome>): CommandReply | null => {
  if (!result.ok) return errorReply(result.error);
  return result.value.replayed ? null : textReply([result.value.message]);
};

/**
 * How a click is kept from running twice (Slack retries, replayed requests): checked before anything
 * else, or, for a triage change, recorded with the change in its transaction (a round trip less).
 */
type ReplayCheck = 'checked-first' | 'recorded-with-change';

export const registerCardActions = (app: App, ctx: SlackHandlerContext): void => {
  const core = ctx.core;

  /** Every click: acknowledged before it gets here (adapters/slack/slack-screen.ts), then decided. */
  const onClick = (
    actionId: string,
    handle: (
      args: ActionArgs,
      reportId: string,
      value: string,
      request: RequestOptions,
    ) => Promise<CommandReply | null>,
    replays: ReplayCheck = 'checked-first',
  ) => {
    app.action<BlockAction>(actionId, async (args) => {
      await args.ack();
      if (replays === 'checked-first' && (await isReplay(args.context))) return;
      const action = args.action as ClickedAction;
      const actor = slackActor(args.body.user);
      const target = { respond: args.respond, channel: args.body.channel?.id, user: actor.userId };
      const request = { requestKey: slackReplayKey(args.body as unknown as Record<string, unknown>) };
      try {
        const reply = await handle(
          args as ActionArgs,
          reportIdOf(action),
          action.selected_option?.value ?? '',
          request,
        );
        ctx.wakeOutbox();
        if (reply) await replyPrivately(args.client, target, reply);
      } catch (error) {
        ctx.logger.error({ err: errorText(error), actionId }, 'slack card action failed');
        await replyPrivately(args.client, target, SOMETHING_WENT_WRONG).catch(() => undefined);
      }
    });
  };

  const openModal = async (args: ActionArgs, view: Record<string, unknown>): Promise<CommandReply | null> => {
    const allowed = await requireTriager(core, slackActor(args.body.user));
    if (!allowed.ok) return errorReply(allowed.error);
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: view as never });
    return null;
  };

  /** A click that is one triage change: its replay key is recorded with the change. */
  const onChange = (
    actionId: string,
    change: (actor: Actor, reportId: string, value: string, request: RequestOptions) => Outcome,
  ) =>
    onClick(
      actionId,
      async ({ body }, id, value, request) =>
        fromOutcome(await change(slackActor(body.user), id, value, request)),
      'recorded-with-change',
    );

  onChange(CARD_ACTIONS.acknowledge, (actor, id, _value, request) => acknowledge(core, actor, id, request));
  onChange(CARD_ACTIONS.assignToMe, (actor, id, _value, request) => assign(core, actor, id, actor, request));
  onChange(CARD_ACTIONS.severity, (actor, id, value, request) =>
    setSeverity(core, actor, id, value, request),
  );
  onChange(CARD_ACTIONS.outOfScope, (actor, id, value, request) =>
    closeOutOfScope(core, actor, id, value, request),
  );
  onClick(
    CARD_ACTIONS.status,
    async (args, id, value, request) => {
      if (value === 'needs_info') {
        if (await isReplay(args.context)) return null;
        return openModal(
          args,
          textInputModal({
            callbackId: CALLBACKS.needsInfo,
            reportId: id,
            heading: 'Ask the reporter',
            label: `What do you need to know about ${id}?`,
          }),
        );
      }
      return fromOutcome(await setStatus(core, slackActor(args.body.user), id, value, '', request));
    },
    'recorded-with-change',
  );
  onClick(CARD_ACTIONS.disclosure, async (args, id) => {
    const shown = await showReport(core, slackActor(args.body.user), id);
    if (!shown.ok) return errorReply(shown.error);
    return openModal(args, disclosureModal(shown.value.report.id, shown.value.report.disclosureOn));
  });
  onClick(CARD_ACTIONS.duplicate, async (args, id) =>
    openModal(
      args,
      textInputModal({
        callbackId: CALLBACKS.duplicate,
        reportId: id,
        heading: 'Duplicate of',
        label: `${id} duplicates which report?`,
        multiline: false,
        maxLength: 40,
        placeholder: 'VULN-0001',
      }),
    ),
  );
  onClick(CARD_ACTIONS.reply, async (args, id) =>
    openModal(
      args,
      textInputModal({
        callbackId: CALLBACKS.reply,
        reportId: id,
        heading: 'Reply to reporter',
        label: `Message to the reporter of ${id}`,
      }),
    ),
  );
  onClick(CARD_ACTIONS.reveal, async ({ body }, id) => {
    const report = await revealReport(core, slackActor(body.user), id);
    if (!report.ok) return errorReply(report.error);
    const r = report.value;
    return textReply(
      [
        'Description and steps to reproduce:',
        r.description,
        '',
        'Impact:',
        r.impact,
        '',
        `Reporter's severity: ${r.severityGuess || '(none)'}`,
      ],
      `${r.id} full text (only you can see this)`,
    );
  });

  app.action<BlockAction>(REPORTER_ANSWER_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const reportId = (action as ClickedAction).value ?? '';
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: textInputModal({
          callbackId: CALLBACKS.reporterAnswer,
          reportId,
          heading: 'Answer the team',
          label: `Your answer about ${reportId}`,
        }) as never,
      });
    } catch (error) {
      ctx.logger.warn({ err: errorText(error) }, 'slack reporter answer modal failed to open');
    }
  });
};
