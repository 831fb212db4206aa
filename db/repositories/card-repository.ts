import { and, eq } from 'drizzle-orm';
import type { Platform } from '../../src/domain/report.ts';
import type { CardRepository } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { cards } from '../schema.ts';

export const createCardRepository = ({ db }: { db: Database }): CardRepository => ({
  async find(reportId, platform) {
    const rows = await db
      .select()
      .from(cards)
      .where(and(eq(cards.reportId, reportId), eq(cards.platform, platform)));
    const row = rows[0];
    return row ? { ...row, platform: row.platform as Platform } : null;
  },

  async save(card) {
    await db
      .insert(cards)
      .values({ ...card, renderedVersion: card.renderedVersion ?? null })
      .onConflictDoUpdate({
        target: [cards.reportId, cards.platform],
        set: {
          channelId: card.channelId,
          messageId: card.messageId,
          threadId: card.threadId,
          renderedVersion: card.renderedVersion ?? null,
        },
      });
  },
});
