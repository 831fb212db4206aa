import type { webApi } from '@slack/bolt';
import type { ChatDelivery, DeliveryOutcome } from '../../src/ports/chat-delivery.ts';
import { cardBlocks, cardFallbackText } from './render/card-blocks.ts';
import { digestBlocks, slackPermalink } from './render/digest-blocks.ts';
import { channelTextMessage, noticeMessage, threadNoteMessage } from './render/message-blocks.ts';
import type { ChannelGuard } from './triage-channel-guard.ts';

/** Errors that retrying cannot fix: the message is parked until someone fixes the cause. */
export const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'cant_update_message',
  'message_not_found',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'restricted_action',
  'ekm_access_denied',
  'team_access_not_granted',
]);

interface SlackErrorShape {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  message?: string;
}

/** Sorts a Web API failure into retry-later or park. */
export const classifySlackError = (error: unknown): DeliveryOutcome => {
  const e = (error ?? {}) as SlackErrorShape;
  if (e.code === 'slack_webapi_rate_limited_error') {
    return { status: 'retry', error: 'ratelimited', retryAfterMs: (e.retryAfter ?? 1) * 1000 };
  }
  const platformError = e.data?.error;
  if (e.code === 'slack_webapi_platform_error' && platformError) {
    return PERMANENT_SLACK_ERRORS.has(platformError)
      ? { status: 'failed', error: platformError }
      : { status: 'retry', error: platformError };
  }
  return { status: 'retry', error: e.code ?? 'slack_request_failed' };
};

/** Slack allows about one message per second per channel, with short bursts. */
export const SLACK_PACING = { burst: 3, intervalMs: 1000 } as const;

/**
 * Thread notes joined into one post: two plain_text sections of the 50 a message may hold (each
 * 3,000 characters once invisible characters are shown), well under the 40,000-character message limit.
 */
export const SLACK_NOTE_CHARS = 6000;

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

/** Sends outbox messages through the Slack Web API. */
export interface SlackDeliveryOptions {
  readonly triageChannel: string;
  /** Holds triage-channel messages while the channel is not confirmed private. */
  readonly channelGuard?: ChannelGuard;
  /** The workspace URL from auth.test, for links to cards; null until known. */
  readonly teamUrl: () => string | null;
}

export const createSlackDelivery = (
  client: webApi.WebClient,
  options: SlackDeliveryOptions,
): ChatDelivery => {
  const { triageChannel } = options;
  const dmChannels = new Map<string, string>();

  const dmChannel = async (userId: string): Promise<string> => {
    const known = dmChannels.get(userId);
    if (known) return known;
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id ?? userId;
    dmChannels.set(userId, id);
    return id;
  };

  return {
    platform: 'slack',
    pacing: SLACK_PACING,
    noteChars: SLACK_NOTE_CHARS,
    async deliver({ message, card, cardView, report, lookupCard }) {
      try {
        const payload = message.payload;
        if (message.destination === 'triage' && options.channelGuard) {
          const problem = await options.channelGuard.problem();
          if (problem) return { status: 'retry', error: 'triage_channel_not_private', retryAfterMs: 60_000 };
        }
        switch (payload.type) {
          case 'triage_card': {
            if (!cardView || !report) return { status: 'failed', error: 'report_missing' };
            const content = { text: cardFallbackText(cardView), blocks: cardBlocks(cardView) };
            if (card) {
              await client.chat.update({ channel: card.channelId, ts: card.messageId, ...content });
              return { status: 'delivered' };
            }
            const posted = await client.chat.postMessage({
              channel: triageChannel,
              ...content,
              ...NO_UNFURL,
            });
            const ts = String(posted.ts);
            return {
              status: 'delivered',
              card: {
                reportId: report.id,
                platform: 'slack',
                channelId: String(posted.channel ?? triageChannel),
                messageId: ts,
                threadId: ts,
              },
            };
          }
          case 'thread_note': {
            if (!card) return { status: 'retry', error: 'card_not_posted' };
            await client.chat.postMessage({
              channel: card.channelId,
              thread_ts: card.threadId ?? card.messageId,
              ...threadNoteMessage(payload.text),
              ...NO_UNFURL,
            });
            return { status: 'delivered' };
          }
          case 'reporter_notice': {
            const channel = await dmChannel(message.destination.replace(/^user:/, ''));
            await client.chat.postMessage({ channel, ...noticeMessage(payload.notice), ...NO_UNFURL });
            return { status: 'delivered' };
          }
          case 'channel_text': {
            const user = message.destination.startsWith('user:') ? message.destination.slice(5) : null;
            await client.chat.postMessage({
              channel: user ? await dmChannel(user) : triageChannel,
              ...channelTextMessage(payload.title, payload.lines),
              ...NO_UNFURL,
            });
            return { status: 'delivered' };
          }
          case 'digest': {
            const links = new Map<string, string>();
            const teamUrl = options.teamUrl();
            for (const item of payload.digest.sections.flatMap((s) => s.items)) {
              if (!item.reportId || !teamUrl || links.has(item.reportId)) continue;
              const ref = await lookupCard(item.reportId);
              if (ref) links.set(item.reportId, slackPermalink(teamUrl, ref.channelId, ref.messageId));
            }
            const content = digestBlocks(payload.digest, (id) => links.get(id) ?? null);
            await client.chat.postMessage({ channel: triageChannel, ...content, ...NO_UNFURL });
            return { status: 'delivered' };
          }
        }
      } catch (error) {
        return classifySlackError(error);
      }
    },
  };
};
