import { showControls } from '../../../src/views/visible-controls.ts';
import { clip, SLACK_LIMITS } from './slack-limits.ts';

/**
 * Text for a `mrkdwn` field (and the `text` fallback, parsed the same way): `&`, `<` and `>` are
 * escaped so `<!channel>`, `<@U..>` and `<https://evil|good>` stay literal; invisible characters shown.
 */
export const escapeMrkdwn = (text: string): string =>
  showControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Text for a `plain_text` object: Slack shows it literally; invisible characters are made visible. Making
 * them visible lengthens the text (one character becomes up to 8), so the limit is applied afterwards.
 */
export const plain = (
  text: string,
  limit: number = SLACK_LIMITS.sectionText,
): { type: 'plain_text'; text: string; emoji: false } => ({
  type: 'plain_text',
  text: clip(showControls(text), limit) || ' ',
  emoji: false,
});

export const mrkdwn = (text: string): { type: 'mrkdwn'; text: string; verbatim: true } => ({
  type: 'mrkdwn',
  text,
  verbatim: true,
});
