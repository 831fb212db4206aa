/** A private message to the reporter; carries only what a reporter may see. */
export interface ReporterNotice {
  readonly kind:
    | 'received'
    | 'acknowledged'
    | 'needs_info'
    | 'status_changed'
    | 'disclosure_changed'
    | 'closed'
    | 'message';
  readonly reportId: string;
  readonly title: string;
  readonly lines: readonly string[];
  /** Offer the reporter a way to answer (a button that opens a reply form). */
  readonly canReply: boolean;
}
