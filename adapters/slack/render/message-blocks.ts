import type { CommandReply } from '../../../src/commands/command-reply.ts';
import type { ReporterNotice } from '../../../src/views/reporter-notice.ts';
import { showControls } from '../../../src/views/visible-controls.ts';
import { cardBlocks, cardFallbackText } from './card-blocks.ts';
import { escapeMrkdwn, plain } from './escape.ts';
import { clip, SLACK_LIMITS } from './slack-limits.ts';

export const REPORTER_ANSWER_ACTION = 'reporter_answer';

/** Long text split across plain_text sections, each within Slack's section limit once made visible. */
export const plainSections = (raw: string): Record<string, unknown>[] => {
  const text = showControls(raw);
  const chunks: string[] = [];
  for (let start = 0; start < text.length; start += SLACK_LIMITS.sectionText) {
    chunks.push(text.slice(start, start + SLACK_LIMITS.sectionText));
  }
  return (chunks.length > 0 ? chunks : [' ']).map((chunk) => ({ type: 'section', text: plain(chunk) }));
};

export const noticeMessage = (notice: ReporterNotice) => ({
  text: clip(`${notice.reportId}: ${escapeMrkdwn(notice.lines[0] ?? notice.title)}`, 500),
  blocks: [
    { type: 'header', text: plain(`${notice.reportId}: ${notice.title}`, SLACK_LIMITS.header) },
    ...plainSections(notice.lines.join('\n')),
    ...(notice.canReply
      ? [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: REPORTER_ANSWER_ACTION,
                text: plain('Reply'),
                value: notice.reportId,
                style: 'primary',
              },
            ],
          },
        ]
      : []),
  ],
});

export const threadNoteMessage = (text: string) => ({
  text: clip(escapeMrkdwn(text), 3000),
  blocks: plainSections(text).slice(0, SLACK_LIMITS.messageBlocks),
});

export const replyMessage = (reply: CommandReply) => {
  if (reply.kind === 'card') return { text: cardFallbackText(reply.card), blocks: cardBlocks(reply.card) };
  const body = reply.lines.join('\n');
  const blocks: Record<string, unknown>[] = [];
  // A title can carry reporter text (`/vuln reveal` names the report): plain_text, so `*x*` stays literal.
  if (reply.title) blocks.push({ type: 'header', text: plain(reply.title, SLACK_LIMITS.header) });
  blocks.push(...plainSections(reply.ok ? body : `⚠️ ${body}`));
  return {
    text: clip(escapeMrkdwn(reply.title ?? reply.lines[0] ?? ''), 500),
    blocks: blocks.slice(0, SLACK_LIMITS.messageBlocks),
  };
};

export const channelTextMessage = (title: string, lines: readonly string[]) => ({
  text: clip(escapeMrkdwn(title), 500),
  blocks: [
    { type: 'header', text: plain(title, SLACK_LIMITS.header) },
    ...plainSections(lines.join('\n')).slice(0, SLACK_LIMITS.messageBlocks - 1),
  ],
});
