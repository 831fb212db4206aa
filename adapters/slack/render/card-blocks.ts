import type { CardAction, TriageCardView } from '../../../src/views/triage-card.ts';
import { showControls } from '../../../src/views/visible-controls.ts';
import { escapeMrkdwn, mrkdwn, plain } from './escape.ts';
import { clip, SLACK_LIMITS } from './slack-limits.ts';

export const CARD_BLOCK_PREFIX = 'vuln_card';

/** Room for the truncation notice inside a section's text limit. */
const SECTION_BODY_LIMIT = SLACK_LIMITS.sectionText - 120;

export const truncateForCard = (text: string, limit = SECTION_BODY_LIMIT): string => {
  if (text.length <= limit) return text;
  const rest = text.length - limit;
  return `${text.slice(0, limit)}\n… ${rest} more characters. Use "Show full text" to read everything privately.`;
};

const actionElement = (action: CardAction, reportId: string) => {
  if (action.kind === 'button') {
    return {
      type: 'button',
      action_id: action.id,
      text: plain(action.label, SLACK_LIMITS.buttonText),
      value: reportId,
      ...(action.primary ? { style: 'primary' } : {}),
    };
  }
  return {
    type: 'static_select',
    action_id: action.id,
    placeholder: plain(action.placeholder, SLACK_LIMITS.placeholder),
    options: action.options.slice(0, SLACK_LIMITS.selectOptions).map((option) => ({
      text: plain(option.label, SLACK_LIMITS.optionText),
      value: option.value,
    })),
  };
};

/** The triage card as Block Kit: reporter text only ever in plain_text, so it cannot ping, link or format. */
export const cardBlocks = (card: TriageCardView) => {
  const fields = card.fields.slice(0, SLACK_LIMITS.sectionFields);
  const overflow = card.fields.slice(SLACK_LIMITS.sectionFields);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: plain(`${card.reportId}: ${card.title}`, SLACK_LIMITS.header) },
    {
      type: 'section',
      fields: fields.map((field) =>
        mrkdwn(
          clip(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, SLACK_LIMITS.sectionField),
        ),
      ),
    },
  ];
  if (overflow.length > 0) {
    blocks.push({
      type: 'section',
      fields: overflow.map((field) =>
        mrkdwn(
          clip(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, SLACK_LIMITS.sectionField),
        ),
      ),
    });
  }
  for (const section of card.sections) {
    blocks.push({ type: 'context', elements: [mrkdwn(`*${escapeMrkdwn(section.label)}*`)] });
    // Truncated after invisible characters are made visible, which lengthens the text.
    blocks.push({ type: 'section', text: plain(truncateForCard(showControls(section.text))) });
  }
  blocks.push({
    type: 'actions',
    block_id: `${CARD_BLOCK_PREFIX}|${card.reportId}`,
    elements: card.actions.slice(0, SLACK_LIMITS.actionsElements).map((a) => actionElement(a, card.reportId)),
  });
  return blocks;
};

/** The notification fallback; parsed as mrkdwn by Slack, so escaped. */
export const cardFallbackText = (card: TriageCardView): string =>
  clip(`${card.reportId}: ${escapeMrkdwn(card.title)}`, 500);
