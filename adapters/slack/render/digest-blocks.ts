import type { DigestView } from '../../../src/use-cases/digest.ts';
import { escapeMrkdwn, mrkdwn, plain } from './escape.ts';
import { clip, SLACK_LIMITS } from './slack-limits.ts';

export type PermalinkFor = (reportId: string) => string | null;

/** Room for the header and a closing note within the message's block limit. */
const SECTION_ROOM = SLACK_LIMITS.messageBlocks - 2;
const LINKS_PER_CONTEXT = 10;

/**
 * The daily digest. Lines hold report titles, so they are `plain_text` (no formatting can be
 * imitated); the links to cards, which the bot writes itself, follow in a context block.
 */
export const digestBlocks = (digest: DigestView, permalinkFor: PermalinkFor) => {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: plain(digest.title, SLACK_LIMITS.header) },
  ];
  let truncated = false;
  for (const section of digest.sections) {
    if (blocks.length + 2 > SECTION_ROOM) {
      truncated = true;
      break;
    }
    const lines = section.items.map((item) => `• ${item.text}`);
    blocks.push({
      type: 'section',
      text: plain(clip(`${section.heading}\n${lines.join('\n')}`, SLACK_LIMITS.sectionText)),
    });
    const links = section.items.flatMap((item) => {
      const link = item.reportId ? permalinkFor(item.reportId) : null;
      return link && item.reportId ? [`<${link}|${escapeMrkdwn(item.reportId)}>`] : [];
    });
    if (links.length > 0) {
      blocks.push({
        type: 'context',
        elements: [mrkdwn(`Cards: ${links.slice(0, LINKS_PER_CONTEXT * 3).join(' · ')}`)],
      });
    }
  }
  if (truncated) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn('More did not fit here; run `/vuln digest` or `/vuln list overdue`.')],
    });
  }
  return { text: escapeMrkdwn(digest.title), blocks };
};

/** `https://<team>.slack.com/archives/<channel>/p<ts without the dot>`: opens the message. */
export const slackPermalink = (teamUrl: string, channel: string, ts: string): string =>
  `${teamUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
