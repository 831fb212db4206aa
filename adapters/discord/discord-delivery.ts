import { type REST, Routes } from 'discord.js';
import type { ChatDelivery, DeliveryItem, DeliveryOutcome } from '../../src/ports/chat-delivery.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { CardRef } from '../../src/ports/store.ts';
import type { ReporterNotice } from '../../src/views/reporter-notice.ts';
import type { TriageCardView } from '../../src/views/triage-card.ts';
import type { DiscordConfig } from './discord-config.ts';
import { DISCORD_CODES, errorCode, isDiscordCode, outcomeFor } from './discord-errors.ts';
import { cardMessage, threadName } from './render/card-message.ts';
import { digestMessage, discordMessageLink } from './render/digest-message.ts';
import type { MessageBody } from './render/message-body.ts';
import {
  channelTextMessage,
  noticeMessage,
  threadNoteMessage,
  undeliveredNoticeMessage,
} from './render/notice-message.ts';

/** A week: triage threads stay open while a report is worked on; a new note reopens them anyway. */
const THREAD_ARCHIVE_MINUTES = 10_080;

/** Discord allows about five messages per five seconds in one channel. */
export const DISCORD_PACING = { burst: 5, intervalMs: 1000 } as const;

const DM_CACHE_SIZE = 10_000;

interface Posted {
  readonly id: string;
}

export interface DiscordDeliveryOptions {
  readonly rest: REST;
  readonly config: Pick<DiscordConfig, 'triageChannelId' | 'guildId'>;
  readonly logger: Logger;
}

/** One nonce per outbox message (Discord allows 25 characters). */
const nonceFor = (outboxId: number): string => `vd-${outboxId}`;

/**
 * Joined thread notes name the last note too: a retry that joins more notes is a different post, never
 * answered with the earlier one (which would lose the notes added since).
 */
const noteNonce = ({ message, joined }: DeliveryItem): string => {
  const last = joined?.at(-1);
  return last === undefined ? nonceFor(message.id) : `vd-${message.id}-${last}`;
};

/**
 * Thread notes joined into one post: one message holds 6,000 characters after escaping (content and two
 * embeds), and escaping can double the length of markdown-heavy text.
 */
export const DISCORD_NOTE_CHARS = 2500;

