import type { APIModalInteractionResponseCallbackData } from 'discord.js';
import { runVulnCommand } from '../../../src/commands/run-vuln-command.ts';
import type { Result } from '../../../src/domain/result.ts';
import { replyToReporter } from '../../../src/use-cases/conversation.ts';
import type { ActionOutcome } from '../../../src/use-cases/mutate-report.ts';
import {
  acknowledge,
  assign,
  closeOutOfScope,
  markDuplicate,
  setDisclosureDate,
  setSeverity,
  setStatus,
} from '../../../src/use-cases/triage-actions.ts';
import { CARD_ACTIONS } from '../../../src/views/triage-card.ts';
import { MODALS } from '../custom-ids.ts';
import {
  disclosureModal,
  duplicateModal,
  MODAL_TEXT_INPUT,
  needsInfoModal,
  replyModal,
} from '../render/action-modals.ts';
import { echoMessages } from '../render/echo-message.ts';
import { errorMessages, replyMessages } from '../render/reply-message.ts';
import { answerPrivately, type HandlerContext } from './handler-context.ts';

type Action = (ctx: HandlerContext, reportId: string, value: string) => Promise<Result<ActionOutcome>>;

/** Card buttons and selects that change the report at once. */
const CLICK_ACTIONS: Readonly<Record<string, Action>> = {
  [CARD_ACTIONS.acknowledge]: (ctx, id) => acknowledge(ctx.core, ctx.actor, id),
  [CARD_ACTIONS.assignToMe]: (ctx, id) => assign(ctx.core, ctx.actor, id, ctx.actor),
  [CARD_ACTIONS.severity]: (ctx, id, value) => setSeverity(ctx.core, ctx.actor, id, value),
  [CARD_ACTIONS.status]: (ctx, id, value) => setStatus(ctx.core, ctx.actor, id, value),
  [CARD_ACTIONS.outOfScope]: (ctx, id, value) => closeOutOfScope(ctx.core, ctx.actor, id, value),
};

/** Modals submitted from the card (their custom ID carries the report ID). */
const MODAL_ACTIONS: Readonly<Record<string, Action>> = {
  [MODALS.disclosure]: (ctx, id, value) => setDisclosureDate(ctx.core, ctx.actor, id, value),
  [MODALS.duplicate]: (ctx, id, value) => markDuplicate(ctx.core, ctx.actor, id, value),
  [MODALS.reply]: (ctx, id, value) => replyToReporter(ctx.core, ctx.actor, id, value),
  [MODALS.needsInfo]: (ctx, id, value) => setStatus(ctx.core, ctx.actor, id, 'needs_info', value),
};

/** Modals where someone wrote a message: on failure their text comes back to them. */
const WRITTEN_MESSAGES: ReadonlySet<string> = new Set([MODALS.reply, MODALS.needsInfo]);

/** The card's current disclosure day, read from the clicked message so the modal opens without I/O. */
const currentDisclosure = (ctx: HandlerContext): string | null =>
  /^\d{4}-\d{2}-\d{2}/.exec(ctx.interaction.messageFields.Disclosure ?? '')?.[0] ?? null;

const modalFor = (
  ctx: HandlerContext,
  action: string,
  reportId: string,
): APIModalInteractionResponseCallbackData | null => {
  if (action === CARD_ACTIONS.disclosure) return disclosureModal(reportId, currentDisclosure(ctx));
  if (action === CARD_ACTIONS.duplicate) return duplicateModal(reportId);
  if (action === CARD_ACTIONS.reply) return replyModal(reportId);
  if (action === CARD_ACTIONS.status && ctx.interaction.values[0] === 'needs_info')
    return needsInfoModal(reportId);
  return null;
};

/** A modal must be the first response, so this check is bounded; the submission is checked again anyway. */
const PRECHECK_MS = 1_000;

const mayOpenTriageModal = (ctx: HandlerContext): Promise<boolean> =>
  Promise.race([
    ctx.core.authorizer.isTriager(ctx.actor),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), PRECHECK_MS).unref()),
  ]);

const NOT_TRIAGER = 'Only the security triage team can do that. Nothing was changed.';

const answerOutcome = async (ctx: HandlerContext, result: Result<ActionOutcome>) => {
  if (result.ok) ctx.wakeOutbox();
  else
    ctx.logger.info({ interactionId: ctx.interaction.id, code: result.error.code }, 'discord action refused');
  await ctx.reply.send(
    result.ok
      ? replyMessages({ kind: 'text', ok: true, lines: [result.value.message] })
      : errorMessages(result.error),
  );
};

/** A button or select on a triage card. Every action goes through the core, which re-checks the triager. */
export const handleCardAction = async (
  ctx: HandlerContext,
  action: string,
  reportId: string,
): Promise<void> => {
  if (action === CARD_ACTIONS.reveal) {
    await ctx.reply.deferReply();
    await ctx.reply.send(replyMessages(await runVulnCommand(ctx.core, ctx.actor, `reveal ${reportId}`)));
    return;
  }
  const modal = modalFor(ctx, action, reportId);
  if (modal) {
    if (!(await mayOpenTriageModal(ctx))) return answerPrivately(ctx, NOT_TRIAGER);
    return ctx.reply.modal(modal);
  }
  const act = CLICK_ACTIONS[action];
  if (!act) return answerPrivately(ctx, 'This button is not known (any more). Nothing was changed.');
  await ctx.reply.deferUpdate();
  await answerOutcome(ctx, await act(ctx, reportId, ctx.interaction.values[0] ?? ''));
};

/** A triage modal (disclosure date, duplicate of, reply, needs-info question) was submitted. */
export const handleTriageModal = async (
  ctx: HandlerContext,
  modal: string,
  reportId: string,
): Promise<void> => {
  const act = MODAL_ACTIONS[modal];
  if (!act) return answerPrivately(ctx, 'This form is not known (any more). Nothing was changed.');
  await ctx.reply.deferReply();
  const field = ctx.interaction.fields[MODAL_TEXT_INPUT];
  const value = typeof field === 'string' ? field : '';
  const result = await act(ctx, reportId, value);
  if (!result.ok && WRITTEN_MESSAGES.has(modal)) {
    return ctx.reply.send(
      echoMessages({
        heading: '**Your message was not sent.**',
        problems: [result.error.message],
        fields: [{ label: 'Your message', value }],
        retry: 'then try again',
      }),
    );
  }
  await answerOutcome(ctx, result);
};
