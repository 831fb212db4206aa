import type { Actor } from '../../../src/domain/report.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import type { CoreDeps } from '../../../src/use-cases/context.ts';
import type { DiscordInteraction } from '../interaction.ts';
import type { InteractionReply } from '../interaction-reply.ts';
import { replyMessages } from '../render/reply-message.ts';

/** What every interaction handler gets: the core, the interaction, who acted, and how to answer. */
export interface HandlerContext {
  readonly core: CoreDeps;
  readonly logger: Logger;
  /** Tells the outbox worker that a use case queued messages (card update, thread note, DM). */
  readonly wakeOutbox: () => void;
  readonly interaction: DiscordInteraction;
  readonly actor: Actor;
  readonly reply: InteractionReply;
}

/** A private one-line answer (a refusal, a hint) that needs no database. */
export const answerPrivately = (ctx: HandlerContext, line: string, ok = false): Promise<void> =>
  ctx.reply.send(replyMessages({ kind: 'text', ok, lines: [line] }));
