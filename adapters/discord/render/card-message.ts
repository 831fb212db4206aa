import {
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { CardAction, CardSection, TriageCardView } from '../../../src/views/triage-card.ts';
import { showControls } from '../../../src/views/visible-controls.ts';
import { customId } from '../custom-ids.ts';
import { escapeClip, escapeText } from './escape.ts';
import { clip, DISCORD_LIMITS, embedSize } from './limits.ts';
import { type ActionRow, type MessageBody, NO_MENTIONS } from './message-body.ts';

export const TRUNCATED_FOOTER =
  'Long report text is cut to fit Discord. "Show full text" shows all of it privately (audited).';

/** Room left for the description once the title, fields and a footer are counted. */
const DESCRIPTION_MARGIN = 16;

const sectionHeading = (section: CardSection) => `**${escapeText(section.label)}**\n`;

/** Shares `total` characters between sections: short ones keep everything, long ones split the rest. */
export const shareBudget = (needs: readonly number[], total: number): number[] => {
  const budgets = needs.map(() => 0);
  let left = total;
  const order = needs.map((need, index) => ({ need, index })).sort((a, b) => a.need - b.need);
  order.forEach(({ need, index }, position) => {
    const share = Math.floor(left / (order.length - position));
    budgets[index] = Math.min(need, share);
    left -= budgets[index] ?? 0;
  });
  return budgets;
};

const describeSections = (sections: readonly CardSection[], room: number) => {
  const headings = sections.map(sectionHeading);
  const separators = Math.max(0, sections.length - 1) * 2;
  const bodyRoom = room - separators - headings.reduce((sum, h) => sum + h.length, 0);
  const budgets = shareBudget(
    sections.map((section) => escapeText(section.text).length),
    Math.max(0, bodyRoom),
  );
  let truncated = false;
  const parts = sections.map((section, i) => {
    const body = escapeClip(section.text, Math.max(1, budgets[i] ?? 1));
    if (body !== escapeText(section.text)) truncated = true;
    return `${headings[i]}${body}`;
  });
  return { description: parts.join('\n\n'), truncated };
};

/** The card's embed: ID and title, the report's facts as fields, the reporter's text escaped and cut to fit. */
export const cardEmbed = (card: TriageCardView): APIEmbed => {
  const title = `${card.reportId}: ${escapeClip(card.title, DISCORD_LIMITS.embedTitle - card.reportId.length - 2)}`;
  const fields: APIEmbedField[] = card.fields.slice(0, DISCORD_LIMITS.embedFields).map((field) => ({
    name: clip(field.label, DISCORD_LIMITS.embedFieldName),
    value: escapeClip(field.value, DISCORD_LIMITS.embedFieldValue) || '-',
    inline: true,
  }));
  const used = embedSize({ title, fields, footer: { text: TRUNCATED_FOOTER } });
  const room = Math.min(
    DISCORD_LIMITS.embedDescription,
    DISCORD_LIMITS.embedTotal - used - DESCRIPTION_MARGIN,
  );
  const { description, truncated } = describeSections(card.sections, room);
  return {
    title,
    ...(description ? { description } : {}),
    fields,
    ...(truncated ? { footer: { text: TRUNCATED_FOOTER } } : {}),
  };
};

const button = (
  action: Extract<CardAction, { kind: 'button' }>,
  reportId: string,
): APIButtonComponentWithCustomId => ({
  type: ComponentType.Button,
  style: action.primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
  label: clip(action.label, DISCORD_LIMITS.buttonLabel),
  custom_id: customId(action.id, reportId),
});

const select = (
  action: Extract<CardAction, { kind: 'select' }>,
  reportId: string,
): APIStringSelectComponent => ({
  type: ComponentType.StringSelect,
  custom_id: customId(action.id, reportId),
  placeholder: clip(action.placeholder, DISCORD_LIMITS.selectPlaceholder),
  min_values: 1,
  max_values: 1,
  options: action.options.slice(0, DISCORD_LIMITS.selectOptions).map((option) => ({
    label: clip(option.label, DISCORD_LIMITS.selectOptionLabel),
    value: option.value.slice(0, DISCORD_LIMITS.selectOptionValue),
  })),
});

/**
 * Buttons in rows of five (the first row first), then one row per select, then leftover buttons;
 * at most five rows, so the least important controls are the ones that could be dropped.
 */
export const cardComponents = (card: TriageCardView): ActionRow[] => {
  const buttons = card.actions.flatMap((a) => (a.kind === 'button' ? [button(a, card.reportId)] : []));
  const selects = card.actions.flatMap((a) => (a.kind === 'select' ? [select(a, card.reportId)] : []));
  const buttonRows: ActionRow[] = [];
  for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow) {
    buttonRows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow),
    });
  }
  const selectRows: ActionRow[] = selects.map((menu) => ({
    type: ComponentType.ActionRow,
    components: [menu],
  }));
  const [first, ...rest] = buttonRows;
  return [...(first ? [first] : []), ...selectRows, ...rest].slice(0, DISCORD_LIMITS.actionRows);
};

/** The triage card message; it mentions nobody, whatever the report says. */
export const cardMessage = (card: TriageCardView, withControls = true): MessageBody => ({
  content: '',
  embeds: [cardEmbed(card)],
  components: withControls ? cardComponents(card) : [],
  allowed_mentions: NO_MENTIONS,
});

/**
 * The thread under a card: `VULN-0001: title`, cut to Discord's 100 characters. Channel names are not
 * markdown and never ping; broadcast words are still broken so the name cannot even look like one.
 */
export const threadName = (card: Pick<TriageCardView, 'reportId' | 'title'>): string =>
  clip(
    `${card.reportId}: ${showControls(card.title)
      .replace(/\s+/g, ' ')
      .replace(/@(everyone|here)/gi, '@\u200b$1')}`,
    DISCORD_LIMITS.threadName,
  );
