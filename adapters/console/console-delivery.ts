import type { ChatDelivery } from '../../src/ports/chat-delivery.ts';
import { inert, renderCard, renderDigest, renderNotice } from './render-text.ts';

/** Prints outbox messages, labelled with where a chat platform would have posted them. */
export const createConsoleDelivery = (write: (text: string) => void): ChatDelivery => ({
  platform: 'console',
  async deliver({ message, card, cardView, report }) {
    const payload = message.payload;
    switch (payload.type) {
      case 'triage_card': {
        if (!cardView || !report) return { status: 'failed', error: 'report.not_found' };
        const verb = card ? 'card updated' : 'new card';
        write(`[triage channel] ${verb}\n${renderCard(cardView)}\n`);
        return {
          status: 'delivered',
          card: card ?? {
            reportId: report.id,
            platform: 'console',
            channelId: 'triage',
            messageId: report.id,
            threadId: report.id,
          },
        };
      }
      case 'thread_note':
        write(`[thread ${message.reportId}] ${inert(payload.text)}\n`);
        return { status: 'delivered' };
      case 'reporter_notice':
        write(`[DM to ${message.destination.replace(/^user:/, '')}] ${renderNotice(payload.notice)}\n`);
        return { status: 'delivered' };
      case 'channel_text': {
        const where =
          message.destination === 'triage'
            ? 'triage channel'
            : `DM to ${message.destination.replace(/^user:/, '')}`;
        write(
          `[${where}] ${inert(payload.title)}\n${payload.lines.map((l) => `  ${inert(l)}`).join('\n')}\n`,
        );
        return { status: 'delivered' };
      }
      case 'digest':
        write(`[triage channel] ${renderDigest(payload.digest)}\n`);
        return { status: 'delivered' };
    }
  },
});
