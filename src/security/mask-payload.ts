import type { OutboxPayload } from '../views/outbox-payload.ts';
import { maskText } from './sensitive-data.ts';

/** Masks secrets and personal data in any text an outbox message would post. Cards are masked as views. */
export const maskPayload = (payload: OutboxPayload): OutboxPayload => {
  switch (payload.type) {
    case 'thread_note':
      return { ...payload, text: maskText(payload.text) };
    case 'channel_text':
      return { ...payload, title: maskText(payload.title), lines: payload.lines.map(maskText) };
    case 'reporter_notice':
      return {
        ...payload,
        notice: {
          ...payload.notice,
          title: maskText(payload.notice.title),
          lines: payload.notice.lines.map(maskText),
        },
      };
    case 'triage_card':
    case 'digest':
      return payload;
  }
};
