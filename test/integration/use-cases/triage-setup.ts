import type { OutboxMessage } from '../../../src/ports/store.ts';

export const RECEIVED = '2026-11-26T09:00:00.000Z';
/** Triage actions happen an hour after receipt, so their timestamps differ from the receipt's. */
export const NOW = '2026-11-26T10:00:00.000Z';
export const ID = 'VULN-0001';

export const CARD_AND_NOTE = ['slack triage triage_card', 'slack triage thread_note'];
export const CARD_NOTE_AND_NOTICE = [...CARD_AND_NOTE, 'discord user:123456 reporter_notice'];

/** The reporter notice among the queued messages, if any. */
export const noticeOf = ({ outbox }: { readonly outbox: readonly OutboxMessage[] }) => {
  const payload = outbox.find((m) => m.payload.type === 'reporter_notice')?.payload;
  return payload?.type === 'reporter_notice' ? payload.notice : undefined;
};

/** The text of the thread note among the queued messages, if any. */
export const noteOf = ({ outbox }: { readonly outbox: readonly OutboxMessage[] }) => {
  const payload = outbox.find((m) => m.payload.type === 'thread_note')?.payload;
  return payload?.type === 'thread_note' ? payload.text : undefined;
};
