import type { CommandReply } from '../../../src/commands/command-reply.ts';
import type { AppError } from '../../../src/domain/result.ts';
import { cardMessage } from './card-message.ts';
import { escapeClip } from './escape.ts';
import { ephemeral, type MessageBody } from './message-body.ts';
import { textMessages } from './text-message.ts';

/** A private answer to the person who acted: one or more ephemeral messages. */
export const replyMessages = (reply: CommandReply): MessageBody[] => {
  if (reply.kind === 'card') return [ephemeral(cardMessage(reply.card))];
  const header = reply.title ? `**${escapeClip(reply.title, 200)}**` : '';
  const body = `${reply.ok ? '' : '⚠️ '}${reply.lines.join('\n')}`;
  return textMessages(header, body).map(ephemeral);
};

export const errorMessages = (error: Pick<AppError, 'message'>): MessageBody[] =>
  replyMessages({ kind: 'text', ok: false, lines: [error.message] });

/** What someone sees when the bot itself failed: short, private, and sure about what was kept. */
export const SOMETHING_WENT_WRONG =
  'Something went wrong on our side and nothing was changed. Please try again in a moment.';
