import type { DigestView } from '../use-cases/digest.ts';
import type { ReporterNotice } from './reporter-notice.ts';

/** What an outbox row asks an adapter to send. Cards are rendered from the report's state at delivery. */
export type OutboxPayload =
  /** `create` marks the message that posts the card; later ones edit it and never post a second card. */
  | { readonly type: 'triage_card'; readonly create?: boolean }
  | { readonly type: 'thread_note'; readonly text: string }
  | { readonly type: 'reporter_notice'; readonly notice: ReporterNotice }
  /** Plain announcement to the triage channel or, with destination `user:<id>`, to one person. */
  | { readonly type: 'channel_text'; readonly title: string; readonly lines: readonly string[] }
  | { readonly type: 'digest'; readonly digest: DigestView };
