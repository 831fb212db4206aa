import type { DigestView } from '../../../src/use-cases/digest.ts';
import { escapeMrkdwn, mrkdwn, plain } from './escape.ts';
import { clip, SLACK_LIMITS } from './slack-limits.ts';

export type PermalinkFor = (reportId: string) => string | null;

/** The daily digest: one block per section, each line linking to its card when the card is known. */
export const digestBlocks = (digest: DigestView, permalinkFor: PermalinkFor) => {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: plain(clip(digest.title, SLACK_LIMITS.header)) },
  ];
  const room = SLACK_LIMITS.messageBlocks - 2;
  for (const section of digest.sections) {
    let text = `*${escapeMrkdwn(section.heading)}*`;
    for (const item of section.items) {
      const link = item.reportId ? permalinkFor(item.reportId) : null;
      const line = `\n• ${escapeMrkdwn(item.text)}${link ? ` <${link}|open card>` : ''}`;
      if (text.length + line.length > SLACK_LIMITS.sectionText) {
        if (blocks.length >= room) break;
        blocks.push({ type: 'section', text: mrkdwn(text) });
        text = '';
      }
      text += line;
    }
    if (blocks.length >= room) {
      blocks.push({
        type: 'context',
        elements: [mrkdwn('More items did not fit; run `/vuln digest` or `/vuln list overdue`.')],
      });
      break;
    }
    blocks.push({ type: 'section', text: mrkdwn(text.trim() || ' ') });
  }
  return { text: escapeMrkdwn(digest.title), blocks };
};

/** `https://<team>.slack.com/archives/<channel>/p<ts without the dot>`: opens the message. */
export const slackPermalink = (teamUrl: string, channel: string, ts: string): string =>
  `${teamUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
