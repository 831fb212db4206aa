import type { Pacing } from '../delivery/pacer.ts';
import type { Platform, Report } from '../domain/report.ts';
import type { TriageCardView } from '../views/triage-card.ts';
import type { CardRef, OutboxMessage } from './store.ts';

/** One outbox message, with what an adapter needs to render it. */
export interface DeliveryItem {
  readonly message: OutboxMessage;
  readonly report: Report | null;
  /** The report's card on this platform, once it has been posted. */
  readonly card: CardRef | null;
  /** The card as it should look now (for `triage_card` messages). */
  readonly cardView: TriageCardView | null;
  /** Outbox IDs of the queued thread notes joined into this one's text (posted as one message). */
  readonly joined?: readonly number[];
  /** Finds another report's card on this platform (digest lines link to their cards). */
  readonly lookupCard: (reportId: string) => Promise<CardRef | null>;
}

export type DeliveryOutcome =
  | { readonly status: 'delivered'; readonly card?: CardRef }
  /** A passing problem (network, 5xx, rate limit): try again later. */
  | { readonly status: 'retry'; readonly error: string; readonly retryAfterMs?: number }
  /** A problem that retrying cannot fix (channel gone, token revoked): park it for a person. */
  | { readonly status: 'failed'; readonly error: string };

/** Implemented by each chat adapter: sends outbox messages for its platform. */
export interface ChatDelivery {
  readonly platform: Platform;
  /** How fast new messages may be posted to one destination (edits of a card are not paced). */
  readonly pacing?: Pacing;
  /** Thread-note text one post may carry when queued notes of a card are joined (characters, unescaped). */
  readonly noteChars?: number;
  deliver(item: DeliveryItem): Promise<DeliveryOutcome>;
}
