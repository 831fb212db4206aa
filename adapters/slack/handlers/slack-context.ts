import type { webApi } from '@slack/bolt';
import type { CommandReply } from '../../../src/commands/command-reply.ts';
import type { Actor } from '../../../src/domain/report.ts';
import { errorText as describeError } from '../../../src/logging/error-text.ts';
import type { AdapterContext } from '../../chat-adapter.ts';
import { replyMessage } from '../render/message-blocks.ts';

export interface SlackHandlerContext extends AdapterContext {
  readonly triageChannel: string;
}

interface SlackUser {
  readonly id?: string;
  readonly username?: string;
  readonly name?: string;
}

export const slackActor = (user: SlackUser | undefined, fallbackName?: string): Actor => ({
  platform: 'slack',
  userId: user?.id ?? 'unknown',
  displayName: user?.username ?? user?.name ?? fallbackName ?? user?.id ?? 'unknown',
});

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/** A private answer: through response_url when the request has one, otherwise an ephemeral message. */
export const replyPrivately = async (
  client: webApi.WebClient,
  target: { readonly respond?: Respond; readonly channel?: string; readonly user: string },
  reply: CommandReply,
): Promise<void> => {
  const message = replyMessage(reply);
  if (target.respond) {
    await target.respond({ response_type: 'ephemeral', replace_original: false, ...message });
    return;
  }
  const channel = target.channel ?? target.user;
  await client.chat.postEphemeral({ channel, user: target.user, ...message });
};

/** Log text for an error: short, and never the parameters of a failed query (report text). */
export const errorText = (error: unknown): string => describeError(error);

export const SOMETHING_WENT_WRONG: CommandReply = {
  kind: 'text',
  ok: false,
  lines: ['Something went wrong on our side; nothing was changed. Please try again in a moment.'],
};
