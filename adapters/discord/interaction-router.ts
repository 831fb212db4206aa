import { InteractionResponseType } from 'discord.js';
import type { Logger } from '../../src/ports/logger.ts';
import type { CoreDeps } from '../../src/use-cases/context.ts';
import { MODALS, parseCustomId, REPORTER_ANSWER_BUTTON } from './custom-ids.ts';
import { actorFor } from './discord-actor.ts';
import { errorCode } from './discord-errors.ts';
import type { InteractionWebhooks } from './discord-rest.ts';
import { handleCardAction, handleTriageModal } from './handlers/card-actions.ts';
import { answerPrivately, type HandlerContext } from './handlers/handler-context.ts';
import { openIntakeForm, showOwnReports, submitIntake } from './handlers/report-intake.ts';
import { openReporterAnswer, submitReporterAnswer } from './handlers/reporter-answer.ts';
import { autocompleteVuln, runSlashVuln } from './handlers/vuln-command.ts';
import { type DiscordInteraction, parseInteraction } from './interaction.ts';
import { createSeenInteractions } from './interaction-dedupe.ts';
import { createInteractionReply, type FirstResponse } from './interaction-reply.ts';
import { NO_MENTIONS } from './render/message-body.ts';
import { errorMessages, SOMETHING_WENT_WRONG } from './render/reply-message.ts';

export interface InteractionRouterOptions {
  readonly core: CoreDeps;
  readonly logger: Logger;
  readonly wakeOutbox: () => void;
  /** The one guild the bot serves; interactions from any other are refused. */
  readonly guildId: string;
  readonly webhooks: InteractionWebhooks;
  readonly now?: () => number;
}

/** `handled`: answered; `duplicate`: seen before, ignored; `unreadable`: no usable interaction in it. */
export type RouteResult = 'handled' | 'duplicate' | 'unreadable';

export interface InteractionRouter {
  /** The one inbound door: both transports hand every interaction payload to it. */
  handle(raw: unknown, respond: FirstResponse): Promise<RouteResult>;
  /** Resolves when every interaction being handled has finished (for shutdown and tests). */
  idle(): Promise<void>;
}

const OTHER_GUILD = 'vulndesk only works in the server it was set up for. Nothing was changed.';
const NOT_IN_DM = 'Triage actions only work in the server, not in direct messages. Nothing was changed.';

type Route = (ctx: HandlerContext) => Promise<void>;

/** Which handler answers an interaction, and where it may come from. */
const route = (i: DiscordInteraction, guildId: string): Route => {
  const inGuild = i.guildId === guildId;
  const inOtherGuild = i.guildId !== null && !inGuild;
  const triageOnly = (handler: Route): Route =>
    inGuild ? handler : (ctx) => answerPrivately(ctx, inOtherGuild ? OTHER_GUILD : NOT_IN_DM);
  const reporterFlow = (handler: Route): Route =>
    inOtherGuild ? (ctx) => answerPrivately(ctx, OTHER_GUILD) : handler;
  const { action, reportId } = parseCustomId(i.customId);
  switch (i.kind) {
    case 'command':
      if (i.commandName === 'report-vuln') {
        return reporterFlow(i.options.action === 'status' ? showOwnReports : openIntakeForm);
      }
      if (i.commandName === 'vuln') return triageOnly(runSlashVuln);
      return (ctx) => answerPrivately(ctx, `Unknown command /${i.commandName}.`);
    case 'autocomplete':
      return inGuild ? autocompleteVuln : (ctx) => ctx.reply.choices([]);
    case 'component':
      if (action === REPORTER_ANSWER_BUTTON) return reporterFlow((ctx) => openReporterAnswer(ctx, reportId));
      return triageOnly((ctx) => handleCardAction(ctx, action, reportId));
    case 'modal':
      if (action === MODALS.intake) return reporterFlow(submitIntake);
      if (action === MODALS.reporterAnswer) return reporterFlow((ctx) => submitReporterAnswer(ctx, reportId));
      return triageOnly((ctx) => handleTriageModal(ctx, action, reportId));
    case 'ping':
      return async () => {};
  }
};

export const createInteractionRouter = (options: InteractionRouterOptions): InteractionRouter => {
  const { core, logger, guildId, webhooks } = options;
  const seen = createSeenInteractions(options.now);
  const inFlight = new Set<Promise<unknown>>();

  /**
   * Replicas share the record of handled interactions. Opening the intake form does no I/O first
   * (opening it twice is harmless); autocomplete is read-only.
   */
  const firstAcrossReplicas = async (interaction: DiscordInteraction): Promise<boolean> => {
    const opensForm = interaction.kind === 'command' && interaction.commandName === 'report-vuln';
    if (opensForm || interaction.kind === 'autocomplete' || interaction.kind === 'ping') return true;
    try {
      return await core.store.replays.firstSeen(`discord:interaction:${interaction.id}`, core.now());
    } catch (error) {
      logger.warn(
        { interactionId: interaction.id, code: errorCode(error) },
        'discord: replay check unavailable',
      );
      return true;
    }
  };

  const answerUnreadable = async (answerable: { id: string; token: string }, respond: FirstResponse) => {
    const [message] = errorMessages({ message: 'This request could not be read. Nothing was changed.' });
    try {
      await respond(answerable, {
        type: InteractionResponseType.ChannelMessageWithSource,
        data: message ?? { allowed_mentions: NO_MENTIONS },
      });
    } catch (error) {
      logger.warn({ interactionId: answerable.id, code: errorCode(error) }, 'discord: could not answer');
    }
  };

  const run = async (interaction: DiscordInteraction, respond: FirstResponse) => {
    const reply = createInteractionReply(interaction, respond, webhooks);
    const ctx: HandlerContext = {
      core,
      logger,
      wakeOutbox: options.wakeOutbox,
      interaction,
      actor: actorFor(interaction, guildId),
      reply,
    };
    try {
      await route(interaction, guildId)(ctx);
    } catch (error) {
      logger.error(
        { interactionId: interaction.id, kind: interaction.kind, code: errorCode(error) },
        'discord interaction failed',
      );
      try {
        await reply.send(errorMessages({ message: SOMETHING_WENT_WRONG }));
      } catch (answerError) {
        logger.warn(
          { interactionId: interaction.id, code: errorCode(answerError) },
          'discord: could not answer',
        );
      }
    }
  };

  const handle = async (raw: unknown, respond: FirstResponse): Promise<RouteResult> => {
    const parsed = parseInteraction(raw);
    if (!parsed.ok) {
      logger.warn(
        { interactionId: parsed.answerable?.id, code: parsed.reason },
        'discord: unreadable interaction',
      );
      if (parsed.answerable) await answerUnreadable(parsed.answerable, respond);
      return 'unreadable';
    }
    if (!seen.firstTime(parsed.interaction.id) || !(await firstAcrossReplicas(parsed.interaction))) {
      logger.info({ interactionId: parsed.interaction.id }, 'discord: repeated interaction ignored');
      return 'duplicate';
    }
    const work = run(parsed.interaction, respond);
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
    return 'handled';
  };

  return {
    handle,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
};
