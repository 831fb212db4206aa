import type { AppError } from '../domain/result.ts';
import type { TriageCardView } from '../views/triage-card.ts';

/** A private answer to the person who typed a command or clicked a button. */
export type CommandReply =
  | {
      readonly kind: 'text';
      readonly ok: boolean;
      readonly title?: string;
      readonly lines: readonly string[];
    }
  | { readonly kind: 'card'; readonly card: TriageCardView };

export const textReply = (lines: readonly string[], title?: string): CommandReply =>
  title === undefined ? { kind: 'text', ok: true, lines } : { kind: 'text', ok: true, title, lines };

export const errorReply = (error: AppError): CommandReply => ({
  kind: 'text',
  ok: false,
  lines: [error.message],
});
