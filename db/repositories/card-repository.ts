import { and, eq } from 'drizzle-orm';
import type { Platform } from '../../src/domain/report.ts';
import type { CardRef, CardRepository } from '../../src/ports/store.ts';
import type { Database } from '../client.ts';
import { cards } from '../schema.ts';
import { runPrepared } from './json-rows.ts';
import { instantArray, textArray } from './pg-arrays.ts';

const CARDS_FOR_REPORTS = 'select * from cards where report_id = any($1::text[])';

/** Never moves a card back to an older version (a slower lane may finish after a newer render). */
const SAVE_RENDERED = `
  update cards set rendered_version = v.version
  from unnest($1::text[], $2::text[], $3::timestamptz[]) as v(report_id, platform, version)
  where cards.report_id = v.report_id and cards.platform = v.platform
    and (cards.rendered_version is null or cards.rendered_version < v.version)`;

interface RawCard {
  readonly report_id: string;
  readonly platform: string;
  readonly channel_id: string;
  readonly message_id: string;
  readonly thread_id: string | null;
  readonly rendered_version: string | Date | null;
}

const fromRaw = (row: RawCard): CardRef => ({
  reportId: row.report_id,
  platform: row.platform as Platform,
  channelId: row.channel_id,
  messageId: row.message_id,
  threadId: row.thread_id,
  renderedVersion: row.rendered_version === null ? null : new Date(row.rendered_version),
});

const toCard = (row: typeof cards.$inferSelect): CardRef => ({ ...row, platform: row.platform as Platform });

export const createCardRepository = ({ db }: { db: Database }): CardRepository => ({
  async find(reportId, platform) {
    const rows = await db
      .select()
      .from(cards)
      .where(and(eq(cards.reportId, reportId), eq(cards.platform, platform)));
    const row = rows[0];
    return row ? toCard(row) : null;
  },

  async findForReports(reportIds) {
    if (reportIds.length === 0) return [];
    const rows = await runPrepared<RawCard>(db, 'vulndesk_cards_for_reports', CARDS_FOR_REPORTS, [
      textArray(reportIds),
    ]);
    return rows.map(fromRaw);
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

  async saveRenderedMany(shown) {
    if (shown.length === 0) return;
    await runPrepared(db, 'vulndesk_cards_rendered', SAVE_RENDERED, [
      textArray(shown.map((c) => c.reportId)),
      textArray(shown.map((c) => c.platform)),
      instantArray(shown.map((c) => c.renderedVersion ?? null)),
    ]);
  },
});