/** Sends the outbox's Discord messages: cards (edited in place), thread notes, DMs and channel posts. */
export const createDiscordDelivery = ({ rest, config, logger }: DiscordDeliveryOptions): ChatDelivery => {
  /**
   * With a nonce, Discord answers a repeated post (a crash after Discord accepted it, before the outbox
   * marked it delivered) with the message it already created instead of posting it twice.
   */
  const post = async (channelId: string, body: MessageBody, nonce?: string): Promise<Posted> =>
    (await rest.post(Routes.channelMessages(channelId), {
      body: nonce ? { ...body, nonce, enforce_nonce: true } : body,
    })) as Posted;

  const dmChannels = new Map<string, string>();
  /** Opens (or finds) the DM channel with a user; Discord returns the same channel every time. */
  const dmChannel = async (userId: string): Promise<string> => {
    const known = dmChannels.get(userId);
    if (known) return known;
    const { id } = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as Posted;
    if (dmChannels.size >= DM_CACHE_SIZE) dmChannels.clear();
    dmChannels.set(userId, id);
    return id;
  };

  const startThread = async (card: CardRef, view: Pick<TriageCardView, 'reportId' | 'title'>) => {
    const thread = (await rest.post(Routes.threads(card.channelId, card.messageId), {
      body: { name: threadName(view), auto_archive_duration: THREAD_ARCHIVE_MINUTES },
    })) as Posted;
    return thread.id;
  };

  /** Posts a new card and opens its thread; a thread that fails now is opened by the next note. */
  const postCard = async (view: TriageCardView, nonce?: string): Promise<CardRef> => {
    const message = await post(config.triageChannelId, cardMessage(view), nonce);
    const card: CardRef = {
      reportId: view.reportId,
      platform: 'discord',
      channelId: config.triageChannelId,
      messageId: message.id,
      threadId: null,
    };
    try {
      return { ...card, threadId: await startThread(card, view) };
    } catch (error) {
      logger.warn(
        { reportId: view.reportId, code: errorCode(error) },
        'discord: card thread not created yet',
      );
      return card;
    }
  };

  const deliverCard = async ({ card, cardView, message }: DeliveryItem): Promise<DeliveryOutcome> => {
    if (!cardView) return { status: 'failed', error: 'report.not_found' };
    if (!card) return { status: 'delivered', card: await postCard(cardView, nonceFor(message.id)) };
    try {
      await rest.patch(Routes.channelMessage(card.channelId, card.messageId), {
        body: cardMessage(cardView),
      });
      return { status: 'delivered' };
    } catch (error) {
      if (!isDiscordCode(error, DISCORD_CODES.unknownMessage)) throw error;
      logger.warn({ reportId: card.reportId }, 'discord: card was deleted; posting it again');
      return { status: 'delivered', card: await postCard(cardView) };
    }
  };

  /** Posts under the report's card: in its thread (opened now if it is missing), else in the channel. */
  /** Notes go in the card's thread, so they wait until the card exists (it has its own queue). */
  const postUnderCard = async (
    item: DeliveryItem,
    body: MessageBody,
    nonce?: string,
  ): Promise<DeliveryOutcome> => {
    const { card, report } = item;
    if (!card) return { status: 'retry', error: 'card_not_posted' };
    let threadId = card.threadId;
    if (threadId === null) {
      try {
        threadId = await startThread(card, { reportId: card.reportId, title: report?.title ?? '' });
      } catch (error) {
        logger.warn(
          { reportId: card.reportId, code: errorCode(error) },
          'discord: no thread; note posted in channel',
        );
      }
    }
    try {
      await post(threadId ?? card.channelId, body, nonce);
    } catch (error) {
      if (threadId === null || !isDiscordCode(error, DISCORD_CODES.unknownChannel)) throw error;
      await post(card.channelId, body, nonce);
    }
    return threadId === card.threadId
      ? { status: 'delivered' }
      : { status: 'delivered', card: { ...card, threadId } };
  };

  const deliverNotice = async (item: DeliveryItem, notice: ReporterNotice): Promise<DeliveryOutcome> => {
    try {
      await post(
        await dmChannel(item.message.destination.replace(/^user:/, '')),
        noticeMessage(notice),
        nonceFor(item.message.id),
      );
      return { status: 'delivered' };
    } catch (error) {
      if (!isDiscordCode(error, DISCORD_CODES.cannotDmUser)) throw error;
      logger.info(
        { reportId: notice.reportId, code: errorCode(error) },
        'discord: reporter refuses DMs; noted on card',
      );
      return postUnderCard(item, undeliveredNoticeMessage(notice));
    }
  };

  const deliverItem = async (item: DeliveryItem): Promise<DeliveryOutcome> => {
    const payload = item.message.payload;
    switch (payload.type) {
      case 'triage_card':
        return deliverCard(item);
      case 'thread_note':
        return postUnderCard(item, threadNoteMessage(payload.text), noteNonce(item));
      case 'reporter_notice':
        return deliverNotice(item, payload.notice);
      case 'channel_text': {
        const user = item.message.destination.startsWith('user:') ? item.message.destination.slice(5) : null;
        await post(
          user ? await dmChannel(user) : config.triageChannelId,
          channelTextMessage(payload.title, payload.lines),
          nonceFor(item.message.id),
        );
        return { status: 'delivered' };
      }
      case 'digest': {
        const links = new Map<string, string>();
        for (const { reportId } of payload.digest.sections.flatMap((section) => section.items)) {
          if (!reportId || links.has(reportId)) continue;
          const card = await item.lookupCard(reportId);
          if (card) links.set(reportId, discordMessageLink(config.guildId, card.channelId, card.messageId));
        }
        await post(
          config.triageChannelId,
          digestMessage(payload.digest, (id) => links.get(id) ?? null),
          nonceFor(item.message.id),
        );
        return { status: 'delivered' };
      }
    }
  };

  return {
    platform: 'discord',
    pacing: DISCORD_PACING,
    noteChars: DISCORD_NOTE_CHARS,
    async deliver(item) {
      try {
        return await deliverItem(item);
      } catch (error) {
        const outcome = outcomeFor(error);
        logger.warn(
          {
            outboxId: item.message.id,
            reportId: item.message.reportId,
            code: errorCode(error),
            outcome: outcome.status,
          },
          'discord delivery did not go through',
        );
        return outcome;
      }
    },
  };
};
