import type { Policy } from '../domain/policy.ts';
import type { Report } from '../domain/report.ts';
import { errorText } from '../logging/error-text.ts';
import type { ChatDelivery, DeliveryOutcome } from '../ports/chat-delivery.ts';
import type { CardRef, OutboxMessage, Store } from '../ports/store.ts';
import { maskPayload } from '../security/mask-payload.ts';
import { triageCardView } from '../views/triage-card.ts';

/** What a pass loaded for one message: its report and the report's card on the message's platform. */
export interface MessageContext {
  readonly report: Report | null;
  readonly card: CardRef | null;
}

const NO_CONTEXT: MessageContext = { report: null, card: null };

/** True when a delivery left the card where it was (same message and thread). */
export const sameMessage = (shown: CardRef | undefined, card: CardRef | null): boolean =>
  !shown ||
  (card !== null &&
    shown.channelId === card.channelId &&
    shown.messageId === card.messageId &&
    shown.threadId === card.threadId);

export interface DeliverArgs {
  readonly delivery: ChatDelivery | undefined;
  readonly message: OutboxMessage;
  readonly context: MessageContext;
  readonly joined: readonly number[];
  readonly policy: Policy;
  readonly now: Date;
  readonly lookupCard: (reportId: string) => Promise<CardRef | null>;
}

/** An edit of a card already posted: idempotent, and never paced. */
export const isCardEdit = (message: OutboxMessage, card: CardRef | null): boolean =>
  message.payload.type === 'triage_card' && card !== null;

/** Sends one message (masked) through its platform's adapter, or decides it needs no sending. */
export const deliverMessage = async (args: DeliverArgs): Promise<DeliveryOutcome> => {
  const { delivery, message, context, policy } = args;
  if (!delivery) return { status: 'retry', error: `no adapter for ${message.platform}` };
  const { report, card } = context;
  const isCard = message.payload.type === 'triage_card';
  // A render older than what the card shows is skipped: a later message already drew this change.
  if (isCard && report && card?.renderedVersion && card.renderedVersion >= report.updatedAt) {
    return { status: 'delivered' };
  }
  // An edit before the card exists has nothing to edit: the message that posts the card renders the
  // report as it is then, this change included.
  if (message.payload.type === 'triage_card' && !message.payload.create && !card) {
    return { status: 'delivered' };
  }
  const cardView = isCard && report ? triageCardView(report, policy, args.now) : null;
  try {
    const masked = { ...message, payload: maskPayload(message.payload) };
    const outcome = await delivery.deliver({
      message: masked,
      report,
      card,
      cardView,
      lookupCard: args.lookupCard,
      ...(args.joined.length > 0 ? { joined: args.joined } : {}),
    });
    if (outcome.status === 'delivered' && isCard && report) {
      const shown = outcome.card ?? card;
      if (shown) return { status: 'delivered', card: { ...shown, renderedVersion: report.updatedAt } };
    }
    return outcome;
  } catch (error) {
    return { status: 'retry', error: errorText(error) };
  }
};

/** The reports and cards of a claimed batch, read in two queries; then each message's context. */
export const loadContexts = async (
  store: Pick<Store, 'reports' | 'cards'>,
  claimed: readonly OutboxMessage[],
): Promise<(message: OutboxMessage) => MessageContext> => {
  const ids = [...new Set(claimed.flatMap((m) => (m.reportId ? [m.reportId] : [])))];
  if (ids.length === 0) return () => NO_CONTEXT;
  const [reports, cards] = await Promise.all([store.reports.findByIds(ids), store.cards.findForReports(ids)]);
  const reportById = new Map(reports.map(({ submissionKey: _key, ...report }) => [report.id, report]));
  const cardByKey = new Map(cards.map((card) => [`${card.reportId}|${card.platform}`, card]));
  return (message: OutboxMessage): MessageContext =>
    message.reportId
      ? {
          report: reportById.get(message.reportId) ?? null,
          card: cardByKey.get(`${message.reportId}|${message.platform}`) ?? null,
        }
      : NO_CONTEXT;
};
